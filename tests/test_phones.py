"""Phone numbers: normalised for de-duplication, never a reason to reject a lead."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warmcall import phones


@pytest.mark.parametrize(
    "raw, region, e164",
    [
        ("612 345 678", "ES", "+34612345678"),
        ("+34 612-345-678", None, "+34612345678"),
        ("0034 612 345 678", None, "+34612345678"),
        ("(212) 555-0100", "US", "+12125550100"),
        ("+1 212 555 0100", "ES", "+12125550100"),
    ],
)
def test_numbers_normalise_to_e164(raw: str, region: str | None, e164: str):
    assert phones.normalise(raw, region) == (e164, None)


@pytest.mark.parametrize("raw, region", [("612 345 678", None), ("call me", "ES"), ("12", "ES")])
def test_unreadable_numbers_are_flagged_not_rejected(raw: str, region: str | None):
    assert phones.normalise(raw, region) == (None, phones.UNPARSED)


def test_zone_only_when_the_number_has_exactly_one():
    assert phones.zone_for("+12125550100") == "America/New_York"
    assert phones.zone_for("+34612345678") is None  # a Spanish mobile: Madrid or Canaries


@given(st.text(max_size=40), st.sampled_from([None, "ES", "US", "FR", "GB"]))
def test_any_text_either_normalises_or_is_flagged(raw: str, region: str | None):
    e164, flag = phones.normalise(raw, region)
    if not raw.strip():
        assert (e164, flag) == (None, None)
    else:
        assert (e164 is None) == (flag == phones.UNPARSED)
        if e164:
            assert e164.startswith("+") and e164[1:].isdigit()
            assert phones.normalise(e164, None) == (e164, None)  # idempotent
