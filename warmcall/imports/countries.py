"""A country column's value to an ISO 3166 alpha-2 code, and a number's country.

Names come from CLDR through Babel (English, Spanish, French, German, Portuguese and Italian
names, and its aliases: ``USA``, ``UK``, ``ESP``), codes from phonenumbers' regions: no hand
list to keep. Both tables load only when a file has a country column.
"""

from __future__ import annotations

import re
from functools import cache

from warmcall.leads import fold

LANGUAGES = ("en", "es", "fr", "de", "pt", "it")
_NOT_WORD = re.compile(r"[\W_]+")
_SHARED: dict[str, str | None] = {}  # a number's first digits → its region, for shared codes
_SHARED_LIMIT = 50_000


def _key(text: str) -> str:
    return _NOT_WORD.sub(" ", fold(text)).strip()


@cache
def _names() -> dict[str, str]:
    from babel import Locale
    from babel.core import get_global
    from phonenumbers import SUPPORTED_REGIONS

    names: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_key(name), code)
    for alias, codes in get_global("territory_aliases").items():
        target = codes[0] if isinstance(codes, list | tuple) else codes
        if alias.isalpha() and len(target) == 2 and target.isalpha():
            names.setdefault(_key(alias), target)
    for code in SUPPORTED_REGIONS:
        names.setdefault(code.lower(), code)
    for code in {c for c in names.values()}:
        names.setdefault(code.lower(), code)
    return names


def country_code(text: str | None) -> str | None:
    """``"Estados Unidos"``, ``"United States"``, ``"US"``, ``"usa"`` → ``"US"``; None for
    what is not a country (``"Europe"``, ``"home_country"``)."""
    if not text or not text.strip():
        return None
    key = _key(text)
    found = _names().get(key)
    if found is None and key.startswith("the "):
        found = _names().get(key[4:])
    return found


_UNSEEN = object()
_SHARED_CODE = object()  # a calling code several countries share: the number decides
_BY_HEAD: dict[str, object] = {}


def _region_of_code(head: str) -> object:
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    for size in (1, 2, 3):
        digits = head[1 : 1 + size]
        regions = COUNTRY_CODE_TO_REGION_CODE.get(int(digits)) if digits.isdigit() else None
        if regions:
            if len(regions) > 1:
                return _SHARED_CODE
            return None if regions[0] == "001" else regions[0]
    return None


def country_of_number(e164: str | None) -> str | None:
    """The country a number in E.164 belongs to (``+12125550142`` → ``US``), or None."""
    if not e164 or not e164.startswith("+"):
        return None
    head = e164[:4]  # "+" and three digits settle the calling code (codes are prefix-free)
    region = _BY_HEAD.get(head, _UNSEEN)
    if region is _UNSEEN:
        region = _BY_HEAD[head] = _region_of_code(head)
    if region is not _SHARED_CODE:
        return region  # type: ignore[return-value]
    prefix = e164[:7]  # a shared code (+1, +7, +44…): the area settles the country
    if prefix not in _SHARED:
        import phonenumbers

        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
        except phonenumbers.NumberParseException:
            region = None
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        _SHARED[prefix] = region if region and region != "001" else None
    return _SHARED[prefix]
