"""Tokenizers: `bpe` (byte-level BPE, model.bpe; the default), `char` (characters of the corpus)
and `word` (lower-case words + punctuation).

All share one interface (encode, decode, vocab_size, kind, unk_id, eot_id, to_dict, files) and
are saved with the model (`files()` names extra files of the model directory, e.g. BPE's
tokenizer.json). The special tokens `<unk>` and `<eot>` (model.chat_format) get
ids 0 and 1 and are recognised literally in any text, so the chat format works with both.
Unknown characters/words map to `<unk>`: never hashed, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from hyper_prime_spiral.model.chat_format import (
    CALL_CLOSE,
    CALL_OPEN,
    END_OF_TURN,
    RESULT_CLOSE,
    RESULT_OPEN,
    SPECIAL_TOKENS,
    TOOL_TAGS,
    UNKNOWN,
)
from hyper_prime_spiral.model.tokenizer_choices import DEFAULT_TOKENIZER, TOKENIZER_KINDS

__all__ = ["DEFAULT_TOKENIZER", "TOKENIZER_KINDS", "build_tokenizer", "tokenizer_from_dict"]

_SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")")
# A special token or tool tag, a word (letters/digits, inner apostrophes as in "don't"), a
# newline, or one punctuation mark.
_WORD_PIECES = re.compile(
    "|".join(re.escape(t) for t in (*SPECIAL_TOKENS, *TOOL_TAGS)) + r"|\w+(?:'\w+)*|\n|[^\w\s]", re.UNICODE
)
# No space before the closing marks; no space after the opening ones. Quotes alternate.
_CLOSING = {*".,;:!?)]}%^", CALL_CLOSE, RESULT_CLOSE}
_OPENING = {*"([{$#^", CALL_OPEN, RESULT_OPEN}
_QUOTES = set("\"'")
DEFAULT_MAX_WORDS = 20000


class TokenizerError(ValueError):
    """A tokenizer cannot be built or restored (the message says why)."""


class _Tokenizer:
    """Shared machinery: the vocabulary list, its index and the special ids."""

    kind = ""

    def __init__(self, tokens: Sequence[str]) -> None:
        tokens = list(tokens)
        if tokens[: len(SPECIAL_TOKENS)] != list(SPECIAL_TOKENS):
            raise TokenizerError(f"vocabulary must start with the special tokens {SPECIAL_TOKENS}")
        if len(set(tokens)) != len(tokens):
            raise TokenizerError("vocabulary contains duplicate tokens")
        if not all(isinstance(t, str) and t for t in tokens):
            raise TokenizerError("vocabulary entries must be non-empty strings")
        self.tokens = tokens
        self.index = {t: i for i, t in enumerate(tokens)}
        self.unk_id = self.index[UNKNOWN]
        self.eot_id = self.index[END_OF_TURN]

    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "tokens": list(self.tokens)}

    def files(self) -> dict[str, str]:
        """Extra files of the model directory (none: the vocabulary is in config.json)."""
        return {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.tokens == self.tokens  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class CharTokenizer(_Tokenizer):
    """One token per character of the corpus (plus `<unk>` and `<eot>`)."""

    kind = "char"

    def __init__(self, tokens: Sequence[str]) -> None:
        super().__init__(tokens)
        chars = self.tokens[len(SPECIAL_TOKENS) :]
        if any(len(c) != 1 for c in chars):
            raise TokenizerError("a char tokenizer's vocabulary entries must be single characters")
        codes = np.array([ord(c) for c in chars], dtype=np.int64)
        order = np.argsort(codes)
        self._sorted_codes = codes[order]
        self._sorted_ids = (order + len(SPECIAL_TOKENS)).astype(np.int32)

    @classmethod
    def from_text(cls, text: str) -> CharTokenizer:
        """Every character of `text` outside the special tokens, in code point order."""
        codes: set[int] = set()
        for chunk in line_chunks(text):
            plain = "".join(_SPECIAL_SPLIT.split(chunk)[0::2])
            points = np.frombuffer(plain.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            codes.update(np.unique(points).tolist())
        return cls([*SPECIAL_TOKENS, *(chr(c) for c in sorted(codes))])

    def _encode_plain(self, text: str) -> np.ndarray:
        """Vectorised lookup: code points -> ids by binary search (fast for megabytes of text)."""
        if not text:
            return np.zeros(0, dtype=np.int32)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        if self._sorted_codes.size == 0:
            return np.full(codes.shape, self.unk_id, dtype=np.int32)
        where = np.searchsorted(self._sorted_codes, codes).clip(0, self._sorted_codes.size - 1)
        found = self._sorted_codes[where] == codes
        return np.where(found, self._sorted_ids[where], self.unk_id).astype(np.int32)

    def encode(self, text: str) -> np.ndarray:
        parts = _SPECIAL_SPLIT.split(text)
        if len(parts) == 1:
            return self._encode_plain(text)
        pieces = []
        for i, part in enumerate(parts):
            if i % 2:
                pieces.append(np.array([self.index[part]], dtype=np.int32))
            elif part:
                pieces.append(self._encode_plain(part))
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.tokens[int(i)] for i in ids)

    def stream_decoder(self) -> _TokenAppender:
        """Decodes a growing id sequence piece by piece: `add(new ids)` -> the text they append."""
        return _TokenAppender(self.tokens)


class WordTokenizer(_Tokenizer):
    """Lower-case words, each punctuation mark its own token, newlines kept; decode rejoins."""

    kind = "word"

    @classmethod
    def from_text(cls, text: str, max_words: int = DEFAULT_MAX_WORDS) -> WordTokenizer:
        """The `max_words` most frequent pieces (ties broken alphabetically), plus the specials."""
        counts: Counter[str] = Counter()
        for chunk in line_chunks(text):  # not one list of every word of the corpus at once
            counts.update(p for p in split_words(chunk) if p not in SPECIAL_TOKENS)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:max_words]
        return cls([*SPECIAL_TOKENS, *(word for word, _ in ranked)])

    def encode(self, text: str) -> np.ndarray:
        index, unk = self.index, self.unk_id
        return np.array([index.get(p, unk) for p in split_words(text)], dtype=np.int32)

    def decode(self, ids: Iterable[int]) -> str:
        return join_words(self.tokens[int(i)] for i in ids)

    def stream_decoder(self) -> _TokenAppender:
        """Decodes a growing id sequence piece by piece: `add(new ids)` -> the text they append."""
        return _TokenAppender(self.tokens, WordJoiner())


LINE_CHUNK_CHARS = 1 << 20


def line_chunks(text: str, size: int = LINE_CHUNK_CHARS) -> Iterator[str]:
    """Pieces of about `size` characters that every tokenizer splits as it splits the whole text,
    so a large corpus is scanned without temporaries the size of the whole text.

    Each piece ends with a line end followed by a non-space: no word, special token or run of
    spaces is cut, and byte-level BPE's "a space sticks to the next word" is kept.
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        while end != -1 and end + 1 < len(text) and text[end + 1].isspace():
            end = text.find("\n", end + 1)
        end = len(text) if end == -1 else end + 1
        yield text[start:end]
        start = end


def split_words(text: str) -> list[str]:
    """Lower-cased word/punctuation/newline pieces; special tokens kept whole; ’ read as '."""
    pieces = _WORD_PIECES.findall(text.replace("\u2019", "'"))  # typographic apostrophe: don\u2019t
    return [p if p in SPECIAL_TOKENS else p.lower() for p in pieces]


def join_words(pieces: Iterable[str]) -> str:
    """Rejoin pieces with single spaces, except around punctuation and newlines.

    "hello , world ." -> "hello, world." ; "( a )" -> "(a)" ; "3 . 14" -> "3.14" ;
    "<eot>" sticks to the word before.
    """
    joiner = WordJoiner()
    return "".join(joiner.add(piece) for piece in pieces)


class WordJoiner:
    """`join_words` one piece at a time: `add` returns the text the piece appends (its space
    decision depends on the pieces before it, which the joiner remembers), so a streaming reply
    is joined in constant time per word instead of rejoining the whole reply."""

    def __init__(self) -> None:
        self.after_opening = True  # start of text behaves like after an opening mark
        self.open_quotes: set[str] = set()
        self.previous = self.before_previous = ""

    def add(self, piece: str) -> str:
        closing = piece in _CLOSING or piece == END_OF_TURN or piece == "\n"
        if piece in _QUOTES:
            closing = piece in self.open_quotes
            self.open_quotes ^= {piece}
        previous, before_previous = self.previous, self.before_previous
        in_number = (
            piece.isdigit()
            and before_previous.isdigit()
            and (previous in ".:" or (previous == "," and len(piece) == 3))  # 3.14 10:30 1,000
        )
        spaced = not (self.after_opening or closing or in_number)
        self.after_opening = (
            piece == "\n" or piece in _OPENING or (piece in _QUOTES and piece in self.open_quotes)
        )
        self.previous, self.before_previous = piece, previous
        return " " + piece if spaced else piece


class _TokenAppender:
    """Stream decoder of the char and word tokenizers: each id's text, appended in order."""

    def __init__(self, tokens: Sequence[str], joiner: WordJoiner | None = None) -> None:
        self.tokens = tokens
        self.joiner = joiner

    def add(self, ids: Iterable[int]) -> str:
        pieces = (self.tokens[int(i)] for i in ids)
        if self.joiner is None:
            return "".join(pieces)
        return "".join(self.joiner.add(piece) for piece in pieces)


class Tokenizer(Protocol):
    """What the model, trainers, samplers and storage need from any tokenizer."""

    kind: str
    unk_id: int
    eot_id: int

    @property
    def vocab_size(self) -> int: ...

    def encode(self, text: str) -> np.ndarray: ...

    def decode(self, ids: Iterable[int]) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...

    def files(self) -> dict[str, str]: ...


def build_tokenizer(kind: str, text: str, **options: Any) -> Tokenizer:
    """A tokenizer of `kind` ("bpe", "char" or "word") fitted to `text`.

    Options: `vocab_size` for bpe, `max_words` for word.
    """
    if kind == "bpe":
        from hyper_prime_spiral.model.bpe import BpeTokenizer

        return BpeTokenizer.from_text(text, **options)
    if kind == "char":
        return CharTokenizer.from_text(text)
    if kind == "word":
        return WordTokenizer.from_text(text, **options)
    raise TokenizerError(f"unknown tokenizer {kind!r} (expected one of {', '.join(TOKENIZER_KINDS)})")


def tokenizer_from_dict(data: dict[str, Any], files: Mapping[str, str] | None = None) -> Tokenizer:
    """Restore a tokenizer saved with `to_dict()` and `files()`; raises TokenizerError (a ValueError)
    if invalid."""
    if not isinstance(data, dict):
        raise TokenizerError("tokenizer must be a JSON object")
    kind = data.get("kind")
    if kind == "bpe":
        from hyper_prime_spiral.model.bpe import BpeTokenizer

        name = data.get("file")
        if not isinstance(name, str) or files is None or name not in files:
            raise TokenizerError(f"the bpe tokenizer's file {name!r} is missing")
        return BpeTokenizer.from_json(files[name])
    tokens = data.get("tokens")
    if not isinstance(tokens, list):
        raise TokenizerError("tokenizer has no list of tokens")
    if kind == "char":
        return CharTokenizer(tokens)
    if kind == "word":
        return WordTokenizer(tokens)
    raise TokenizerError(f"unknown tokenizer kind {kind!r}")
