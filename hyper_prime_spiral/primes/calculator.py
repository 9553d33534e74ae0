"""The calculator behind the Calculator tab: a button-driven state machine with exact arithmetic.

Numbers are ``fractions.Fraction`` built from the typed digits, so 0.1 + 0.2 shows 0.3 and integer
results stay exact however large they get (up to a bound that counts as overflow). Chained operators
work like a pocket calculator: ``2 + 3 *`` computes 5 before taking the ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

BUTTON_ROWS = (
    ("7", "8", "9", "/"),
    ("4", "5", "6", "*"),
    ("1", "2", "3", "-"),
    ("0", ".", "=", "+"),
    ("C", "CE", "Analyze"),
)
OPERATORS = ("+", "-", "*", "/")
MAX_ENTRY = 40
#: Results with more digits than this count as overflow.
MAX_DIGITS = 60


@dataclass
class Outcome:
    """What one key press produced: a message for the user and/or an integer to analyse."""

    message: str = ""
    error: bool = False
    analyze: int | None = None


class Calculator:
    """State: ``entry`` (digits being typed), ``accumulator`` and ``operator`` pending, ``result``."""

    def __init__(self) -> None:
        self.entry = ""
        self.accumulator: Fraction | None = None
        self.operator: str | None = None
        self.result: Fraction | None = None

    # --- what the display shows ----------------------------------------------------------
    @property
    def display(self) -> str:
        if self.entry:
            return self.entry
        if self.accumulator is not None and self.operator:
            return f"{format_number(self.accumulator)} {self.operator}"
        if self.result is not None:
            return format_number(self.result)
        return "0"

    # --- keys ----------------------------------------------------------------------------
    def press(self, key: str) -> Outcome:
        """Apply one button (a label of BUTTON_ROWS, or 'Backspace'); unknown keys are refused."""
        if key.isdigit() and len(key) == 1:
            return self._type(key)
        if key == ".":
            if "." in self.entry:
                return Outcome()
            return self._type("0." if not self.entry else ".")
        if key in OPERATORS:
            return self._operator(key)
        if key == "=":
            return self._equals()
        if key == "C":
            self.__init__()
            return Outcome()
        if key == "CE":
            self.entry = ""
            return Outcome()
        if key == "Backspace":
            self.entry = self.entry[:-1]
            return Outcome()
        if key == "Analyze":
            return self._analyze()
        return Outcome(f"Unknown calculator key: {key!r}", error=True)

    def _type(self, text: str) -> Outcome:
        if self.operator is None and not self.entry and self.result is not None:
            self.result = None  # typing after '=' starts a new number
        typed = self.entry + text
        if len(typed) > MAX_ENTRY:
            return Outcome(f"At most {MAX_ENTRY} characters", error=True)
        if len(typed) > 1 and typed[0] == "0" and typed[1] != ".":
            typed = typed.lstrip("0") or "0"  # no leading zeros: "007" -> "7"
        self.entry = typed
        return Outcome()

    def _current(self) -> Fraction | None:
        if self.entry:
            return Fraction(self.entry.rstrip(".") or "0")
        return self.result

    def _operator(self, op: str) -> Outcome:
        value = self._current()
        if self.accumulator is not None and self.operator and self.entry:
            outcome = self._apply(value)
            if outcome.error:
                return outcome
        elif value is not None:
            self.accumulator = value
        elif self.accumulator is None:
            self.accumulator = Fraction(0)
        self.entry = ""
        self.operator = op
        return Outcome()

    def _apply(self, value: Fraction | None) -> Outcome:
        """accumulator <operator> value into accumulator; an error leaves the state as it was."""
        assert self.accumulator is not None and self.operator is not None and value is not None
        computed, message = compute(self.accumulator, self.operator, value)
        if computed is None:
            return Outcome(message, error=True)
        self.accumulator = computed
        return Outcome()

    def _equals(self) -> Outcome:
        if self.accumulator is None or self.operator is None:
            return Outcome("Enter a number, an operator and another number first", error=True)
        if not self.entry:
            return Outcome("Enter the second number", error=True)
        outcome = self._apply(self._current())
        if outcome.error:
            return outcome
        self.result, self.accumulator, self.operator, self.entry = self.accumulator, None, None, ""
        outcome.message = f"= {format_number(self.result)}"
        if self.result.denominator == 1 and self.result > 0:
            outcome.analyze = int(self.result)
        return outcome

    def _analyze(self) -> Outcome:
        value = self._current()
        if value is None:
            return Outcome("Nothing to analyse: type a number", error=True)
        if value.denominator != 1 or value <= 0:
            return Outcome("Only positive whole numbers can be analysed", error=True)
        return Outcome(analyze=int(value))


def compute(a: Fraction, op: str, b: Fraction) -> tuple[Fraction | None, str]:
    """(a op b, "") or (None, message) for division by zero and overflow."""
    if op == "/" and b == 0:
        return None, "Division by zero"
    result = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else Fraction(0)}[op]
    if abs(result.numerator) >= 10**MAX_DIGITS or result.denominator >= 10**MAX_DIGITS:
        return None, f"Overflow: the result has more than {MAX_DIGITS} digits"
    return result, ""


def format_number(value: Fraction) -> str:
    """Integers exactly; other values with up to 12 significant digits."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.12g}"
