"""The one definition of the chat turn format, shared by the corpus, generation and the chat tab.

    User: why is the sky blue?
    AI: Air scatters blue sunlight more than red.<eot>

Turns of a conversation follow each other line by line; conversations are separated by a
blank line. Only AI turns end with the end-of-turn token, so a reply stops there.

An AI turn may consult the prime engine before it answers (model.prime_tools runs the call):

    User: is 91 prime?
    AI: <calc>isprime 91</calc><result>91 is not prime: 91 = 7 x 13</result> no, 91 = 7 x 13.<eot>

The model writes the call; generation pauses at `</calc>`, the engine's answer is appended as
`<result>...</result>` and the model goes on from there. Only the engine writes results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

USER_ROLE = "User"
AI_ROLE = "AI"
END_OF_TURN = "<eot>"
UNKNOWN = "<unk>"
SPECIAL_TOKENS = (UNKNOWN, END_OF_TURN)
CALL_OPEN, CALL_CLOSE = "<calc>", "</calc>"
RESULT_OPEN, RESULT_CLOSE = "<result>", "</result>"
TOOL_TAGS = (CALL_OPEN, CALL_CLOSE, RESULT_OPEN, RESULT_CLOSE)
#: A reply runs at most this many calls; later ones get a "not run" result.
MAX_CALLS_PER_REPLY = 3

# Tags may come back from a word tokenizer with spaces around them ("<calc> factor 91 </calc>").
_CALL = re.compile(re.escape(CALL_OPEN) + r"(.*?)" + re.escape(CALL_CLOSE), re.DOTALL)
_TOOL_USE = re.compile(
    re.escape(CALL_OPEN) + r"(.*?)" + re.escape(CALL_CLOSE) + r"\s*"
    r"(?:" + re.escape(RESULT_OPEN) + r"(.*?)" + re.escape(RESULT_CLOSE) + r")?",
    re.DOTALL,
)


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
AI_LINE = ROLE_LINES[1]
ROLE_LINE_MAX = max(len(marker) for marker in ROLE_LINES)


def find_role_line(text: str, start: int = 0) -> int:
    """Index of the first role line of `text` at or after `start`, or -1."""
    lower = text.lower()
    hits = [i for marker in ROLE_LINES if (i := lower.find(marker, start)) != -1]
    return min(hits, default=-1)


def answers_a_user(prompt: str) -> bool:
    """True unless `prompt` ends inside an AI turn (its last role line is "AI:" with no
    end-of-turn after it, as every chat prompt does). A raw prompt ("hello", "The sky is")
    may then be answered: the model's first "AI:" line is its answer, not the end of the reply
    (seen from the built-in model: `generate hello` went straight to "\nAI:" and printed nothing
    on one seed in four)."""
    lower = "\n" + prompt.lower()
    last = max(lower.rfind(marker) for marker in ROLE_LINES)
    if last == -1 or not lower.startswith(AI_LINE, last):
        return True
    return END_OF_TURN in lower[last:]


def open_ai_turn(prompt: str) -> str:
    """The AI turn `prompt` ends inside (from its "AI:" on), or "" if it ends in no AI turn."""
    if answers_a_user(prompt):
        return ""
    return prompt[("\n" + prompt.lower()).rfind(AI_LINE) :]


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


def format_call(call: str) -> str:
    return f"{CALL_OPEN}{call}{CALL_CLOSE}"


def format_result(result: str) -> str:
    """The text appended after a call; tags are stripped from `result` so it cannot fake a turn."""
    for tag in (*TOOL_TAGS, *SPECIAL_TOKENS):
        result = result.replace(tag, "")
    return f"{RESULT_OPEN}{' '.join(result.split())}{RESULT_CLOSE}"


@dataclass(frozen=True)
class PendingCall:
    """A call the model has just closed: its text and where the generated text ends after it."""

    text: str
    end: int


def find_closed_call(text: str, start: int = 0) -> PendingCall | None:
    """The first complete `<calc>...</calc>` in `text` at or after `start`, or None."""
    match = _CALL.search(text, start)
    if match is None:
        return None
    return PendingCall(match.group(1).strip(), match.end())


def invented_result(text: str, start: int = 0) -> int:
    """Where the model itself starts writing a `<result>` (only the engine may), or -1."""
    return text.find(RESULT_OPEN, start)


def shown_before_result(text: str) -> int:
    """How much of `text` may be shown: all but a tail that may still grow into `<result>`."""
    start = text.rfind("<", max(0, len(text) - len(RESULT_OPEN)))
    if start != -1 and RESULT_OPEN.startswith(text[start:]) and len(text) - start < len(RESULT_OPEN):
        return start
    return len(text)


@dataclass(frozen=True)
class ToolUse:
    """One call of a reply and the engine's result ("" if the reply ended before the result)."""

    call: str
    result: str


def split_tool_use(reply: str) -> tuple[list[ToolUse], str]:
    """(the calls with their results, the answer text without them) of a reply."""
    uses = [
        ToolUse(" ".join(m.group(1).split()), " ".join((m.group(2) or "").split()))
        for m in _TOOL_USE.finditer(reply)
    ]
    answer = _TOOL_USE.sub("", reply)
    cut = answer.find(CALL_OPEN)  # an unfinished call at the end is not part of the answer
    if cut != -1:
        answer = answer[:cut]
    return uses, answer.strip()


_FINISHED_USE = re.compile(
    re.escape(CALL_OPEN) + r"(.*?)" + re.escape(CALL_CLOSE) + r"\s*"
    + re.escape(RESULT_OPEN) + r"(.*?)" + re.escape(RESULT_CLOSE) + r"\s*",
    re.DOTALL,
)  # fmt: skip
ENGINE_LINE = "[prime engine: {call} -> {result}] "


def readable_reply(text: str) -> str:
    """A reply as the terminal shows it: each finished call as "[prime engine: CALL -> RESULT] ",
    nothing of a call still being written. A longer `text` only ever adds to what this returns,
    so it can be streamed."""
    shown: list[str] = []
    end = 0
    for match in _FINISHED_USE.finditer(text):
        call, result = (" ".join(group.split()) for group in match.groups())
        shown += [text[end : match.start()], ENGINE_LINE.format(call=call, result=result)]
        end = match.end()
    rest = text[end:]
    cut = rest.find(CALL_OPEN)
    if cut == -1:  # hold back a tail that may still grow into "<calc>"
        start = rest.rfind("<", max(0, len(rest) - len(CALL_OPEN)))
        cut = start if start != -1 and CALL_OPEN.startswith(rest[start:]) else len(rest)
    return "".join(shown) + rest[:cut]


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
