"""The hub's suitability tables (migration 10; the answers' column 13): customers' risk-tolerance assessments, and the
audit of every recommendation or sale asked for, allowed or refused, and every override request.
In a module of their own so the migration, the seed and the handler import them."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table, Text

from agent_tui.hub.schema import metadata

risk_assessments = Table(
    "risk_assessments", metadata,
    Column("id", String(64), primary_key=True),
    Column("customer_id", String(32), nullable=False),
    Column("level", String(2), nullable=False),  # C1 .. C5
    Column("assessed_at", String(32), nullable=False),
    Column("answers_version", String(32), nullable=False),
    # The customer's answers to that version, as JSON (question id -> letter): the evidence of
    # how the level was reached, kept on the hub only (never in the pull, never in a customer's
    # record sent to a workstation). Null for assessments made before migration 13 or elsewhere.
    Column("answers_json", Text),
    Index("hub_risk_assessments_customer", "customer_id", "assessed_at"),
)

suitability_audit = Table(
    "suitability_audit", metadata,
    Column("id", String(64), primary_key=True),
    Column("agent_id", String(64), nullable=False),  # the token's, never the workstation's word
    Column("customer_id", String(32), nullable=False),
    Column("product_id", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # recommend | sell
    Column("outcome", String(16), nullable=False),  # allowed | refused
    Column("rule", String(32), nullable=False),  # suitable or the rule that refused it
    Column("tolerance", String(2), nullable=False, server_default=""),
    Column("product_level", String(2), nullable=False, server_default=""),
    Column("override_reason", Text),  # an override request: recorded, never granted here
    Column("at", String(32), nullable=False),
    Index("hub_suitability_audit_customer", "customer_id", "at"),
)
