"""Leads in the core: validation, look-up by any reference, objections, erasure."""

import pytest

from tests.conftest import NOW
from warmcall import leads
from warmcall.errors import Ambiguous, InvalidData, NotFound
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
    leads.forget(store, lead)
    assert store.one("SELECT COUNT(*) AS n FROM calls")["n"] == 0
    with pytest.raises(NotFound):
        leads.get(store, lead.id)
