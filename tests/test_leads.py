"""Leads in the core: validation, look-up by any reference, objections, erasure."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from warmcall import leads
from warmcall.errors import Ambiguous, InvalidData, NotFound, Refused
from warmcall.models import Status, Temperature


def make(store, config, **values):
    lead = leads.LeadBuilder(config).build(values)
    return leads.add(store, lead, NOW)


def test_builder_normalises_and_keeps_what_was_typed(config):
    lead = leads.LeadBuilder(config).build(
        {
            "name": " Ana Martínez ",
            "phone": "612 34 56 78",
            "email": "Ana@Innova.ES",
            "window": "Early",
            "tags": "fair, vip, fair",
        }
    )
    assert lead.name == "Ana Martínez"
    assert (lead.phone, lead.phone_e164, lead.phone_flag) == ("612 34 56 78", "+34612345678", None)
    assert lead.email == "ana@innova.es"
    assert lead.window == "early"
    assert lead.tags == ["fair", "vip"]
    assert lead.temperature == Temperature.WARM


def test_zone_comes_from_a_number_with_one_zone(config):
    lead = leads.LeadBuilder(config).build({"name": "Bob", "phone": "+1 212 555 0100"})
    assert lead.timezone == "America/New_York"


@pytest.mark.parametrize(
    "values, words",
    [
        ({"name": "#N/A"}, "needs a name"),
        ({"name": "A", "email": "not-an-email"}, "not an e-mail"),
        ({"name": "A", "temperature": "tepid"}, "temperature must be one of"),
        ({"name": "A", "window": "lunch"}, "Window 'lunch'"),
        ({"name": "A", "timezone": "Mars/Base"}, "not an IANA time zone"),
        ({"name": "A", "consent": "maybe"}, "consent must be one of"),
    ],
)
def test_invalid_values_say_why(config, values, words):
    with pytest.raises(InvalidData, match=words):
        leads.LeadBuilder(config).build(values)


def test_placeholders_count_as_empty(config):
    lead = leads.LeadBuilder(config).build({"name": "A", "email": "n/a", "phone": "-"})
    assert lead.email is None and lead.phone is None


def test_resolve_by_every_kind_of_reference(store, config):
    ana = make(store, config, name="Ana Martínez", phone="612345678", email="ana@innova.es")
    make(store, config, name="Luis Martín", phone="698765432")
    for ref in (str(ana.id), "ANA@innova.es", "+34 612 34 56 78", "612-345-678", "martinez", "ANA"):
        assert leads.resolve(store, ref, config).id == ana.id


def test_ambiguous_reference_lists_candidates(store, config):
    make(store, config, name="Ana Martínez")
    make(store, config, name="Luis Martín")
    with pytest.raises(Ambiguous) as err:
        leads.resolve(store, "mart", config)
    assert len(err.value.candidates) == 2


def test_unknown_reference(store, config):
    with pytest.raises(NotFound):
        leads.resolve(store, "nobody", config)


def test_filters(store, config):
    make(store, config, name="A", temperature="hot", source="Expo 2026", tags="vip")
    make(store, config, name="B", temperature="cold", source="web form")
    find = lambda **kw: [x.name for x in leads.find(store, leads.LeadFilter(**kw))]  # noqa: E731
    assert find(temperature=Temperature.HOT) == ["A"]
    assert find(source="expo") == ["A"]
    assert find(tag="VIP") == ["A"]
    assert find(search="web") == []  # source is not searched, notes/context are
    assert find() == ["A", "B"]


def test_dnc_is_recorded_with_date_and_reason(store, config):
    lead = make(store, config, name="A")
    leads.mark_dnc(store, lead, "asked on the phone", NOW)
    again = leads.get(store, lead.id)
    assert again.status == Status.DNC
    assert again.dnc_at == NOW and again.dnc_reason == "asked on the phone"


def test_forget_erases_the_person_and_their_history(store, config):
    lead = make(store, config, name="A")
    store.execute(
        "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
        "VALUES (:id, 1, 'busy', 'phone', 1)",
        {"id": lead.id},
    )
    leads.forget(store, lead, NOW)
    assert store.one("SELECT COUNT(*) AS n FROM calls")["n"] == 0
    with pytest.raises(NotFound):
        leads.get(store, lead.id)


# --- suppression after forget (SPEC §7) -------------------------------------------------------


def _dump(store) -> str:
    """Every value of every table, as text: what a person reading the file could find."""
    from warmcall.store.schema import metadata

    return repr([store.query(f"SELECT * FROM {t}") for t in metadata.tables])


def test_forget_keeps_only_keyed_hashes_of_email_and_phones(store, config, db_path):
    from warmcall.compliance import suppression

    ana = make(store, config, name="Ana Martínez", email="Ana@Innova.es", phone="612 345 678",
               company="Innova", notes="met at the fair")  # fmt: skip
    ana.phones = ["+34 911 222 333"]
    leads.save(store, ana, NOW)
    leads.mark_dnc(store, ana, "said never again", NOW)
    leads.forget(store, ana, NOW, "ES")
    dump = _dump(store)
    for trace in ("Ana", "innova", "612345678", "911222333", "fair", "never again"):
        assert trace.lower() not in dump.lower()
    rows = store.query("SELECT kind FROM suppressions ORDER BY kind")
    assert [r["kind"] for r in rows] == ["email", "phone", "phone"]
    asked = suppression.suppressed(
        store, ["ana@innova.es", "bob@x.es"], ["+34612345678", "+34911222333", "+34600000000"]
    )
    assert asked == {"ana@innova.es", "+34612345678", "+34911222333"}


def test_the_hash_is_keyed_per_store(store, tmp_path):
    from warmcall.compliance import suppression
    from warmcall.store.db import open_db

    other = open_db(tmp_path / "other.db")
    try:
        for db in (store, other):
            suppression.suppress(db, [], ["+34612345678"], NOW)
        kept = [db.one("SELECT digest FROM suppressions")["digest"] for db in (store, other)]
        assert kept[0] != kept[1]
        assert suppression.digest(store, "+34612345678") == kept[0]
    finally:
        other.close()


def test_a_lift_lets_the_person_back_and_is_kept_with_its_reason(store, config):
    from warmcall.compliance import suppression

    ana = make(store, config, name="Ana", email="ana@innova.es")
    leads.forget(store, ana, NOW)
    lifted = suppression.lift(store, "ana@innova.es", "she wrote to ask for a demo", NOW)
    assert lifted.forgotten_at == NOW
    assert suppression.suppressed(store, ["ana@innova.es"], []) == set()
    row = store.one("SELECT lift_reason FROM suppressions")
    assert row["lift_reason"] == "she wrote to ask for a demo"
    with pytest.raises(NotFound):
        suppression.lift(store, "ana@innova.es", "again", NOW)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(numbers=st.lists(st.from_regex(r"\+34[67][0-9]{8}", fullmatch=True), max_size=30,
                        unique=True))  # fmt: skip
def test_suppressed_answers_exactly_the_forgotten_values(store, numbers):
    from warmcall.compliance import suppression

    store.execute("DELETE FROM suppressions")
    forgotten = numbers[::2]
    suppression.suppress(store, ["x@y.es"], forgotten, NOW)
    assert suppression.suppressed(store, ["x@y.es", "z@y.es"], numbers) == {"x@y.es", *forgotten}


@given(key=st.binary(min_size=1, max_size=200), value=st.text(max_size=40))
def test_the_bulk_digest_is_hmac_sha256(key, value):
    import hashlib
    import hmac

    from warmcall.compliance.suppression import _hasher

    assert _hasher(key)(value) == hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def test_no_value_given_to_a_lead_lifts_its_objection(store, config):
    ana = make(store, config, name="Ana")
    leads.mark_dnc(store, ana, "said never again", NOW)
    builder = leads.LeadBuilder(config)
    for status in ("active", "Won", "lost"):
        with pytest.raises(Refused, match="only `warmcall lead dnc"):
            builder.apply(ana, {"status": status})
    builder.apply(ana, {"status": "dnc", "company": "Innova"})  # no lift: allowed
    assert (ana.status, ana.company) == (Status.DNC, "Innova")
