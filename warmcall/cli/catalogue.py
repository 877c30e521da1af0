"""The catalogues, extracted and compiled: ``python -m warmcall.cli.catalogue``.

Babel extracts the messages marked in render/, cli/ and the core's errors, and the help texts
of every command (which Click shows and ``cli.speech.speak`` translates), into each
``render/locale/<lang>/LC_MESSAGES/warmcall.po``, keeping the translations, and compiles the
``.mo`` files. A developer's tool, at the top of the house: it reads the commands of cli/.
"""

from __future__ import annotations

from pathlib import Path

from warmcall.render.i18n import DOMAIN, FOLDERS, KEYWORDS, LANGUAGES, LOCALE_DIR


def app_help() -> list[str]:
    """The help texts of every command and option (docstrings and ``help=``), which Click
    shows and ``cli.speech.speak`` translates: messages that no ``_()`` marks."""
    from typer.main import get_command

    from warmcall.cli.app import app
    from warmcall.cli.speech import help_texts

    return list(help_texts(get_command(app)))


def build() -> None:  # pragma: no cover - a developer's tool, run by hand
    """Extract the messages of render/ and cli/ into each ``.po`` (keeping translations) and
    compile the ``.mo`` files: ``python -m warmcall.cli.catalogue``."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    root = Path(__file__).resolve().parents[1]
    template = Catalog(project="warmcall", domain=DOMAIN)
    for folder in FOLDERS:
        for filename, lineno, message, comments, _context in extract_from_dir(
            root / folder, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            location = (str(Path(folder, filename)), lineno)
            template.add(message, locations=[location], auto_comments=comments)
    for text in app_help():
        template.add(text, locations=[("cli/help", 0)])
    for lang in LANGUAGES[1:]:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="warmcall", domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as fh:
            write_po(
                fh, catalog, width=100, omit_header=False, sort_output=True, ignore_obsolete=True
            )
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


if __name__ == "__main__":  # pragma: no cover
    build()
