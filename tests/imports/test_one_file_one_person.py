"""A person who appears several times in one file is one lead (SPEC §5: the same e-mail, or
the same number with a compatible name): the later rows merge into the first, filling what
it lacks and keeping every number, and the summary counts them as merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.imports import tools
from tests.imports.files import load, people
from warmcall import leads
from warmcall.config import Config
from warmcall.store.db import Database

ANA = {"name": "Ana García", "email": "ana.garcia@innova.es"}


def zoom(*who: dict[str, str]) -> str:
    return tools.ZOOM.build(list(who)).decode()


def test_a_zoom_participant_who_rejoined_three_times_is_one_lead(
    store: Database, config: Config
) -> None:
    luis = {"name": "Luis Pérez (Luis)", "email": "luis@norte.es"}
    result = load(store, config, zoom(ANA, luis, ANA, ANA))
    assert (result.rows, result.imported, result.merged, result.skipped) == (4, 2, 2, 0)
    assert sorted(people(store)) == ["Ana García", "Luis Pérez (Luis)"]


def test_later_rows_fill_what_the_first_lacks_and_keep_every_number(
    store: Database, config: Config
) -> None:
    text = (
        "Name,Email,Company,Mobile,Work Phone,Notes\n"
        "Ana García,ana@x.es,,612 345 678,,first talk\n"
        "Ana García Ruiz,ANA@x.es,Innova,,91 555 12 34,second talk\n"
        "A. García,,Otra SL,622 000 111,612345678,\n"  # by her mobile, a compatible name
    )
    result = load(store, config, text)
    assert (result.imported, result.merged) == (1, 2)
    ana = people(store)["Ana García"]  # the first row's name stands
    assert ana.company == "Innova"  # filled by the second row, not replaced by the third
    assert ana.context == "first talk"
    assert [ana.phone_e164, *ana.phones] == ["+34612345678", "+34915551234", "+34622000111"]


def test_a_shared_switchboard_is_still_two_people(store: Database, config: Config) -> None:
    text = "Name,Phone\nLaura Gómez,915551234\nMercedes Álvarez,915551234\n"
    result = load(store, config, text)
    assert (result.imported, result.merged, result.possible_duplicates) == (2, 0, 1)


@pytest.mark.parametrize(("on_duplicate", "skipped", "updated"), [("skip", 2, 0), ("update", 0, 2)])
def test_a_person_the_store_knew_follows_on_duplicate(
    store: Database, config: Config, on_duplicate: str, skipped: int, updated: int
) -> None:
    load(store, config, "name,email\nAna García,ana.garcia@innova.es\n")
    result = load(store, config, zoom(ANA, ANA), on_duplicate=on_duplicate)
    assert (result.imported, result.merged, result.skipped, result.updated) == (
        0, 0, skipped, updated,
    )  # fmt: skip
    assert len(leads.find(store)) == 1


def test_dry_run_counts_the_merges_it_would_make(store: Database, config: Config) -> None:
    dry = load(store, config, zoom(ANA, ANA, ANA), dry_run=True)
    assert (dry.imported, dry.merged, dry.written) == (1, 2, False)
    assert leads.find(store) == []
    real = load(store, config, zoom(ANA, ANA, ANA))
    assert (real.imported, real.merged) == (dry.imported, dry.merged)


def test_skip_invalid_merges_around_an_invalid_row(store: Database, config: Config) -> None:
    text = "name,email,temperature\nAna,ana@x.es,hot\n,nobody@x.es,hot\nAna,ana@x.es,tepid\n"
    atomic = load(store, config, text)
    assert atomic.rejected == 2 and leads.find(store) == []
    text = "name,email,company\nAna,ana@x.es,\n,nobody@x.es,X\nAna,ana@x.es,Innova\n"
    result = load(store, config, text, skip_invalid=True)
    assert (result.imported, result.merged, result.rejected) == (1, 1, 1)
    assert people(store)["Ana"].company == "Innova"


def test_the_same_person_far_apart_in_a_long_file_is_one_lead(
    store: Database, config: Config
) -> None:
    """Rows thousands of lines apart (other batches; read as a stream, only keys kept)."""
    rows = [f"Person {i},p{i}@x.es,\n" for i in range(2500)]
    text = "name,email,company\nAna,ana@x.es,\n" + "".join(rows) + "Ana,ana@x.es,Innova\n"
    result = load(store, config, text)
    assert (result.imported, result.merged) == (2501, 1)
    assert people(store)["Ana"].company == "Innova"


def test_the_summary_says_how_many_rows_were_merged(cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "participants.csv"
    path.write_text(zoom(ANA, ANA, ANA))
    result = cli("lead", "import", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 merged" in " ".join(result.stdout.split())
    assert "merged lines: 6, 7" in result.stdout  # below Zoom's meeting summary
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    spanish = cli("lead", "import", str(path))
    assert spanish.exit_code == 0, spanish.output
    assert "2 fusionados" in " ".join(spanish.stdout.split())


def _twice(n: int) -> bytes:
    """``n`` rows: ``n // 2`` people, each again in the second half with their company."""
    half = [f"Ana{i} García,ana.{i}@example.com,6{i:08d}" for i in range(n // 2)]
    again = [f"Ana{i} García,ana.{i}@example.com,6{i:08d},Innova {i}" for i in range(n // 2)]
    rows = [f"{row}," for row in half] + again
    return ("name,email,phone,company\n" + "\n".join(rows) + "\n").encode()


def test_memory_stays_flat_when_a_file_repeats_its_people(tmp_path: Path, config: Config) -> None:
    """The identity look-up within the file keeps keys, not the file's rows."""
    import io
    import tracemalloc

    from tests.conftest import NOW
    from warmcall.imports import leads as importer
    from warmcall.store.db import open_db

    def run(db: Database, data: bytes) -> importer.ImportResult:
        source = importer.open_csv(io.BytesIO(data), "twice.csv")
        return importer.import_leads(db, source, config, NOW, importer.ImportOptions())

    with open_db(tmp_path / "warm.db") as db:
        run(db, _twice(10))  # reads the phone patterns once for the process
    peaks = []
    # from six batches on: three at once, as the import holds them, then the repeats
    for n in (6000, 24000):
        data = _twice(n)
        with open_db(tmp_path / f"m{n}.db") as db:
            tracemalloc.start()
            result = run(db, data)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            assert (result.imported, result.merged) == (n // 2, n // 2)
            assert leads.get(db, n // 2).company == f"Innova {n // 2 - 1}"  # type: ignore[union-attr]
    assert peaks[1] < 1.5 * peaks[0]  # 4× the rows, not 4× the memory
