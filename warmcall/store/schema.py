"""The schema, declared with SQLModel: the reference the migrations must reach.

Nothing on the hot paths imports this module (SQLModel costs ~0.4 s to import); the
migrations in ``migrations/versions`` build the tables, and ``tests/test_schema.py`` checks
with Alembic's comparison that a migrated store matches these declarations exactly.
Timestamps are integer seconds since the epoch, UTC: portable, compact and cheap to compare,
in 64 bits on every engine (``Epoch``; migration 0005), so that 2038 is an ordinary year.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

PERSONAL = "personal"


def Personal(required: bool = False) -> Any:  # noqa: N802 (a Field, spelt like one)
    """A column that can hold what a person is or said (name, e-mail, numbers, notes): what
    ``lead forget`` overwrites before it deletes the rows (``personal_columns``)."""
    info = {"info": {PERSONAL: True}}
    return Field(sa_column_kwargs=info) if required else Field(default=None, sa_column_kwargs=info)


def Rep() -> Any:  # noqa: N802 (a Field, spelt like one)
    """The rep who wrote a row; '' for the implicit rep of a store of one (and every row
    written before the store knew its reps) (0018)."""
    return Field(default="", sa_column_kwargs={"server_default": text("''")})


# 64-bit seconds: BIGINT on PostgreSQL; on SQLite INTEGER is already 64-bit (and stays the
# type its migrations made).
Epoch = BigInteger().with_variant(Integer(), "sqlite")


class LeadRow(SQLModel, table=True):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_email", "email"),
        Index("ix_leads_phone_e164", "phone_e164"),
        Index("ix_leads_status", "status"),
        # the plan's groups of leads by score bound (0009), and by pickup bound and owner (0019)
        Index(
            "ix_leads_plan",
            "status",
            "temperature",
            "stage",
            "consent",
            "pickup_most",
            "owner",
            "created_at",
        ),  # fmt: skip
        # the plan's bound reads each window and set of zones once (migration 0015)
        Index("ix_leads_window_zones", "window", "zones"),
        Index("ix_leads_owner", "owner"),  # a rep's own leads (0018)
        # each pool of similar leads read once by the plan's pickup bound (0019)
        Index("ix_leads_pool", "country", "window", "source", "id"),
        Index("ix_leads_pickup_most", "pickup_most"),  # the most any lead holds (0019)
        # the rep's leads with a follow-up due, and the shared ones: a range each (0023)
        Index(
            "ix_leads_owner_due",
            "owner",
            "due_at",
            "id",
            postgresql_where=text("due_at IS NOT NULL"),
            sqlite_where=text("due_at IS NOT NULL"),
        ),
        # the few leads with other numbers, for "is this someone we know?" (0024)
        Index(
            "ix_leads_phones",
            "id",
            postgresql_where=text("phones IS NOT NULL"),
            sqlite_where=text("phones IS NOT NULL"),
        ),
        # SPEC §5's identity, held by the database: no two leads are one person (0020)
        Index("ux_leads_email_key", "email_key", unique=True),
        Index("ux_leads_phone_key", "phone_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Personal(required=True)
    # lower-cased, accents stripped: for "part of the name" look-ups
    name_key: str = Personal(required=True)
    company: str | None = Personal()
    title: str | None = Personal()
    phone: str | None = Personal()
    phone_e164: str | None = Personal()
    phone_flag: str | None = None
    email: str | None = Personal()
    temperature: str = "warm"
    stage: str = "lead"
    status: str = "active"
    source: str | None = Personal()
    context: str | None = Personal()
    consent: str = "none"
    window: str = "any"
    timezone: str | None = None
    notes: str | None = Personal()
    tags: str | None = Personal()  # comma-separated
    dnc_at: int | None = Field(default=None, sa_type=Epoch)
    dnc_reason: str | None = Personal()
    created_at: int = Field(sa_type=Epoch)
    updated_at: int = Field(sa_type=Epoch)
    country: str | None = None  # ISO 3166 alpha-2: holidays and calling rules (0004)
    phones: str | None = Personal()  # the lead's other numbers, one a line, as given (0004)
    # The zones the lead may be in whatever the user's own (``compliance.zones.settled``):
    # names sorted, one space apart; NULL when they depend on the user's (0015).
    zones: str | None = None
    # business, consumer, sole-trader: with country and region, the rule profile (0016)
    segment: str | None = None
    region: str | None = None  # ISO 3166-2 subdivision as given: ES-MD, US-FL (0016)
    # The rep the lead belongs to (None: shared by the team), and the rep who changed it last
    # ('' is the implicit rep of a store of one) (0018).
    owner: str | None = None
    updated_by: str = Rep()
    # The most dials the lead answered in one hour of its day (both kinds of day), kept with
    # its pickup rows: what bounds its pickup chance in the plan's ranking (0019).
    pickup_most: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    # The lead's identity keys (``identity.keys``), each unique: the e-mail lower-cased, and
    # the number read with the name's words; NULL for a lead allowed as a duplicate (0020).
    email_key: str | None = Personal()
    phone_key: str | None = Personal()
    # When the lead's open follow-up is due (NULL: none open), kept from the follow-ups by
    # the database's triggers: the plan's leads due read from an index (0023).
    due_at: int | None = Field(default=None, sa_type=Epoch)


class CallRow(SQLModel, table=True):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_lead_at", "lead_id", "at"),
        # The weekly report's periods as index-only range scans (migration 0003), the team's
        # week too (its rep: 0021).
        Index(
            "ix_calls_at",
            "at",
            "lead_id",
            "channel",
            "outcome",
            "objections",
            "temperature",
            "rep",
        ),  # fmt: skip
        # The dials that broke a rule, by time: the report's breaches (0017).
        Index(
            "ix_calls_broken",
            "at",
            sqlite_where=text("broken IS NOT NULL"),
            postgresql_where=text("broken IS NOT NULL"),
        ),
        # a rep's dials: their day and their pace (0018; the channel: 0021)
        Index("ix_calls_rep_at", "rep", "at", "channel"),
        # An undone call's id is never given again (SQLite; PostgreSQL's sequences) (0007).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    )
    at: int = Field(sa_type=Epoch)
    outcome: str
    channel: str = "phone"
    duration: int | None = None
    notes: str | None = Personal()
    objections: str | None = None  # comma-separated
    temperature: str | None = None
    created_at: int = Field(sa_type=Epoch)
    sent: str | None = None  # what was sent with the call: offer, proposal, invoice, info (0004)
    shown: str | None = None  # what was shown in it: demo (0004)
    recap: str | None = Personal()  # a customer-facing summary for the e-mail (0004)
    # The lead just before a logged call, for undo and edit to restore (0006).
    before_temperature: str | None = None
    before_status: str | None = None
    before_phone_flag: str | None = None
    # The timeline the lead gave in the conversation, as they said it (0010).
    timeline: str | None = Personal()
    # What the dial was judged by when logged (0017): the number dialled, the checks as JSON
    # (profile, rule version, checks judged, those broken with their facts), and the names
    # of the checks broken (NULL: none, or not judged: an older or imported call).
    dialled: str | None = Personal()
    checks: str | None = Personal()  # the person's consent and local time at the dial
    broken: str | None = None
    rep: str = Rep()  # who made the call (0018)


class FollowUpRow(SQLModel, table=True):
    __tablename__ = "followups"
    __table_args__ = (
        Index("ix_followups_lead_done", "lead_id", "done_at"),
        # One open step per lead, whatever the order calls are logged in (0007).
        Index(
            "ux_followups_one_open",
            "lead_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    )
    call_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("calls.id", ondelete="SET NULL"), nullable=True),
    )
    due_at: int = Field(sa_type=Epoch)
    has_time: bool = True
    action: str = Personal(required=True)
    goal: str | None = Personal()
    created_at: int = Field(sa_type=Epoch)
    done_at: int | None = Field(default=None, sa_type=Epoch)
    done_call_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("calls.id", ondelete="SET NULL"), nullable=True),
    )
    status: str = "open"
    rep: str = Rep()  # who agreed the step (0018)


class ClaimRow(SQLModel, table=True):
    """A shared lead on one rep's plan until ``until_at`` (the end of the lead's day), so that no
    other rep plans it that day; a call logged on the lead releases it (0018)."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_rep", "rep"),)

    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True)
    )
    rep: str
    until_at: int = Field(sa_type=Epoch)


class LeadEventRow(SQLModel, table=True):
    """Acts to prove: an objection recorded (``dnc``) or lifted (``lift``), dated (0006)."""

    __tablename__ = "lead_events"
    __table_args__ = (Index("ix_lead_events_lead_at", "lead_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    )
    at: int = Field(sa_type=Epoch)
    kind: str  # dnc | lift
    reason: str | None = Personal()
    created_at: int = Field(sa_type=Epoch)


class LeadIdentityRow(SQLModel, table=True):
    """A number or e-mail a lead had until an edit replaced it (0011): an objection binds every
    one the person ever had (SPEC §7), and the lead's timeline dates the change."""

    __tablename__ = "lead_identities"
    __table_args__ = (
        Index("ix_lead_identities_value", "value"),
        Index("ix_lead_identities_lead_at", "lead_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    )
    at: int = Field(sa_type=Epoch)  # when it was replaced
    kind: str  # phone | email
    value: str = Personal(required=True)  # the old one: E.164 (or as given), e-mail lower-cased
    replaced_by: str | None = Personal()  # what replaced it (None: removed)
    created_at: int = Field(sa_type=Epoch)


class PickupHourRow(SQLModel, table=True):
    """A lead's phone dials and how many were answered, per hour of its local day and kind
    of day (0013): the evidence of ``pickup.estimate``, kept as calls are logged, corrected,
    undone or imported (``pickup.record``), so that ``next`` never reads every call."""

    __tablename__ = "pickup_hours"
    __table_args__ = (
        Index("ux_pickup_hours_lead_band", "lead_id", "hour", "weekend", unique=True),
        Index("ix_pickup_hours_band_dials", "hour", "weekend", "dials"),  # most dials (0019)
        Index(
            "ix_pickup_hours_pool",
            "pool_country",
            "pool_window",
            "pool_source",
            "lead_id",
            "hour",
            "weekend",
            "dials",
            "answered",
        ),  # a pool's newest rows (0019)  # fmt: skip
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    )
    hour: int  # 0-23, the lead's local time
    weekend: int  # 1: a Saturday or Sunday
    dials: int
    answered: int
    # The pool its lead was in when counted (country, window, source; never NULL) (0019).
    pool_country: str = Field(default="", sa_column_kwargs={"server_default": text("''")})
    pool_window: str = Field(default="any", sa_column_kwargs={"server_default": text("'any'")})
    pool_source: str = Field(default="", sa_column_kwargs={"server_default": text("''")})


class LeadConsentRow(SQLModel, table=True):
    """A consent given or withdrawn (0014): its date, channel, the wording agreed to and its
    expiry; the one in force at a moment is the latest before it (SPEC §7, proof)."""

    __tablename__ = "lead_consents"
    __table_args__ = (Index("ix_lead_consents_lead_at", "lead_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(
        sa_column=Column(Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    )
    at: int = Field(sa_type=Epoch)  # when it was given (or revoked)
    consent: str  # opt-in | customer | form | b2b | none | revoked
    channel: str  # web-form | phone | email | paper | event | … | unknown
    wording: str | None = Personal()  # the text the person agreed to, as shown to them
    expires_at: int | None = Field(default=None, sa_type=Epoch)  # given for a while only
    basis: str | None = None  # a customer's: purchase | inquiry (None: not said)
    created_at: int = Field(sa_type=Epoch)


class StoreMetaRow(SQLModel, table=True):
    """Facts about the store itself: its random ``store_id``, which names the file that holds
    its suppression key outside it, and ``suppression_check``, a keyed hash of a fixed text
    that tells the right key from a wrong one (0006, 0008). Never the key itself."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True)
    value: str


class SuppressionRow(SQLModel, table=True):
    """A forgotten person's keyed hash (HMAC-SHA256 of the normalised e-mail or phone): all
    that is left of them, so that no add or import brings them back unasked (0006)."""

    __tablename__ = "suppressions"

    digest: str = Field(primary_key=True)
    kind: str  # email | phone
    created_at: int = Field(sa_type=Epoch)
    lifted_at: int | None = Field(default=None, sa_type=Epoch)
    lift_reason: str | None = None


class RegistryRow(SQLModel, table=True):
    """A national do-not-call list loaded from the file its service hands out (0012): its
    name (``robinson``, ``bloctel``, ``us-dnc`` or the user's own), the country its numbers
    were read in, how many, and the date the list is as of."""

    __tablename__ = "registries"
    __table_args__ = (UniqueConstraint("name", name="uq_registries_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    country: str | None = None
    numbers: int
    as_of: str  # ISO 8601 date (2026-12-01): the same on every engine
    loaded_at: int = Field(sa_type=Epoch)


class RegistryNumberRow(SQLModel, table=True):
    """A listed number: the first 128 bits of its keyed hash (HMAC-SHA256 of the E.164 number,
    the suppression key), under its list (0012). The primary key is the one index: the plan's
    look-up per list, a re-import's delete of one list."""

    __tablename__ = "registry_numbers"
    __table_args__ = ({"sqlite_with_rowid": False},)

    # No foreign key: PostgreSQL would check it a row (a third of a big list's import); a
    # list's numbers go with it in ``compliance.registries``.
    registry_id: int = Field(primary_key=True)
    digest: str = Field(primary_key=True)


metadata = SQLModel.metadata


def personal_columns() -> dict[str, dict[str, bool]]:
    """Each table's columns that can hold a person's data, as declared above, each with
    whether it may be empty (NULL)."""
    return {
        table.name: {c.name: bool(c.nullable) for c in table.columns if c.info.get(PERSONAL)}
        for table in metadata.sorted_tables
        if any(c.info.get(PERSONAL) for c in table.columns)
    }
