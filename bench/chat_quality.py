"""Chat quality: train the "small" preset on the shipped corpora for a fixed time, then ask questions.

    python bench/chat_quality.py [--minutes 10] [--workers N] [--tokenizer bpe|word|char] [--vocab-size 1024]
                                 [--context 128] [--save DIR]
    python bench/chat_quality.py --load DIR [--temperature T]   # only ask the questions again

Two kinds of held-out questions, reported apart: 20 topic questions (on topic when a key word
starts a word of the answer) and 13 number questions over small and large N, judged exactly
(bench/number_answers.py: a factorisation must multiply to N with prime factors, "N is prime"
must be true, a next prime, count or ring must be the exact value). Answers are generated with
the prime engine's calls running, as in the app; each answer line lists its calls, their results
and the seconds the reply took. `--tokenizer bpe` (the default recipe's) or `word` on the same
budget compare by validation bits per character.

Prints JSON lines: the setup, one line per evaluation during training, one line per held-out
question (answer and whether a key word of the correct answer starts one of its words), then a
summary with the validation loss next to the unigram baseline (the entropy, in nats per token of
the tokenizer used, of the token distribution of the validation text: what a model that ignores
context would score), both also in bits per character so runs with different tokenizers compare.

Why these defaults: "small" = 4 layers, width 128, 4 heads (training/presets.py). All three
shipped corpora, word tokenizer (the 4,000 most frequent words, 248k tokens): each step
predicts whole words, so topic words are learned in far fewer steps than spelling them letter
by letter; the corpus's number answers ("91 = 7 x 13") are words too. Context 128 words (about
500 characters): a question with its whole answer fits, and attention costs half of context
256. Batch 16 windows. Peak learning rate 4e-3 (warmup, cosine to a tenth). Temperature 0.3
(greedy decoding scored 2/20 against 5/20 on a 3-minute model: it loops on the most common
answer). Measured (10 min, 2 workers, one run each, so about +-2 questions of noise):
char tokenizer, context 256, all corpora: 7-9/20 on topic, val 1.50 nats/char (slower machine).
Word tokenizer, chat + numbers only: 14/20 and 17/20 (slower machine), 14/20 (kept step 1,836
of 5,778: the last weights, val 0.93, scored 12/20). Word tokenizer, all corpora: 16/20, val
0.742 nats/word = 0.27 bits/char against a unigram baseline of 5.33 nats/word = 1.94 bits/char
(kept step 3,036 of 4,698): the prose delays the overfitting. All those held out the tail of
the text; with today's spread split (below): 16/20, val 1.355 nats/word against a unigram
5.438 (the validation text now includes prose and number facts), kept step 948 of 4,753.
The budget covers everything from the first step to the last; a short calibration run (counted
in the budget) sizes the learning-rate schedule, planned a quarter longer than the estimate,
and training stops at the deadline, near the end of the cosine decay. The validation text is
every tenth block of 1,024 tokens through all the corpora (the trainer's spread split; the runs
quoted above before this change held out the tail, i.e. the end of the chat corpus).
The saved model and the answers use the weights of the lowest of 20 validation evaluations (the
trainer's keep-best rule: the corpora overfit within 10 minutes on a fast machine); as they are
chosen on the validation text, its loss is slightly optimistic, the held-out questions not.

Held-out questions (bench/heldout_questions.json) never occur verbatim in the corpora (the
corpus generator and tests/corpus check this). The machine may be shared: `load_avg` says how
busy it was.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "training"
HELDOUT = Path(__file__).resolve().parent / "heldout_questions.json"
CORPORA = ("large_corpus.txt", "number_facts.txt", "chat_corpus.txt")
CALIBRATION_STEPS = 8
EVAL_BATCHES = 10  # 10 x 16 x 128 = 20k validation tokens per evaluation
EVALUATIONS = 20  # during the run; the trainer keeps the weights of the lowest validation loss


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def unigram_entropy(ids: np.ndarray) -> float:
    """Entropy (nats) of the token frequencies of `ids`: the loss of the best context-free guess."""
    counts = np.bincount(np.asarray(ids, dtype=np.int64))
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def on_topic(answer: str, keywords: list[str]) -> bool:
    """A key word (or stem: "refract", "probab") must START a word of the answer.

    Plain substring matching counted false hits: "rain" in "trained", "ring" in "during",
    "air" in "pair", "arm" in "warm".
    """
    text = answer.lower()
    return any(re.search(r"\b" + re.escape(k.lower()), text) for k in keywords)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="wall-clock training budget")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="training processes")
    parser.add_argument("--preset", default="small", help="model size preset (training/presets.py)")
    parser.add_argument("--context", type=int, default=128, help="context length in tokens")
    parser.add_argument("--tokenizer", choices=("bpe", "char", "word"), default="bpe")
    parser.add_argument(
        "--max-words", type=int, default=4000, help="word tokenizer: keep this many most frequent words"
    )
    parser.add_argument("--vocab-size", type=int, default=1024, help="bpe tokenizer: vocabulary size")
    parser.add_argument(
        "--corpora",
        nargs="+",
        default=list(CORPORA),
        help="files in data/training (default: all three)",
    )
    parser.add_argument("--load", type=Path, help="skip training: ask the questions to this saved model")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=4e-3, help="peak learning rate (cosine to a tenth)")
    parser.add_argument("--temperature", type=float, default=0.3, help="sampling temperature of the answers")
    parser.add_argument("--max-tokens", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, help="also save the trained model into this directory")
    args = parser.parse_args(argv)
    if not args.minutes > 0:
        parser.error(f"--minutes must be positive, got {args.minutes}")
    if args.max_words < 1:
        parser.error(f"--max-words must be at least 1, got {args.max_words}")
    if args.load is not None and not args.load.is_dir():
        parser.error(f"--load: no model directory at {args.load}")
    missing = [name for name in args.corpora if not (DATA / name).is_file()]
    if missing:
        parser.error(f"no such corpus in {DATA}: {', '.join(missing)}")
    if args.workers < 1 or args.batch < 1 or args.context < 8:
        parser.error("--workers and --batch must be at least 1, --context at least 8")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from hyper_prime_spiral.model.tokenizer import build_tokenizer
    from hyper_prime_spiral.model.training_record import TrainingRecord
    from hyper_prime_spiral.threads import limit_loaded_libraries
    from hyper_prime_spiral.training.corpus import load_corpus
    from hyper_prime_spiral.training.presets import get_preset
    from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

    # The parent evaluates and generates; the pool's workers pin themselves to one BLAS thread.
    # Measured here on a shared machine: a validation batch took 3.7 s with two BLAS threads
    # and 0.52 s with one, so the parent uses one as well.
    limit_loaded_libraries(1)

    heldout = json.loads(HELDOUT.read_text(encoding="utf-8"))
    if args.load is not None:
        from hyper_prime_spiral.storage.model_dir import load_model

        bundle = load_model(args.load)
        counts = ask_heldout(bundle, heldout, args)
        emit({"summary": "chat_quality", "loaded": str(args.load), **counts,
              "temperature": args.temperature})  # fmt: skip
        return 0

    paths = [DATA / name for name in args.corpora]
    text = load_corpus(paths)
    options = {"word": {"max_words": args.max_words}, "bpe": {"vocab_size": args.vocab_size}}.get(
        args.tokenizer, {}
    )
    tokenizer = build_tokenizer(args.tokenizer, text, **options)
    ids = tokenizer.encode(text)
    config = get_preset(args.preset).config(tokenizer.vocab_size, args.context, seed=args.seed)
    budget_s = args.minutes * 60.0
    started = time.perf_counter()

    def settings(steps: int, eval_batches: int = EVAL_BATCHES) -> TrainSettings:
        return TrainSettings(
            steps=steps,
            batch_size=args.batch,
            lr=args.lr,
            min_lr=args.lr / 10,
            warmup=min(100, max(1, steps // 10)),
            eval_every=max(25, steps // EVALUATIONS),
            eval_batches=eval_batches,
            seed=args.seed,
            workers=args.workers,
        )

    # Calibration: a few steps to learn this machine's speed (pool start-up included).
    # Its engine-only speed (no start-up) plus the evaluations' share (21 x 10 forward passes,
    # about a third of a step each) size the schedule; the deadline below is the hard stop, set
    # early enough to leave room for the final evaluation.
    calib = Trainer(config, tokenizer, ids, settings(CALIBRATION_STEPS, eval_batches=0)).run()
    step_s = args.batch * args.context / calib.bundle.training.tokens_per_s
    remaining = budget_s - (time.perf_counter() - started)
    # Planned 25% longer than the estimate: on a shared machine the speed changes during the
    # run, and stopping at the deadline near the end of the cosine (lr within ~15% of its floor)
    # wastes less than finishing early and idling (a 10-minute run here ended after 7 minutes
    # when the load dropped).
    planned = max(10, int(1.25 * (remaining / step_s - (EVALUATIONS + 1) * EVAL_BATCHES / 3)))
    stop = threading.Event()
    record = TrainingRecord(corpus_files=[p.name for p in paths])
    trainer = Trainer(config, tokenizer, ids, settings(planned), stop_event=stop, record=record)
    val_text_entropy = unigram_entropy(trainer.val_ids)
    emit(
        {
            "bench": "chat_quality",
            "preset": args.preset,
            "n_params": int(config_params(config)),
            "context": args.context,
            "batch": args.batch,
            "tokenizer": args.tokenizer,
            "vocab_size": tokenizer.vocab_size,
            "corpora": [p.name for p in paths],
            "train_tokens": int(len(trainer.train_ids)),
            "val_tokens": int(len(trainer.val_ids)),
            "workers": args.workers,
            "budget_minutes": args.minutes,
            "calibration_s_per_step": round(step_s, 4),
            "planned_steps": planned,
            "cpu_count": os.cpu_count(),
        }
    )

    deadline = started + budget_s - EVAL_BATCHES * step_s / 2

    def on_progress(event) -> None:
        if event.val_loss is not None:
            emit(
                {
                    "step": event.step,
                    "train_loss": round(event.train_loss, 4),
                    "val_loss": round(event.val_loss, 4),
                    "tokens_per_s": round(event.tokens_per_s, 1),
                    "elapsed_s": round(time.perf_counter() - started, 1),
                }
            )
        if time.perf_counter() >= deadline:
            stop.set()

    trainer.callback = on_progress
    result = trainer.run()
    train_s = time.perf_counter() - started
    bundle = result.bundle
    if args.save is not None:
        from hyper_prime_spiral.storage.model_dir import save_model

        save_model(args.save, bundle, overwrite=True)

    counts = ask_heldout(bundle, heldout, args)
    # Characters of the validation text (for the word tokenizer, its decoded lower-case form,
    # whose length matches the source text up to normalised spacing).
    chars_per_token_inv = len(trainer.val_ids) / max(1, len(tokenizer.decode(trainer.val_ids)))
    val_loss = result.val_loss if result.val_loss is not None else float("nan")
    emit(
        {
            "summary": "chat_quality",
            "val_loss": round(val_loss, 4),
            "unigram_baseline_nats": round(val_text_entropy, 4),
            "uniform_baseline_nats": round(math.log(tokenizer.vocab_size), 4),
            "below_unigram_by": round(val_text_entropy - val_loss, 4),
            # Per character, comparable across tokenizers: nats/token x tokens/char / ln 2.
            "val_bits_per_char": round(val_loss * chars_per_token_inv / math.log(2), 4),
            "unigram_bits_per_char": round(val_text_entropy * chars_per_token_inv / math.log(2), 4),
            "val_chars_per_token": round(1 / chars_per_token_inv, 3),
            **counts,
            "steps": result.steps,
            "planned_steps": planned,
            "train_loss": round(result.train_loss, 4),
            "tokens_per_s": bundle.training.tokens_per_s,
            "training_wall_s": round(train_s, 1),
            "temperature": args.temperature,
            "load_avg": [round(x, 2) for x in os.getloadavg()],
            "saved_to": str(args.save) if args.save else None,
        }
    )
    return 0


def ask_heldout(bundle, heldout: list[dict], args: argparse.Namespace) -> dict[str, int]:
    """Ask every held-out question in a fresh conversation; prints each answer with its verdict.

    Topic questions ("keywords") count when a key word starts a word of the answer; number
    questions ("check") only when every fact the answer states is exactly true
    (bench/number_answers.py). The prime engine's calls run as in the app (sampling.stream);
    the judged answer is the text after them. Returns the counts of both kinds.
    """
    from number_answers import judge

    from hyper_prime_spiral.model import sampling
    from hyper_prime_spiral.model.chat_format import build_prompt, split_tool_use

    counts = {"on_topic": 0, "topic_questions": 0, "number_exact": 0, "number_questions": 0}
    for i, item in enumerate(heldout):
        prompt = build_prompt([], item["question"])
        started = time.perf_counter()
        reply = sampling.generate(
            bundle, prompt, temperature=args.temperature, top_k=40, top_p=0.95, max_tokens=args.max_tokens,
            seed=args.seed + i,
        )  # fmt: skip
        seconds = round(time.perf_counter() - started, 2)
        uses, answer = split_tool_use(reply)
        calls = [{"call": u.call, "result": u.result} for u in uses]
        record = {"question": item["question"], "answer": answer, "tool_calls": calls, "seconds": seconds}
        if "check" in item:
            right, expected = judge(answer, item["check"]["call"], item["check"]["n"])
            counts["number_questions"] += 1
            counts["number_exact"] += right
            emit({"kind": "number", **record, "expected": expected, "exact": right})
        else:
            hit = on_topic(answer, item["keywords"])
            counts["topic_questions"] += 1
            counts["on_topic"] += hit
            emit({"kind": "topic", **record, "keywords": item["keywords"], "on_topic": hit})
    return counts


def config_params(config) -> int:
    from hyper_prime_spiral.model.params import ParamLayout

    return ParamLayout(config).n_params


if __name__ == "__main__":
    sys.exit(main())
