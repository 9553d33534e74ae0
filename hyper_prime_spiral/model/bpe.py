"""Byte-level BPE tokenizer (the `tokenizers` package): no text is ever `<unk>`, digits stay single.

Why byte-level: every UTF-8 byte is in the base vocabulary, so any input text, in any script,
encodes and decodes back to itself. Why single digits: a number is spelled digit by digit, so
the model can copy a number it has never seen into a prime-engine call (`<calc>factor N</calc>`)
and copy the engine's answer back. The special tokens and tool tags are atomic tokens with
fixed ids (`<unk>` 0, `<eot>` 1, then the tags), so the chat format works as with `char` and
`word`. The trained tokenizer is saved in the model directory as the standard
`tokenizer.json` (docs/model-files.md), readable by any `tokenizers` user.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from hyper_prime_spiral.model.chat_format import END_OF_TURN, SPECIAL_TOKENS, TOOL_TAGS, UNKNOWN
from hyper_prime_spiral.model.tokenizer import TokenizerError
from hyper_prime_spiral.model.tokenizer_choices import DEFAULT_BPE_VOCAB, MAX_BPE_VOCAB, MIN_BPE_VOCAB

TOKENIZER_FILE = "tokenizer.json"
_ATOMIC = (*SPECIAL_TOKENS, *TOOL_TAGS)
_TRAIN_CHUNK = 1 << 16  # characters per piece of text handed to the trainer


class BpeError(TokenizerError):
    """A BPE tokenizer cannot be built or restored (the message says why)."""


def _pre_tokenizer() -> Any:
    """Digits one by one, then GPT-2's byte-level split (a space sticks to the word after it)."""
    from tokenizers import pre_tokenizers

    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )


def _chunks(text: str) -> Iterator[str]:
    """Pieces of `text` cut at line ends, so the trainer sees whole lines and can use its threads."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + _TRAIN_CHUNK)
        end = len(text) if end == -1 else end + 1
        yield text[start:end]
        start = end


class BpeTokenizer:
    """A trained byte-level BPE; same interface as the char and word tokenizers."""

    kind = "bpe"

    def __init__(self, backend: Any) -> None:
        """`backend` is a `tokenizers.Tokenizer` (imported only when a BPE tokenizer is used)."""
        for expected, token in enumerate(_ATOMIC):
            if backend.token_to_id(token) != expected or backend.id_to_token(expected) != token:
                raise BpeError(f"{TOKENIZER_FILE}: token {token!r} must have id {expected}")
        self.backend = backend
        self.unk_id = backend.token_to_id(UNKNOWN)
        self.eot_id = backend.token_to_id(END_OF_TURN)
        self._size = backend.get_vocab_size(with_added_tokens=True)

    @classmethod
    def from_text(cls, text: str, vocab_size: int = DEFAULT_BPE_VOCAB) -> BpeTokenizer:
        """Learn merges on `text` (deterministic for the same text and size)."""
        if not isinstance(vocab_size, int) or not MIN_BPE_VOCAB <= vocab_size <= MAX_BPE_VOCAB:
            raise BpeError(
                f"BPE vocabulary size must be between {MIN_BPE_VOCAB} and {MAX_BPE_VOCAB}, got {vocab_size}"
            )
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

        backend = Tokenizer(models.BPE())
        backend.pre_tokenizer = _pre_tokenizer()
        backend.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=list(_ATOMIC),
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        backend.train_from_iterator(_chunks(text), trainer=trainer, length=None)
        return cls(backend)

    @classmethod
    def from_json(cls, text: str) -> BpeTokenizer:
        """Restore from the contents of a `tokenizer.json`; BpeError if it is not one of ours."""
        from tokenizers import Tokenizer

        try:
            json.loads(text)
            backend = Tokenizer.from_str(text)
        except Exception as exc:  # tokenizers raises its own Exception type for bad JSON
            raise BpeError(f"{TOKENIZER_FILE} is not a valid tokenizer: {exc}") from None
        return cls(backend)

    @property
    def vocab_size(self) -> int:
        return self._size

    def encode(self, text: str) -> np.ndarray:
        return np.array(self.backend.encode(text, add_special_tokens=False).ids, dtype=np.int32)

    def decode(self, ids: Iterable[int]) -> str:
        return self.backend.decode([int(i) for i in ids], skip_special_tokens=False)

    def to_dict(self) -> dict[str, Any]:
        """The config.json section; the merges themselves are in `files()`."""
        return {"kind": self.kind, "file": TOKENIZER_FILE, "vocab_size": self.vocab_size}

    def files(self) -> dict[str, str]:
        return {TOKENIZER_FILE: self.backend.to_str(pretty=True)}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BpeTokenizer) and other.backend.to_str() == self.backend.to_str()

    __hash__ = None  # type: ignore[assignment]
