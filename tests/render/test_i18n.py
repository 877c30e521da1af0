"""The interface's catalogues: every message translated, placeholders kept, .mo up to date."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest

from warmcall.cli.catalogue import app_help
from warmcall.render import i18n

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

ROOT = Path(i18n.__file__).resolve().parents[1]
FIELD = re.compile(r"\{[^{}]*\}")


def marked() -> set[str]:
    """Every message the code marks for translation, as Babel extracts it."""
    found = set()
    for folder in i18n.FOLDERS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=i18n.KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found | set(app_help())


@pytest.mark.parametrize("lang", i18n.LANGUAGES[1:])
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    po = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "warmcall.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{ids[0]!r} has no {lang} translation"
        for form, text in enumerate(strings):
            fields = set(FIELD.findall(ids[-1]))
            # The form for one may say "one" in words: "la mejor" for "the best {n}".
            may_drop = {"{n}"} if len(ids) > 1 and form == 0 else set()
            assert fields - may_drop <= set(FIELD.findall(text)) <= fields, ids[0]
        translated[ids[0]] = strings
    missing = marked() - set(translated)
    assert not missing, f"run `python -m warmcall.cli.catalogue` and translate: {sorted(missing)}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES[1:])
def test_the_shipped_mo_is_the_compiled_po(lang: str) -> None:
    folder = i18n.LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "warmcall.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    fresh = io.BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    with (folder / "warmcall.mo").open("rb") as fh:
        shipped = gettext.GNUTranslations(fh)
    compiled = gettext.GNUTranslations(fresh)
    assert shipped._catalog == compiled._catalog  # type: ignore[attr-defined]


def test_dates_and_plurals_follow_the_language() -> None:
    from datetime import date

    try:
        i18n.use("es")
        assert i18n.strftime(date(2026, 11, 25), "%a %d %b") == "mié 25 nov"
        assert i18n.nf("{n} call", "{n} calls", 1) == "1 llamada"
        assert (
            i18n.nf("{n} call", "{n} calls", 1200) == "1.200 llamadas"
        )  # a Spanish thousands point
        i18n.use("en")
        assert i18n.strftime(date(2026, 11, 25), "%a %d %b") == "Wed 25 Nov"
        assert i18n.nf("{n} call", "{n} calls", 3) == "3 calls"
    finally:
        i18n.use("en")


def test_no_error_formats_its_own_message() -> None:
    """An error's message is a template and its facts, so the edge can word it: a raise of a
    warmcall error with an f-string would reach a Spanish user in English."""
    import ast

    offenders = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in i18n.ERRORS
                and node.args
                and isinstance(node.args[0], ast.JoinedStr | ast.BinOp)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"use a template and facts: {offenders}"


def test_an_error_is_worded_in_the_language_and_stays_english_in_str() -> None:
    from warmcall.errors import ConfigError, NotFound, Word

    error = NotFound("No lead matches {ref!r}.", ref="ruiz")
    assert str(error) == "No lead matches 'ruiz'."
    try:
        i18n.use("es")
        assert error.words(i18n._) == "Ningún contacto coincide con 'ruiz'."
        typed = ConfigError(
            "{source}: {prefix}{key} must be {kind}, not {value!r}.",
            source="config.toml",
            prefix="score.",
            key="hot",
            kind=Word("a number"),
            value="lots",
        )
        assert typed.words(i18n._) == "config.toml: score.hot debe ser un número, no 'lots'."
        assert str(typed) == "config.toml: score.hot must be a number, not 'lots'."
    finally:
        i18n.use("en")


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel does not look inside f-strings: a message marked there is never translated."""
    import ast

    offenders = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in i18n.KEYWORDS
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not offenders, f"mark the message outside the f-string: {offenders}"
