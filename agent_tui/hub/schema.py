"""The hub's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

Customer master data (customers, products, accounts, transactions, interactions) is the hub's own:
workstations only read and cache it. Cases, notes, callbacks, calls, flags, operations and audit
events arrive as mutations from workstations. ``mutation_results`` remembers every answer, so a
batch sent twice is answered twice alike and applied once; ``change_log`` is the feed workstations
pull, one row per audience that may read the change.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()

# SQLite gives an INTEGER PRIMARY KEY its rowid (autoincrementing); PostgreSQL a bigint identity.
_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


def _text(name: str, **kwargs) -> Column:
    return Column(name, Text, nullable=False, server_default="", **kwargs)


hub_meta = Table(
    "hub_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

tokens = Table(
    "tokens", metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("agent_id", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("team", String(64), nullable=False, server_default=""),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32)),
    Column("revoked_at", String(32)),
)

devices = Table(
    "devices", metadata,
    Column("device_id", String(36), primary_key=True),
    Column("agent_id", String(64), nullable=False),
    Column("registered_at", String(32), nullable=False),
    Column("last_mutation_seq", BigInteger, nullable=False, server_default="0"),
)

mutation_results = Table(
    "mutation_results", metadata,
    Column("device_id", String(36), nullable=False),
    Column("mutation_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("name", String(64), nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # applied | rejected | conflict
    _text("reason"),
    Column("current", Text),  # the record as the hub holds it, for a conflict
    _text("entity_id"),
    # For a refused case change: the version the device believed it made. A later change from
    # the same device built on that version is refused too, instead of landing on another's.
    Column("phantom_version", BigInteger),
    Column("received_at", String(32), nullable=False),
    PrimaryKeyConstraint("device_id", "mutation_id"),
)

# Mutation ids are UUIDv7, unique across devices: a mutation resent under another device id of
# the same agent (a workstation that registered again) is still recognised as a duplicate.
Index("hub_mutation_results_mutation", mutation_results.c.mutation_id)

# A mutation whose application keeps failing (a hub fault, not the client's) is counted outside
# the rolled-back transaction, so the device is not blocked behind it forever.
mutation_failures = Table(
    "mutation_failures", metadata,
    Column("device_id", String(36), nullable=False),
    Column("mutation_id", String(64), nullable=False),
    Column("failures", Integer, nullable=False),
    _text("last_error"),
    PrimaryKeyConstraint("device_id", "mutation_id"),
)

customers = Table(
    "customers", metadata,
    Column("id", String(32), primary_key=True),
    *(_text(name) for name in ("name", "name_pinyin", "name_initials", "gender", "birth_date",
                               "id_number", "id_last6", "mobile", "segment")),
    Column("is_elderly", Integer, nullable=False, server_default="0"),
    Column("is_disabled", Integer, nullable=False, server_default="0"),
    Column("risk_level", Integer, nullable=False),
    *(_text(name) for name in ("address", "occupation", "customer_since", "branch")),
    Column("version", BigInteger, nullable=False, server_default="1"),
)
Index("hub_customers_mobile", customers.c.mobile)
Index("hub_customers_id_number", customers.c.id_number)
Index("hub_customers_id_last6", customers.c.id_last6)
Index("hub_customers_name", customers.c.name)
Index("hub_customers_name_pinyin", customers.c.name_pinyin)
Index("hub_customers_name_initials", customers.c.name_initials)

products = Table(
    "products", metadata,
    Column("code", String(32), primary_key=True),
    *(_text(name) for name in ("kind", "name_zh", "name_en")),
    Column("risk_level", Integer, nullable=False),
)

accounts = Table(
    "accounts", metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    *(_text(name) for name in ("kind", "product_code", "number", "last4", "status")),
    Column("balance_cents", BigInteger, nullable=False, server_default="0"),
    _text("opened_on"),
    Column("version", BigInteger, nullable=False, server_default="1"),
)
Index("hub_accounts_last4", accounts.c.last4, accounts.c.customer_id)
Index("hub_accounts_number", accounts.c.number)

transactions = Table(
    "transactions", metadata,
    Column("id", _BIG_ID, primary_key=True, autoincrement=True),
    Column("customer_id", String(32), nullable=False),
    Column("account_id", String(40), nullable=False),
    _text("at"), _text("kind"),
    Column("amount_cents", BigInteger),
    *(_text(name) for name in ("counterparty", "channel", "description")),
)
Index("hub_transactions_customer_at", transactions.c.customer_id, transactions.c.at)

interactions = Table(
    "interactions", metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(32), nullable=False),
    *(_text(name) for name in ("at", "channel", "category", "agent_id", "summary", "outcome")),
    Column("version", BigInteger, nullable=False, server_default="1"),
)
Index("hub_interactions_customer_at", interactions.c.customer_id, interactions.c.at)

cases = Table(
    "cases", metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("customer_id", String(32), nullable=False, index=True),
    *(_text(name) for name in ("channel", "category", "sub_category", "priority", "status",
                               "title", "description", "opened_at", "due_at", "updated_at",
                               "created_by", "assigned_to")),
    Column("call_id", String(36)),
    Column("first_response_due", String(32)),
    Column("first_response_at", String(32)),
    Column("paused_since", String(32)),
    Column("paused_seconds", Integer, nullable=False, server_default="0"),
    Column("breached_at", String(32)),
    _text("escalated_to"), _text("escalation_reason"),
    Column("version", BigInteger, nullable=False, server_default="1"),
    _text("team"),
)
Index("hub_cases_assigned", cases.c.assigned_to, cases.c.status)
Index("hub_cases_team", cases.c.team, cases.c.status)

case_notes = Table(
    "case_notes", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    _text("at"), _text("agent_id"), _text("text"), _text("received_at"),
)

case_events = Table(
    "case_events", metadata,
    Column("seq", _BIG_ID, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False, index=True),
    *(_text(name) for name in ("at", "agent_id", "kind", "from_status", "to_status", "detail")),
)

callbacks = Table(
    "callbacks", metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(32), nullable=False),
    Column("case_id", String(36)),
    Column("call_id", String(36)),
    *(_text(name) for name in ("agent_id", "due_at", "reason", "status", "created_at")),
    Column("done_at", String(32)),
    Column("version", BigInteger, nullable=False, server_default="1"),
    _text("team"),  # the scheduling agent's team, from its token (migration 4, _v4_ownership)
)

# A callback's call that did not reach the customer: the callback stays open (schema v2).
callback_attempts = Table(
    "callback_attempts", metadata,
    Column("id", String(36), primary_key=True),
    Column("callback_id", String(36), nullable=False, index=True),
    Column("call_id", String(36)),
    *(_text(name) for name in ("agent_id", "at", "outcome", "received_at")),
)

calls = Table(
    "calls", metadata,
    Column("id", String(36), primary_key=True),
    _text("agent_id"),
    Column("customer_id", String(32)),
    _text("started_at"),
    Column("ended_at", String(32)),
    Column("request_type", String(32)),
    *(_text(name) for name in ("verification", "closing", "notes")),
    Column("events", Integer, nullable=False, server_default="0"),
    # What the KPIs read, kept by every call.record (hub/call_facts.py, migration 6): the
    # team of the agent's token then, the handling time, the customer's rating and the counts
    # of the events that matter, so a month of a team's calls is read without its events.
    _text("team"),
    Column("handle_seconds", Integer),
    Column("csat", Integer),
    Column("nps", Integer),
    Column("fcr", Integer),
    Column("forbidden_caught", Integer, nullable=False, server_default="0"),
    Column("overrides", Integer, nullable=False, server_default="0"),
    Column("lockout", Integer, nullable=False, server_default="0"),
)
# On PostgreSQL the figures ride in the index (INCLUDE): a team's months are read from the index
# alone (an index-only scan), not from a heap page per call. SQLite ignores the option.
_FACTS = ("ended_at", "handle_seconds", "csat", "nps", "fcr", "forbidden_caught", "overrides",
          "lockout")
Index("hub_calls_team_started", calls.c.team, calls.c.started_at,
      postgresql_include=[*_FACTS, "agent_id"])
Index("hub_calls_agent_started", calls.c.agent_id, calls.c.started_at,
      postgresql_include=[*_FACTS, "team"])

call_events = Table(
    "call_events", metadata,
    Column("call_id", String(36), nullable=False),
    Column("position", Integer, nullable=False),
    *(_text(name) for name in ("at", "kind", "stage", "step", "detail")),
    PrimaryKeyConstraint("call_id", "position"),
)

customer_flags = Table(
    "customer_flags", metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    *(_text(name) for name in ("flag", "at", "agent_id", "reason")),
    Column("call_id", String(36)),
)

# What agents said of the knowledge base's articles (issue 18), for their authors.
kb_feedback = Table(
    "kb_feedback", metadata,
    Column("id", String(36), primary_key=True),
    *(_text(name) for name in ("article_id", "lang", "agent_id", "at")),
    Column("version", Integer, nullable=False),
    Column("helpful", Integer, nullable=False),
    Column("call_id", String(36)),
)

operations = Table(
    "operations", metadata,
    Column("id", String(64), primary_key=True),  # the mutation id: a command runs once
    *(_text(name) for name in ("agent_id", "operation", "customer_id", "account_id", "detail",
                               "at", "status")),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", String(36), primary_key=True),
    *(_text(name) for name in ("at", "agent_id", "action", "detail", "received_at")),
    Column("customer_id", String(32)),
)

# The feed workstations pull. On PostgreSQL a ``txid xid8 DEFAULT pg_current_xact_id()`` column
# is added by the migration (SYNC.md's cursor rule); SQLite has one writer, so seq alone is safe.
change_log = Table(
    "change_log", metadata,
    Column("seq", _BIG_ID, primary_key=True, autoincrement=True),
    Column("audience", String(80), nullable=False),  # agent:A1024, team:T1, all
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(40), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("op", String(16), nullable=False, server_default="upsert"),
    Column("data", Text, nullable=False),
    Column("at", String(32), nullable=False),
)
Index("hub_change_log_audience", change_log.c.audience, change_log.c.seq)

# -- the hub as the authority over customer data (issue 13) -------------------------------------

# Every read of customer data, by whom, from which device, and what it returned (never the
# query's text: a search by mobile is itself personal data). Rate limits count these rows.
access_log = Table(
    "access_log", metadata,
    Column("seq", _BIG_ID, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("agent_id", String(64), nullable=False),
    _text("team"),
    Column("kind", String(16), nullable=False),  # search | fetch | refused
    Column("customer_id", String(32)),
    Column("records", Integer, nullable=False, server_default="0"),
    _text("detail"),
)
Index("hub_access_log_agent_at", access_log.c.agent_id, access_log.c.kind, access_log.c.at)
Index("hub_access_log_team_at", access_log.c.team, access_log.c.at)

# Every release of a customer's full values: who, on which device, for which call, which tier
# and which fields. Append-only; supervisors read their team's rows.
disclosures = Table(
    "disclosures", metadata,
    Column("id", String(36), primary_key=True),
    Column("at", String(32), nullable=False),
    Column("agent_id", String(64), nullable=False),
    _text("team"),
    Column("device_id", String(36), nullable=False),
    Column("customer_id", String(32), nullable=False),
    Column("call_id", String(36), nullable=False),
    Column("tier", String(8), nullable=False),  # basic | full
    _text("fields"),  # JSON list of the fields released
    _text("reason"),
)
Index("hub_disclosures_customer", disclosures.c.customer_id, disclosures.c.at)
Index("hub_disclosures_team", disclosures.c.team, disclosures.c.at)

# One call's identity verification, as the hub decided it: bound to the agent, the device and
# the customer of its first attempt; locked after the policy's failures.
call_verifications = Table(
    "call_verifications", metadata,
    Column("call_id", String(36), primary_key=True),
    Column("agent_id", String(64), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("customer_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # open | passed | locked
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("started_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# One-time codes the hub issued for a sensitive operation, and what became of them. The code
# itself is kept only as a hash; a passed code authorises one operation, once.
step_ups = Table(
    "step_ups", metadata,
    Column("id", String(36), primary_key=True),
    Column("call_id", String(36), nullable=False, index=True),
    Column("agent_id", String(64), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("customer_id", String(32), nullable=False),
    Column("operation", String(32), nullable=False),
    Column("account_id", String(40)),
    Column("code_hash", String(64), nullable=False),
    Column("issued_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("tries", Integer, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False),  # sent | passed | locked | used
    Column("passed_at", String(32)),
    Column("used_by", String(36)),  # the operation.perform mutation that used it
)

# Sealed copies made for workstations (domain/sealed.py), kept while what they seal holds:
# sealing costs a few scrypt derivations, and a customer is fetched by many agents.
sealed_copies = Table(
    "sealed_copies", metadata,
    Column("customer_id", String(32), primary_key=True),
    Column("basis", String(64), nullable=False),  # a digest of what was sealed
    Column("made_at", String(32), nullable=False),
    Column("body", Text, nullable=False),  # the SealedCopy, JSON
)

# -- teams and who leads them (issue 17, migration 6) --------------------------------------------

# A team as data, managed with `agent-tui hub team …`: its lead and its members. A token's team
# still says what its holder may touch; this says who belongs on the team's board and KPIs.
teams = Table(
    "teams", metadata,
    Column("id", String(64), primary_key=True),
    _text("name"),
    _text("lead"),  # the lead's agent id
    Column("created_at", String(32), nullable=False),
)

team_members = Table(
    "team_members", metadata,
    Column("agent_id", String(64), primary_key=True),  # an agent is on one team at a time
    Column("team_id", String(64), nullable=False, index=True),
    _text("name"),  # how the board names them
    Column("joined_at", String(32), nullable=False),
)

# What the KPIs and the board read by team and time (migration 6).
Index("hub_cases_team_due", cases.c.team, cases.c.due_at)
Index("hub_callbacks_team_due", callbacks.c.team, callbacks.c.due_at)
Index("hub_callbacks_agent_due", callbacks.c.agent_id, callbacks.c.due_at)
