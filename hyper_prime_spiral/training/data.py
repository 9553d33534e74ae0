"""Token ids -> training batches: a train/validation split and random windows of context length."""

from __future__ import annotations

import numpy as np

from hyper_prime_spiral.training.corpus import CorpusError

DEFAULT_VAL_FRACTION = 0.1
MAX_UNKNOWN_SHARE = 0.05  # more of a corpus unknown to a continued model's vocabulary: warn or refuse
VAL_BLOCK = 1024  # tokens per held-out block of a spread split


def split_tokens(
    ids: np.ndarray, val_fraction: float = DEFAULT_VAL_FRACTION, spread: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(train, validation) token streams.

    Tail (nanoGPT's split): the last `val_fraction` of the tokens. Spread: every k-th block of
    VAL_BLOCK tokens (k = 1 / val_fraction), so text made of several files is held out from
    each of them (the tail held out only the last file: docs/design.md, "Measured reasons").
    The training stream then has a seam where each held-out block was. Text too short for 2k
    blocks falls back to the tail.
    """
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"validation fraction must be in [0, 1), got {val_fraction}")
    every = round(1 / val_fraction) if val_fraction > 0 else 0
    if spread and every >= 2 and len(ids) // VAL_BLOCK >= 2 * every:
        return _spread_split(ids, every)
    cut = len(ids) - int(round(len(ids) * val_fraction))
    return ids[:cut], ids[cut:]


def _spread_split(ids: np.ndarray, every: int) -> tuple[np.ndarray, np.ndarray]:
    """Block b (of VAL_BLOCK tokens) is held out when b % every == every - 1.

    Seen as rows of `every` blocks, the held-out block is the last of each row, so both parts are
    copied straight into their output arrays: no per-token index (an int64 per token cost
    16 bytes per token of a 200 MB corpus) and no temporary of the corpus's size.
    """
    row = every * VAL_BLOCK
    kept = (every - 1) * VAL_BLOCK
    rows = len(ids) // row
    rest = ids[rows * row :]  # fewer than `every` blocks: the held one would be its last
    grid = ids[: rows * row].reshape(rows, row)
    train = np.empty(rows * kept + min(len(rest), kept), ids.dtype)
    val = np.empty(len(ids) - len(train), ids.dtype)
    train[: rows * kept].reshape(rows, kept)[...] = grid[:, :kept]
    train[rows * kept :] = rest[:kept]
    val[: rows * VAL_BLOCK].reshape(rows, VAL_BLOCK)[...] = grid[:, kept:]
    val[rows * VAL_BLOCK :] = rest[kept:]
    return train, val


def unknown_share(ids: np.ndarray, unk_id: int) -> float:
    """The share of `<unk>` among the token ids (0 for no ids)."""
    return float(np.count_nonzero(ids == unk_id)) / len(ids) if len(ids) else 0.0


def unknown_problem(ids: np.ndarray, tokenizer: object) -> str | None:
    """Why continuing a model on these ids would mostly teach it `<unk>` (None when fine)."""
    share = unknown_share(ids, tokenizer.unk_id)  # type: ignore[attr-defined]
    if share <= MAX_UNKNOWN_SHARE:
        return None
    kind = getattr(tokenizer, "kind", "")
    return f"{share:.0%} of the text is unknown to this model's {kind} vocabulary"


def check_trainable(train: np.ndarray, context: int) -> None:
    """A window needs context + 1 tokens (inputs and their next-token targets)."""
    if len(train) < context + 1:
        raise CorpusError(
            f"the corpus has only {len(train)} training tokens; at least {context + 1} are needed "
            f"for context length {context} (use more text or a shorter context length)"
        )


def window_batch(ids: np.ndarray, starts: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ids[s : s+length] and targets ids[s+1 : s+length+1] for each start s."""
    offsets = starts[:, None] + np.arange(length)[None, :]
    return ids[offsets].astype(np.int64), ids[offsets + 1].astype(np.int64)


def random_batch(
    ids: np.ndarray, batch: int, context: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """`batch` windows at uniformly random (overlapping) offsets."""
    starts = rng.integers(0, len(ids) - context, size=batch)
    return window_batch(ids, starts, context)


def fixed_batches(
    ids: np.ndarray, batch: int, context: int, count: int, seed: int = 1234
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The same `count` batches every time (validation loss comparable across evaluations).

    If the held-out text is shorter than context + 1, windows shrink to fit; with fewer than
    two tokens there is nothing to validate on and the list is empty.
    """
    if len(ids) < 2 or count < 1:
        return []
    length = min(context, len(ids) - 1)
    rng = np.random.default_rng(seed)
    return [random_batch(ids, batch, length, rng) for _ in range(count)]
