"""Write data/training/chat_corpus.txt: short conversations in the app's one chat turn format.

The hand-written topics live in chat_topics.py. Number questions ("is 91 prime?", over numbers
from 2 to 10^15) are answered the way the app answers them: the AI turn calls the prime engine
(`<calc>isprime 91</calc>`), the engine's real result follows (`<result>...</result>`, computed
by model.prime_tools while writing), and the answer copies it, so every number in it is exact.
The output is deterministic for a seed (a test regenerates it and compares byte for byte), is written with
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
from make_number_facts import CLOCK_PRIMES, ordinal, primes_up_to  # noqa: E402

from hyper_prime_spiral.model.chat_format import (  # noqa: E402
    AI_ROLE,
    USER_ROLE,
    Turn,
    format_call,
    format_conversation,
    format_result,
    parse_chat_corpus,
)
from hyper_prime_spiral.model.prime_tools import run_call  # noqa: E402
from hyper_prime_spiral.primes.factorize import format_factors  # noqa: E402
from hyper_prime_spiral.primes.large import factor, is_prime, next_prime, previous_prime  # noqa: E402
from hyper_prime_spiral.primes.sieve import nth_prime, prime_count  # noqa: E402

REPO_ROOT = TOOLS_DIR.parent
DEFAULT_OUT = REPO_ROOT / "data" / "training" / "chat_corpus.txt"
HELDOUT_PATH = REPO_ROOT / "bench" / "heldout_questions.json"
DEFAULT_SEED = 9
DEFAULT_COUNT = 12000  # 3,000 overfitted in 10 minutes (22 epochs) and copied numbers badly: see README

#: Share of exchanges that are computed number questions rather than hand-written topics.
NUMBER_SHARE = 0.5
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


# ---------------------------------------------------------------- number questions: tool calls
# Every number question is answered through the prime engine, as the app's generation loop runs
# it: the AI turn starts with a call, the engine's own result follows, and the answer copies the
# result's numbers, in the result's order (the k-th number of an answer is the k-th of its
# result, which the model's number-order embedding makes easy to copy). The numbers are drawn
# over all magnitudes from 2 to 10^15, so a model learns to copy digits of any length rather than
# to remember facts about small numbers.
MAX_N = 10**15


def _pick_number(rng: random.Random, top: int = MAX_N) -> int:
    """A number from 2 to `top`: a quarter small ones (2..1000), a fifth round or patterned ones
    (people ask about a million, 10^9 + 7, 999...9), the rest log-uniform in digits."""
    draw = rng.random()
    if draw < 0.25:
        return rng.randint(2, min(1000, top))
    if draw < 0.45:
        return min(top, max(2, _round_number(rng, len(str(top)) - 1)))
    digits = rng.randint(1, len(str(top)) - 1)
    return rng.randint(max(2, 10 ** (digits - 1)), min(top, 10**digits - 1))


def _round_number(rng: random.Random, max_digits: int) -> int:
    """A power of ten, a multiple of one, one a little above or below it, or repeated digits:
    long runs of one digit are the hardest numbers to copy exactly."""
    k = rng.randint(1, max_digits - 1)
    shape = rng.randrange(5)
    if shape == 0:
        return 10**k
    if shape == 1:
        return rng.randint(1, 99) * 10**k
    if shape == 2:
        return 10**k + rng.randint(1, 99)
    if shape == 3:
        return 10**k - rng.randint(1, 99)
    return int(str(rng.randint(1, 9)) * (k + 1))


def pick_prime_or_not(rng: random.Random, top: int = MAX_N) -> int:
    """Primes are rare among large numbers: take the next prime 40% of the time."""
    n = _pick_number(rng, top)
    return next_prime(n) if rng.random() < 0.4 else n


def _too_large(rng: random.Random) -> int:
    """A number above every limit (19 to 30 digits): the engine refuses, the answer says so."""
    digits = rng.randint(20, 30)
    return rng.randint(10 ** (digits - 1), 10**digits - 1)


def tool_turn(calls: list[str], answer: str) -> str:
    """An AI turn that consults the engine: each call with the engine's real result, then the answer."""
    used = "".join(format_call(c) + format_result(run_call(c)) for c in calls)
    return f"{used} {answer}"


def _refusal(call: str, rng: random.Random) -> str | None:
    """The answer when the engine refuses `call` (out of range), else None."""
    result = run_call(call)
    if not result.startswith("cannot "):
        return None
    reason = result.split(": ", 1)[1]
    return rng.choice(
        (
            f"Sorry, I cannot answer that exactly: {reason}.",
            f"That is beyond my prime engine: {reason}.",
            f"I cannot work that out: {reason}.",
        )
    )


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
    "is {n} a prime or a composite number",
    "is {n} prime or not",
    "would {n} be prime",
    "is {n} really prime",
    "{n}: is it prime",
    "say, is {n} prime",
)
# Question wordings are also built from parts (lead-in x clause), so the model meets many
# phrasings of each question rather than a few fixed sentences.
ASK_LEADS = (
    "tell me", "can you tell me", "could you check", "i want to know", "do you know",
    "please check", "let me know", "find out", "i wonder", "check for me",
)  # fmt: skip
COURTESY = ("{q} please", "please, {q}", "{q}, thanks", "honestly, {q}", "one more: {q}", "quick one: {q}")


def asked(rng: random.Random, direct: tuple[str, ...], clauses: tuple[str, ...] = ()) -> str:
    """A question template: a direct one, or a lead-in with a clause; sometimes with a courtesy."""
    if clauses and rng.random() < 0.35:
        template = f"{rng.choice(ASK_LEADS)} {rng.choice(clauses)}"
    else:
        template = rng.choice(direct)
    if rng.random() < 0.15:
        template = rng.choice(COURTESY).format(q=template)
    return template


IS_PRIME_CLAUSES = (
    "whether {n} is prime", "if {n} is prime", "if {n} is a prime number", "whether {n} is a prime",
    "whether {n} is prime or composite", "if {n} is composite",
)  # fmt: skip
IS_PRIME_FOLLOW = ("and {n}", "what about {n}", "and is {n} prime", "how about {n}", "and {n}, is that prime")


def is_prime_answer(n: int, rng: random.Random) -> str:
    call = f"isprime {n}"
    refused = _refusal(call, rng)
    if refused is not None:
        return tool_turn([call], refused)
    if is_prime(n):
        answer = rng.choice(
            (
                f"Yes, {n} is prime.",
                f"Yes. {n} is a prime number: only 1 and itself divide it.",
                f"{n} is prime.",
            )
        )
    else:
        factors = format_factors(factor(n)) if n > 1 else ""
        answer = rng.choice(
            (
                f"No, {n} is not prime: {n} = {factors}.",
                f"No. {n} is not a prime: {n} = {factors}.",
                f"{n} is not prime, because {n} = {factors}.",
            )
        )
    return tool_turn([call], answer)


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
    "break {n} into prime factors",
    "split {n} into primes",
    "break down {n}",
    "factor {n} into primes",
    "what are the factors of {n}",
    "what does {n} factor into",
    "find the prime factors of {n}",
    "what is {n} as a product of primes",
    "write {n} as a product of primes",
    "which primes divide {n}",
)
FACTOR_CLAUSES = (
    "the prime factors of {n}",
    "how {n} factors",
    "what {n} is made of",
    "the factorisation of {n}",
)


def factor_answer(n: int, rng: random.Random) -> str:
    call = f"factor {n}"
    refused = _refusal(call, rng)
    if refused is not None:
        return tool_turn([call], refused)
    factors = factor(n)
    if factors == [(n, 1)]:
        answer = rng.choice(
            (
                f"{n} is prime, so its only prime factor is itself.",
                f"{n} is prime, so it cannot be split into smaller factors.",
            )
        )
    else:
        text = format_factors(factors)
        answer = rng.choice(
            (
                f"{n} = {text}.",
                f"The prime factorisation of {n} is {text}.",
                f"{n} = {text}, a product of primes.",
            )
        )
    return tool_turn([call], answer)


NEXT_PRIME_Q = (
    "what is the next prime after {n}",
    "which prime comes after {n}",
    "next prime after {n}",
    "what is the first prime bigger than {n}",
    "what prime follows {n}",
    "which prime comes right after {n}",
    "what is the smallest prime above {n}",
    "the next prime after {n}",
    "which is the first prime larger than {n}",
    "what is the first prime past {n}",
    "find the next prime after {n}",
    "which prime follows {n}",
    "what is the nearest prime above {n}",
    "what is the prime right after {n}",
    "which is the prime immediately above {n}",
    "the prime directly after {n}",
)
NEXT_PRIME_CLAUSES = ("the next prime after {n}", "which prime comes after {n}", "the first prime above {n}")
PREVIOUS_PRIME_Q = (
    "what is the largest prime below {n}",
    "which prime comes before {n}",
    "previous prime before {n}",
    "what is the last prime smaller than {n}",
    "which prime comes right before {n}",
    "what is the biggest prime under {n}",
    "the largest prime less than {n}",
    "what is the nearest prime below {n}",
    "which is the last prime before {n}",
    "find the largest prime under {n}",
    "what is the highest prime smaller than {n}",
    "the prime before {n}",
    "what is the prime right before {n}",
    "which is the prime immediately under {n}",
    "the prime directly below {n}",
)
PREVIOUS_PRIME_CLAUSES = (
    "the largest prime below {n}",
    "which prime comes before {n}",
    "the last prime under {n}",
)


def next_prime_answer(n: int, rng: random.Random) -> str:
    p = next_prime(n)
    answer = rng.choice((f"The next prime after {n} is {p}.", f"After {n}, the next prime is {p}."))
    return tool_turn([f"next {n}"], answer)


def previous_prime_answer(n: int, rng: random.Random) -> str:
    p = previous_prime(n)
    answer = rng.choice((f"The largest prime below {n} is {p}.", f"Below {n}, the largest prime is {p}."))
    return tool_turn([f"prev {n}"], answer)


NTH_PRIME_Q = (
    "what is the {k} prime",
    "which number is the {k} prime",
    "tell me the {k} prime number",
    "which prime is the {k} one",
    "what is prime number {n}",
    "the {k} prime",
    "find the {k} prime",
    "give me the {k} prime",
)


def nth_prime_answer(k: int, rng: random.Random) -> str:
    p = nth_prime(k)
    answer = rng.choice((f"The {ordinal(k)} prime is {p}.", f"The {ordinal(k)} prime number is {p}."))
    return tool_turn([f"nth {k}"], answer)


TWIN_Q = ("are {a} and {b} twin primes", "is {a}, {b} a twin prime pair", "are {a} and {b} twins")


def twin_answer(a: int, rng: random.Random) -> str:
    b = a + 2
    calls = [f"isprime {a}", f"isprime {b}"]
    if is_prime(a) and is_prime(b):
        answer = rng.choice(
            (
                f"Yes. {a} and {b} are both prime and differ by 2, so they are twin primes.",
                f"Yes, {a} and {b} are twin primes: two primes just 2 apart.",
            )
        )
    else:
        bad = a if not is_prime(a) else b
        answer = f"No. {bad} is not prime, so {a} and {b} are not twin primes."
    return tool_turn(calls, answer)


CLOCK_Q = (
    "where is {n} on the clock",
    "where does {n} sit on the clock",
    "which ring is {n} on",
    "where is {n} in the clock view",
    "show me {n} on the clock",
    "where would {n} appear on the prime clock",
    "which ring of the clock holds {n}",
    "on what ring is {n}",
    "where on the clock is {n}",
    "what ring and hour is {n} at",
    "find {n} on the clock",
)


def clock_answer(n: int, rng: random.Random) -> str:
    call = f"ring {n}"
    result = run_call(call)
    ring = re.search(r"ring (\d+)", result)
    hour = re.search(r"(\d+) o'clock", result)
    assert ring is not None and hour is not None, result
    if is_prime(n):
        k = prime_count(n)
        position = re.search(r"position (\d+)", result)
        assert position is not None, result
        answer = rng.choice(
            (
                f"{n} is the {ordinal(k)} prime, so it sits on ring {ring[1]} at position {position[1]}, "
                f"near {hour[1]} o'clock.",
                f"{n} is the {ordinal(k)} prime: ring {ring[1]}, position {position[1]}.",
            )
        )
    else:
        k = prime_count(n)
        answer = (
            f"{n} is not prime: on the clock it lies between the {ordinal(k)} and the "
            f"{ordinal(k + 1)} prime, on ring {ring[1]} near {hour[1]} o'clock."
        )
    return tool_turn([call], answer)


COUNT_Q = (
    "how many primes are there below {b}",
    "how many primes are less than {b}",
    "count the primes under {b}",
    "how many prime numbers are below {b}",
    "how many primes are under {b}",
    "how many primes are smaller than {b}",
    "how many primes come before {b}",
    "what is the number of primes below {b}",
    "count the primes less than {b}",
    "how many primes exist below {b}",
    "how many primes are there under {b}",
)
COUNT_CLAUSES = (
    "how many primes are below {b}",
    "the number of primes under {b}",
    "how many primes are less than {b}",
)
LIST_Q = ("list the primes below {b}", "what are the primes less than {b}", "which primes are under {b}")


def count_answer(b: int, rng: random.Random) -> str:
    c = prime_count(b - 1)
    answer = rng.choice((f"There are {c} primes below {b}.", f"{c} primes are smaller than {b}."))
    return tool_turn([f"count {b}"], answer)


ARITH_Q = {
    "+": ("what is {a} plus {b}", "{a} + {b}", "what is {a} + {b}", "add {a} and {b}"),
    "x": ("what is {a} times {b}", "{a} x {b}", "what is {a} x {b}", "multiply {a} by {b}"),
}


def number_exchange(rng: random.Random) -> tuple[list[Exchange], Callable[[], Exchange] | None]:
    """One number exchange (answered through the engine), plus (sometimes) a maker of a follow-up."""
    kind = rng.choices(
        ("is_prime", "factor", "next", "prev", "nth", "twin", "clock", "count", "too_large", "list", "arith"),
        weights=(24, 22, 9, 9, 7, 4, 8, 8, 3, 3, 3),
    )[0]
    if kind in ("is_prime", "factor", "too_large"):
        asks_factor = kind == "factor" or (kind == "too_large" and rng.random() < 0.5)
        n = _too_large(rng) if kind == "too_large" else pick_prime_or_not(rng)
        questions, clauses, answer = (
            (FACTOR_Q, FACTOR_CLAUSES, factor_answer)
            if asks_factor
            else (IS_PRIME_Q, IS_PRIME_CLAUSES, is_prime_answer)
        )

        def follow() -> Exchange:
            m = pick_prime_or_not(rng)
            if asks_factor:
                q = rng.choice(("and {n}", "what about {n}", "now factor {n}"))
                return q.format(n=m), factor_answer(m, rng)
            return rng.choice(IS_PRIME_FOLLOW).format(n=m), is_prime_answer(m, rng)

        return [(asked(rng, questions, clauses).format(n=n), answer(n, rng))], follow
    if kind == "next":
        n = _pick_number(rng)
        return [(asked(rng, NEXT_PRIME_Q, NEXT_PRIME_CLAUSES).format(n=n), next_prime_answer(n, rng))], None
    if kind == "prev":
        n = max(3, _pick_number(rng))
        question = asked(rng, PREVIOUS_PRIME_Q, PREVIOUS_PRIME_CLAUSES)
        return [(question.format(n=n), previous_prime_answer(n, rng))], None
    if kind == "nth":
        k = _pick_number(rng, 10**6) if rng.random() < 0.7 else rng.randint(1, 30)
        return [(asked(rng, NTH_PRIME_Q).format(k=ordinal(k), n=k), nth_prime_answer(k, rng))], None
    if kind == "twin":
        a = rng.choice(PRIMES[1:200]) if rng.random() < 0.5 else _pick_number(rng) | 1
        return [(rng.choice(TWIN_Q).format(a=a, b=a + 2), twin_answer(a, rng))], None
    if kind == "clock":
        n = rng.choice(PRIMES[:CLOCK_PRIMES]) if rng.random() < 0.4 else _pick_number(rng, 10**8)
        n = max(2, n)
        return [(asked(rng, CLOCK_Q).format(n=n), clock_answer(n, rng))], None
    if kind == "count":
        b = _pick_number(rng, 10**8)
        return [(asked(rng, COUNT_Q, COUNT_CLAUSES).format(b=b), count_answer(b, rng))], None
    if kind == "list":
        b = rng.randint(6, 60)
        listed = [p for p in PRIMES if p < b]
        answer = f"The primes below {b} are {_and_list(listed)}."
        return [(rng.choice(LIST_Q).format(b=b), answer)], None
    op = rng.choice(("+", "x"))
    a, b = rng.randint(1, 20), rng.randint(1, 20)
    result = a + b if op == "+" else a * b
    return [(rng.choice(ARITH_Q[op]).format(a=a, b=b), f"{a} {op} {b} = {result}.")], None


def _and_list(items: list[int]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


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
