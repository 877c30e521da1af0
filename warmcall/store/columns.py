"""The columns of every table, in ``schema.py``'s order, for the code that writes SQL.

``schema.py`` declares the tables; SQLModel costs ~0.4 s to import, so the hot paths (``next``,
imports) cannot read the names from it. They read them here, and every column list of the
code (select lists, inserts, editable fields, export columns, the planner's candidate rows)
is made from these. ``tests/test_columns.py`` fails when this module, ``schema.py``, a
migrated store (on each engine) or a list made from them disagree: a new column is added in
the migration, ``schema.py`` and here, and the test names what else must know of it.
"""

from __future__ import annotations

LEADS = (
    "id", "name", "name_key", "company", "title", "phone", "phone_e164", "phone_flag",
    "email", "temperature", "stage", "status", "source", "context", "consent", "window",
    "timezone", "notes", "tags", "dnc_at", "dnc_reason", "created_at", "updated_at",
    "country", "phones", "zones", "segment", "region", "owner", "updated_by",
    "pickup_most", "email_key", "phone_key", "due_at",
)  # fmt: skip
CALLS = (
    "id", "lead_id", "at", "outcome", "channel", "duration", "notes", "objections",
    "temperature", "created_at", "sent", "shown", "recap", "before_temperature",
    "before_status", "before_phone_flag", "timeline", "dialled", "checks", "broken", "rep",
)  # fmt: skip
FOLLOWUPS = (
    "id", "lead_id", "call_id", "due_at", "has_time", "action", "goal", "created_at",
    "done_at", "done_call_id", "status", "rep",
)  # fmt: skip
LEAD_EVENTS = ("id", "lead_id", "at", "kind", "reason", "created_at")
LEAD_IDENTITIES = ("id", "lead_id", "at", "kind", "value", "replaced_by", "created_at")
STORE_META = ("key", "value")
SUPPRESSIONS = ("digest", "kind", "created_at", "lifted_at", "lift_reason")
REGISTRIES = ("id", "name", "country", "numbers", "as_of", "loaded_at")
REGISTRY_NUMBERS = ("registry_id", "digest")
CLAIMS = ("lead_id", "rep", "until_at")
PICKUP_HOURS = (
    "id", "lead_id", "hour", "weekend", "dials", "answered", "pool_country", "pool_window",
    "pool_source",
)  # fmt: skip
LEAD_CONSENTS = (
    "id", "lead_id", "at", "consent", "channel", "wording", "expires_at", "basis", "created_at",
)  # fmt: skip

# Columns the store keeps from other rows, never written from the model: a lead's
# ``pickup_most`` is counted from its pickup rows (``pickup.record.refresh``), its ``due_at``
# by the triggers of its follow-ups (migration 0023).
KEPT = {"leads": ("pickup_most", "due_at")}

TABLES = {
    "leads": LEADS,
    "calls": CALLS,
    "followups": FOLLOWUPS,
    "lead_events": LEAD_EVENTS,
    "lead_identities": LEAD_IDENTITIES,
    "store_meta": STORE_META,
    "suppressions": SUPPRESSIONS,
    "registries": REGISTRIES,
    "registry_numbers": REGISTRY_NUMBERS,
    "pickup_hours": PICKUP_HOURS,
    "claims": CLAIMS,
    "lead_consents": LEAD_CONSENTS,
}
# The moments: seconds since the epoch, UTC, 64-bit on every engine (``schema.Epoch``), so
# that a follow-up in 2038 is stored like any other.
TIMES = {
    "leads": ("dnc_at", "created_at", "updated_at", "due_at"),
    "calls": ("at", "created_at"),
    "followups": ("due_at", "created_at", "done_at"),
    "lead_events": ("at", "created_at"),
    "lead_identities": ("at", "created_at"),
    "store_meta": (),
    "suppressions": ("created_at", "lifted_at"),
    "registries": ("loaded_at",),
    "registry_numbers": (),
    "pickup_hours": (),
    "claims": ("until_at",),
    "lead_consents": ("at", "expires_at", "created_at"),
}
