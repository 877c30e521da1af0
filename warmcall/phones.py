"""Phone numbers: normalised to E.164 for de-duplication, and the zone they ring in.

phonenumbers (Google's libphonenumber) does the work: numbering plans change every month and
are no job for hand-written rules.
"""

from __future__ import annotations

from functools import lru_cache

UNPARSED = "unparsed"  # kept as given: no region could be inferred, or not a possible number
WRONG_NUMBER = "wrong-number"  # a call reached someone else


def normalise(raw: str | None, region: str | None) -> tuple[str | None, str | None]:
    """``(e164, flag)`` for a number as typed: flag is None when it normalised cleanly."""
    if raw is None or not raw.strip():
        return None, None
    import phonenumbers

    text = raw.strip()
    if text.startswith("00") and not region:
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None, UNPARSED
    if not phonenumbers.is_possible_number(number):
        return None, UNPARSED
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def digits(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


@lru_cache(maxsize=4096)
def zone_for(e164: str | None) -> str | None:
    """The IANA zone of a number when it has exactly one (a +1 212 number: New York)."""
    if not e164:
        return None
    import phonenumbers
    from phonenumbers import timezone as pn_timezone

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    zones = [z for z in pn_timezone.time_zones_for_number(number) if z != "Etc/Unknown"]
    return zones[0] if len(zones) == 1 else None


def display(e164: str | None, raw: str | None) -> str:
    """The number as a person reads it: international format, or as given."""
    if not e164:
        return raw or ""
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
