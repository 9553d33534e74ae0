"""The one definition of the chat turn format, shared by the corpus, generation and the chat tab.

    User: why is the sky blue?
    AI: Air scatters blue sunlight more than red.<eot>

Turns of a conversation follow each other line by line; conversations are separated by a
blank line. Only AI turns end with the end-of-turn token, so a reply stops there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

USER_ROLE = "User"
AI_ROLE = "AI"
END_OF_TURN = "<eot>"
UNKNOWN = "<unk>"
SPECIAL_TOKENS = (UNKNOWN, END_OF_TURN)


class ChatFormatError(ValueError):
    """A line of a chat corpus that is not a valid turn."""


@dataclass(frozen=True)
class Turn:
    role: str  # USER_ROLE or AI_ROLE
    text: str


def format_turn(turn: Turn) -> str:
    """One line of the corpus/prompt for a turn (AI turns carry the end-of-turn token)."""
    text = " ".join(turn.text.split())
    suffix = END_OF_TURN if turn.role == AI_ROLE else ""
    return f"{turn.role}: {text}{suffix}\n"


def format_conversation(turns: Iterable[Turn]) -> str:
    return "".join(format_turn(t) for t in turns)


def build_prompt(history: Sequence[Turn], message: str) -> str:
    """The text given to the model: the conversation so far, the new message, then "AI:"."""
    return format_conversation([*history, Turn(USER_ROLE, message)]) + f"{AI_ROLE}:"


# A line that starts a turn ends the reply being generated: the next user turn, or a second
# AI turn (seen from a 10-minute word model: "i am a small language models.\nai: a language
# model predicts..."). Markers count at the start of a line only, in any case (the word
# tokenizer lower-cases).
ROLE_LINES = tuple(f"\n{role.lower()}:" for role in (USER_ROLE, AI_ROLE))
ROLE_LINE_MAX = max(len(marker) for marker in ROLE_LINES)


def find_role_line(text: str, start: int = 0) -> int:
    """Index of the first role line of `text` at or after `start`, or -1."""
    lower = text.lower()
    hits = [i for marker in ROLE_LINES if (i := lower.find(marker, start)) != -1]
    return min(hits, default=-1)


def may_become_role_line(line: str) -> bool:
    """True if `line` (text from a newline on) is, or may still grow into, a role line."""
    lower = line.lower()
    return any(marker.startswith(lower) or lower.startswith(marker) for marker in ROLE_LINES)


def clean_reply(text: str) -> str:
    """Cut a generated reply at the end-of-turn token or at a role line (the same rule
    `sampling.stream` applies while generating)."""
    cut = text.find(END_OF_TURN)
    if cut != -1:
        text = text[:cut]
    cut = find_role_line(text)
    if cut != -1:
        text = text[:cut]
    return text.strip()


def parse_chat_corpus(text: str) -> list[list[Turn]]:
    """Conversations of a chat corpus; raises ChatFormatError naming the bad line."""
    conversations: list[list[Turn]] = []
    current: list[Turn] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                conversations.append(current)
                current = []
            continue
        role, sep, rest = line.partition(": ")
        if not sep or role not in (USER_ROLE, AI_ROLE):
            raise ChatFormatError(f"line {number}: expected 'User: ...' or 'AI: ...', got {line!r}")
        if role == AI_ROLE:
            if not rest.endswith(END_OF_TURN):
                raise ChatFormatError(f"line {number}: AI turn does not end with {END_OF_TURN}")
            rest = rest[: -len(END_OF_TURN)]
        if not rest.strip() or END_OF_TURN in rest:
            raise ChatFormatError(f"line {number}: empty or malformed turn text")
        expected = USER_ROLE if not current or current[-1].role == AI_ROLE else AI_ROLE
        if role != expected:
            raise ChatFormatError(f"line {number}: expected a {expected} turn, got {role}")
        current.append(Turn(role, rest.strip()))
    if current:
        conversations.append(current)
    for conv in conversations:
        if conv[-1].role != AI_ROLE:
            raise ChatFormatError("a conversation ends with a User turn and no AI answer")
    return conversations
