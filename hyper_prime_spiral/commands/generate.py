"""`hyper-prime-spiral generate --model DIR PROMPT`: print the model's continuation of PROMPT only.

The prompt may also come from standard input (PROMPT `-`) or a file (`--file FILE`), so long or
multi-line prompts need no shell quoting. A prompt that starts with '-' is given after '--'
(`generate -- "-hello"`), as with any command.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hyper_prime_spiral.commands import UsageError
from hyper_prime_spiral.commands.arguments import add_sampling_arguments


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="continue a prompt with a trained model")
    p.add_argument(
        "prompt",
        metavar="PROMPT",
        nargs="?",
        help="text to continue (the reply never repeats it); - reads it from standard input; "
        "one that starts with '-' goes after '--'",
    )
    p.add_argument("--file", metavar="FILE", help="read the prompt from this UTF-8 text file")
    p.add_argument(
        "--model",
        dest="model_dir",
        metavar="DIR",
        help="model directory, or a name `models` lists (default: the newest model start-up would load)",
    )
    add_sampling_arguments(p, seed_help="sampling seed (default: random each run)")
    p.add_argument(
        "--probs",
        action="store_true",
        help="print each generated token with its top alternatives and their probabilities (default: off)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object: the reply without the prime-engine calls, and the calls with their "
        "results under tools; with --probs: one JSON object per token (default: off)",
    )


MAX_PROMPT_BYTES = 1_000_000  # a prompt longer than any context; more is surely the wrong file


def read_prompt(args: argparse.Namespace) -> str:
    """The prompt from the argument, standard input (`-`) or --file; UsageError when unusable."""
    if args.file is not None and args.prompt is not None:
        raise UsageError("give the prompt either as PROMPT or with --file, not both")
    if args.file is not None:
        from pathlib import Path

        from hyper_prime_spiral.training.corpus import CorpusError, read_text_file

        path = Path(args.file).expanduser()
        if path.exists() and not path.is_dir():
            if not path.is_file():
                raise UsageError(f"{path}: not a regular file")
            if path.stat().st_size > MAX_PROMPT_BYTES:
                raise UsageError(f"{path}: the prompt is longer than {MAX_PROMPT_BYTES:,} bytes")
        try:
            return read_text_file(path).removesuffix("\n")
        except CorpusError as exc:
            raise UsageError(str(exc)) from None
    if args.prompt is None:
        raise UsageError("no prompt: give PROMPT, - (standard input) or --file FILE")
    if args.prompt != "-":
        return args.prompt
    data = sys.stdin.buffer.read(MAX_PROMPT_BYTES + 1)
    if len(data) > MAX_PROMPT_BYTES:
        raise UsageError(f"standard input: the prompt is longer than {MAX_PROMPT_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"standard input: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise UsageError("standard input: the prompt is empty")
    return text.removesuffix("\n")


def run(args: argparse.Namespace) -> int:
    from hyper_prime_spiral.model.sampling import SamplingError, SamplingSettings, stream
    from hyper_prime_spiral.storage.model_dir import ModelFileError, load_model
    from hyper_prime_spiral.storage.search import resolve_model_reference

    try:  # the one sampling validator, before anything is loaded
        SamplingSettings(args.temperature, args.top_k, args.top_p, args.max_tokens, args.seed)
    except SamplingError as exc:
        raise UsageError(str(exc)) from None
    prompt = read_prompt(args)
    model_dir = args.model_dir or getattr(
        args, "model", None
    )  # also `hyper-prime-spiral --model DIR generate`
    if model_dir:
        try:
            bundle = load_model(resolve_model_reference(model_dir))
        except ModelFileError as exc:
            raise UsageError(str(exc)) from None
    else:
        from hyper_prime_spiral.storage.search import load_newest_model

        found = load_newest_model()
        if found.bundle is None:
            raise UsageError(f"{found.message}; train one or pass --model DIR")
        bundle = found.bundle
    pieces = stream(
        bundle,
        prompt,
        args.temperature,
        args.top_k,
        args.top_p,
        args.max_tokens,
        args.seed,
        lens=args.probs,
        guard_numbers=args.guard_numbers,
    )
    if args.json and not args.probs:
        print(json.dumps(_reply_json("".join(pieces)), ensure_ascii=False))
        return 0
    for piece in pieces:
        if isinstance(piece, str):
            if not args.probs:
                sys.stdout.write(piece)
        else:
            sys.stdout.write(_token_json(piece) if args.json else _token_line(piece))
        sys.stdout.flush()
    if not args.probs:
        sys.stdout.write("\n")
    return 0


def _reply_json(raw: str) -> dict[str, Any]:
    """The reply as `--json` prints it: the answer, the prime-engine calls with their results, the
    raw text the model wrote (calls included)."""
    from hyper_prime_spiral.model.chat_format import split_tool_use

    uses, answer = split_tool_use(raw)
    return {"reply": answer, "tools": [{"call": u.call, "result": u.result} for u in uses], "raw": raw}


def _token_json(insight: Any) -> str:
    """One token as a JSON line: its text, id, probabilities and the top alternatives."""
    record = {
        "event": "token",
        "token": insight.text,
        "id": insight.token_id,
        "p": round(insight.probability, 6),
        "model_p": round(insight.model_probability, 6),
        "top": [
            {"token": c.text, "id": c.token_id, "p": round(c.probability, 6)} for c in insight.candidates
        ],
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _token_line(insight: Any) -> str:
    """One token per line: the token, its probability, then the alternatives (* = sampled)."""
    alternatives = "  ".join(
        f"{'*' if c.token_id == insight.token_id else ''}{c.text!r} {c.probability:.3f}"
        for c in insight.candidates
    )
    return f"{insight.text!r:<16} p={insight.probability:.3f}  |  {alternatives}\n"
