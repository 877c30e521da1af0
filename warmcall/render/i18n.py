"""The words of the interface in the configured language (SPEC §6): gettext catalogues.

English is the source: every message is written in English in render/ and cli/, wrapped in
``_()`` (or ``n_()`` for plurals), and ``locale/<lang>/LC_MESSAGES/warmcall.po`` translates
it. Babel, the field's tool for catalogues, extracts the messages and compiles the ``.mo``
files that ship (``python -m warmcall.cli.catalogue`` does both); at run time only the standard
library's ``gettext`` reads them, which costs a few milliseconds, not Babel's hundred.
``tests/render/test_i18n.py`` checks that every message has its translation and that the
shipped ``.mo`` files match their ``.po``.

Dates use the catalogue too: ``%a`` and ``%b`` are rendered in English by ``strftime`` and
translated as words, so the plan stays within its start-up budget.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warmcall.models import Outcome

if TYPE_CHECKING:
    from warmcall.errors import WarmcallError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "warmcall"
LANGUAGES = ("en", "es")
# Where messages are marked: the interface's words, and the errors the core raises (an error
# is an English template and its facts, worded at the edge: ``errors.WarmcallError``).
FOLDERS = ("",)
ERRORS = (
    "WarmcallError", "NotFound", "Ambiguous", "InvalidData", "Refused", "UsageError",
    "ConfigError", "StoreError", "StoreMissing", "NotAStore", "StoreTooNew", "StoreDamaged",
    "StoreBusy", "StoreCrossed", "StoreRefused", "Word", "UnknownProfile",
)  # fmt: skip
# How messages are marked, for extraction.
KEYWORDS = {"_": None, "n_": (1, 2), "nf": (1, 2), "N_": None, "Plural": (1, 2)} | dict.fromkeys(
    ERRORS
)

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def use(language: str) -> None:
    """Speak ``language`` from now on (an unknown one falls back to English)."""
    global _translations, _language
    _language = language if language in LANGUAGES else "en"
    _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def language() -> str:
    return _language


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak ``lang`` for a while (``--json``'s English sentences), then as before."""
    global _translations, _language
    before = _translations, _language
    use(lang)
    try:
        yield
    finally:
        _translations, _language = before


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translations.gettext(message)


def n_(one: str, many: str, n: int) -> str:
    """The singular or plural of a message for ``n``, in the current language."""
    return _translations.ngettext(one, many, n)


def nf(one: str, many: str, n: int) -> str:
    """``n_`` with ``{n}`` filled in, thousands separated: ``nf("{n} call", "{n} calls", 3)``."""
    return n_(one, many, n).format(n=number(n))


_SEPARATORS = str.maketrans(",.", ".,")


def number(value: float, spec: str = ",") -> str:
    """A number as the language writes it, ``spec`` a format spec: 12,345 and 19.4 in
    English, 12.345 and 19,4 in Spanish."""
    written = format(value, spec)
    return written.translate(_SEPARATORS) if _language == "es" else written


def quoted(text: str) -> str:
    """Someone's own words, in the quotation marks of the language: “…” in English, «…» in
    Spanish."""
    return _("“{text}”").format(text=text)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is declared; ``_()`` translates it later."""
    return message


# Weekday and month abbreviations as ``strftime`` writes them in the C locale.
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip


# The vocabularies a person reads (the CLI and the JSON keep the English values).
# An outcome's words, keyed by the models' codes (``models.Outcome``: the one list of them).
OUTCOMES = {
    Outcome.CONNECTED: N_("connected"),
    Outcome.MEETING: N_("meeting"),
    Outcome.CALLBACK: N_("callback"),
    Outcome.NOT_INTERESTED: N_("not interested"),
    Outcome.VOICEMAIL: N_("voicemail"),
    Outcome.NO_ANSWER: N_("no answer"),
    Outcome.BUSY: N_("busy"),
    Outcome.WRONG_NUMBER: N_("wrong number"),
    Outcome.DO_NOT_CALL: N_("do not call"),
}
OBJECTIONS = {
    "price": N_("price"),
    "timing": N_("timing"),
    "authority": N_("authority"),
    "need": N_("need"),
    "competitor": N_("competitor"),
    "other": N_("other"),
}


def outcome_word(outcome: str) -> str:
    """An outcome as a person reads it, in the current language."""
    return _(OUTCOMES.get(outcome, outcome))  # type: ignore[call-overload]


def outcome_label(value: object) -> str:
    """An outcome as English shows it (its code, as typed at ``call log``) or, in another
    language, in words; nothing for none."""
    if value is None:
        return ""
    return str(value) if language() == "en" else outcome_word(str(value))


def objection_word(objection: str) -> str:
    return _(OBJECTIONS.get(objection, objection))


def strftime(moment: date | datetime, fmt: str) -> str:
    """``moment.strftime(fmt)`` with ``%a`` and ``%b`` in the current language."""
    fmt = fmt.replace("%a", _(WEEKDAYS[moment.weekday()]).replace("%", "%%"))
    fmt = fmt.replace("%b", _(MONTHS[moment.month - 1]).replace("%", "%%"))
    return moment.strftime(fmt)


def long_day(day: date) -> str:
    """A day with its month and year in the current language: 18 nov 2026."""
    return f"{day.day} " + strftime(day, "%b %Y")


def error_words(error: WarmcallError) -> str:
    """An error's sentence in the current language, its days written the same way."""
    return error.words(_, long_day)
