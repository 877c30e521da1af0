"""Nothing the file knows is dropped silently (SPEC §5): every number, the free text about
the contact, decorated headers, the columns left unused and the rows skipped or suppressed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW, SHARED_DATA
from tests.imports.files import load, people
from warmcall import leads
from warmcall.config import Config
from warmcall.imports import leads as importer
from warmcall.store.db import Database

HUBSPOT = (
    "First Name,Last Name,Email,Phone Number,Mobile Phone Number,Message,Original Source\n"
    "Ana,Ruiz,ana@x.es,91 555 12 34,612 345 678,Met at Expo Retail; asked for pricing,"
    "Offline Sources\n"
)


def test_every_phone_column_is_kept_the_first_to_call(store: Database, config: Config) -> None:
    load(store, config, HUBSPOT)
    ana = people(store)["Ana Ruiz"]
    assert (ana.phone, ana.phone_e164, ana.phones) == (
        "91 555 12 34",
        "+34915551234",
        ["+34612345678"],
    )


def test_free_text_about_the_contact_is_the_context(store: Database, config: Config) -> None:
    load(store, config, HUBSPOT)
    ana = people(store)["Ana Ruiz"]
    assert ana.context == "Met at Expo Retail; asked for pricing"
    assert ana.source == "Offline Sources"


def test_google_notes_are_the_context_when_nothing_else_is(store: Database, config: Config) -> None:
    load(store, config, "Name,Notes,E-mail 1 - Value\nAna,Met at the Madrid fair,a@x.es\n")
    assert people(store)["Ana"].context == "Met at the Madrid fair"


def test_with_a_context_column_the_message_is_a_note(store: Database, config: Config) -> None:
    load(store, config, "Name,Context,Message,Notes\nAna,Referral from Luis,Call me,VIP\n")
    ana = people(store)["Ana"]
    assert (ana.context, ana.notes) == ("Referral from Luis", "VIP\nCall me")


def test_duplicates_are_found_on_any_of_their_numbers(store: Database, config: Config) -> None:
    load(store, config, HUBSPOT)
    again = "Name,Phone\nAna Ruiz,+34 612 345 678\n"  # her mobile, the second number
    result = load(store, config, again)
    assert (result.imported, result.skipped) == (0, 1)
    within = "Name,Phone,Mobile\nLuis Gil,600 000 001,600 000 002\nLuis Gil,600000002,\n"
    result = load(store, config, within)
    assert (result.imported, result.merged) == (1, 1)
    updated = load(store, config, "Name,Phone,Company\nAna,612345678,Acme\n", on_duplicate="update")
    assert updated.updated == 1 and people(store)["Ana Ruiz"].company == "Acme"


@pytest.mark.parametrize(
    "header",
    ["Customer e-mail*", "E-mail (required)", "Email:", '" Email "', "Correo electrónico *"],
)
def test_decorated_headers_are_read(store: Database, config: Config, header: str) -> None:
    text = f"Name *,{header},Phone (required)\nAna,ana@x.es,612345678\nAna,ANA@x.es,\n"
    result = load(store, config, text)
    assert (result.imported, result.merged) == (1, 1)
    assert list(result.columns.values()) == ["name", "email", "phone"]
    assert not any(mark in column for column in result.columns for mark in '*:"(')
    ana = people(store)["Ana"]
    assert (ana.email, ana.phone_e164) == ("ana@x.es", "+34612345678")


def test_unused_columns_and_skipped_lines_are_named(cli, tmp_path: Path) -> None:
    path = tmp_path / "fair.csv"
    path.write_text("Name,Email\nAna,ana@x.es\n")
    assert cli("lead", "import", str(path)).exit_code == 0
    rows = "".join(f"Ana {i},ana@x.es,VIP,{i}\n" for i in range(13))
    path.write_text("Name,Email,Badge Type,Shoe Size\n" + rows)
    result = cli("lead", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "Columns not used: 'Badge Type', 'Shoe Size'" in result.stdout
    assert "skipped lines: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more" in result.stdout


def _dnc(store: Database, config: Config) -> leads.Lead:
    lead = leads.LeadBuilder(config).build(
        {"name": "Marta Díaz", "email": "marta@x.es", "phone": "600 111 222"}
    )
    leads.add(store, lead, NOW)
    return leads.mark_dnc(store, lead, "asked on the phone", NOW)


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
@pytest.mark.parametrize(
    "row", ["Marta Díaz,marta@x.es,", "M. Díaz,,+34600111222", "Recepción,,600111222"]
)
def test_a_do_not_call_person_is_not_brought_back(
    store: Database, config: Config, row: str, on_duplicate: str
) -> None:
    marta = _dnc(store, config)
    result = load(
        store, config, f"name,email,phone\n{row}\nLuis,l@x.es,\n", on_duplicate=on_duplicate
    )
    assert (result.imported, result.updated, result.suppressed) == (1, 0, 1)
    kept = leads.get(store, marta.id)  # type: ignore[arg-type]
    assert (kept.name, str(kept.status)) == ("Marta Díaz", "dnc")
    assert set(people(store)) == {"Marta Díaz", "Luis"}


def test_forgotten_people_are_suppressed_through_the_compliance_room(
    store: Database, config: Config
) -> None:
    """People forgotten at their request (only a keyed hash of their e-mail and numbers
    stays) are not brought back by an import: counted as suppressed, by e-mail or number."""
    first = load(store, config, "name,email,phone\nGone,gone@x.es,\nGone Too,,600 999 888\n")
    assert first.imported == 2
    for lead in leads.find(store, leads.LeadFilter()):
        leads.forget(store, lead, NOW, config.phone_region)
    text = "name,email,phone\nGone,gone@x.es,\nGone Too,,+34 600 999 888\nLuis,l@x.es,\n"
    result = load(store, config, text)
    assert (result.imported, result.suppressed) == (1, 2)
    assert set(people(store)) == {"Luis"}


def test_the_summary_counts_the_suppressed(cli) -> None:
    cli("lead", "add", "Marta", "--email", "marta@x.es")
    cli("lead", "dnc", "marta", "--reason", "asked")
    result = cli("lead", "import", "-", input="name,email\nMarta,marta@x.es\n")
    assert result.exit_code == 0 and "1 suppressed" in " ".join(result.stdout.split())


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not here")
def test_the_hubspot_export_keeps_its_mobiles(store: Database, config: Config) -> None:
    source = importer.open_csv((SHARED_DATA / "hubspot_dummy_contacts.csv").open("rb"), "hs")
    result = importer.import_leads(store, source, config, NOW, importer.ImportOptions())
    assert result.imported == 950
    both = [lead for lead in leads.find(store) if lead.phones]
    assert len(both) == 950  # every row has a mobile beside its phone
