"""Write data/training/chat_corpus.txt: short conversations in the app's one chat turn format.

The hand-written topics live in chat_topics.py; number questions ("is 91 prime?") are computed
with make_number_facts.py, so every arithmetic answer is correct. The output is deterministic
for a seed (a test regenerates it and compares byte for byte), is written with
`chat_format.format_conversation`, re-parsed with `parse_chat_corpus`, and must not contain any
held-out benchmark question (bench/heldout_questions.json) verbatim.

    python tools/make_chat_corpus.py [--out PATH] [--seed N] [--count N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
if str(TOOLS_DIR) not in sys.path:
    sys.path.insert(0, str(TOOLS_DIR))

from chat_topics import ALL_TOPICS, SUBJECT_FRAMES, SUBJECTS, Topic  # noqa: E402
from make_number_facts import (  # noqa: E402
    CLOCK_PRIMES,
    CLOCK_RINGS,
    clock_place,
    factorise,
    is_prime,
    ordinal,
    primes_up_to,
    product_text,
)

from hyper_prime_spiral.model.chat_format import (  # noqa: E402
    AI_ROLE,
    USER_ROLE,
    Turn,
    format_conversation,
    parse_chat_corpus,
)

REPO_ROOT = TOOLS_DIR.parent
DEFAULT_OUT = REPO_ROOT / "data" / "training" / "chat_corpus.txt"
HELDOUT_PATH = REPO_ROOT / "bench" / "heldout_questions.json"
DEFAULT_SEED = 9
DEFAULT_COUNT = 3000

#: Share of exchanges that are computed number questions rather than hand-written topics.
NUMBER_SHARE = 0.3
#: Share of topic questions asked through a frame shared by all topics ("tell me about {subject}").
SUBJECT_SHARE = 0.3
PRIMES = primes_up_to(20000)
PRIME_INDEX = {p: i for i, p in enumerate(PRIMES, start=1)}

QUESTION_WORDS = {
    "what", "why", "how", "is", "are", "can", "do", "does", "where", "which", "who", "will",
    "should", "when", "any", "could", "would", "and", "but", "then",
}  # fmt: skip
PREFIXES = ("hi, ", "hey, ", "hello, ", "ok, ", "so ", "quick question: ", "um, ", "hi! ", "excuse me, ")

Exchange = tuple[str, str]  # (question without variation, answer)


# ---------------------------------------------------------------- surface variation of questions
def vary(question: str, rng: random.Random, *, allow_prefix: bool = True) -> str:
    """The same question as different people type it: case, punctuation, a greeting in front."""
    text = question
    if allow_prefix and rng.random() < 0.12:
        text = rng.choice(PREFIXES) + text
    style = rng.random()
    if style < 0.45:
        pass
    elif style < 0.93:
        text = text[0].upper() + text[1:]
        text = re.sub(r"\bi\b", "I", text)
        text = re.sub(r"\bi'm\b", "I'm", text)
    else:
        text = text.upper()
    is_question = question.split()[0].lower() in QUESTION_WORDS
    mark = rng.random()
    if is_question:
        text += "?" if mark < 0.65 else "??" if mark < 0.7 else "" if mark < 0.95 else "."
    else:
        text += "" if mark < 0.6 else "!" if mark < 0.8 else "."
    return text


# ---------------------------------------------------------------- computed number questions
def _pick_number(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return rng.randint(2, 120)
    if r < 0.85:
        return rng.randint(121, 1000)
    return rng.randint(1001, 10000)


def _and_list(items: list[int]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _split_text(n: int) -> str:
    a = factorise(n)[0]
    return f"{n} = {a} x {n // a}"


IS_PRIME_Q = (
    "is {n} prime",
    "is {n} a prime number",
    "is {n} a prime",
    "{n} prime",
    "is the number {n} prime",
    "check if {n} is prime",
    "is {n} prime or composite",
    "tell me if {n} is prime",
    "prime or not: {n}",
    "is {n} a prime or not",
    "can {n} be divided by anything",
    "does {n} have any factors",
    "is {n} a composite number",
    "do you think {n} is prime",
    "tell me whether {n} is a prime",
    "{n}: prime or not",
    "i wonder if {n} is prime",
    "is {n} one of the primes",
)
IS_PRIME_FOLLOW = ("and {n}", "what about {n}", "and is {n} prime", "how about {n}", "and {n}, is that prime")


def is_prime_answer(n: int, rng: random.Random) -> str:
    if is_prime(n):
        return rng.choice(
            (
                f"Yes, {n} is prime. Only 1 and {n} divide it.",
                f"Yes. {n} is a prime number: nothing except 1 and {n} divides it evenly.",
                f"{n} is prime. No number from 2 up to its square root divides it.",
            )
        )
    return rng.choice(
        (
            f"No, {n} is not prime: {_split_text(n)}.",
            f"No. {_split_text(n)}, so {n} is not prime.",
            f"{n} is not prime, because {_split_text(n)}.",
        )
    )


FACTOR_Q = (
    "what are the prime factors of {n}",
    "factor {n}",
    "factorise {n}",
    "factorize {n}",
    "prime factorisation of {n}",
    "prime factorization of {n}",
    "break {n} into primes",
    "what primes multiply to {n}",
    "what is {n} made of",
    "factors of {n}",
    "list the prime factors of {n}",
    "decompose {n} into primes",
    "what is the factorisation of {n}",
)


def factor_answer(n: int, rng: random.Random) -> str:
    factors = factorise(n)
    if len(factors) == 1:
        return rng.choice(
            (
                f"{n} is prime, so its only prime factor is {n} itself.",
                f"{n} cannot be split: it is prime.",
            )
        )
    prod = product_text(factors)
    distinct = sorted(set(factors))
    return rng.choice(
        (
            f"{n} = {prod}.",
            f"The prime factors of {n} are {_and_list(factors)}: {n} = {prod}.",
            f"{n} = {prod}, so its distinct prime factors are {_and_list(distinct)}.",
        )
    )


NEXT_PRIME_Q = (
    "what is the next prime after {n}",
    "which prime comes after {n}",
    "next prime after {n}",
    "what is the first prime bigger than {n}",
    "what prime follows {n}",
)


def next_prime_answer(n: int, rng: random.Random) -> str:
    p = next(q for q in PRIMES if q > n)
    return rng.choice((f"The next prime after {n} is {p}.", f"{p} is the first prime after {n}."))


NTH_PRIME_Q = ("what is the {k} prime", "which number is the {k} prime", "tell me the {k} prime number")


def nth_prime_answer(k: int, rng: random.Random) -> str:
    p = PRIMES[k - 1]
    return rng.choice((f"The {ordinal(k)} prime is {p}.", f"{p} is the {ordinal(k)} prime."))


TWIN_Q = ("are {a} and {b} twin primes", "is {a}, {b} a twin prime pair", "are {a} and {b} twins")


def twin_answer(a: int, rng: random.Random) -> str:
    b = a + 2
    if is_prime(a) and is_prime(b):
        return rng.choice(
            (
                f"Yes. {a} and {b} are both prime and differ by 2, so they are twin primes.",
                f"Yes, {a} and {b} are twin primes: two primes just 2 apart.",
            )
        )
    bad = a if not is_prime(a) else b
    return f"No. {bad} is not prime ({_split_text(bad)}), so {a} and {b} are not twin primes."


CLOCK_Q = (
    "where is {n} on the clock",
    "where does {n} sit on the clock",
    "which ring is {n} on",
    "where is {n} in the clock view",
    "show me {n} on the clock",
    "where would {n} appear on the prime clock",
)


def clock_answer(n: int, rng: random.Random) -> str:
    if not is_prime(n):
        return f"{n} is not prime ({_split_text(n)}), so it has no place among the primes on the clock."
    k = PRIME_INDEX[n]
    place = clock_place(k)
    if place is None:
        return (
            f"{n} is the {ordinal(k)} prime. The four classic rings hold the first {CLOCK_PRIMES} primes, "
            f"so {n} lies on an outer ring beyond them."
        )
    ring, pos = place
    where = f"at {pos} o'clock" if ring == "hour" else f"at position {pos} of {dict(CLOCK_RINGS)[ring]}"
    return rng.choice(
        (
            f"{n} is the {ordinal(k)} prime, so it sits on the {ring} ring {where}.",
            f"As the {ordinal(k)} prime, {n} is on the {ring} ring {where}.",
        )
    )


DIVISIBLE_Q = (
    "is {n} divisible by {d}",
    "does {d} divide {n}",
    "can {n} be divided by {d}",
    "does {d} go into {n}",
)


def divisible_answer(n: int, d: int, rng: random.Random) -> str:
    q, r = divmod(n, d)
    if r == 0:
        return rng.choice((f"Yes, {n} = {d} x {q}.", f"Yes. {n} divided by {d} is exactly {q}."))
    return f"No. {n} divided by {d} is {q} with remainder {r}."


COUNT_Q = (
    "how many primes are there below {b}",
    "how many primes are less than {b}",
    "count the primes under {b}",
    "how many prime numbers are below {b}",
)
LIST_Q = ("list the primes below {b}", "what are the primes less than {b}", "which primes are under {b}")

ARITH_Q = {
    "+": ("what is {a} plus {b}", "{a} + {b}", "what is {a} + {b}", "add {a} and {b}"),
    "x": ("what is {a} times {b}", "{a} x {b}", "what is {a} x {b}", "multiply {a} by {b}"),
}


def number_exchange(rng: random.Random) -> tuple[list[Exchange], Callable[[], Exchange] | None]:
    """One computed exchange, plus (sometimes) a maker of a natural follow-up exchange."""
    kind = rng.choices(
        ("is_prime", "factor", "next", "nth", "twin", "clock", "divisible", "count", "list", "arith"),
        weights=(30, 18, 7, 6, 5, 9, 8, 4, 4, 9),
    )[0]
    if kind == "is_prime":
        n = _pick_number(rng)
        q = rng.choice(IS_PRIME_Q).format(n=n)

        def follow() -> Exchange:
            m = _pick_number(rng)
            return rng.choice(IS_PRIME_FOLLOW).format(n=m), is_prime_answer(m, rng)

        return [(q, is_prime_answer(n, rng))], follow
    if kind == "factor":
        n = rng.randint(4, 600) if rng.random() < 0.85 else rng.randint(601, 5000)
        q = rng.choice(FACTOR_Q).format(n=n)

        def follow() -> Exchange:
            m = rng.randint(4, 600)
            return rng.choice(("and {n}", "what about {n}", "now factor {n}")).format(n=m), factor_answer(
                m, rng
            )

        return [(q, factor_answer(n, rng))], follow
    if kind == "next":
        n = _pick_number(rng)
        return [(rng.choice(NEXT_PRIME_Q).format(n=n), next_prime_answer(n, rng))], None
    if kind == "nth":
        k = rng.randint(1, 250)
        return [(rng.choice(NTH_PRIME_Q).format(k=ordinal(k)), nth_prime_answer(k, rng))], None
    if kind == "twin":
        a = rng.choice(PRIMES[1:200]) if rng.random() < 0.6 else rng.randint(3, 600) | 1
        return [(rng.choice(TWIN_Q).format(a=a, b=a + 2), twin_answer(a, rng))], None
    if kind == "clock":
        n = rng.choice(PRIMES[:CLOCK_PRIMES]) if rng.random() < 0.8 else _pick_number(rng)
        return [(rng.choice(CLOCK_Q).format(n=n), clock_answer(n, rng))], None
    if kind == "divisible":
        d = rng.choice((2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13))
        n = d * rng.randint(2, 80) if rng.random() < 0.5 else rng.randint(10, 999)
        return [(rng.choice(DIVISIBLE_Q).format(n=n, d=d), divisible_answer(n, d, rng))], None
    if kind == "count":
        b = rng.choice((10, 20, 30, 50, 100, 200, 500, 1000, 10000))
        c = sum(1 for p in PRIMES if p < b)
        return [(rng.choice(COUNT_Q).format(b=b), f"There are {c} primes below {b}.")], None
    if kind == "list":
        b = rng.randint(6, 60)
        listed = [p for p in PRIMES if p < b]
        answer = f"The primes below {b} are {_and_list(listed)}."
        return [(rng.choice(LIST_Q).format(b=b), answer)], None
    op = rng.choice(("+", "x"))
    a, b = rng.randint(1, 20), rng.randint(1, 20)
    result = a + b if op == "+" else a * b
    return [(rng.choice(ARITH_Q[op]).format(a=a, b=b), f"{a} {op} {b} = {result}.")], None


# ---------------------------------------------------------------- conversations
class ConversationMaker:
    def __init__(self, topics: list[Topic], rng: random.Random) -> None:
        self.rng = rng
        self.topics = topics
        self.by_name = {t.name: t for t in topics}
        self.main_topics = [t for t in topics if t.name not in ("greeting", "thanks", "bye")]
        self.weights = [t.weight for t in self.main_topics]

    def topic_exchange(self, topic: Topic, *, follow_up: bool = False) -> tuple[str, str]:
        rng = self.rng
        if follow_up and topic.follow_up_questions and rng.random() < 0.6:
            question = vary(rng.choice(topic.follow_up_questions), rng, allow_prefix=False)
        elif topic.name in SUBJECTS and rng.random() < SUBJECT_SHARE:
            framed = rng.choice(SUBJECT_FRAMES).format(s=rng.choice(SUBJECTS[topic.name]))
            question = vary(framed, rng, allow_prefix=not follow_up)
        else:
            question = vary(rng.choice(topic.questions), rng, allow_prefix=not follow_up)
        return question, rng.choice(topic.answers)

    def conversation(self) -> list[Turn]:
        rng = self.rng
        size = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
        exchanges: list[tuple[str, str]] = []
        if size >= 2 and rng.random() < 0.2:
            exchanges.append(self.topic_exchange(self.by_name["greeting"]))
        follow: Callable[[], Exchange] | None = None
        last: Topic | None = None
        while len(exchanges) < size:
            if len(exchanges) == size - 1 and len(exchanges) >= 1 and rng.random() < 0.25:
                closing = self.by_name[rng.choice(("thanks", "thanks", "bye"))]
                exchanges.append(self.topic_exchange(closing))
                break
            if follow is not None and rng.random() < 0.6:
                q, a = follow()
                exchanges.append((vary(q, rng, allow_prefix=False), a))
                follow, last = None, None
                continue
            if last is not None and last.follow_ups and rng.random() < 0.5:
                nxt = self.by_name[rng.choice(last.follow_ups)]
                exchanges.append(self.topic_exchange(nxt, follow_up=True))
                last, follow = nxt, None
                continue
            if rng.random() < NUMBER_SHARE:
                made, follow = number_exchange(rng)
                exchanges.extend((vary(q, rng), a) for q, a in made)
                last = None
            else:
                last = rng.choices(self.main_topics, weights=self.weights)[0]
                exchanges.append(self.topic_exchange(last))
                follow = None
        turns: list[Turn] = []
        for question, answer in exchanges:
            turns += [Turn(USER_ROLE, question), Turn(AI_ROLE, answer)]
        return turns


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: how held-out questions are compared."""
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "


def load_heldout(path: Path = HELDOUT_PATH) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def leaked_heldout(corpus: str, heldout: list[dict]) -> list[str]:
    """Held-out questions that occur verbatim (after normalising) anywhere in the corpus."""
    flat = normalise(corpus)
    return [h["question"] for h in heldout if normalise(h["question"]) in flat]


def make_corpus(seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT) -> str:
    rng = random.Random(seed)
    maker = ConversationMaker(ALL_TOPICS, rng)
    text = "\n".join(format_conversation(maker.conversation()) for _ in range(count))
    parsed = parse_chat_corpus(text)
    if len(parsed) != count:
        raise AssertionError(f"wrote {count} conversations but parsed {len(parsed)}")
    leaked = leaked_heldout(text, load_heldout())
    if leaked:
        raise AssertionError(f"held-out benchmark questions leaked into the corpus: {leaked}")
    if not text.isascii():
        raise AssertionError("the chat corpus must be plain ASCII")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of conversations")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error(f"--count must be at least 1, got {args.count}")
    text = make_corpus(args.seed, args.count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.count} conversations ({len(text)} characters) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
