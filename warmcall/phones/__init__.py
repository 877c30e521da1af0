"""Phone numbers: normalised to E.164 for de-duplication, and the zone they ring in.

phonenumbers (Google's libphonenumber) does the work: numbering plans change every month and
are no job for hand-written rules. Parsing is most of what an import costs, so ``read`` parses
a number once and answers everything the store keeps about it from that one parse.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from warmcall.phones.digit_patterns import DigitPatterns, Unsupported

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

UNPARSED = "unparsed"  # kept as given: no region could be inferred, or not a possible number
WRONG_NUMBER = "wrong-number"  # a call reached someone else


class Phone(NamedTuple):
    """What the store keeps about a number as typed: its E.164 form, a flag when it has none,
    and the zone it rings in when it has exactly one."""

    e164: str | None
    flag: str | None
    zone: str | None


NO_PHONE = Phone(None, None, None)
_UNREADABLE = Phone(None, UNPARSED, None)


def read(raw: str | None, region: str | None) -> Phone:
    """E.164 form, flag and zone of a number as typed, from a single parse."""
    if raw is None or not raw.strip():
        return NO_PHONE
    number = _parse(raw, region)
    if number is None:
        return _UNREADABLE
    import phonenumbers

    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, None, _zone(number))


def normalise(raw: str | None, region: str | None) -> tuple[str | None, str | None]:
    """``(e164, flag)`` for a number as typed: flag is None when it normalised cleanly."""
    if raw is None or not raw.strip():
        return None, None
    number = _parse(raw, region)
    if number is None:
        return None, UNPARSED
    import phonenumbers

    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def _parse(raw: str, region: str | None) -> PhoneNumber | None:
    """The number as libphonenumber reads it, or None when it is not a possible number."""
    import phonenumbers

    text = raw.strip()
    if text.startswith("00") and not region:
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number(number):
        return number
    return _without_legacy_prefix(number)


# Prefixes a country's numbering plan dropped, still typed after the country code: Mexico's
# ``1`` before a mobile number (``+52 1 33 1234 5678``, gone since 2019–2020).
_LEGACY_PREFIXES = {52: "1"}


def _without_legacy_prefix(number: PhoneNumber) -> PhoneNumber | None:
    """A number written with a prefix its plan no longer has — a dropped legacy prefix or
    the national trunk prefix kept after the country code (``+44 0 20…``) — as the valid
    number it stands for, or None when removing it gives no valid number either."""
    import phonenumbers

    national = phonenumbers.national_significant_number(number)
    meta = phonenumbers.PhoneMetadata.metadata_for_region(
        phonenumbers.region_code_for_country_code(number.country_code)
    )
    prefixes = [_LEGACY_PREFIXES.get(number.country_code), meta and meta.national_prefix]
    for prefix in filter(None, prefixes):
        if national.startswith(prefix) and len(national) > len(prefix):
            found = phonenumbers.PhoneNumber(
                country_code=number.country_code, national_number=int(national[len(prefix) :])
            )
            if phonenumbers.is_valid_number(found):
                return found
    return None


def digits(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


@lru_cache(maxsize=4096)
def zone_for(e164: str | None) -> str | None:
    """The IANA zone of a number when it has exactly one (a +1 212 number: New York)."""
    if not e164:
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    return _zone(number)


def _zone(number: PhoneNumber) -> str | None:
    """The one zone of a parsed number, or None."""
    zones = _zones(number)
    return zones[0] if len(zones) == 1 else None


@lru_cache(maxsize=65536)
def zones_for(e164: str | None) -> tuple[str, ...]:
    """The IANA zones of a number's area (one for a +1 212 number, two for an area across
    a zone line), or none when the number tells no more than its country (a mobile of a
    country of several zones) or phonenumbers does not say. An E.164 number is split
    at its calling code rather than parsed: a plan asks this of every lead without a zone."""
    if not e164 or not e164.startswith("+") or not e164[1:].isdigit():
        return ()
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneNumber

    for size in (1, 2, 3):
        code = int(e164[1 : 1 + size])
        national = e164[1 + size :]
        if code in COUNTRY_CODE_TO_REGION_CODE and national:
            zeros = len(national) - len(national.lstrip("0"))  # Italy's 06…: kept, as parse does
            number = PhoneNumber(country_code=code, national_number=int(national))
            if zeros:
                number.italian_leading_zero, number.number_of_leading_zeros = True, zeros
            return _zones(number)
    return ()


def _zones(number: PhoneNumber) -> tuple[str, ...]:
    """``phonenumbers.timezone.time_zones_for_number``, step by step, with the number's type
    (its costly part) remembered by settled prefix."""
    import phonenumbers
    import phonenumbers.timezone

    kind = _number_type(number)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return ()
    if phonenumbers.is_number_type_geographical(kind, number.country_code):
        zones = phonenumbers.timezone.time_zones_for_geographical_number(number)
    else:  # a mobile or service number rings wherever its country does
        country = getattr(phonenumbers.timezone, "_country_level_time_zones_for_number", None)
        zones = (country or phonenumbers.timezone.time_zones_for_number)(number)
        if len(zones) > 1:  # it says no more than its country (whose list may be short)
            return ()
    return tuple(z for z in zones if z != phonenumbers.timezone.UNKNOWN_TIMEZONE)


# A number's type by (country code, national length, settled prefix): every number of that
# length that starts with that prefix matches the same patterns of its country, so it has the
# same type. ``None`` in ``_PATTERNS``: a country whose patterns ``DigitPatterns`` cannot read,
# whose numbers are typed one by one.
_TYPES: dict[tuple[int, int, str], int] = {}
_PATTERNS: dict[int, DigitPatterns | None] = {}
_KNOWN_TYPES = 100_000


def _number_type(number: PhoneNumber) -> int:
    """``phonenumbers.number_type``, looked up by the number's settled prefix when it can be:
    a file of 100,000 numbers types a few hundred, not 100,000."""
    import phonenumbers

    digits = phonenumbers.national_significant_number(number)
    code, size = number.country_code, len(digits)
    for k in range(size + 1):
        kind = _TYPES.get((code, size, digits[:k]))
        if kind is not None:
            return kind
    kind = phonenumbers.number_type(number)
    settled = _settled_at(code, digits)
    if settled is not None and len(_TYPES) < _KNOWN_TYPES:
        _TYPES[(code, size, digits[:settled])] = kind
    return kind


def _settled_at(code: int, digits: str) -> int | None:
    """How many of ``digits`` settle every pattern of the country, or None if unknown."""
    patterns = _patterns(code)
    if patterns is None:
        return None
    path = patterns.path(digits)
    k = len(digits)
    while k > 0 and patterns.outcome(path[k - 1], len(digits) - k + 1) is not None:
        k -= 1
    return k


def _patterns(code: int) -> DigitPatterns | None:
    """Every digit pattern ``number_type`` may consult for a country code (the metadata of
    each region that shares it), read once."""
    if code not in _PATTERNS:
        from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata, PhoneNumberDesc

        sources: set[tuple[str, bool]] = set()
        for region in COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
            meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            if meta is None:
                continue
            if meta.leading_digits:
                sources.add((meta.leading_digits, True))
            for desc in vars(meta).values():
                if isinstance(desc, PhoneNumberDesc) and desc.national_number_pattern:
                    sources.add((desc.national_number_pattern, False))
        try:
            _PATTERNS[code] = DigitPatterns(sorted(sources))
        except Unsupported:
            _PATTERNS[code] = None
    return _PATTERNS[code]


def display(e164: str | None, raw: str | None, home: str | None = None) -> str:
    """The number as a person dials it: the national format for a number of the user's own
    country (``home``), the international one for others, or as given when unread."""
    if not e164:
        return raw or ""
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    national = home is not None and phonenumbers.region_code_for_number(number) == home.upper()
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL)
