"""How exactly a chat model copies numbers: into its prime-engine call, and out of the result.

    python bench/number_copying.py [--model DIR] [--questions 100] [--seed 777]

The 13 number questions of bench/heldout_questions.json mix two skills: understanding a new
wording and copying digits. This bench measures the copying alone, on many fresh questions
worded as the corpus words them (tools/make_chat_corpus.py, another seed), over numbers of every
length from 2 to 10^15, half "is N prime", half "factor N"; greedy decoding, so nothing is luck:
- call: the model's first call is exactly `isprime N` / `factor N` (copied from the question);
- answer: given the right call and the engine's result, its answer is exactly right
  (bench/number_answers.py's judge: every number true, nothing invented);
- end to end: the whole reply, calls run by the engine, is exactly right.
Prints one JSON line: the three counts, and per number of digits [questions, call, answer,
end to end]; with `--misses`, first one line per answer miscopied from the right result.
Default model: the built-in one. The number guard (model.number_guard) is on, as in the app;
`--no-number-guard` measures the model alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tools"))

import make_chat_corpus as corpus  # noqa: E402
from number_answers import judge  # noqa: E402

from hyper_prime_spiral.model import sampling  # noqa: E402
from hyper_prime_spiral.model.chat_format import (  # noqa: E402
    RESULT_CLOSE,
    build_prompt,
    clean_reply,
    split_tool_use,
)
from hyper_prime_spiral.storage import load_model  # noqa: E402
from hyper_prime_spiral.storage.search import BUILTIN_FOLDER  # noqa: E402


def question(rng: random.Random, index: int) -> tuple[str, str, int, str]:
    """(question, verb, N, the corpus's own AI turn for it) for question number `index`."""
    n = corpus.pick_prime_or_not(rng)
    if index % 2:
        text, verb, turn = (
            corpus.asked(rng, corpus.FACTOR_Q, corpus.FACTOR_CLAUSES),
            "factor",
            corpus.factor_answer,
        )
    else:
        text, verb, turn = (
            corpus.asked(rng, corpus.IS_PRIME_Q, corpus.IS_PRIME_CLAUSES),
            "isprime",
            corpus.is_prime_answer,
        )
    return corpus.vary(text.format(n=n), rng), verb, n, turn(n, rng)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=BUILTIN_FOLDER / "prime-chat")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--misses", action="store_true", help="print each answer miscopied from its result")
    parser.add_argument(
        "--no-number-guard",
        dest="guard",
        action="store_false",
        help="let the model write any digits after a result (model.number_guard off): the model alone",
    )
    args = parser.parse_args(argv)
    if args.questions < 1:
        parser.error(f"--questions must be at least 1, got {args.questions}")
    bundle = load_model(args.model)
    rng = random.Random(args.seed)
    totals = {"call": 0, "answer": 0, "end_to_end": 0}
    by_digits: dict[int, list[int]] = {}
    for index in range(args.questions):
        text, verb, n, turn = question(rng, index)
        prompt = build_prompt([], text)
        greedy = {"temperature": 0, "guard_numbers": args.guard}
        reply = clean_reply(sampling.generate(bundle, prompt, max_tokens=160, **greedy))
        uses, answer = split_tool_use(reply)
        call_right = bool(uses) and uses[0].call == f"{verb} {n}"
        end_to_end = judge(answer, verb, n)[0]
        given = turn[: turn.index(RESULT_CLOSE) + len(RESULT_CLOSE)]  # the right call and result
        continued = clean_reply(sampling.generate(bundle, f"{prompt} {given}", max_tokens=120, **greedy))
        answer_right = judge(split_tool_use(continued)[1], verb, n)[0]
        if args.misses and not answer_right:
            print(json.dumps({"miss": text, "given": given, "answer": split_tool_use(continued)[1]}))
        row = by_digits.setdefault(len(str(n)), [0, 0, 0, 0])
        for i, hit in enumerate((True, call_right, answer_right, end_to_end)):
            row[i] += hit
        totals["call"] += call_right
        totals["answer"] += answer_right
        totals["end_to_end"] += end_to_end
    print(
        json.dumps(
            {
                "bench": "number_copying",
                "model": str(args.model),
                "number_places": bundle.config.number_places,
                "number_guard": args.guard,
                "questions": args.questions,
                **totals,
                "by_digits": {str(d): by_digits[d] for d in sorted(by_digits)},
                "by_digits_columns": ["questions", "call", "answer", "end_to_end"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
