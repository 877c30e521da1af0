"""Do-not-call registries (SPEC §7): the files Robinson, Bloctel and the US National Do Not
Call Registry hand out, built here in their shapes, loaded into a real store on every engine
as keyed hashes, replaced whole or not at all, and asked by number."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import NOW
from warmcall.compliance import listings, registries
from warmcall.errors import InvalidData, NotFound, UsageError

DEC_1 = date(2026, 11, 20)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def load(store, path: Path, name: str, as_of: date = DEC_1, now: datetime = NOW, **kw):
    return registries.import_registry(store, path, name, as_of, now, **kw)


def on_lists(store, *numbers: str) -> dict[str, list[str]]:
    found = listings.listed(store, numbers)
    return {n: sorted(x.registry for x in lists) for n, lists in found.items()}


# --- the shapes the services hand out -------------------------------------------------------


def test_robinson_one_number_a_line_in_every_spelling(store, tmp_path):
    path = write(tmp_path, "robinson.txt",
                 "612345678\n+34 622 000 111\n0034633111222\n34 644 555 666\n\n"
                 "655-00-01-11\n612345678\n")  # fmt: skip
    done = load(store, path, "robinson")
    assert done.registry.country == "ES" and done.registry.numbers == 5  # the repeat is one
    found = on_lists(store, "+34612345678", "+34622000111", "+34633111222", "+34644555666",
                     "+34655000111", "+34699999999")  # fmt: skip
    assert sorted(found) == ["+34612345678", "+34622000111", "+34633111222", "+34644555666",
                             "+34655000111"]  # fmt: skip
    assert all(lists == ["robinson"] for lists in found.values())


def test_the_us_registry_flat_file_and_its_area_code_csv(store, tmp_path):
    flat = write(tmp_path, "212.txt", "2125550147\n2125550148\n12125550149\n")
    assert load(store, flat, "us-dnc").registry.numbers == 3
    assert sorted(on_lists(store, "+12125550147", "+12125550149", "+13055550175")) == [
        "+12125550147", "+12125550149"]  # fmt: skip
    csv = write(tmp_path, "305.csv", "305,5550175\n305,5550176\n")
    assert load(store, csv, "us-dnc").registry.numbers == 2  # replaces the flat one
    assert sorted(on_lists(store, "+12125550147", "+13055550175", "+13055550176")) == [
        "+13055550175", "+13055550176"]  # fmt: skip


def test_bloctel_answer_file_keeps_only_the_numbers_marked_as_listed(store, tmp_path):
    answer = write(
        tmp_path, "bloctel-retour.csv",
        "Numéro de téléphone;Statut\n0612345678;Inscrit\n0622000111;Non inscrit\n"
        "+33 6 33 11 12 22;OUI\n0644555666;non\n0655000111;\n",
        encoding="cp1252",
    )  # fmt: skip
    done = load(store, answer, "bloctel")
    assert done.registry.country == "FR"
    assert done.not_listed == 2
    # an empty mark counts as listed: in doubt, do not call
    assert sorted(on_lists(store, "+33612345678", "+33622000111", "+33633111222",
                           "+33644555666", "+33655000111")) == [
        "+33612345678", "+33633111222", "+33655000111"]  # fmt: skip


@pytest.mark.parametrize("header", ["phone", "Teléfono", "NUMERO", "msisdn", "Phone Number"])
def test_a_csv_finds_its_number_column_by_any_usual_name(store, tmp_path, header):
    path = write(tmp_path, "list.csv", f"id,{header},source\n1,612345678,web\n2,622000111,x\n")
    assert load(store, path, "robinson").registry.numbers == 2
    assert "+34622000111" in on_lists(store, "+34622000111")


def test_a_list_of_another_country_needs_its_country(store, tmp_path):
    path = write(tmp_path, "pt.txt", "912345678\n")
    with pytest.raises(UsageError, match="--country"):
        load(store, path, "pt-robinson")
    done = load(store, path, "pt-robinson", country="PT")
    assert done.registry.country == "PT" and on_lists(store, "+351912345678")


def test_unreadable_lines_are_counted_and_named(store, tmp_path):
    path = write(tmp_path, "r.txt", "612345678\nabc\n12\n622000111\n")
    done = load(store, path, "robinson")
    assert (done.registry.numbers, done.unreadable, done.first_unreadable) == (2, 2, (2, 3))


def test_a_file_without_a_number_column_is_refused_and_loads_nothing(store, tmp_path):
    path = write(tmp_path, "r.csv", "name,email\nAna,a@x.es\n")
    with pytest.raises(InvalidData, match="no number column"):
        load(store, path, "robinson")
    assert listings.loaded(store) == []


def test_an_empty_answer_file_is_a_list_with_no_number(store, tmp_path):
    """Bloctel's answer when none of your numbers is listed: the list is loaded, dated."""
    path = write(tmp_path, "bloctel.csv", "Numéro;Statut\n0612345678;non\n")
    done = load(store, path, "bloctel")
    assert done.registry.numbers == 0
    assert [r.name for r in listings.loaded(store)] == ["bloctel"]


# --- replacing, dating, removing ------------------------------------------------------------


def test_reimporting_replaces_the_list_and_a_failed_import_keeps_the_earlier(store, tmp_path):
    load(store, write(tmp_path, "a.txt", "612345678\n622000111\n"), "robinson")
    done = load(store, write(tmp_path, "b.txt", "633111222\n"), "robinson", date(2026, 11, 24))
    assert done.replaced is not None and done.replaced.numbers == 2
    assert list(on_lists(store, "+34612345678", "+34633111222")) == ["+34633111222"]
    with pytest.raises(InvalidData):
        load(store, write(tmp_path, "c.txt", "abc\nxyz\n"), "robinson")
    (kept,) = listings.loaded(store)
    assert (kept.numbers, kept.as_of) == (1, date(2026, 11, 24))
    assert list(on_lists(store, "+34633111222")) == ["+34633111222"]


def test_an_import_that_fails_midway_leaves_the_earlier_list(store, tmp_path, monkeypatch):
    load(store, write(tmp_path, "a.txt", "612345678\n"), "robinson")
    monkeypatch.setattr(registries, "BATCH", 2)
    calls = {"n": 0}
    real = registries._staged

    def failing(db, digests):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch of the file, once the first is written
            raise InvalidData("disk full")
        return real(db, digests)

    monkeypatch.setattr(registries, "_staged", failing)
    with pytest.raises(InvalidData, match="disk full"):
        load(store, write(tmp_path, "b.txt", "622000111\n633111222\n644555666\n"), "robinson")
    (kept,) = listings.loaded(store)
    assert kept.numbers == 1
    assert list(on_lists(store, "+34612345678", "+34622000111")) == ["+34612345678"]


def test_a_list_cannot_be_dated_after_today(store, tmp_path):
    with pytest.raises(InvalidData, match="after today"):
        load(store, write(tmp_path, "a.txt", "612345678\n"), "robinson", date(2026, 11, 26))


def test_lists_are_kept_apart_and_removed_by_name(store, tmp_path):
    load(store, write(tmp_path, "a.txt", "612345678\n"), "robinson")
    load(store, write(tmp_path, "b.txt", "+34612345678\n2125550147\n"), "mine", country="US")
    assert on_lists(store, "+34612345678") == {"+34612345678": ["mine", "robinson"]}
    gone = registries.remove(store, "robinson")
    assert gone.numbers == 1
    assert on_lists(store, "+34612345678") == {"+34612345678": ["mine"]}
    with pytest.raises(NotFound, match="mine"):
        registries.remove(store, "robinson")


def test_numbers_are_kept_as_keyed_hashes_never_as_numbers(store, tmp_path):
    load(store, write(tmp_path, "a.txt", "612345678\n"), "robinson")
    rows = store.query("SELECT digest FROM registry_numbers")
    assert len(rows) == 1
    assert "612345678" not in rows[0]["digest"] and len(rows[0]["digest"]) == 32


def test_a_list_older_than_a_profile_allows_is_stale():
    lists = [listings.Registry("us-dnc", "US", 10, date(2026, 10, 1), NOW)]
    needed = [("us-tcpa", "us-dnc", 31), ("es-b2c", "robinson", 30)]
    on_day_31 = listings.stale(lists, needed, date(2026, 11, 1))
    assert [(s.registry, s.age) for s in on_day_31] == [("robinson", None)]
    assert [(s.registry, s.age) for s in listings.stale(lists, needed, date(2026, 11, 2))] == [
        ("robinson", None), ("us-dnc", 32)]  # fmt: skip


# --- reading numbers ------------------------------------------------------------------------

SPANISH = st.from_regex(r"[6-9][0-9]{8}", fullmatch=True)


@given(national=SPANISH, shape=st.sampled_from(["{n}", "+34{n}", "0034{n}", "34{n}",
                                                "+34 {a} {b} {c}", "{a}-{b}-{c}"]))  # fmt: skip
def test_every_spelling_of_a_spanish_number_reads_as_the_library_reads_it(national, shape):
    from warmcall import phones

    raw = shape.format(n=national, a=national[:3], b=national[3:6], c=national[6:])
    expected, flag = phones.normalise(national, "ES")
    assert registries.reader("ES")(raw) == (expected if flag is None else f"+34{national}")


@given(national=st.from_regex(r"[1-9][0-9]{8}", fullmatch=True))
def test_a_french_number_reads_with_or_without_its_trunk_zero(national):
    read = registries.reader("FR")
    assert read("0" + national) == read("+33" + national) == read("0033" + national)
    assert read("0" + national) == f"+33{national}"


# --- the plan -------------------------------------------------------------------------------


@given(
    listed=st.lists(st.booleans(), min_size=1, max_size=30),
    temperatures=st.lists(st.sampled_from(["warm", "hot"]), min_size=30, max_size=30),
    limit=st.sampled_from([None, 1, 5, 20]),
)
def test_no_planned_row_is_on_a_registry(listed, temperatures, limit):
    """Whatever the book and the limit, a lead whose number a list holds is never a row, and
    every one of them is left out naming its list."""
    from warmcall.config import Config
    from warmcall.plan.planner import Candidate, plan

    config = Config(timezone="Europe/Madrid", region="ES")
    at = datetime(2026, 11, 25, 10, 0, tzinfo=NOW.tzinfo)
    robinson = listings.Listing("robinson", DEC_1)
    leads = [
        Candidate(
            lead_id=i, name=f"Lead {i}", created_at=datetime(2026, 11, 1, tzinfo=NOW.tzinfo),
            temperature=temperatures[i], timezone="Europe/Madrid",
            phone_e164=f"+3461234{i:04d}", listed=(robinson,) if on_list else (),
        )
        for i, on_list in enumerate(listed)
    ]  # fmt: skip
    made = plan(leads, at, config, limit=limit)
    assert not any(row.lead.listed for row in made.rows)
    refused = {e.lead.lead_id for e in made.excluded if e.code == "registry"}
    assert refused == {i for i, on_list in enumerate(listed) if on_list}
    assert all(e.facts["registry"] == "robinson" for e in made.excluded if e.code == "registry")
