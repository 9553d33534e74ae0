"""`hyper-prime-spiral chat`: talk to a model in the terminal, like `ollama run`.

In a terminal: a `>>> ` prompt, the reply streams in as it is generated. When standard input is
not a terminal (a pipe, a file), every input line is one user message and each reply is printed
on one line when it is done (each prime-engine call as "[prime engine: CALL -> RESULT]"); with `--json`,
one JSON object per reply instead: the answer without the calls, and the calls with their
results under "tools". Slash commands work in both:
/bye, /clear, /set NAME VALUE, /save FILE, /help. The conversation goes through the same
`ChatSession` as the LLM tab, so prompts, truncation and the end of a reply are the same.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from hyper_prime_spiral.commands import UsageError
from hyper_prime_spiral.commands.arguments import add_sampling_arguments, positive_int
from hyper_prime_spiral.model.chat_format import readable_reply, split_tool_use
from hyper_prime_spiral.model.chat_session import ChatSession
from hyper_prime_spiral.model.sampling import SamplingError, SamplingSettings

POLL_S = 0.02
HELP = """Commands:
  /bye                 leave the chat
  /clear               forget the conversation so far
  /set NAME VALUE      temperature, top_k, top_p, max_tokens or seed (seed random = a new seed each reply)
  /save FILE           write the conversation to FILE as Markdown
  /help                this list
Anything else is a message to the model."""
_SETTINGS = {
    "temperature": ("temperature", float),
    "top_k": ("top_k", int),
    "top-k": ("top_k", int),
    "top_p": ("top_p", float),
    "top-p": ("top_p", float),
    "max_tokens": ("max_tokens", int),
    "max-tokens": ("max_tokens", int),
    "seed": ("seed", int),
}


class ChatCommandError(ValueError):
    """A slash command that cannot be done (the message says why; the chat goes on in a terminal)."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "chat",
        help="chat with a model in the terminal (one message per line when input is piped)",
        description=__doc__.splitlines()[0],
    )
    p.add_argument(
        "--model",
        dest="model_dir",
        metavar="DIR",
        help=(
            "model directory, or a name `models` lists"
            " (default: the model start-up would load, the built-in one last)"
        ),
    )
    add_sampling_arguments(
        p, seed_help="sampling seed (default: a new one for every reply)", max_tokens_type=positive_int
    )
    p.add_argument("--json", action="store_true", help="one JSON object per reply (for scripts)")


def run(args: argparse.Namespace) -> int:
    try:
        settings = SamplingSettings(
            temperature=args.temperature,
            top_k=args.top_k,
            top_p=args.top_p,
            max_tokens=args.max_tokens,
            seed=args.seed,
            guard_numbers=args.guard_numbers,
        )
    except SamplingError as exc:
        raise UsageError(str(exc)) from None
    bundle, message = load_chat_model(args.model_dir or getattr(args, "model", None))
    session = ChatSession(bundle)
    session.settings = settings
    interactive = sys.stdin.isatty() and not args.json
    chat = TerminalChat(session, sys.stdout, interactive=interactive, json_lines=args.json)
    if interactive:
        sys.stdout.write(f"{message}. Type a message, /help for commands, /bye to leave.\n")
    return chat.run(sys.stdin)


def load_chat_model(model_dir: str | None) -> tuple[Any, str]:
    """The model named by --model, else the one start-up would load; UsageError when there is none."""
    from hyper_prime_spiral.storage.model_dir import ModelFileError, load_model
    from hyper_prime_spiral.storage.search import resolve_model_reference

    if model_dir:
        try:
            bundle = load_model(resolve_model_reference(model_dir))
        except ModelFileError as exc:
            raise UsageError(str(exc)) from None
        return bundle, f"Loaded model '{bundle.name}' from {bundle.path.parent}"
    from hyper_prime_spiral.storage.search import load_newest_model

    found = load_newest_model()
    if found.bundle is None:
        raise UsageError(f"{found.message}; train one or pass --model DIR")
    return found.bundle, found.message


@dataclass
class Reply:
    """One finished answer, as `--json` prints it."""

    user: str
    reply: str
    tools: list[dict[str, str]]
    tokens: int
    tokens_per_s: float

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "reply",  # like every --json line of the CLI
            "user": self.user,
            "reply": self.reply,
            "tools": self.tools,
            "tokens": self.tokens,
            "tokens_per_s": round(self.tokens_per_s, 2),
        }


class TerminalChat:
    """The read-answer loop; `interactive` streams replies and shows a prompt, otherwise one reply
    per input line (plain text or, with `json_lines`, one JSON object)."""

    PROMPT = ">>> "

    def __init__(self, session: ChatSession, out: TextIO, interactive: bool, json_lines: bool) -> None:
        self.session = session
        self.out = out
        self.interactive = interactive
        self.json_lines = json_lines

    def run(self, lines: TextIO) -> int:
        """Chat until /bye or the end of input. A bad slash command ends a piped run with status 2."""
        while True:
            if self.interactive:
                self.out.write(self.PROMPT)
                self.out.flush()
            line = lines.readline()
            if not line:
                if self.interactive:
                    self.out.write("\n")
                return 0
            text = line.strip()
            if not text:
                continue
            try:
                if text.startswith("/"):
                    if self.command(text) == "bye":
                        return 0
                    continue
                self.answer(text)
            except ChatCommandError as exc:
                if not self.interactive:
                    raise UsageError(str(exc)) from None
                self.out.write(f"{exc}\n")
            except KeyboardInterrupt:
                self.session.stop()  # Ctrl+C ends the reply being written, not the chat
                self.out.write("\n")
                if not self.interactive:
                    raise

    def command(self, text: str) -> str | None:
        """Run a slash command; returns "bye" to leave. ChatCommandError for a bad one."""
        name, _, rest = text.partition(" ")
        rest = rest.strip()
        if name in ("/bye", "/exit", "/quit"):
            return "bye"
        if name == "/help" or name == "/?":
            if not self.json_lines:
                self.out.write(HELP + "\n")
            return None
        if name == "/clear":
            self.session.clear()
            if self.interactive:
                self.out.write("Cleared the conversation.\n")
            return None
        if name == "/set":
            self.set_value(rest)
            return None
        if name == "/save":
            self.save(rest)
            return None
        raise ChatCommandError(f"unknown command {name!r} (type /help for the list)")

    def set_value(self, rest: str) -> None:
        parts = rest.split()
        if len(parts) != 2:
            raise ChatCommandError("usage: /set NAME VALUE (temperature, top_k, top_p, max_tokens, seed)")
        name, value = parts[0].lower(), parts[1]
        if name not in _SETTINGS:
            raise ChatCommandError(
                f"/set: unknown setting {name!r} (temperature, top_k, top_p, max_tokens, seed)"
            )
        field, kind = _SETTINGS[name]
        if field == "seed" and value.lower() in ("random", "none"):
            number: Any = None
        else:
            try:
                number = kind(value)
            except ValueError:
                raise ChatCommandError(f"/set {name}: {value!r} is not a valid number") from None
        try:
            self.session.settings = self.session.settings.with_changes(**{field: number})
        except SamplingError as exc:
            raise ChatCommandError(f"/set {name}: {exc}") from None
        if self.interactive:
            self.out.write(f"Set {field} to {'random' if number is None else number}.\n")

    def save(self, rest: str) -> None:
        if not rest:
            raise ChatCommandError("usage: /save FILE")
        path = Path(rest).expanduser()
        try:
            path.write_text(conversation_markdown(self.session), encoding="utf-8")
        except OSError as exc:
            raise ChatCommandError(f"/save: cannot write {path}: {exc.strerror or exc}") from None
        if self.interactive:
            self.out.write(f"Saved the conversation to {path}.\n")

    def answer(self, text: str) -> Reply:
        """Send one message, wait for the reply (streaming it in a terminal), print it."""
        session = self.session
        try:
            session.send(text)
        except ValueError as exc:
            raise ChatCommandError(str(exc)) from None
        shown = ""
        while session.generating:
            session.poll()
            if self.interactive:
                shown = self._stream(readable_reply(session.pending_reply or ""), shown)
            time.sleep(POLL_S)
        session.poll()
        if session.last_error:
            raise ChatCommandError(session.last_error)
        final = session.last_reply or ""
        uses, answer = split_tool_use(final)
        tools = [{"call": use.call, "result": use.result} for use in uses]
        reply = Reply(text, answer, tools, session.last_tokens, session.last_tokens_per_s or 0.0)
        if self.interactive:
            self._stream(readable_reply(final), shown)
            self.out.write("\n\n")
        elif self.json_lines:
            self.out.write(json.dumps(reply.to_json()) + "\n")
        else:
            self.out.write(readable_reply(final).strip().replace("\n", " ") + "\n")
        self.out.flush()
        return reply

    def _stream(self, visible: str, shown: str) -> str:
        """Print what `visible` adds to what is already on screen (a shorter text prints nothing)."""
        if visible.startswith(shown) and len(visible) > len(shown):
            self.out.write(visible[len(shown) :])
            self.out.flush()
            return visible
        return shown


def conversation_markdown(session: ChatSession) -> str:
    """The conversation as Markdown, as the LLM tab's Save chat writes it."""
    from hyper_prime_spiral.storage.chat_log import Conversation, to_markdown

    name = getattr(session.bundle, "name", "model")
    return to_markdown(Conversation(tuple(session.history), name))
