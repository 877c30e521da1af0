"""Whether digit patterns' verdicts on a number are already settled by its first digits.

libphonenumber tells a number's type (fixed line, mobile, toll-free…) with regular expressions
over its national digits, and of a plain kind: digits, digit classes, groups, alternatives and
bounded repeats. ``DigitPatterns`` compiles a country's into one automaton over the ten digits,
so it can say of a prefix and a length which patterns every number so shaped matches, or that
it depends on digits further on. A type found for one number then holds, exactly, for every
number of the same length that shares its settled prefix (``phones`` keeps the zones that way).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:  # the stdlib's own regex parser: private, so a Python that moves it only loses the cache
    from re import _constants as sre
    from re import _parser
except ImportError:  # pragma: no cover - depends on the Python version
    sre = _parser = None  # type: ignore[assignment]

DIGITS = "0123456789"
_ALL = frozenset(DIGITS)
States = frozenset[int]
MEMO = 200_000  # steps and outcomes remembered, per country code


class Unsupported(ValueError):
    """A pattern with more than digits, classes, groups, alternatives and repeats."""


class DigitPatterns:
    """Regular expressions over ASCII digits, read together as one set-of-states automaton.

    Each is given with ``prefix=True`` to be read as ``re.match`` reads it (any digits may
    follow a match), else as ``re.fullmatch``.
    """

    def __init__(self, patterns: Iterable[tuple[str, bool]]) -> None:
        if _parser is None:
            raise Unsupported("this Python's regex parser is not where it was")
        self.moves: list[list[tuple[frozenset[str], int]]] = []
        self.skips: list[list[int]] = []
        self.ends: dict[int, int] = {}  # final state → the pattern it ends
        first = self._state()
        for index, (regex, prefix) in enumerate(patterns):
            begin = self._state()
            self.skips[first].append(begin)
            end = self._sequence(_parser.parse(regex), begin)
            if prefix:
                self.moves[end].append((_ALL, end))
            self.ends[end] = index
        self.start = self._closure({first})
        self._steps: dict[tuple[States, str], States] = {}
        self._outcomes: dict[tuple[States, int], frozenset[int] | None] = {}

    def path(self, digits: str) -> list[States]:
        """The states after each prefix of ``digits``, the empty prefix first."""
        states = [self.start]
        for digit in digits:
            states.append(self.step(states[-1], digit))
        return states

    def step(self, states: States, digit: str) -> States:
        key = (states, digit)
        found = self._steps.get(key)
        if found is None:
            if len(self._steps) > MEMO:
                self._steps.clear()
            reached = {t for s in states for chars, t in self.moves[s] if digit in chars}
            found = self._steps[key] = self._closure(reached)
        return found

    def outcome(self, states: States, remaining: int) -> frozenset[int] | None:
        """The patterns that match whichever ``remaining`` digits are read from ``states``,
        or None when which ones match depends on the digits."""
        key = (states, remaining)
        if key in self._outcomes:
            return self._outcomes[key]
        found: frozenset[int] | None
        if remaining == 0:
            found = frozenset(self.ends[s] for s in states if s in self.ends)
        elif not states:
            found = frozenset()
        else:
            found = self.outcome(self.step(states, "0"), remaining - 1)
            for digit in DIGITS[1:]:
                if found is None or self.outcome(self.step(states, digit), remaining - 1) != found:
                    found = None
                    break
        if len(self._outcomes) > MEMO:
            self._outcomes.clear()
        self._outcomes[key] = found
        return found

    # --- building -------------------------------------------------------------------------

    def _state(self) -> int:
        self.moves.append([])
        self.skips.append([])
        return len(self.moves) - 1

    def _closure(self, states: set[int]) -> States:
        todo = list(states)
        while todo:
            for nxt in self.skips[todo.pop()]:
                if nxt not in states:
                    states.add(nxt)
                    todo.append(nxt)
        return frozenset(states)

    def _sequence(self, items: Any, at: int) -> int:
        for op, arg in items:
            at = self._item(op, arg, at)
        return at

    def _item(self, op: Any, arg: Any, at: int) -> int:
        if op is sre.LITERAL or op is sre.IN:
            chars = frozenset({chr(arg)}) & _ALL if op is sre.LITERAL else _digit_class(arg)
            nxt = self._state()
            self.moves[at].append((chars, nxt))
            return nxt
        if op is sre.SUBPATTERN:
            return self._sequence(arg[3], at)
        if op is sre.BRANCH:
            end = self._state()
            for alternative in arg[1]:
                begin = self._state()
                self.skips[at].append(begin)
                self.skips[self._sequence(alternative, begin)].append(end)
            return end
        if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
            low, high, body = arg
            for _ in range(low):
                at = self._sequence(body, at)
            if high == sre.MAXREPEAT:
                loop = self._state()
                self.skips[at].append(loop)
                self.skips[self._sequence(body, loop)].append(loop)
                return loop
            end = self._state()
            for _ in range(high - low):
                self.skips[at].append(end)
                at = self._sequence(body, at)
            self.skips[at].append(end)
            return end
        raise Unsupported(f"{op} in a digit pattern")


def _digit_class(items: Any) -> frozenset[str]:
    chars: set[str] = set()
    negate = False
    for op, arg in items:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is sre.CATEGORY and arg is sre.CATEGORY_DIGIT:
            chars.update(DIGITS)
        elif op is sre.NEGATE:
            negate = True
        else:
            raise Unsupported(f"{op} in a character class")
    return _ALL - chars if negate else _ALL & chars
