"""Exports of the tools people have, built in each tool's shape (``tools.py``): Outlook in
German, French, Italian, Portuguese and Dutch, Google Contacts, HubSpot, Salesforce, the
reports of Zoom, Eventbrite, Luma and Meetup, a French Brevo list, LinkedIn's connections."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.imports import tools
from tests.imports.files import people
from warmcall import phones
from warmcall.config import Config
from warmcall.errors import InvalidData
from warmcall.imports import leads as importer
from warmcall.imports.synonyms import FALLBACKS, SYNONYMS, header_key
from warmcall.store.db import Database

JURGEN = {
    "first": "Jürgen", "middle": "Karl", "last": "Müller-Lüdenscheidt",
    "name": "Jürgen Karl Müller-Lüdenscheidt", "company": "Bäckerei Groß GmbH",
    "title": "Einkaufsleiter", "email": "j.mueller@baeckerei-gross.de",
    "work": "+49 30 1234567", "mobile": "+49 151 23456789", "home": "+49 30 7654321",
    "country": "Deutschland", "notes": "Met at the Köln fair; wants a quote in Q1.",
    "source": "Messe Köln",
}  # fmt: skip


def load(store: Database, config: Config, data: bytes, **options: object) -> importer.ImportResult:
    source = importer.open_csv(io.BytesIO(data), "export.csv")
    opts = importer.ImportOptions(**options)  # type: ignore[arg-type]
    return importer.import_leads(store, source, config, NOW, opts)


def e164(number: str) -> str:
    found = phones.read(number, "ES").e164
    assert found
    return found


def expected_name(shape: tools.Shape) -> str:
    parts = [JURGEN[p] for p in ("first", "middle", "last") if p in shape.parts]
    return " ".join(parts) or JURGEN["name"]


@pytest.mark.parametrize("shape", tools.SHAPES, ids=lambda s: s.tool)
def test_each_tool_s_export_gives_the_lead_it_holds(
    store: Database, config: Config, shape: tools.Shape
) -> None:
    result = load(store, config, shape.build([JURGEN]))
    assert (result.imported, result.rejected) == (1, 0)
    assert result.delimiter == shape.delimiter
    fields = {"first": "first_name", "middle": "middle_name", "last": "last_name",
              "work": "phone", "mobile": "phone", "home": "phone"}  # fmt: skip
    for part, column in shape.parts.items():
        if part == "name" and "first" in shape.parts:
            continue  # the parts make the name
        want = fields.get(part, part)
        got = result.columns.get(column)
        assert got == want or (part == "notes" and got == "context"), (column, got)
    lead = people(store)[expected_name(shape)]
    assert lead.email == (JURGEN["email"] if "email" in shape.parts else None)
    numbers = {e164(JURGEN[p]) for p in ("work", "mobile", "home") if p in shape.parts}
    assert {lead.phone_e164, *lead.phones} - {None} == numbers
    for part in ("company", "title", "source"):
        if part in shape.parts:
            assert getattr(lead, part) == JURGEN[part]
    if "notes" in shape.parts:
        assert JURGEN["notes"] in (lead.context, lead.notes)


@pytest.mark.parametrize("shape", tools.OUTLOOKS, ids=lambda s: s.tool)
def test_outlook_puts_the_mobile_first_then_work_then_home(
    store: Database, config: Config, shape: tools.Shape
) -> None:
    load(store, config, shape.build([JURGEN]))
    lead = people(store)[expected_name(shape)]
    assert [lead.phone_e164, *lead.phones] == [e164(JURGEN[p]) for p in ("mobile", "work", "home")]


def test_the_german_outlook_2013_export_imports(tmp_path: Path, cli) -> None:
    """The file of issue 19: cp1252, semicolons, ``Vorname``/``Nachname``/``E-Mail-Adresse``
    (it was refused: "No column … holds a name")."""
    path = tmp_path / "Kontakte.CSV"
    path.write_bytes(
        tools.OUTLOOK_DE.build(
            [
                JURGEN,
                {
                    **JURGEN,
                    "first": "Anna",
                    "middle": "",
                    "email": "anna@gross.de",
                    "mobile": "+49 170 1112223",
                },
            ]
        )
    )
    done = cli("lead", "import", str(path), "--json")
    assert done.exit_code == 0, done.output
    listed = cli("lead", "list", "--json")
    names = {lead["name"] for lead in json.loads(listed.stdout)}
    assert names == {"Jürgen Karl Müller-Lüdenscheidt", "Anna Müller-Lüdenscheidt"}


def test_the_buyer_stands_in_only_where_the_attendee_is_not_named(
    store: Database, config: Config
) -> None:
    buyers = dataclasses.replace(
        tools.EVENTBRITE,
        parts={**tools.EVENTBRITE.parts, "buyer_first": "Buyer First Name",
               "buyer_last": "Buyer Last Name", "buyer_email": "Buyer Email"},
    )  # fmt: skip
    petra = {"buyer_first": "Petra", "buyer_last": "Groß", "buyer_email": "petra@buyer.de"}
    load(store, config, buyers.build([{**JURGEN, "email": "", **petra}]))
    lead = people(store)["Jürgen Müller-Lüdenscheidt"]
    assert lead.email is None  # Petra's address is not Jürgen's
    orders = load(store, config, tools.EVENTBRITE_ORDERS.build([JURGEN]))
    assert orders.columns["Buyer Email"] == "email" and orders.imported == 1


def test_a_title_line_or_meeting_summary_is_not_the_header(store: Database, config: Config) -> None:
    result = load(store, config, tools.ZOOM.build([JURGEN]))
    assert result.columns["User Email"] == "email"
    assert "Join Time" in result.ignored


# --- the table -----------------------------------------------------------------------------


def test_each_spelling_names_one_field() -> None:
    """A spelling listed under two fields would silently feed the first."""
    seen: dict[str, str] = {}
    for target, spellings in [*SYNONYMS.items(), *FALLBACKS.items()]:
        for spelling in spellings:
            assert header_key(spelling) == spelling, spelling  # written as compared
            assert seen.setdefault(spelling, target) == target, spelling


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("Vorname", "first_name"), ("Nachname", "last_name"), ("E-Mail-Adresse", "email"),
        ("E-Mail 2: Adresse", "email"), ("Telefon geschäftlich", "phone"),
        ("Mobiltelefon", "phone"), ("Land/Region geschäftlich", "country"),
        ("Firma", "company"), ("Notizen", "notes"), ("Adresse de messagerie", "email"),
        ("Tél. mobile", "phone"), ("Cognome", "last_name"), ("Cellulare", "phone"),
        ("Indirizzo posta elettronica", "email"), ("Telemóvel", "phone"),
        ("Sobrenome", "last_name"), ("Endereço de correio eletrónico", "email"),
        ("Voornaam", "first_name"), ("Achternaam", "last_name"), ("E-mailadres", "email"),
        ("Tussenvoegsel", "middle_name"), ("User Email", "email"),
        ("Attendee email", "email"), ("Name (Original Name)", "name"), ("SMS", "phone"),
        ("PRENOM", "first_name"), ("custom_source", "source"), ("Herkunft", "source"),
        ("Bron", "source"), ("Apellido paterno", "last_name"),
    ],
)  # fmt: skip
def test_headers_in_every_language_are_recognised(column: str, field: str) -> None:
    found = importer.recognise(column)
    assert found is not None and found[0] == field


@pytest.mark.parametrize(
    "column", ["E-Mail: Angezeigter Name", "Name Assistent", "Attendee #", "Join Time",
               "Anrede", "Titolo", "Konto", "Phone 1 - Type", "E-mail 1 - Label"]
)  # fmt: skip
def test_look_alike_columns_are_not_read(column: str) -> None:
    assert importer.recognise(column) is None


# --- order and spelling never change what is imported --------------------------------------

# Spellings of the same field, from several tools and languages.
SPELLINGS = {
    "first": ("First Name", "Vorname", "Prénom", "Voornaam", "Given Name", "first_name"),
    "last": ("Last Name", "Nachname", "Cognome", "Sobrenome", "Achternaam", "Family Name"),
    "email": ("Email", "E-Mail-Adresse", "Adresse de messagerie", "E-mailadres", "User Email",
              "Endereço de email", "Indirizzo email"),
    "phone": ("Phone", "Telefon", "Téléphone", "Telefoon", "Cellulare", "Telemóvel", "Mobile"),
    "company": ("Company", "Firma", "Société", "Azienda", "Empresa", "Bedrijf"),
    "title": ("Job Title", "Position", "Fonction", "Posizione", "Cargo", "Functie"),
    "source": ("Lead Source", "Quelle", "Origine", "Fonte", "Origem", "Bron"),
}  # fmt: skip
ROWS = [
    {"first": "Ana", "last": "García", "email": "ana@x.es", "phone": "612 345 678",
     "company": "Innova", "title": "CEO", "source": "Feria"},
    {"first": "Luc", "last": "Dubois", "email": "", "phone": "+33 6 12 34 56 78",
     "company": "", "title": "Achats", "source": ""},
    {"first": "Ana", "last": "García", "email": "ana@x.es", "phone": "", "company": "",
     "title": "", "source": "Web"},
]  # fmt: skip


def _imported(db: Database, config: Config, header: list[str], parts: list[str],
              delimiter: str) -> list[tuple[object, ...]]:  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in ROWS:
        writer.writerow([row[p] for p in parts])
    db.execute("DELETE FROM leads")
    result = load(db, config, out.getvalue().encode())
    leads = sorted(
        (x.name, x.email, x.phone_e164, x.company, x.title, x.source)
        for x in people(db).values()
    )  # fmt: skip
    return [(result.imported, result.merged), *leads]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_column_order_and_header_spelling_never_change_what_is_imported(
    store: Database, config: Config, data: st.DataObject
) -> None:
    parts = list(SPELLINGS)
    plain = _imported(store, config, [SPELLINGS[p][0] for p in parts], parts, ",")
    shuffled = data.draw(st.permutations(parts))
    header = [data.draw(st.sampled_from(SPELLINGS[p])) for p in shuffled]
    delimiter = data.draw(st.sampled_from([",", ";"]))
    assert _imported(store, config, header, shuffled, delimiter) == plain


def test_a_value_that_looks_like_a_header_does_not_make_one(
    store: Database, config: Config
) -> None:
    with pytest.raises(InvalidData, match="holds a name"):
        load(store, config, b"Email,Type\nana@x.es,Contact\nluis@x.es,Contact\n")


def test_a_brazilian_nickname_is_not_a_surname(store: Database, config: Config) -> None:
    """``Apelido`` is Portugal's surname, Brazil's nickname beside ``Sobrenome``."""
    nickname = dataclasses.replace(
        tools.OUTLOOK_BR, parts={**tools.OUTLOOK_BR.parts, "nickname": "Apelido"}
    )
    result = load(store, config, nickname.build([{**JURGEN, "nickname": "Jü"}]))
    assert "Apelido" in result.ignored
    assert expected_name(tools.OUTLOOK_BR) in people(store)
    portugal = load(store, config, tools.OUTLOOK_PT.build([{**JURGEN, "email": "j@pt.pt"}]))
    assert portugal.columns["Apelido"] == "last_name"
