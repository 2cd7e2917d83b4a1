"""The agent's QA reviews (issue 17), held in the store (migration 13) as the hub sent them: each
review of one of their calls, with its marks and score, and their answer. The answer (acknowledged,
or disputed with a reason) is queued for the hub like every change (``qa.reply``) and audited; the
hub has the last word and sends the review back answered."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import msgspec

from agent_tui.domain.mutation_args import QaReply
from agent_tui.domain.qa_review import ANSWERS, QaReview
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.store import audit, outbox
from agent_tui.store.cases import CaseError
from agent_tui.store.database import transaction

REASON_LIMIT = 1000


def keep(connection: sqlite3.Connection, data: object) -> bool:
    """A review the hub sent (its ``qa_review`` change): held if newer than the one held and
    no answer of ours is still waiting to go."""
    try:
        review = msgspec.convert(data, QaReview)
    except msgspec.ValidationError:
        return False
    waiting = connection.execute(
        "SELECT 1 FROM outbox WHERE name = 'qa.reply' AND json_extract(args_json, "
        "'$.review_id') = ?", (review.id,)).fetchone()
    held = connection.execute("SELECT version FROM qa_reviews WHERE id = ?",
                              (review.id,)).fetchone()
    if waiting or (held and held[0] >= review.version):
        return False
    connection.execute(
        "INSERT INTO qa_reviews (id, call_id, agent_id, created_at, status, version, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
        "version = excluded.version, body = excluded.body",
        (review.id, review.call_id, review.agent_id, review.created_at, review.status,
         review.version, msgspec.json.encode(review).decode()))
    return True


def reviews(connection: sqlite3.Connection, agent_id: str) -> list[QaReview]:
    """The agent's reviews, newest first."""
    return [msgspec.json.decode(row[0], type=QaReview) for row in connection.execute(
        "SELECT body FROM qa_reviews WHERE agent_id = ? ORDER BY created_at DESC", (agent_id,))]


def answer(connection: sqlite3.Connection, review_id: str, status: str, reason: str,
           agent_id: str, at: datetime) -> QaReview:
    """Acknowledge a review, or dispute it with a reason (``CaseError`` says what is missing)."""
    reason = sanitize(reason, multiline=True).strip()[:REASON_LIMIT]
    if status not in ANSWERS:
        raise CaseError("qa.bad_answer")
    if status == "disputed" and not reason:
        raise CaseError("qa.dispute_needs_reason")
    row = connection.execute("SELECT body FROM qa_reviews WHERE id = ? AND agent_id = ?",
                             (review_id, agent_id)).fetchone()
    if row is None:
        raise CaseError("qa.no_review")
    review = msgspec.structs.replace(msgspec.json.decode(row[0], type=QaReview), status=status,
                                     reason=reason, answered_at=iso(at))
    with transaction(connection):
        connection.execute("UPDATE qa_reviews SET status = ?, body = ? WHERE id = ?",
                           (status, msgspec.json.encode(review).decode(), review_id))
        outbox.enqueue(connection, "qa.reply", QaReply(review_id=review_id, status=status,
                                                       reason=reason, at=iso(at)), at)
        audit.record(connection, agent_id=agent_id, action=f"qa.{status}", at=at,
                     detail={"review_id": review_id, "call_id": review.call_id})
    return review
