"""Digit patterns read as automata: the same verdicts as ``re``, and settled prefixes that are."""

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warmcall.phones.digit_patterns import DigitPatterns, Unsupported

# Real shapes from libphonenumber's metadata (Spain's and the USA's), and a few harder ones.
PATTERNS = [
    r"96906(?:0[0-8]|1[1-9]|[2-9]\d)\d\d|9(?:69(?:0[0-57-9]|[1-9]\d)|73(?:[0-8]\d|9[1-9]))\d{4}",
    r"9(?:6906(?:09|10)|7390\d\d)\d\d|(?:6\d|7[1-48])\d{7}",
    r"8(?:00|33|44|55|66|77|88)[2-9]\d{6}",
    r"[2-9]\d{9}|3\d{6}",
    r"1\d{2,4}|[^0-4]5?",
    r"0(?:12)*3\d+",
]
digit_strings = st.text("0123456789", max_size=11)


@given(st.sampled_from(PATTERNS), st.booleans(), digit_strings)
def test_the_automaton_matches_what_re_matches(regex: str, prefix: bool, digits: str) -> None:
    automaton = DigitPatterns([(regex, prefix)])
    expected = (re.match if prefix else re.fullmatch)(regex, digits) is not None
    assert (0 in automaton.outcome(automaton.path(digits)[-1], 0)) == expected  # type: ignore[operator]


@pytest.mark.parametrize("size", [3, 4])
def test_a_settled_prefix_decides_every_number_that_starts_with_it(size: int) -> None:
    automaton = DigitPatterns([(r, False) for r in PATTERNS[3:]] + [(PATTERNS[4], True)])
    numbers = ["".join(d) for d in itertools.product("0123456789", repeat=size)]
    verdicts = {n: automaton.outcome(automaton.path(n)[-1], 0) for n in numbers}
    for k in range(size + 1):
        seen: dict[str, set] = {}
        for number in numbers:
            seen.setdefault(number[:k], set()).add(verdicts[number])
        for head, outcomes in seen.items():
            settled = automaton.outcome(automaton.path(head)[-1], size - k)
            assert (settled is not None) == (len(outcomes) == 1), head
            if settled is not None:
                assert outcomes == {settled}


def test_patterns_beyond_digits_are_refused() -> None:
    with pytest.raises(Unsupported):
        DigitPatterns([(r"(?=1)\d", False)])
    with pytest.raises(Unsupported):
        DigitPatterns([(r"[\w]", False)])
