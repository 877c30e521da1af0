"""Country per row (SPEC §1): a country column decides the region of that row's numbers and
the lead's country; the number's own country comes first, the user's last."""

from __future__ import annotations

import pytest

from tests.conftest import NOW, SHARED_DATA
from tests.imports.files import load, people
from warmcall import leads
from warmcall.config import Config
from warmcall.imports import leads as importer
from warmcall.imports.countries import country_code
from warmcall.store.db import Database


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("United States", "US"), ("Estados Unidos", "US"), ("US", "US"), ("usa", "US"),
        ("España", "ES"), ("Spain", "ES"), ("ES", "ES"), ("espana", "ES"), ("México", "MX"),
        ("Reino Unido", "GB"), ("UK", "GB"), ("Francia", "FR"), ("Allemagne", "DE"),
        ("Europe", None), ("home_country", None), ("", None),
    ],
)  # fmt: skip
def test_country_names_and_codes_in_english_and_spanish(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_a_country_column_decides_the_region_of_the_row(store: Database, config: Config) -> None:
    text = (
        "Name,Phone,Country,Mobile\n"
        "Jane Roe,(212) 555-0142,United States,(917) 555-0100\n"
        "Ana Ruiz,915 551 234,España,\n"
        "Pedro Gil,55 1234 5678,México,\n"
        "Luis Paz,915 551 299,,\n"
        "Tom Hill,+44 20 7946 0018,Spain,\n"
        "Eva Sol,,Estados Unidos,\n"
    )
    result = load(store, config, text)
    assert (result.imported, result.flagged_phones) == (6, 0)
    got = {n: (x.phone_e164, x.timezone, x.country, x.phones) for n, x in people(store).items()}
    assert got["Jane Roe"] == ("+12125550142", "America/New_York", "US", ["+19175550100"])
    assert got["Ana Ruiz"][::2] == ("+34915551234", "ES")
    assert got["Pedro Gil"][0::2] == ("+525512345678", "MX")
    assert got["Luis Paz"][::2] == ("+34915551299", "ES")  # the user's region
    assert got["Tom Hill"][::2] == ("+442079460018", "GB")  # the number's own country first
    assert got["Eva Sol"][::2] == (None, "US")  # no number: the column's


def test_the_plan_reads_the_row_in_new_york(cli, tmp_path) -> None:
    path = tmp_path / "us.csv"
    path.write_text("Name,Phone,Country\nJane Roe,(212) 555-0142,United States\n")
    assert cli("lead", "import", str(path)).exit_code == 0
    (jane,) = __import__("json").loads(cli("lead", "list", "--json").stdout)
    assert (jane["phone_e164"], jane["timezone"]) == ("+12125550142", "America/New_York")


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not here")
def test_the_mautic_export_reads_each_country(store: Database, config: Config) -> None:
    source = importer.open_csv((SHARED_DATA / "mautic_fakeleaddata.csv").open("rb"), "m")
    result = importer.import_leads(
        store, source, config, NOW, importer.ImportOptions(skip_invalid=True)
    )
    countries = {lead.country for lead in leads.find(store)}
    assert result.imported > 0 and {"US", "GB", "AU", "CA", "ZA"} <= countries
