"""The held-out questions through the `chat --json` command, as a user (or a script) would ask them.

    python bench/chat_heldout.py [--model DIR] [--temperature T] [--seed S]

Default model: the one start-up would load; run from an empty folder with an empty HOME (as
below, done by this script) that is the built-in model. Every question of
bench/heldout_questions.json is one line of the chat's standard input, each after a `/clear`
(a fresh conversation; bench/chat_quality.py asks them this way after training). Topic
questions count when a key word starts a word of the answer (`on_topic`); number questions are
judged exactly
against the prime engine (number_answers.judge) on the answer without its tool calls, which
`chat --json` reports apart under "tools". Prints one JSON line per question, then a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from number_answers import judge  # noqa: E402


def on_topic(answer: str, keywords: list[str]) -> bool:
    """A key word (or stem: "refract", "probab") must START a word of the answer.

    Plain substring matching counted false hits: "rain" in "trained", "ring" in "during",
    "air" in "pair", "arm" in "warm".
    """
    text = answer.lower()
    return any(re.search(r"\b" + re.escape(k.lower()), text) for k in keywords)


def ask_heldout(
    model: Path | None, temperature: float | None = None, seed: int = 0, guard_numbers: bool = True
) -> tuple[list[dict], dict]:
    """(one record per held-out question, the counts) for `model` (None: what start-up loads)."""
    questions = json.loads((BENCH / "heldout_questions.json").read_text(encoding="utf-8"))
    command = [shutil.which("hyper-prime-spiral") or "hyper-prime-spiral", "chat", "--json"]
    command += ["--seed", str(seed)]
    if temperature is not None:
        command += ["--temperature", str(temperature)]
    if model is not None:
        command += ["--model", str(Path(model).absolute())]
    if not guard_numbers:
        command.append("--no-number-guard")
    stdin = "".join(f"/clear\n{item['question']}\n" for item in questions)
    with tempfile.TemporaryDirectory(prefix="chat-heldout-") as scratch:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "HYPER_PRIME_SPIRAL"))}
        env["HOME"] = scratch
        result = subprocess.run(command, cwd=scratch, env=env, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip() or f"chat exited with {result.returncode}")
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    records = []
    counts = {"on_topic": 0, "topic_questions": 0, "numbers_right": 0, "number_questions": 0}
    calls = 0
    for item, reply in zip(questions, replies, strict=True):
        record = {"question": item["question"], "answer": reply["reply"], "tools": reply["tools"]}
        calls += bool(reply["tools"])
        if "check" in item:
            right, why = judge(reply["reply"], item["check"]["call"], item["check"]["n"])
            counts["number_questions"] += 1
            counts["numbers_right"] += right
            record.update(kind="number", right=right, why=why)
        else:
            hit = on_topic(reply["reply"], item["keywords"])
            counts["topic_questions"] += 1
            counts["on_topic"] += hit
            record.update(kind="topic", on_topic=hit)
        records.append(record)
    counts["replies_with_tool_calls"] = calls
    counts["tokens_per_s_mean"] = round(sum(r["tokens_per_s"] for r in replies) / len(replies), 1)
    return records, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", help="model directory (default: what start-up loads, i.e. the built-in model)"
    )
    parser.add_argument("--temperature", type=float, default=None, help="default: the chat command's")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-number-guard",
        dest="guard",
        action="store_false",
        help="the model alone (model.number_guard off)",
    )
    args = parser.parse_args(argv)
    try:
        records, counts = ask_heldout(
            args.model and Path(args.model), args.temperature, args.seed, args.guard
        )
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    for record in records:
        print(json.dumps(record), flush=True)
    summary = {
        "summary": "chat_heldout",
        "model": args.model or "start-up model (built-in)",
        **counts,
        "temperature": args.temperature,
        "seed": args.seed,
        "number_guard": args.guard,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
