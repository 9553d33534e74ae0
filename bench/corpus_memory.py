"""Peak memory and time to the first step against the corpus size, as JSON lines.

Each run is `hyper-prime-spiral train FILE --steps 1` (tiny model, one worker) in a fresh
process that reports its own peak resident memory; `bytes_per_char` is the peak above a
run on a 0.1 MB corpus, per character of corpus. Before issue 15 a 200 MB corpus peaked at
5.0 GB (about 25 bytes per character) and took 46 s before the first step.

    python bench/corpus_memory.py [--mb 20 50] [--tokenizer char word]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "data" / "training" / "chat_corpus.txt"
CHILD = """
import resource, runpy, sys
sys.argv = ["hyper-prime-spiral", *sys.argv[1:]]
try:
    runpy.run_module("hyper_prime_spiral", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)
"""


def make_corpus(folder: Path, megabytes: float) -> Path:
    text = SOURCE.read_text(encoding="utf-8")
    size = int(megabytes * 1024 * 1024)
    path = folder / f"corpus-{megabytes}mb.txt"
    with open(path, "w", encoding="utf-8") as handle:
        written = 0
        while written < size:
            piece = text[: size - written]
            handle.write(piece)
            written += len(piece)
    return path


def run(corpus: Path, tokenizer: str, out: Path) -> tuple[int, float]:
    args = ["train", str(corpus), "--out", str(out), "--overwrite", "--steps", "1", "--workers", "1"]
    args += ["--tokenizer", tokenizer, "--layers", "1", "--dim", "32", "--heads", "2", "--context", "64"]
    args += ["--batch", "4"]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    line = [row for row in done.stderr.splitlines() if row.startswith("PEAK_KB")][-1].split()
    if line[2] != "0":
        raise SystemExit(f"training failed: {done.stderr[-500:]}")
    return int(line[1]) * 1024, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[20.0, 50.0])
    parser.add_argument("--tokenizer", nargs="+", default=["char", "word"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in args.tokenizer:
            base_peak, base_s = run(make_corpus(folder, 0.1), kind, folder / "model")
            for megabytes in args.mb:
                corpus = make_corpus(folder, megabytes)
                chars = corpus.stat().st_size
                peak, seconds = run(corpus, kind, folder / "model")
                row = {
                    "bench": "corpus_memory",
                    "tokenizer": kind,
                    "corpus_mb": megabytes,
                    "peak_mb": round(peak / 2**20, 1),
                    "baseline_peak_mb": round(base_peak / 2**20, 1),
                    "bytes_per_char": round((peak - base_peak) / chars, 2),
                    "peak_mb_per_corpus_mb": round((peak - base_peak) / chars, 2),
                    "seconds": round(seconds, 1),
                    "baseline_seconds": round(base_s, 1),
                }
                print(json.dumps(row), flush=True)
                corpus.unlink()


if __name__ == "__main__":
    main()
