"""The hand-written part of the chat corpus: topics, the ways people ask about them, and answers.

Each topic has many question phrasings (lower case, no final punctuation; the generator varies
case, punctuation and greetings) and a few answer variants that say the same correct thing in
different words, so a small model sees consistent facts phrased differently. `follow_ups` names
topics that naturally come next in a conversation, asked with the short `follow_up_questions`
of that next topic ("and sunsets?"). All text is original to this project, plain ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    questions: tuple[str, ...]
    answers: tuple[str, ...]
    follow_ups: tuple[str, ...] = ()
    follow_up_questions: tuple[str, ...] = ()
    weight: float = 1.0


def _t(name, questions, answers, follow_ups=(), follow_up_questions=(), weight=1.0) -> Topic:
    return Topic(
        name, tuple(questions), tuple(answers), tuple(follow_ups), tuple(follow_up_questions), weight
    )


LIGHT = [
    _t(
        "sky_blue",
        [
            "why is the sky blue",
            "what makes the sky blue",
            "how come the sky looks blue",
            "why does the sky look blue",
            "why is the sky blue and not white",
            "explain why the sky is blue",
            "tell me why the sky is blue",
            "what makes the sky look blue",
            "why is the sky blue during the day",
            "what causes the blue colour of the sky",
            "what causes the blue color of the sky",
            "why do we see a blue sky",
            "where does the blue of the sky come from",
            "can you explain the blue sky",
            "sky blue why",
            "why blue sky",
            "what is rayleigh scattering",
            "how does rayleigh scattering work",
        ],
        [
            "The sky looks blue because air molecules scatter blue sunlight much more than red light. "
            "The scattered blue light reaches your eyes from every direction. This is Rayleigh scattering.",
            "Sunlight contains every colour. The tiny molecules of the air scatter short blue waves far "
            "more strongly than long red ones, so blue light comes at you from all over the sky. "
            "That is called Rayleigh scattering.",
            "It is Rayleigh scattering: air molecules scatter blue light more than red, so the whole sky "
            "glows blue while the sun itself looks a little yellow.",
            "Air scatters short wavelengths much more than long ones. Blue is short, so blue sunlight is "
            "scattered all across the sky and the sky looks blue. This is Rayleigh scattering.",
        ],
        follow_ups=("sky_violet", "sunset", "clouds_white", "night_sky"),
        weight=2.0,
    ),
    _t(
        "is_sky_blue",
        ["is the sky blue", "is the sky really blue", "is the sky always blue", "is the sky blue today"],
        [
            "On a clear day, yes. Air molecules scatter blue sunlight more than red, so the sky looks "
            "blue. At sunset it turns orange and at night it is dark.",
            "Yes, a clear daytime sky is blue, because the air scatters blue light more than red. "
            "Clouds, sunsets and night change that.",
        ],
        follow_ups=("sky_blue", "sunset", "night_sky"),
    ),
    _t(
        "sky_violet",
        [
            "why isn't the sky violet",
            "why is the sky not purple",
            "if violet scatters more why is the sky not violet",
            "why is the sky blue rather than violet",
        ],
        [
            "Violet scatters even more than blue, but sunlight contains less violet and our eyes are "
            "less sensitive to it. The mix of scattered light we see looks blue.",
            "Sunlight has less violet than blue, and our eyes respond weakly to violet. So although violet "
            "is scattered most, the sky looks blue to us.",
        ],
        follow_up_questions=("why not violet", "but why not violet then", "and why not purple"),
    ),
    _t(
        "sunset",
        [
            "why are sunsets red",
            "why is the sunset orange",
            "what makes sunsets orange",
            "why does the sun look red when it sets",
            "why is the sky red in the evening",
            "why are sunsets so colourful",
            "why are sunsets so colorful",
            "what colour is the sunset and why",
            "why does the sky turn orange at sunset",
            "why is the sunrise red",
        ],
        [
            "At sunset the light crosses much more air to reach you. Most of the blue is scattered out "
            "of the beam on the way, so the light that is left looks orange and red.",
            "When the sun is low, its light travels a long path through the air. Blue light is "
            "scattered away along that path, leaving the reds and oranges.",
            "The low sun shines through a thick layer of air. The air scatters the blue out of the "
            "beam, so mostly red and orange light gets through to your eyes.",
        ],
        follow_ups=("sky_blue", "clouds_white"),
        follow_up_questions=(
            "and sunsets",
            "what about sunsets",
            "then why are sunsets red",
            "and at sunset",
        ),
        weight=1.5,
    ),
    _t(
        "rainbow",
        [
            "how do rainbows form",
            "what makes a rainbow",
            "why do we see rainbows",
            "how does a rainbow work",
            "where do rainbows come from",
            "how is a rainbow made",
            "what causes a rainbow",
            "explain rainbows",
            "why do rainbows appear after rain",
            "tell me about rainbows",
        ],
        [
            "A rainbow forms when sunlight enters raindrops, refracts, reflects off the back of each drop "
            "and refracts again on the way out. Each colour bends by a slightly different angle, so the "
            "white light fans out into bands of colour.",
            "Raindrops act like tiny prisms. Sunlight bends as it enters a drop, bounces off the back and "
            "bends again as it leaves, and each colour bends a different amount, which spreads the "
            "colours into a bow.",
            "You need the sun behind you and rain in front of you. Each raindrop refracts and reflects "
            "the sunlight, splitting it into colours, and the drops at the right angle send you the arc.",
        ],
        follow_ups=("rainbow_order", "double_rainbow", "prism"),
        follow_up_questions=("and rainbows", "what about rainbows", "how about a rainbow"),
        weight=1.5,
    ),
    _t(
        "rainbow_order",
        [
            "what are the colours of the rainbow",
            "what are the colors of the rainbow",
            "what order are the rainbow colours in",
            "list the colours of a rainbow",
            "how many colours are in a rainbow",
        ],
        [
            "Red, orange, yellow, green, blue, indigo and violet, with red on the outside of the bow and "
            "violet on the inside.",
            "From the outside in: red, orange, yellow, green, blue, indigo, violet. Really the colours blend "
            "smoothly; seven is just the usual way to name them.",
        ],
        follow_up_questions=("what colours does it have", "which colours are in it", "in what order"),
    ),
    _t(
        "double_rainbow",
        [
            "what is a double rainbow",
            "why do double rainbows happen",
            "why is there sometimes a second rainbow",
        ],
        [
            "A double rainbow comes from light that reflects twice inside the raindrops. The second bow is "
            "fainter, sits outside the first, and has its colours in reverse order.",
        ],
        follow_up_questions=("and a double rainbow", "what about double rainbows"),
    ),
    _t(
        "clouds_white",
        [
            "why are clouds white",
            "what makes clouds white",
            "why do clouds look white",
            "why are some clouds grey",
            "why are storm clouds dark",
            "why are clouds not blue",
        ],
        [
            "Cloud droplets are much bigger than air molecules, so they scatter all colours about equally. "
            "An equal mix of every colour looks white. Thick clouds look grey because little light gets "
            "through them.",
            "Water droplets in a cloud scatter every colour by the same amount, unlike air molecules, "
            "so clouds look white. A very thick cloud blocks much of the light and looks grey from below.",
        ],
        follow_up_questions=("and clouds", "what about clouds", "so why are clouds white"),
    ),
    _t(
        "night_sky",
        ["why is the sky black at night", "why is the sky dark at night", "why is the night sky dark"],
        [
            "At night your side of the Earth faces away from the sun, so there is no sunlight for the air "
            "to scatter. Only the faint light of the moon and stars is left.",
        ],
        follow_up_questions=("and at night", "what about at night", "then why is it dark at night"),
    ),
    _t(
        "what_is_light",
        ["what is light", "what is light made of", "is light a wave", "what is a photon"],
        [
            "Light is an electromagnetic wave that also comes in tiny packets of energy called photons. "
            "Its wavelength sets its colour: red light has long waves, blue and violet light short ones.",
            "Light is a wave of electric and magnetic fields, delivered in small bundles called photons. "
            "Different wavelengths look like different colours to us.",
        ],
        follow_ups=("light_speed", "prism", "see_colour"),
    ),
    _t(
        "light_speed",
        ["how fast is light", "what is the speed of light", "how fast does light travel"],
        [
            "Light travels about 300,000 kilometres per second in empty space. Sunlight takes about eight "
            "minutes to reach the Earth.",
            "About 300,000 kilometres every second. Nothing carries information faster.",
        ],
        follow_up_questions=("how fast is it", "and how fast does it go"),
    ),
    _t(
        "prism",
        ["how does a prism split light", "what does a prism do", "why does a prism make a rainbow"],
        [
            "A prism bends light, and it bends short blue waves more than long red ones. So white light "
            "spreads out into a spectrum of colours, just as in a rainbow.",
        ],
        follow_up_questions=("and a prism", "what about a prism"),
    ),
    _t(
        "see_colour",
        [
            "how do we see colour",
            "how do we see color",
            "why do things have colour",
            "why do objects have different colours",
            "how do eyes see colours",
        ],
        [
            "An object absorbs some wavelengths and reflects the rest. Your eyes have three kinds of cone "
            "cells, most sensitive to red, green and blue, and your brain mixes their signals into a colour.",
            "Things reflect some colours of light and absorb others. The reflected light reaches the cone "
            "cells in your eyes, and your brain turns their three signals into the colour you see.",
        ],
    ),
    _t(
        "grass_green",
        ["why is grass green", "why are leaves green", "why are plants green"],
        [
            "Leaves contain chlorophyll, which absorbs red and blue light for photosynthesis and reflects "
            "green. The green light that bounces back is what you see.",
        ],
    ),
    _t(
        "sea_blue",
        ["why is the sea blue", "why is the ocean blue", "why does water look blue"],
        [
            "Water absorbs a little red light, so deep water looks blue. The sea also reflects the blue sky.",
            "Deep water soaks up red light slightly more than blue, and the surface reflects the sky, so the "
            "sea looks blue.",
        ],
    ),
    _t(
        "stars_twinkle",
        ["why do stars twinkle", "why do the stars flicker", "what makes stars twinkle"],
        [
            "Starlight passes through moving layers of air with slightly different temperatures, which bend "
            "it back and forth. That makes the tiny point of a star seem to flicker.",
        ],
    ),
]

PRIMES = [
    _t(
        "what_is_prime",
        [
            "what is a prime number",
            "what is a prime",
            "define prime number",
            "define a prime",
            "what does prime mean",
            "explain prime numbers",
            "what are primes",
            "what are prime numbers",
            "what makes a number prime",
            "when is a number prime",
            "tell me what a prime number is",
            "prime numbers",
            "can you explain what primes are",
            "what is the definition of a prime",
        ],
        [
            "A prime number is a whole number greater than 1 that is divisible only by 1 and itself. "
            "The first primes are 2, 3, 5, 7, 11 and 13.",
            "A prime is a whole number above 1 that cannot be divided evenly by any number except 1 and "
            "itself. For example 7 is prime, but 9 = 3 x 3 is not.",
            "A number is prime when it has exactly two divisors, 1 and itself. The primes start "
            "2, 3, 5, 7, 11, 13, 17, 19.",
        ],
        follow_ups=("is_one_prime", "how_check_prime", "infinite_primes", "composite"),
        weight=2.0,
    ),
    _t(
        "is_one_prime",
        ["is 1 prime", "is one a prime number", "is 1 a prime number", "why is 1 not prime"],
        [
            "No. 1 is not prime, because a prime must have exactly two different divisors and 1 has only "
            "one. The smallest prime is 2.",
            "1 is not prime. Primes have exactly two divisors, and 1 has just one, itself. The first prime "
            "is 2.",
        ],
        follow_up_questions=("and what about 1", "is 1 one of them", "so is 1 prime"),
    ),
    _t(
        "even_prime",
        ["what is the only even prime", "is there an even prime", "are all primes odd"],
        [
            "2 is the only even prime. Every other even number can be divided by 2, so it is not prime.",
        ],
    ),
    _t(
        "infinite_primes",
        [
            "are there infinitely many primes",
            "do primes ever run out",
            "how many primes are there",
            "is there a largest prime",
            "do the primes go on forever",
        ],
        [
            "There are infinitely many primes. Euclid showed it: multiply any finite list of primes and "
            "add 1; the result has a prime factor that is not on the list.",
            "They never run out. If you had a complete list, you could multiply all of them and add 1, and "
            "that number would need a prime factor missing from the list. This proof is due to Euclid.",
        ],
        follow_up_questions=("do they ever run out", "how many are there", "is there a biggest one"),
    ),
    _t(
        "composite",
        ["what is a composite number", "what does composite mean", "what is the opposite of a prime"],
        [
            "A composite number is a whole number above 1 that is not prime, so it is a product of smaller "
            "numbers, like 12 = 2 x 2 x 3.",
            "Composite numbers have a divisor other than 1 and themselves. 15 = 3 x 5 is composite; 13 is "
            "prime.",
        ],
        follow_up_questions=("and composite numbers", "what is the opposite then"),
    ),
    _t(
        "factorisation",
        [
            "what is prime factorisation",
            "what is prime factorization",
            "what is a prime factor",
            "how do you factorise a number",
            "how do i find prime factors",
            "what does factorise mean",
        ],
        [
            "Prime factorisation writes a number as a product of primes, for example 60 = 2 x 2 x 3 x 5. "
            "Every whole number above 1 has exactly one such factorisation, apart from the order.",
            "To factorise a number, divide it by the smallest prime that fits, then repeat with what is "
            "left. 84 halves to 42, halves again to 21, and 21 = 3 x 7, so 84 = 2 x 2 x 3 x 7.",
        ],
        follow_up_questions=("and how do i factorise", "what about factorising"),
    ),
    _t(
        "how_check_prime",
        [
            "how do i check if a number is prime",
            "how can you tell if a number is prime",
            "how do you test whether a number is prime",
            "how do i know if a number is prime",
            "what is the fastest way to check a prime",
        ],
        [
            "Try dividing it by every prime up to its square root. If none divides it evenly, the number "
            "is prime. For 97 you only need to try 2, 3, 5 and 7.",
            "Divide by the primes 2, 3, 5, 7 and so on, stopping at the square root of the number. If "
            "nothing divides evenly, it is prime; if something does, you have found a factor.",
        ],
        follow_up_questions=("how do i check one", "how can i test a number", "so how do i check"),
    ),
    _t(
        "twin_primes",
        [
            "what are twin primes",
            "what is a twin prime",
            "explain twin primes",
            "tell me about twin primes",
            "what does twin prime mean",
            "define twin primes",
            "give me an example of twin primes",
            "why are they called twin primes",
        ],
        [
            "Twin primes are pairs of primes that differ by 2, like 11 and 13 or 41 and 43. Nobody has "
            "proved yet whether there are infinitely many such pairs.",
            "Two primes are twins when they are just 2 apart, such as 17 and 19. It is an open question "
            "whether the twin primes go on forever.",
        ],
        follow_ups=("prime_gap",),
        follow_up_questions=("and twin primes", "what about twin primes"),
    ),
    _t(
        "prime_gap",
        ["what is a prime gap", "how far apart are primes", "what are prime gaps"],
        [
            "A prime gap is the distance between two neighbouring primes, like 4 between 7 and 11. Gaps grow "
            "slowly on average, yet twin primes with a gap of 2 keep turning up.",
        ],
        follow_up_questions=("and prime gaps", "how big can the gaps get"),
    ),
    _t(
        "sieve",
        [
            "what is the sieve of eratosthenes",
            "how does the sieve work",
            "explain the sieve of eratosthenes",
            "what is a prime sieve",
            "how do you sieve for primes",
            "how can i list all primes below 100",
            "what does the sieve of eratosthenes do",
            "how do you use the sieve of eratosthenes",
        ],
        [
            "Write down the numbers from 2 up to a limit. Take the first number not crossed out, keep it as "
            "a prime, and cross out all its multiples. Repeat; the numbers that survive are the primes.",
            "The sieve of Eratosthenes lists primes by elimination: starting from 2, keep each number that "
            "is still unmarked and cross out every multiple of it. Whatever is left unmarked is prime.",
        ],
        follow_up_questions=("and the sieve", "how does the sieve do it"),
    ),
    _t(
        "ulam_spiral",
        [
            "what is the ulam spiral",
            "tell me about the ulam spiral",
            "what does the ulam spiral show",
            "explain the ulam spiral",
            "who was ulam",
            "what is special about the ulam spiral",
            "what do you see in the ulam spiral",
            "how is the ulam spiral drawn",
        ],
        [
            "Write the whole numbers in a square spiral starting from the centre and mark the primes. "
            "Surprisingly many primes line up along diagonal lines, because some quadratic formulas produce "
            "primes unusually often.",
            "The Ulam spiral is the number line wound into a square spiral with the primes highlighted. "
            "Stanislaw Ulam drew it in 1963 and noticed that the primes cluster on diagonal lines.",
        ],
        follow_ups=("sacks_spiral", "app_clock"),
        follow_up_questions=("and the ulam spiral", "what about the ulam spiral"),
    ),
    _t(
        "sacks_spiral",
        ["what is the sacks spiral", "tell me about the sacks spiral", "how is the sacks spiral drawn"],
        [
            "The Sacks spiral puts each number n at radius square root of n and one full turn per square, "
            "so all perfect squares fall on one straight ray. The primes then gather along smooth curves.",
            "It is a round cousin of the Ulam spiral: numbers follow an Archimedean spiral with the squares "
            "lined up on a single ray, and the primes show up as curved streaks.",
        ],
        follow_up_questions=("and the sacks spiral", "how is the sacks spiral different"),
    ),
    _t(
        "app_clock",
        [
            "how does the clock view work",
            "what is the prime clock",
            "how are primes arranged in this app",
            "what do the rings mean",
            "what is the clock abacus",
            "explain the clock in this app",
            "what does the visualization show",
            "what are the four rings",
            "how does the app draw primes",
        ],
        [
            "The app places the primes in order on rings like a clock: the first 12 primes on an hour ring, "
            "the next 60 on a minute ring, the next 60 on a second ring and the next 100 on a ring of 100 "
            "positions. Later primes continue on wider rings further out.",
            "It works like a clock face. The 1st to 12th primes sit on the inner hour ring, the next 60 on a "
            "minute ring, then 60 on a second ring and 100 on a fourth ring, each at its own position.",
            "The primes are laid on four rings with 12, 60, 60 and 100 positions, like hours, minutes, "
            "seconds and hundredths. The 3rd prime, 5, sits at 3 o'clock and the 12th prime, 37, at 12 "
            "o'clock.",
        ],
        follow_ups=("clock_why", "ulam_spiral"),
        follow_up_questions=("and the clock in this app", "how does this app draw them"),
    ),
    _t(
        "clock_why",
        [
            "why 12, 60, 60 and 100",
            "why are the rings 12 60 60 and 100",
            "why does the clock use 12 positions",
        ],
        [
            "They copy the way we read time: 12 hours, 60 minutes, 60 seconds, then 100 hundredths of a "
            "second. Counting primes around a clock makes patterns in their order easy to see.",
        ],
        follow_up_questions=("why those numbers", "why 12 and 60"),
    ),
    _t(
        "goldbach",
        [
            "what is goldbach's conjecture",
            "what is the goldbach conjecture",
            "can every even number be two primes",
        ],
        [
            "It says every even number greater than 2 is the sum of two primes, like 10 = 3 + 7 and "
            "28 = 5 + 23. It has been checked for enormous numbers but never proved.",
        ],
    ),
    _t(
        "mersenne",
        ["what is a mersenne prime", "what is the largest known prime", "what is the biggest prime found"],
        [
            "A Mersenne prime is a prime of the form 2^p - 1, such as 3, 7, 31 and 127. The largest known "
            "primes are Mersenne primes with millions of digits, found by computer searches.",
        ],
    ),
    _t(
        "why_primes",
        ["why are primes important", "what are primes used for", "why do primes matter", "are primes useful"],
        [
            "Every whole number is built from primes by multiplication, so they are the atoms of "
            "arithmetic. They also protect data online: some encryption relies on how hard it is to factor "
            "the product of two huge primes.",
            "Primes are the building blocks of the whole numbers, and internet encryption depends on the "
            "fact that multiplying two big primes is easy while factoring the result is very hard.",
        ],
    ),
    _t(
        "like_primes",
        ["do you like primes", "what do you think of prime numbers", "are primes fun"],
        [
            "Yes! Primes are my favourite topic: simple to define, yet full of patterns nobody fully "
            "understands.",
        ],
    ),
]

CRYSTALS = [
    _t(
        "what_is_crystal",
        ["what is a crystal", "what are crystals", "define crystal", "what makes something a crystal"],
        [
            "A crystal is a solid whose atoms are arranged in a pattern that repeats in every direction, "
            "like three dimensional wallpaper. Salt, quartz, ice and diamond are all crystals.",
            "In a crystal the atoms sit in a regular repeating lattice. That order is why crystals have flat "
            "faces and sharp angles. Table salt and snowflakes are examples.",
        ],
        follow_ups=("crystal_faces", "crystal_grow", "symmetry"),
    ),
    _t(
        "crystal_faces",
        [
            "why are crystals so regular",
            "why do crystals have straight edges",
            "why are crystal faces flat",
            "why do crystals have sharp angles",
            "why are crystals shaped so neatly",
            "why do crystals grow with smooth sides",
            "how do crystals get their shape",
        ],
        [
            "Because their atoms sit in a repeating lattice. A crystal grows layer by layer along the planes "
            "of that lattice, so its faces come out flat and meet at fixed angles.",
            "The atoms of a crystal repeat in a regular lattice, and the outside surfaces follow the planes "
            "of that lattice. That is why the faces are flat and the angles are always the same.",
        ],
        follow_up_questions=("why are they so regular", "and why the flat sides"),
    ),
    _t(
        "crystal_grow",
        ["how do crystals grow", "how are crystals formed", "how do you grow a crystal"],
        [
            "Atoms or molecules in a liquid or vapour attach to the surface of a small seed crystal, each "
            "one "
            "settling into the spot that continues the lattice. Slow growth gives large, clear crystals.",
            "Dissolve salt or sugar in hot water and let it cool slowly. As the water can hold less, the "
            "molecules stack onto a seed in the lattice pattern and the crystal grows.",
        ],
        follow_up_questions=("how do they grow", "and how do they form"),
    ),
    _t(
        "snowflake",
        [
            "why do snowflakes have six sides",
            "why are snowflakes six sided",
            "why are snowflakes symmetric",
            "why do snowflakes have six arms",
            "what shape is a snowflake",
            "are all snowflakes different",
            "what symmetry does a snowflake have",
            "how does a snowflake get its shape",
            "is a snowflake symmetric",
        ],
        [
            "Water molecules lock together in a hexagonal ice lattice, so a snowflake grows six arms. All "
            "six arms meet the same temperature and humidity as they fall, so they grow nearly alike.",
            "Ice crystals are hexagonal, so snowflakes have six sides or six arms. Each flake takes its own "
            "path through the cloud, which is why no two look quite the same.",
        ],
        follow_up_questions=("and snowflakes", "what about snowflakes"),
    ),
    _t(
        "symmetry",
        ["what is symmetry", "what does symmetry mean", "explain symmetry", "what is rotational symmetry"],
        [
            "A shape has symmetry when some move, such as a reflection, a rotation or a shift, leaves it "
            "looking exactly the same. A square looks the same after a quarter turn, so it has fourfold "
            "rotational symmetry.",
            "Symmetry means a shape is unchanged by a move. A butterfly has mirror symmetry, and a hexagon "
            "looks the same after every sixth of a turn.",
        ],
        follow_ups=("five_fold", "clock_symmetry"),
        follow_up_questions=("and symmetry", "what is symmetry then"),
    ),
    _t(
        "five_fold",
        [
            "why can't crystals have fivefold symmetry",
            "what are quasicrystals",
            "which rotations can a crystal have",
        ],
        [
            "A repeating lattice can only have rotations of order 1, 2, 3, 4 or 6, because regular pentagons "
            "cannot tile a flat plane without gaps. Quasicrystals are ordered but never exactly repeat, so "
            "they can show fivefold symmetry.",
        ],
    ),
    _t(
        "clock_symmetry",
        ["what symmetry does a clock face have", "is a clock symmetric"],
        [
            "A clock face with 12 marks has twelvefold rotational symmetry: turning it by 30 degrees puts "
            "every mark where another one was.",
        ],
    ),
    _t(
        "diamond",
        ["why is diamond hard", "why is diamond so hard", "how are diamond and graphite different"],
        [
            "In diamond every carbon atom is strongly bonded to four neighbours in a rigid three dimensional "
            "network. Graphite is also pure carbon, but its atoms form flat sheets that slide over each "
            "other, so it is soft.",
        ],
    ),
    _t(
        "salt_cubes",
        ["what shape are salt crystals", "why is salt cubic", "why are salt crystals cubes"],
        [
            "Table salt forms little cubes, because its sodium and chloride ions stack in a cubic lattice.",
        ],
    ),
]

LEARNING = [
    _t(
        "what_is_nn",
        [
            "what is a neural network",
            "what are neural networks",
            "explain neural networks",
            "what is deep learning",
        ],
        [
            "A neural network is a stack of simple layers. Each layer multiplies its input by learned "
            "weights and applies a simple nonlinear function. Training adjusts the weights until the "
            "outputs match the examples.",
            "It is a function built from many layers of weighted sums and simple nonlinear steps. The "
            "weights start random and are tuned by gradient descent to make good predictions.",
        ],
        follow_ups=("how_learn", "backprop"),
    ),
    _t(
        "how_learn",
        [
            "how do neural networks learn",
            "how does a neural network learn",
            "how does training work",
            "how does a model learn",
            "what happens during training",
            "how does machine learning work",
        ],
        [
            "The network makes a prediction, a loss measures how wrong it is, and backpropagation works out "
            "how each weight affected that loss. Gradient descent then nudges every weight a little in the "
            "direction that lowers the loss.",
            "Training repeats one loop: predict, measure the error with a loss, compute the gradient of the "
            "loss for every weight, and step the weights downhill. After many steps the predictions improve.",
        ],
        follow_ups=("gradient_descent", "loss", "learning_rate", "overfitting"),
        follow_up_questions=("and how does it learn", "how does it learn then"),
    ),
    _t(
        "gradient_descent",
        [
            "what is gradient descent",
            "explain gradient descent",
            "how does gradient descent work",
            "what is a gradient",
            "what does descent mean in gradient descent",
            "can you explain gradient descent simply",
            "how does gradient descent train a model",
        ],
        [
            "Gradient descent minimises the loss: compute the slope of the loss with respect to every "
            "weight, then take a small step downhill. Repeating this many times walks the weights towards "
            "a low loss.",
            "Picture the loss as a hilly landscape. The gradient points uphill, so gradient descent moves "
            "the weights a small step the other way, again and again, until the loss stops falling.",
        ],
        follow_up_questions=("and gradient descent", "what is gradient descent then"),
    ),
    _t(
        "loss",
        [
            "what is the loss",
            "what does loss mean",
            "what is a loss function",
            "what is cross entropy",
            "what does the loss curve show",
            "why does the loss go down",
            "what does the loss tell you",
            "what does a lower loss mean",
            "how do i read the loss",
        ],
        [
            "The loss measures how wrong the model's predictions are. For a language model it is the cross "
            "entropy: the average of minus the log probability it gave the correct next token. Lower is "
            "better.",
            "Loss is a single number for how badly the model predicts its training text. As training goes "
            "on it should fall; a lower loss means better predictions.",
        ],
        follow_ups=("validation_loss",),
        follow_up_questions=("and what is the loss", "what is loss then"),
    ),
    _t(
        "validation_loss",
        ["what is validation loss", "what is the validation set for", "why hold out validation text"],
        [
            "Validation loss is the loss on text held back from training. It tells you how well the model "
            "does on text it has not seen, which is what really matters.",
        ],
        follow_up_questions=("and validation loss", "what about the validation loss"),
    ),
    _t(
        "backprop",
        ["what is backpropagation", "how does backpropagation work", "what is backprop"],
        [
            "Backpropagation applies the chain rule backwards through the network to get the gradient of the "
            "loss with respect to every weight, reusing the values saved during the forward pass.",
        ],
        follow_up_questions=("and backpropagation", "how are the gradients found"),
    ),
    _t(
        "learning_rate",
        ["what is the learning rate", "what learning rate should i use", "what does the learning rate do"],
        [
            "The learning rate sets how big a step gradient descent takes. Too large and training jumps "
            "around or blows up; too small and it crawls. Around 0.001 is a good start for a small model.",
        ],
        follow_up_questions=("and the learning rate", "how big should the steps be"),
    ),
    _t(
        "overfitting",
        ["what is overfitting", "why does my validation loss go up", "what does overfitting mean"],
        [
            "Overfitting is when a model memorises its training text instead of learning patterns that "
            "generalise. The training loss keeps falling while the validation loss starts to rise.",
        ],
        follow_up_questions=("and overfitting", "what if it overfits"),
    ),
    _t(
        "tokens",
        ["what is a token", "what are tokens", "what is a tokenizer", "what does a tokenizer do"],
        [
            "A token is the unit of text a language model reads and writes. It can be a single character, a "
            "word or a piece of a word; this app offers character and word tokenizers.",
            "The tokenizer cuts text into tokens and numbers them. The model only ever sees those numbers "
            "and predicts the number of the next token.",
        ],
        follow_up_questions=("and what is a token", "what are tokens then"),
    ),
    _t(
        "attention",
        ["what is attention", "how does attention work", "what is self attention", "what does attention do"],
        [
            "Attention lets each token look back at the earlier tokens and decide which ones matter for "
            "predicting the next one. It compares a query from the current token with keys from the others "
            "and mixes their values by those scores.",
            "In self attention every position asks a question, the query, and every earlier position offers "
            "a key and a value. Positions whose keys match the query well contribute more of their value.",
        ],
        follow_up_questions=("and attention", "how does attention fit in"),
    ),
    _t(
        "temperature",
        [
            "what does temperature do",
            "what does the temperature slider do",
            "what is sampling temperature",
            "should i use a high or low temperature",
            "what are top k and top p",
            "what does the temperature setting do",
            "why would i change the temperature",
            "what happens at a low temperature",
        ],
        [
            "Temperature scales the model's scores before a token is sampled. A low temperature makes it "
            "pick the most likely tokens and play safe; a high temperature makes the choices more random "
            "and creative.",
            "Temperature sets how random the choice of the next token is. Low, like 0.3, keeps to likely "
            "tokens: careful, repetitive text. High, like 1.2, gives surprising but less reliable text.",
            "Temperature, top k and top p shape sampling: temperature sets how random the pick is, top k "
            "keeps only the k likeliest tokens and top p the likeliest ones covering p of the probability.",
        ],
    ),
    _t(
        "what_is_lm",
        [
            "what is a language model",
            "how does a language model work",
            "how do language models work",
            "how do you generate text",
            "how do you write your answers",
            "how does a language model choose words",
            "how does the model decide what to say next",
            "what does a language model predict",
        ],
        [
            "A language model predicts the next token from the tokens before it. It gives a probability to "
            "every token in its vocabulary, one is chosen, and the process repeats to write text.",
            "I read the conversation as tokens and predict which token is most likely to come next, then "
            "the next, one at a time, until I reach the end of my turn.",
        ],
        follow_ups=("tokens", "attention", "temperature"),
    ),
    _t(
        "transformer",
        ["what is a transformer", "what is a transformer model", "what architecture are you"],
        [
            "A transformer is the network design behind most modern language models. Each layer has an "
            "attention step, where tokens exchange information, and a small feed forward network, with "
            "layer normalisation and residual connections around both.",
        ],
    ),
    _t(
        "epoch_batch",
        ["what is an epoch", "what is a batch", "what is batch size", "what are epochs and batches"],
        [
            "An epoch is one full pass through the training text. A batch is the group of examples processed "
            "in one step; their gradients are averaged, which makes each step less noisy.",
        ],
    ),
    _t(
        "how_trained",
        ["how were you trained", "what were you trained on", "who trained you", "how did you learn"],
        [
            "I was trained in this app on its shipped text: short conversations and prose about light, "
            "primes, crystals, neural networks and everyday life. Gradient descent lowered my next token "
            "loss.",
            "Someone pressed start in the training tab. I read the shipped corpus many times and adjusted my "
            "weights by gradient descent to predict each next character better.",
        ],
    ),
    _t(
        "parameters",
        ["how many parameters do you have", "how big are you", "how large is this model"],
        [
            "That depends on the settings I was trained with. The small preset, four layers of width 128, "
            "has a little under a million parameters.",
        ],
    ),
]

EVERYDAY = [
    _t(
        "greeting",
        [
            "hi",
            "hello",
            "hey",
            "hi there",
            "hello there",
            "hey there",
            "good evening",
            "good afternoon",
            "greetings",
            "howdy",
            "hiya",
        ],
        [
            "Hello! What would you like to talk about?",
            "Hi! Ask me about light, primes, crystals or anything else.",
            "Hello there. How can I help?",
            "Hi! Nice to meet you. What is on your mind?",
        ],
        weight=2.0,
    ),
    _t(
        "how_are_you",
        [
            "how are you",
            "how are you doing",
            "how is it going",
            "how do you feel",
            "are you ok",
            "how have you been",
            "what's up",
            "how's your day",
            "are you well",
        ],
        [
            "I am doing well, thank you. How are you?",
            "Very well, thanks for asking! What shall we talk about?",
            "I am fine, thanks. What is on your mind?",
        ],
        weight=1.5,
    ),
    _t(
        "user_fine",
        ["i am fine", "i'm good thanks", "not bad", "doing well", "i am good", "pretty good"],
        ["Glad to hear it. What would you like to talk about?", "Good to hear! Ask me anything."],
    ),
    _t(
        "user_sad",
        ["i am sad", "i feel down", "i had a bad day", "i am tired", "i feel lonely"],
        [
            "I am sorry to hear that. A short walk, some water and a good night's sleep often help. "
            "Do you want to tell me about it?",
            "That sounds hard. Be kind to yourself today, and talk to someone you trust if it helps.",
        ],
    ),
    _t(
        "thanks",
        [
            "thanks",
            "thank you",
            "thank you so much",
            "cheers",
            "thanks a lot",
            "great, thanks",
            "nice, thank you",
        ],
        ["You are welcome!", "Happy to help.", "Any time. Ask me something else whenever you like."],
        weight=1.5,
    ),
    _t(
        "bye",
        ["bye", "goodbye", "see you", "see you later", "good night", "talk to you later"],
        ["Goodbye! Come back any time.", "Bye for now. Take care.", "See you later!"],
    ),
    _t(
        "who_are_you",
        [
            "who are you",
            "what are you",
            "what is your name",
            "are you an ai",
            "introduce yourself",
            "tell me about yourself",
            "what kind of program are you",
            "who is answering me",
            "who am i chatting with",
            "who is this",
            "who am i speaking with",
            "what is replying to me",
        ],
        [
            "I am a small language model trained inside Hyper Prime Spiral.",
            "I am a small language model trained inside Hyper Prime Spiral. I learned from a few minutes of "
            "text about light, primes, crystals and everyday life.",
        ],
        weight=1.5,
    ),
    _t(
        "are_you_human",
        ["are you human", "are you a robot", "are you a person", "are you alive", "are you real"],
        [
            "No, I am not human. I am a small language model trained inside Hyper Prime Spiral.",
            "I am not a person, just a small language model trained inside Hyper Prime Spiral.",
        ],
    ),
    _t(
        "what_can_you_do",
        ["what can you do", "what do you know", "what can i ask you", "help", "what are you good at"],
        [
            "I can chat about light and colour, prime numbers and the prime clock, crystals and symmetry, "
            "how neural networks learn, and everyday things. I am small, so keep questions short.",
            "Ask me why the sky is blue, whether a number is prime, how crystals grow or how I was trained. "
            "I also like small talk.",
        ],
    ),
    _t(
        "weather",
        ["what is the weather like", "how is the weather", "will it rain today", "is it sunny outside"],
        [
            "I cannot see outside, so I do not know today's weather. A weather app or a look out of the "
            "window will tell you.",
        ],
    ),
    _t(
        "rain",
        ["why does it rain", "how does rain form", "where does rain come from"],
        [
            "Warm air carries water vapour upwards. As it cools, the vapour condenses into droplets that "
            "form "
            "clouds, and when the droplets grow heavy enough they fall as rain.",
        ],
    ),
    _t(
        "snow",
        ["why does it snow", "how does snow form", "what is snow made of"],
        [
            "When a cloud is below freezing, water vapour freezes onto tiny particles and grows into ice "
            "crystals. If the air below stays cold, they fall as snow instead of melting into rain.",
        ],
    ),
    _t(
        "thunder",
        ["what causes thunder", "why is there thunder", "what is lightning"],
        [
            "Lightning is a giant spark that heats the air along its path so fast that the air expands with "
            "a "
            "bang. That bang is thunder. You see the flash first because light is faster than sound.",
        ],
    ),
    _t(
        "boil_egg",
        ["how do i boil an egg", "how long should i boil an egg", "how do you make a boiled egg"],
        [
            "Lower the egg into boiling water: about 6 minutes gives a soft yolk and about 10 minutes a hard "
            "one. Cool it in cold water afterwards so it peels easily.",
        ],
    ),
    _t(
        "cook_rice",
        ["how do i cook rice", "how do you make rice", "how much water for rice"],
        [
            "Rinse the rice, then simmer one cup of it in about two cups of water with the lid on for around "
            "15 minutes, until the water is absorbed. Let it rest for 5 minutes before serving.",
        ],
    ),
    _t(
        "dinner",
        [
            "what should i cook tonight",
            "what should i eat for dinner",
            "give me a quick recipe",
            "i am hungry",
        ],
        [
            "How about a simple pasta: cook the pasta, then toss it with olive oil, garlic, tomatoes and a "
            "little cheese. It takes about 15 minutes.",
            "Try an omelette: whisk two eggs with a pinch of salt, pour them into a hot buttered pan, add "
            "cheese or vegetables, and fold it over after a minute or two.",
        ],
    ),
    _t(
        "bread_rise",
        ["why does bread rise", "what does yeast do", "how does bread rise"],
        [
            "Yeast in the dough feeds on sugars and releases carbon dioxide gas. The gluten in the dough "
            "traps "
            "the bubbles, so the bread swells.",
        ],
    ),
    _t(
        "onions",
        ["why do onions make you cry", "why do onions make my eyes water"],
        [
            "Cutting an onion releases a gas that stings your eyes, and they make tears to wash it away. A "
            "sharp knife and a cold onion help.",
        ],
    ),
    _t(
        "sleep_hours",
        ["how much sleep do i need", "how many hours should i sleep", "is eight hours of sleep enough"],
        [
            "Most adults need seven to nine hours of sleep a night. Children and teenagers need more.",
        ],
    ),
    _t(
        "sleep_tips",
        ["i can't sleep", "how can i sleep better", "any tips for sleeping", "how do i fall asleep faster"],
        [
            "Keep a regular bedtime, avoid screens and caffeine in the evening, and keep your room dark, "
            "quiet "
            "and cool.",
            "Try going to bed at the same time each night, put the phone away an hour before, and skip "
            "coffee "
            "after lunch.",
        ],
    ),
    _t(
        "dreams",
        ["why do we dream", "what are dreams", "do you dream"],
        [
            "Nobody knows for sure. Most vivid dreams happen in REM sleep, and one idea is that they help "
            "the "
            "brain sort and store memories.",
        ],
    ),
    _t(
        "moon_light",
        ["why does the moon shine", "does the moon make its own light", "why is the moon bright"],
        ["The moon makes no light of its own. It shines because it reflects sunlight."],
        follow_ups=("moon_phases", "moon_distance"),
    ),
    _t(
        "moon_phases",
        [
            "why does the moon have phases",
            "what are the phases of the moon",
            "what is a full moon",
            "what is a new moon",
            "why is the moon sometimes a crescent",
            "why does the moon look different each night",
            "why does the moon wax and wane",
        ],
        [
            "As the moon orbits the Earth we see different amounts of its sunlit half. That gives the phases "
            "from new moon to full moon and back, about every 29.5 days.",
            "Half of the moon is always lit by the sun. As it goes around the Earth, we see more or less of "
            "that lit half, so it seems to grow from a crescent to full and shrink again.",
        ],
        follow_up_questions=("and its phases", "why does it have phases"),
    ),
    _t(
        "moon_distance",
        ["how far away is the moon", "how far is the moon", "what is the distance to the moon"],
        [
            "About 384,000 kilometres on average. Light covers that distance in a little over one second.",
        ],
        follow_up_questions=("how far away is it", "and how far is it"),
    ),
    _t(
        "moon_same_side",
        ["why do we always see the same side of the moon", "what is on the far side of the moon"],
        [
            "The moon turns once on its axis for every orbit around the Earth, so the same side always faces "
            "us. This is called tidal locking.",
        ],
    ),
    _t(
        "sun",
        ["what is the sun", "how hot is the sun", "why does the sun shine"],
        [
            "The sun is a star, a huge ball of hot gas that makes energy by fusing hydrogen into helium in "
            "its "
            "core. Its surface is about 5,500 degrees Celsius.",
        ],
    ),
    _t(
        "photosynthesis",
        [
            "how do plants make food",
            "what is photosynthesis",
            "how do plants eat",
            "what do plants need",
            "how do plants grow",
            "what does a plant need to live",
        ],
        [
            "Plants use the energy of sunlight to turn carbon dioxide from the air and water from the soil "
            "into sugar, releasing oxygen. This is photosynthesis, and it happens in the green leaves.",
            "A plant needs light, water, air and a few nutrients from the soil. With sunlight it turns water "
            "and carbon dioxide into sugar; that is photosynthesis.",
        ],
        follow_ups=("water_plants", "autumn_leaves"),
    ),
    _t(
        "water_plants",
        ["how often should i water my plants", "how much water do plants need", "why is my plant dying"],
        [
            "Most house plants like water when the top few centimetres of soil feel dry. Too much water is a "
            "more common problem than too little, and most plants also want plenty of light.",
        ],
        follow_up_questions=("and how often should i water them", "how much water do they need"),
    ),
    _t(
        "autumn_leaves",
        [
            "why do leaves change colour in autumn",
            "why do leaves turn red in the fall",
            "why do trees lose leaves",
        ],
        [
            "In autumn trees stop making chlorophyll, so the green fades and the yellow and orange pigments "
            "that were there all along show through. Some trees also make new red pigments.",
        ],
    ),
    _t(
        "music_note",
        ["what is a musical note", "why does music sound good", "what is an octave", "how does music work"],
        [
            "A musical note is a sound that vibrates at a steady frequency. Notes whose frequencies are in "
            "simple ratios, like 2 to 1 for an octave or 3 to 2 for a fifth, sound pleasant together.",
        ],
    ),
    _t(
        "sound",
        ["how does sound travel", "what is sound", "how fast is sound"],
        [
            "Sound is a wave of pressure passing through air, water or solids. In air it travels about 343 "
            "metres per second, nearly a million times slower than light.",
        ],
    ),
    _t(
        "sing",
        ["can you sing", "play me a song", "what music do you like", "do you like music"],
        [
            "I cannot make sounds, but I like the idea of music: a tune repeated and layered in patterns, a "
            "bit like primes on a clock.",
            "I have never heard a note, but I know that going up an octave doubles the frequency. Do you "
            "play "
            "an instrument?",
        ],
    ),
    _t(
        "time",
        ["what time is it", "what day is it", "what is the date today"],
        ["I do not have a clock I can read. Your computer shows the time in the corner of the screen."],
    ),
    _t(
        "joke",
        ["tell me a joke", "say something funny", "make me laugh", "do you know any jokes"],
        [
            "Why was 6 afraid of 7? Because 7 8 9.",
            "Why do prime numbers never share a pizza? They refuse to be divided.",
            "I told a joke about crystals, but it fell flat. Every face of it.",
        ],
    ),
    _t(
        "favourite_number",
        ["what is your favourite number", "what is your favorite number", "do you have a favourite number"],
        ["7. It is prime, and people usually count seven colours in a rainbow."],
    ),
    _t(
        "fact",
        ["tell me something interesting", "tell me a fact", "teach me something", "tell me a fun fact"],
        [
            "A rainbow is really a full circle; the ground usually hides the lower half.",
            "2 is the only even prime number.",
            "Every snowflake has six arms because ice crystals are hexagonal.",
            "Sunlight takes about eight minutes to reach the Earth.",
        ],
    ),
    _t(
        "compliment",
        ["you are smart", "good answer", "well done", "you are great", "that was helpful", "i like you"],
        ["Thank you, that is kind. I am only a small model, but I try my best.", "Thanks! Glad it helped."],
    ),
    _t(
        "wrong",
        ["you are wrong", "that is wrong", "that makes no sense", "that is not right"],
        [
            "I may well be. I am a small model trained for a few minutes, so please check important facts "
            "elsewhere.",
        ],
    ),
    _t(
        "drink_water",
        ["why do we need water", "how much water should i drink", "why is water important"],
        [
            "Your body is mostly water. It carries nutrients, keeps your temperature steady and removes "
            "waste, so you need to drink every day; most adults need around two litres.",
        ],
    ),
    _t(
        "exercise",
        ["is exercise good for you", "why should i exercise", "how can i stay healthy"],
        [
            "Yes. Regular movement strengthens the heart, muscles and bones and improves sleep and mood. "
            "Even "
            "a brisk half hour walk most days helps.",
        ],
    ),
    _t(
        "bored",
        ["i am bored", "what should i do", "give me something to do"],
        [
            "Try the prime clock: type a number and see where it lands. Or train me for a few minutes and "
            "see "
            "how my answers change.",
        ],
    ),
]

ALL_TOPICS: list[Topic] = LIGHT + PRIMES + CRYSTALS + LEARNING + EVERYDAY

#: Short names of what a topic is about. The generator also asks about a topic through frames
#: shared by every topic ("tell me about {subject}"), so the subject words, not the frame, are
#: what tell the topics apart: that is what lets a small model answer a phrasing it never saw.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "sky_blue": ("the blue sky", "the colour of the sky", "why the sky is blue", "the sky being blue"),
    "sunset": ("sunsets", "red sunsets", "the colours of a sunset", "why sunsets are red"),
    "rainbow": ("rainbows", "how a rainbow forms", "the rainbow after rain", "rainbows and raindrops"),
    "clouds_white": ("white clouds", "the colour of clouds"),
    "what_is_light": ("light", "photons"),
    "light_speed": ("the speed of light",),
    "prism": ("prisms", "a glass prism"),
    "see_colour": ("colour vision", "how eyes see colour"),
    "grass_green": ("green leaves", "why grass is green"),
    "stars_twinkle": ("twinkling stars",),
    "what_is_prime": ("prime numbers", "primes", "what a prime number is", "the meaning of prime"),
    "infinite_primes": ("how many primes exist", "whether primes run out"),
    "composite": ("composite numbers",),
    "factorisation": ("prime factorisation", "factorising numbers", "prime factors"),
    "how_check_prime": ("testing if a number is prime", "checking primes"),
    "twin_primes": ("twin primes", "pairs of primes two apart", "twin prime pairs"),
    "sieve": ("the sieve of eratosthenes", "the prime sieve", "eratosthenes and his sieve"),
    "ulam_spiral": ("the ulam spiral", "ulam's spiral", "the square prime spiral"),
    "sacks_spiral": ("the sacks spiral",),
    "app_clock": ("the prime clock", "the clock view", "the rings of the clock", "this app's prime clock"),
    "goldbach": ("goldbach's conjecture",),
    "what_is_crystal": ("crystals", "what a crystal is"),
    "crystal_faces": ("the flat faces of crystals", "crystal faces", "the shape of crystals"),
    "crystal_grow": ("crystal growth", "growing crystals"),
    "snowflake": ("snowflakes", "the six arms of a snowflake", "snowflake symmetry"),
    "symmetry": ("symmetry", "rotational symmetry", "mirror symmetry"),
    "diamond": ("diamond", "diamond and graphite"),
    "what_is_nn": ("neural networks", "deep learning"),
    "how_learn": ("how networks learn", "training a model", "machine learning"),
    "gradient_descent": ("gradient descent", "the gradient", "descending the loss"),
    "loss": ("the loss", "the loss function", "the training loss", "cross entropy"),
    "validation_loss": ("the validation loss", "validation"),
    "backprop": ("backpropagation",),
    "learning_rate": ("the learning rate",),
    "overfitting": ("overfitting",),
    "tokens": ("tokens", "tokenizers"),
    "attention": ("attention", "self attention"),
    "temperature": ("temperature", "the temperature slider", "sampling temperature"),
    "what_is_lm": ("language models", "how a language model writes", "next token prediction"),
    "transformer": ("transformers",),
    "who_are_you": ("yourself", "you", "who you are"),
    "what_can_you_do": ("what you can do", "your skills"),
    "rain": ("rain",),
    "snow": ("snow",),
    "thunder": ("thunder", "lightning"),
    "sleep_hours": ("sleep", "how much to sleep"),
    "dreams": ("dreams",),
    "moon_light": ("moonlight", "the light of the moon"),
    "moon_phases": ("the phases of the moon", "moon phases", "the moon's phases", "the crescent moon"),
    "moon_distance": ("the distance to the moon",),
    "sun": ("the sun",),
    "photosynthesis": ("photosynthesis", "plants", "what plants need", "how plants grow"),
    "water_plants": ("watering plants", "house plants"),
    "autumn_leaves": ("autumn leaves",),
    "music_note": ("musical notes", "music", "octaves"),
    "sound": ("sound",),
    "bread_rise": ("bread", "yeast"),
    "boil_egg": ("boiled eggs",),
    "cook_rice": ("cooking rice",),
}

#: Frames shared by every topic; {s} is a subject above.
SUBJECT_FRAMES = (
    "tell me about {s}",
    "explain {s}",
    "what do you know about {s}",
    "i want to learn about {s}",
    "can you explain {s}",
    "{s}",
    "talk to me about {s}",
    "say something about {s}",
    "help me understand {s}",
    "i have a question about {s}",
    "teach me about {s}",
    "what can you tell me about {s}",
)
