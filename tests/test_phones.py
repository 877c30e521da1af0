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


@given(st.text(max_size=40), st.sampled_from([None, "ES", "US", "FR", "GB", "MX"]))
def test_one_read_agrees_with_normalise_and_zone_for(raw: str, region: str | None):
    found = phones.read(raw, region)
    assert (found.e164, found.flag) == phones.normalise(raw, region)
    assert found.zone == phones.zone_for(found.e164)


@given(
    st.sampled_from(
        [
            "+1 212 555 ",
            "+1 (310) 555-",
            "612 ",
            "+34 91 ",
            "+34 928 ",
            "+44 20 ",
            "+33 1 ",
            "+52 55 ",
            "+61 2 ",
            "+7 495 ",
            "+91 22 ",
        ]
    ),  # fmt: skip
    st.text("0123456789", min_size=3, max_size=8),
)
def test_numbers_of_every_kind_read_like_the_library(prefix: str, digits: str):
    _library_agrees(prefix + digits)


def test_example_numbers_of_every_region_get_the_librarys_zone():
    """The zone cache by settled prefix gives what ``time_zones_for_number`` gives, for each
    region's example numbers of each type and for the same with their last digits changed."""
    import phonenumbers

    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
                     phonenumbers.PhoneNumberType.TOLL_FREE):  # fmt: skip
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            for changed in (e164, e164[:-2] + "00", e164[:-3] + "999", e164[:-1]):
                _library_agrees(changed)


def _library_agrees(text: str) -> None:
    import phonenumbers
    from phonenumbers import timezone

    found = phones.read(text, "ES")
    if found.e164 is None:
        return
    number = phonenumbers.parse(found.e164)
    zones = [z for z in timezone.time_zones_for_number(number) if z != "Etc/Unknown"]
    assert found.zone == (zones[0] if len(zones) == 1 else None), text
