"""The hub's QA reviews (issue 17, migration 8 ``_v8_qa_reviews``): a reviewer's marks of a live
call with the training rubric, the score the hub worked out from them, and the reviewed agent's
answer (acknowledged, or disputed with a reason). A calibration review is a second reviewer's
blind score of the same call: compared, never shown to the agent."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, Index, String, Table, Text

from agent_tui.hub.schema import metadata

qa_reviews = Table(
    "qa_reviews", metadata,
    Column("id", String(36), primary_key=True),
    Column("call_id", String(36), nullable=False),
    Column("agent_id", String(64), nullable=False),  # the reviewed agent (the call's)
    Column("team", String(64), nullable=False, server_default=""),
    Column("reviewer_id", String(64), nullable=False),
    Column("calibration", Boolean, nullable=False, server_default="0"),
    Column("marks", Text, nullable=False),  # {item: {fraction, comment}}, prefilled ones too
    Column("score", Float, nullable=False),
    Column("compliance", Float, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("fatal", Text, nullable=False, server_default="[]"),
    Column("created_at", String(32), nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),  # acknowledged|disputed
    Column("reason", Text, nullable=False, server_default=""),
    Column("answered_at", String(32)),
    Column("version", BigInteger, nullable=False, server_default="1"),
    Index("hub_qa_reviews_call", "call_id", "reviewer_id"),
    Index("hub_qa_reviews_agent", "agent_id", "created_at"),
)
