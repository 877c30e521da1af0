"""``lead import``'s core: reading messy CSV, mapping headers, validating, de-duplicating."""

from __future__ import annotations

import codecs
import csv
import io
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW, SHARED_DATA
from warmcall import leads, phones
from warmcall.config import Config
from warmcall.errors import InvalidData, UsageError
from warmcall.imports import leads as importer
from warmcall.models import Lead, Stage, Status, Temperature
from warmcall.phones import worker as phone_worker
from warmcall.store.db import Database

FIXTURES = Path(__file__).parent / "fixtures"


def load(
    store: Database,
    config: Config,
    data: str | bytes | Path,
    encoding: str | None = None,
    rejects: io.StringIO | None = None,
    **options: object,
) -> importer.ImportResult:
    if isinstance(data, Path):
        data = data.read_bytes()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    source = importer.open_csv(io.BytesIO(raw), "test.csv", encoding)
    opts = importer.ImportOptions(**options)  # type: ignore[arg-type]
    return importer.import_leads(store, source, config, NOW, opts, rejects)


def stored(store: Database) -> dict[str, Lead]:
    return {lead.name: lead for lead in leads.find(store)}


# --- reading bytes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "name\nZoë\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "name\nZoë\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "name\nZoë\n".encode("utf-16-be"), "utf-16"),
        ("name\nZoë Hart\n".encode("utf-16-le"), "utf-16-le"),
        ("name\nZoë\n".encode(), "utf-8"),
        ("name\nZoë O’Reilly\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encoding_is_detected(data: bytes, expected: str) -> None:
    assert importer.detect_encoding(data) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,email\nAna,a@x.es\nLuis,l@x.es\n", ","),
        ("name;email\nAna;a@x.es\nLuis;l@x.es\n", ";"),
        ("name\temail\nAna, Luis\ta@x.es\n", "\t"),
        # PrestaShop: commas inside the header and the cells, semicolons between them
        ("ID;Titles (Mr = 1, Ms = 2);Email\n1;1;a@x.es\n2;2;b@x.es\n3;1;c, d\n", ";"),
        ("name\nAna\nLuis\n", ","),
    ],
)
def test_delimiter_is_sniffed(text: str, expected: str) -> None:
    assert importer.sniff_delimiter(text) == expected


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("E-mail Address", "email"),
        ("Correo electrónico", "email"),
        ("Courriel", "email"),
        ("FirstName", "first_name"),
        ("contact_last_name", "last_name"),
        ("Teléfono móvil", "phone"),
        ("Mobile Phone Number", "phone"),
        ("LeadSource", "source"),
        ("Lifecycle Stage", "stage"),
        ("Email *", "email"),
        ("Prénom", "first_name"),
        ("Société", "company"),
        ("Phone 1 - Value", "phone"),
    ],
)
def test_headers_of_other_tools_are_recognised(column: str, field: str) -> None:
    found = importer.recognise(column)
    assert found is not None and found[0] == field


def test_a_second_column_of_a_field_ranks_after_the_first() -> None:
    first, second = importer.recognise("E-mail Address"), importer.recognise("E-mail 2 Address")
    assert first and second and first[1] < second[1]


def test_spanish_file_with_bom_and_semicolons(store: Database, config: Config) -> None:
    result = load(store, config, FIXTURES / "leads_es_bom_semicolon.csv")
    assert (result.imported, result.rejected, result.delimiter) == (2, 0, ";")
    people = stored(store)
    ana = people["Ana García López"]  # Nombre + Apellidos joined
    assert ana.email == "ana.garcia@innova.es" and ana.phone_e164 == "+34612345678"
    assert ana.temperature == Temperature.HOT and ana.window == "early"  # "caliente"
    assert ana.source == "Feria Expo Retail 2026" and ana.company == "Innova SL"
    assert people["Luis Martínez"].company == "Grupo Norte; Logística"  # quoted delimiter


def test_utf16_and_cp1252_files_read_the_same_names(store: Database, config: Config) -> None:
    text = "Name,Email\r\nZoë Hart,zoe@example.com\r\nTim O’Reilly,tim@example.com\r\n"
    load(store, config, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert set(stored(store)) == {"Zoë Hart", "Tim O’Reilly"}
    again = load(store, config, text.encode("cp1252"))
    assert again.encoding == "cp1252" and again.skipped == 2  # the same people


def test_a_stray_cp1252_byte_in_utf8_text_is_read_as_cp1252(
    store: Database, config: Config
) -> None:
    data = ("Name,Email\n" + "Ana,a@example.com\n" * 3).encode() + b"Zo\xeb Hart,z@example.com\n"
    load(store, config, data)
    assert "Zoë Hart" in stored(store)


def test_forced_encoding_that_does_not_fit_is_one_sentence(store: Database, config: Config) -> None:
    data = "Name\nZoë\n".encode("utf-16")
    with pytest.raises(InvalidData, match="is not utf-8 text"):
        load(store, config, data, encoding="utf-8")
    with pytest.raises(UsageError, match="not an encoding"):
        load(store, config, data, encoding="klingon")


def test_preamble_quoted_newlines_and_short_rows(store: Database, config: Config) -> None:
    result = load(store, config, FIXTURES / "preamble_quoted.csv")
    assert result.imported == 3 and result.rejected == 0
    people = stored(store)
    assert people["Carmen Ruiz"].context == "Asked for pricing.\nCall back after the 15th."
    assert people["Pérez, José"].email == "jose@acme.es"
    assert people["Marta Gil"].phone is None  # the row stops after the e-mail


def test_line_numbers_count_preamble_and_quoted_newlines(store: Database, config: Config) -> None:
    text = 'Title line\n\nname,notes\nAna,"two\nlines"\n,no name here\nLuis,ok\n'
    result = load(store, config, text)
    assert [(e.line, e.reason) for e in result.errors] == [(6, "A lead needs a name.")]


def test_file_without_a_name_column_says_how_to_map_one(store: Database, config: Config) -> None:
    with pytest.raises(InvalidData, match=r"No column .* holds a name.*--map COLUMN=name"):
        load(store, config, "Company,Status\nAcme,Applied\n")


def test_empty_file_is_one_sentence(store: Database, config: Config) -> None:
    with pytest.raises(InvalidData, match="is empty"):
        load(store, config, "")


# --- validity ---------------------------------------------------------------------------


def test_atomic_import_lists_every_bad_line_and_writes_nothing(
    store: Database, config: Config
) -> None:
    result = load(store, config, FIXTURES / "invalid_rows.csv")
    assert not result.written and leads.find(store) == []
    reasons = {e.line: e.reason for e in result.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert reasons[3] == "A lead needs a name."
    assert "not-an-email" in reasons[4] and "tepid" in reasons[5]
    assert "lunchtime" in reasons[6] and "Mars/Olympus" in reasons[7] and "maybe" in reasons[8]
    with pytest.raises(InvalidData, match=r"6 of 9 rows .* invalid .*the other 3"):
        raise importer.ImportRejected(result)


def test_skip_invalid_keeps_the_valid_rows_and_flags_odd_phones(
    store: Database, config: Config
) -> None:
    rejects = io.StringIO()
    result = load(store, config, FIXTURES / "invalid_rows.csv", rejects=rejects, skip_invalid=True)
    assert result.written and (result.imported, result.rejected) == (3, 6)
    people = stored(store)
    assert people["Odd Phone"].phone == "call me maybe"  # kept as given, never a reason
    assert people["Odd Phone"].phone_flag == phones.UNPARSED and result.flagged_phones == 1
    assert people["Placeholder Mail"].email is None  # "#N/A" is an empty cell
    ana = people["Ana Valid"]
    assert (ana.temperature, ana.consent, ana.timezone) == ("hot", "opt-in", "Europe/Madrid")
    rows = list(csv.reader(io.StringIO(rejects.getvalue())))
    assert rows[0][:3] == ["line", "reason", "name"]
    assert rows[2][0] == "4" and rows[2][3] == "not-an-email" and "e-mail" in rows[2][1]


def test_rows_without_a_temperature_get_the_default(store: Database, config: Config) -> None:
    load(store, config, "name,temperature\nAna,\nLuis,cold\n", temperature=Temperature.HOT)
    people = stored(store)
    assert people["Ana"].temperature == "hot" and people["Luis"].temperature == "cold"


def test_placeholder_addresses_count_as_empty(store: Database, config: Config) -> None:
    load(store, config, "Display Name;Primary Email\nJohn Doe;john@doe.invalid\n")
    assert stored(store)["John Doe"].email is None


# --- other tools' vocabularies ------------------------------------------------------------


def test_crm_stages_statuses_and_ratings(store: Database, config: Config) -> None:
    load(store, config, FIXTURES / "crm_export.csv")
    people = stored(store)
    eva, raul, nora, iker = (
        people[n] for n in ("Eva Torres", "Raúl Díaz", "Nora Vidal", "Iker Sanz")
    )
    assert eva.stage == Stage.MQL and eva.temperature == "hot"  # Rating: Hot
    assert raul.stage == Stage.CUSTOMER and raul.tags == ["attempted-to-contact"]
    assert nora.stage == Stage.PROSPECT and nora.status == Status.WON
    assert iker.status == Status.DNC and iker.dnc_at == NOW and iker.tags == ["evangelist"]
    assert eva.timezone == "America/New_York"  # from the +1 212 number


def test_map_names_columns_the_headers_do_not(store: Database, config: Config) -> None:
    mapping = importer.parse_maps(
        ["Contacto principal=name", "Móvil de empresa=phone", "Id=ignore"]
    )
    text = "Id,Contacto principal,Móvil de empresa,Email\n7,Ana Ruiz,612345678,ana@x.es\n"
    result = load(store, config, text, mapping=mapping)
    assert result.columns["Contacto principal"] == "name" and "Id" not in result.columns
    assert stored(store)["Ana Ruiz"].phone_e164 == "+34612345678"


def test_map_errors_are_usage_errors(store: Database, config: Config) -> None:
    with pytest.raises(UsageError, match="'wibble' is not a lead field"):
        importer.parse_maps(["Phone=wibble"])
    with pytest.raises(UsageError, match="COLUMN=FIELD"):
        importer.parse_maps(["phone"])
    with pytest.raises(UsageError, match="'Movil', which is not a column"):
        load(store, config, "name\nAna\n", mapping={"Movil": "phone"})


# --- duplicates -------------------------------------------------------------------------


def test_duplicates_are_found_in_the_store_and_the_file(store: Database, config: Config) -> None:
    leads.add(store, leads.LeadBuilder(config).build({"name": "Ana", "email": "ana@x.es"}), NOW)
    text = (
        "name,email,phone\n"
        "Ana García,ANA@X.ES,\n"  # the stored Ana, by e-mail in another case
        "Luis,luis@x.es,612 345 678\n"
        "Luis again,,+34612345678\n"  # Luis, by the same number written otherwise
        "Marta,marta@x.es,\n"
    )
    result = load(store, config, text)
    assert (result.imported, result.skipped, result.merged) == (2, 1, 1)
    assert set(stored(store)) == {"Ana", "Luis", "Marta"}


def test_update_changes_the_known_lead_but_not_its_name(store: Database, config: Config) -> None:
    builder = leads.LeadBuilder(config)
    known = builder.build({"name": "Ana", "email": "ana@x.es", "company": "Old", "tags": ["fair"]})
    leads.add(store, known, NOW)
    text = "name,email,company,tags,temperature\nAna García,ana@x.es,Innova,vip,hot\n"
    result = load(store, config, text, on_duplicate="update")
    assert (result.imported, result.updated) == (0, 1)
    ana = leads.get(store, known.id)  # type: ignore[arg-type]
    assert (ana.name, ana.company, ana.temperature) == ("Ana", "Innova", "hot")
    assert ana.tags == ["fair", "vip"]


def test_update_never_lifts_a_do_not_call(store: Database, config: Config) -> None:
    known = leads.add(
        store, leads.LeadBuilder(config).build({"name": "Ana", "email": "a@x.es"}), NOW
    )
    leads.mark_dnc(store, known, "asked on the phone", NOW)
    load(store, config, "name,email,status\nAna,a@x.es,active\n", on_duplicate="update")
    assert leads.get(store, known.id).status == Status.DNC  # type: ignore[arg-type]


def test_update_within_one_file_merges_into_the_new_lead(store: Database, config: Config) -> None:
    text = "name,email,company\nAna,ana@x.es,\nAna,ana@x.es,Innova\n"
    result = load(store, config, text, on_duplicate="update")
    assert (result.imported, result.updated, result.merged) == (1, 0, 1)
    assert stored(store)["Ana"].company == "Innova"


def test_dry_run_counts_exactly_and_writes_nothing(store: Database, config: Config) -> None:
    text = "name,email\nAna,ana@x.es\nAna bis,ana@x.es\nLuis,luis@x.es\n"
    result = load(store, config, text, dry_run=True)
    assert (result.imported, result.merged, result.written) == (2, 1, False)
    assert leads.find(store) == []


# --- big files ------------------------------------------------------------------------


def _big_csv(n: int) -> bytes:
    lines = ["First Name,Last Name,Email,Phone,Temperature,Window"]
    for i in range(n):
        phone = f"+1 212 555 {i % 10000:04d}" if i % 3 == 0 else f"6{(i * 7919) % 10**8:08d}"
        temp = "tepid" if i == 4321 else ("hot", "warm", "cold")[i % 3]
        lines.append(f"Ana{i},García,ana.{i}@example.com,{phone},{temp},early")
    return ("\n".join(lines) + "\n").encode()


def test_a_big_file_is_deduplicated_across_batches(tmp_path: Path, config: Config) -> None:
    from warmcall.store.db import open_db

    # After 5000 distinct people: one of the first batch again by e-mail, one by a number
    # written otherwise under a compatible name, one by a number under another name (a new
    # lead, noted as a possible duplicate), and one new person.
    data = _big_csv(5000) + (
        b"Dup,A,ANA.1@example.com,,,\nAna3,Garcia,,+1 (212) 555-0003,,\n"
        b"Dup,B,,+1 (212) 555-0006,,\nNew,C,,,,\n"
    )
    with open_db(tmp_path / "big.db") as db:
        result = load(db, config, data, skip_invalid=True)
        rows = db.query("SELECT name, phone_e164, timezone FROM leads ORDER BY id")
    assert (result.rows, result.imported, result.merged, result.rejected) == (5004, 5001, 2, 1)
    assert result.possible_duplicates == 1 and result.shown_duplicates[0].name == "Dup B"
    assert result.errors == [importer.Rejected(4323, "temperature must be one of cold, warm, "
                                                     "hot, not 'tepid'.")]  # fmt: skip
    assert rows[0] == {"name": "Ana0 García", "phone_e164": "+12125550000",
                       "timezone": "America/New_York"}  # fmt: skip
    assert rows[1] == {"name": "Ana1 García", "phone_e164": "+34600007919", "timezone": None}
    assert rows[-1]["name"] == "New C" and "Dup A" not in {r["name"] for r in rows}
    assert rows[-2] == {"name": "Dup B", "phone_e164": "+12125550006",
                        "timezone": "America/New_York"}  # fmt: skip


def test_memory_does_not_grow_with_the_file(tmp_path: Path, config: Config) -> None:
    from warmcall.store.db import open_db

    with open_db(tmp_path / "warm.db") as db:
        load(db, config, _big_csv(10))  # reads the phone patterns once for the process
    peaks = []
    # from three batches on: the importer holds up to three at once (one being read by the
    # phone worker, one being written while the next is looked up, one being filled)
    for n in (3000, 12000):
        data = _big_csv(n)  # made before tracing: only the import's own memory counts
        with open_db(tmp_path / f"m{n}.db") as db:
            tracemalloc.start()
            load(db, config, data, skip_invalid=True)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0]  # 4× the rows, not 4× the memory


# --- the caches agree with the libraries --------------------------------------------------

addresses = st.from_regex(r"[A-Za-z0-9._+-]{1,70}@[A-Za-z0-9.-]{1,30}", fullmatch=True)


@given(addresses)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_email_shapes_give_email_validators_verdict(address: str) -> None:
    builder = importer._FileBuilder(Config(region="ES"))
    try:
        expected: str | None = leads.valid_email(address)
    except InvalidData:
        expected = None
    for _ in range(2):  # the second answer comes from the cache
        try:
            got: str | None = builder.convert("email", address)
        except InvalidData:
            got = None
        assert got == expected


def test_numbers_read_from_memory_agree_with_phonenumbers() -> None:
    numbers = ["+12125550101", "+12125559999", "+13105550100", "+34612345678", "+34928123456",
               "+34912345678", "+442079460000", "+5215512345678", "+61212345678", "612 345 678",
               "(212) 555-0100", "call me"]  # fmt: skip
    numbers += [f"+1212555{i:04d}" for i in range(0, 10000, 97)]
    for region in ("ES", "US"):
        for _ in range(2):  # the second answers come from memory
            for number, (e164, flag, zone) in zip(
                numbers, phone_worker.read_all(numbers, region), strict=True
            ):
                assert (e164, flag) == phones.normalise(number, region), number
                assert zone == phones.zone_for(e164), number


# --- the phone worker ----------------------------------------------------------------------


def _table(db: Database) -> list[dict[str, object]]:
    return db.query("SELECT * FROM leads ORDER BY id")


def test_a_long_file_has_its_numbers_read_by_a_worker_with_the_same_result(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warmcall.store.db import open_db

    read_here: list[str | None] = []  # numbers read by the importer's process, not the worker
    read = phones.read
    monkeypatch.setattr(
        phones, "read", lambda raw, region: read_here.append(raw) or read(raw, region)
    )
    monkeypatch.setattr(phone_worker, "_seen", {})  # every number is read anew
    monkeypatch.setattr(phone_worker, "can_fork", lambda: True)
    data = _big_csv(3500)
    with open_db(tmp_path / "worker.db") as db:
        with_worker = load(db, config, data, skip_invalid=True)
        rows = _table(db)
    assert len(read_here) <= importer.BATCH  # the first batch; the worker read the other 2,500
    monkeypatch.setattr(phone_worker, "can_fork", lambda: False)
    with open_db(tmp_path / "here.db") as db:
        here = load(db, config, data, skip_invalid=True)
        assert _table(db) == rows
    assert with_worker.as_json() == here.as_json()
    assert with_worker.imported == 3500 and rows[0]["timezone"] == "America/New_York"


def _no_phones(n: int) -> bytes:
    return ("Name,Email\n" + "".join(f"Ana {i},ana.{i}@example.com\n" for i in range(n))).encode()


@pytest.mark.parametrize(
    ("data", "rows"),
    [(_big_csv(importer.BATCH), importer.BATCH), (_no_phones(3 * importer.BATCH), 3000)],
    ids=["one batch", "no phone numbers"],
)
def test_a_file_with_little_to_read_starts_no_worker(
    store: Database, config: Config, monkeypatch: pytest.MonkeyPatch, data: bytes, rows: int
) -> None:
    monkeypatch.setattr(phone_worker, "_start", lambda: pytest.fail("a worker was started"))
    monkeypatch.setattr(phone_worker, "can_fork", lambda: True)
    assert load(store, config, data).imported == rows


def test_a_worker_that_cannot_be_forked_loses_no_number(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warmcall.store.db import open_db

    class Unforkable:  # a process limit reached: fork() fails when the first job is given
        def submit(self, *args: object) -> None:
            raise OSError(11, "Resource temporarily unavailable")

        def shutdown(self, **kwargs: object) -> None:
            pass

    monkeypatch.setattr(phone_worker, "_start", Unforkable)
    monkeypatch.setattr(phone_worker, "can_fork", lambda: True)
    with open_db(tmp_path / "unforked.db") as db:
        result = load(db, config, _big_csv(3500), skip_invalid=True)
        numbers = db.query("SELECT COUNT(phone_e164) AS n FROM leads")[0]["n"]
    assert result.imported == numbers == 3500


def test_a_worker_that_dies_loses_no_number(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from warmcall.store.db import open_db

    importer_pid, read = os.getpid(), phones.read

    def dies_in_the_worker(raw: str | None, region: str | None) -> phones.Phone:
        if os.getpid() != importer_pid:
            os._exit(1)
        return read(raw, region)

    monkeypatch.setattr(phones, "read", dies_in_the_worker)
    monkeypatch.setattr(phone_worker, "_seen", {})  # every number is read anew
    monkeypatch.setattr(phone_worker, "can_fork", lambda: True)
    with open_db(tmp_path / "lost.db") as db:
        result = load(db, config, _big_csv(2500), skip_invalid=True)
        numbers = db.query("SELECT COUNT(phone_e164) AS n FROM leads")[0]["n"]
    assert result.imported == numbers == 2500


# --- round trips --------------------------------------------------------------------------

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
).filter(lambda s: leads.blank(s) is not None and s == s.strip())


@given(
    people=st.lists(st.tuples(names, names), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    newlines=st.booleans(),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_names_round_trip_through_csv(
    tmp_path: Path, config: Config, people: list, delimiter: str, encoding: str, newlines: bool
) -> None:
    from warmcall.store.db import open_db

    if encoding == "cp1252":
        people = [(a, b) for a, b in people if _fits(a + b, "cp1252")] or [("Zoë", "Hart")]
    rows = [(f"{first}\n{last}" if newlines else f"{first} {last}", f"p{i}@example.com")
            for i, (first, last) in enumerate(people)]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Full Name", "Email"])
    writer.writerows(rows)
    path = tmp_path / f"round-{len(list(tmp_path.iterdir()))}.db"
    data = out.getvalue().encode(encoding)
    if encoding == "cp1252":  # bytes that are UTF-8 too ("Â¡") are read as UTF-8: no one can tell
        assume(not _fits_utf8(data))
    with open_db(path) as db:
        try:
            result = load(db, config, data)
        except InvalidData as exc:  # a legacy file too short for the detector to be sure
            assert encoding == "cp1252" and "--encoding" in str(exc)
            result = load(db, config, data, encoding="cp1252")  # then the user says it
        got = {(lead.name, lead.email) for lead in leads.find(db)}
    assert result.rejected == 0
    assert got == {(name.strip(), email) for name, email in rows}


def _fits_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


# --- the real exports in ../shared/data -----------------------------------------------------

# A known person of each file (name, e-mail); None for files that name no one.
KNOWN: dict[str, tuple[str, str | None] | None] = {
    "civicrm_individual_dates_type1.csv": ("Joe 1", None),
    "es_validador_leads_contactos.csv": ("Ana García", "ana.garcia@empresa.com"),
    "ghost_members_formula_like.csv": ("=SUM(A1)", "formula2@example.com"),
    "horde_example_Outlook.csv": ("Firman Wandayandi", "firman@php.net"),
    "hubspot_dummy_contacts.csv": ("Francisco Small", "anna72@example.net"),
    "invoiceninja_wave_clients.csv": ("Marcus Connery", "markymark@walburger.com"),
    "invoiceninja_zoho_contacts.csv": ("Thor Odensohn", "thor@midgaurd.org"),
    "jobhq_preamble.csv": None,
    "jobhq_quoted-newline.csv": None,
    "jobhq_windows-1252.csv": ("Zoë Hart", None),
    "krayin_persons.csv": ("Wilson Fisk", "contact@wilson.com"),
    "linkedin_connections_sixhops.csv": ("Rahul Iyer", "rahul@example.com"),
    "mautic_contacts_no_trailing_newline.csv": ("Ferda Mravenec", "ferda@mravenec.email"),
    "mautic_fakeleaddata.csv": ("Penny Moore", "pennykmoore@dayrep.com"),
    "prestashop_customers_import.csv": (
        "Wendy Moira Darling",
        "wendy.moira.darling@prestashop.com",
    ),
    "roundcube_gmail.csv": ("Firstname Middle Lastname", "home@aaa.pl"),
    "roundcube_outlook.csv": None,
    "sfdc_lead_export_kowshik.csv": ("Rishab R", None),
    "tb_basic_addressbook.csv": ("John Doe", None),
    "tb_csv_semicolon.csv": ("Jane Doe", None),
    "tb_quote.csv": ("Acer America", None),
}
REAL = sorted(SHARED_DATA.glob("*.csv")) if SHARED_DATA.is_dir() else []


@pytest.mark.skipif(not REAL, reason="../shared/data is not here")
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_real_export_imports(store: Database, config: Config, path: Path) -> None:
    known = KNOWN.get(path.name, ...)
    try:
        result = load(store, config, path, skip_invalid=True)
    except InvalidData as exc:
        assert known is None, f"{path.name}: {exc}"
        assert "--map COLUMN=name" in str(exc)
        return
    assert known is not None and result.imported > 0
    assert all(e.line > 1 and e.reason.endswith(".") for e in result.errors)
    if known is not ...:
        name, email = known
        people = stored(store)
        assert name in people, sorted(people)[:5]
        assert people[name].email == email


@pytest.mark.skipif(not REAL, reason="../shared/data is not here")
def test_real_exports_quirks(store: Database, config: Config) -> None:
    atomic = load(store, config, SHARED_DATA / "es_validador_leads_contactos.csv")
    assert [e.line for e in atomic.errors] == [4, 5] and leads.find(store) == []
    both = load(store, config, SHARED_DATA / "es_validador_leads_contactos.csv", skip_invalid=True)
    assert (both.imported, both.merged, both.rejected) == (7, 1, 2)  # Ana García twice
    hubspot = load(store, config, SHARED_DATA / "hubspot_dummy_contacts.csv")
    assert hubspot.imported == 950
    stages = {lead.stage for lead in leads.find(store)}
    assert {Stage.MQL, Stage.SQL, Stage.CUSTOMER, Stage.PROSPECT} <= stages
    linkedin = load(store, config, SHARED_DATA / "linkedin_connections_sixhops.csv")
    assert [(e.line, e.reason) for e in linkedin.errors] == [(9, "A lead needs a name.")]
    krayin = load(store, config, SHARED_DATA / "krayin_persons.csv")
    assert krayin.imported == 2 and stored(store)["Sasha Calle"].phone == "15454445454"
