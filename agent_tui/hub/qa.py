"""QA review on the hub (issue 17): the week's sample of a team's calls, a call's record with the
rubric prefilled from its events, a review scored by the training scorer from the reviewer's
marks (``domain.qa_review``), the agent's answer to it, and two reviewers' blind agreement.

Who: a team's supervisor reviews the team's calls; the reviewed agent answers their own reviews
(through sync, ``qa.reply``). Each review and answer is audited here and sent to the agent's and
the team's feeds (calibration scores to the team's only: they are the reviewers')."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import msgspec
from sqlalchemy import Connection, and_, exists, func, or_, select, update

from agent_tui.domain import qa_review, scoring
from agent_tui.domain.ids import new_id
from agent_tui.domain.mutation_args import QaReply
from agent_tui.domain.qa_review import Mark, QaEvent, QaReview, SampleCall
from agent_tui.domain.rubric import Rubric
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import iso
from agent_tui.hub import changes
from agent_tui.hub.auth import Principal
from agent_tui.hub.mutations import ID_LIMIT, MutationContext, Outcome, Rejected, text_arg
from agent_tui.hub.qa_schema import qa_reviews
from agent_tui.hub.schema import audit_log, call_events, calls, cases

PER_AGENT = 3  # calls drawn at random per agent and week, beside the flagged ones
_FIELDS = QaReview.__struct_fields__


class QaRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@cache
def rubric() -> Rubric:
    """scripts_library/qa.toml, the rubric training scores with (checked by ``scripts check``)."""
    from agent_tui.library.loader import QA_FILE
    from agent_tui.library.qa import read_rubric
    from scripts_library import LIBRARY_DIR

    found, problems = read_rubric(LIBRARY_DIR / QA_FILE)
    if found is None:
        raise RuntimeError(f"the QA rubric does not load: {problems}")
    return found


def _events(connection: Connection, call_id: str, started: str) -> list[QaEvent]:
    start = datetime.fromisoformat(started)
    rows = connection.execute(select(call_events).where(call_events.c.call_id == call_id)
                              .order_by(call_events.c.position)).all()
    found = []
    for row in rows:
        try:
            detail = msgspec.json.decode(row.detail or "{}")
        except msgspec.DecodeError:
            detail = {}
        at = (datetime.fromisoformat(row.at) - start).total_seconds()
        found.append(QaEvent(round(at, 3), row.at, row.kind, row.stage, row.step,
                             detail if isinstance(detail, dict) else {}))
    return found


def _call(connection: Connection, call_id: str):
    return connection.execute(select(calls).where(calls.c.id == call_id)).first()


def _may_review(principal: Principal, call) -> bool:
    return principal.role == "supervisor" and bool(principal.team) and call.team == principal.team


def _review(row) -> QaReview:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["marks"] = msgspec.json.decode(row.marks, type=dict[str, Mark])
    values["fatal"] = msgspec.json.decode(row.fatal)
    return QaReview(**values)


def reviews_of(connection: Connection, agent_id: str) -> list[QaReview]:
    """The reviews of ``agent_id``'s calls as the agent may read them (no calibration score)."""
    return [_review(row) for row in connection.execute(
        select(qa_reviews).where(qa_reviews.c.agent_id == agent_id,
                                 qa_reviews.c.calibration.is_(False))
        .order_by(qa_reviews.c.id)).all()]


def call_record(connection: Connection, principal: Principal, call_id: str) -> dict:
    """The call's record for its team's supervisor or its agent (404 for anyone else: a call
    id tells nothing about another team)."""
    call = _call(connection, call_id)
    if call is None or not (_may_review(principal, call) or call.agent_id == principal.agent_id):
        raise QaRefused(404, "unknown_call")
    events = _events(connection, call.id, call.started_at)
    expected = qa_review.expected_for(call.request_type or "", call.verification or "")
    mine_scored = connection.execute(select(exists().where(and_(
        qa_reviews.c.call_id == call.id, qa_reviews.c.reviewer_id == principal.agent_id)))).scalar()
    visible = qa_reviews.c.call_id == call.id
    if call.agent_id == principal.agent_id and principal.role == "agent":
        visible = and_(visible, qa_reviews.c.calibration.is_(False))
    elif not mine_scored:  # blind: another reviewer's score stays hidden until one's own
        visible = and_(visible, or_(qa_reviews.c.calibration.is_(False),
                                    qa_reviews.c.reviewer_id == principal.agent_id))
    reviews = [_review(row) for row in connection.execute(
        select(qa_reviews).where(visible).order_by(qa_reviews.c.created_at)).all()]
    return {"call_id": call.id, "agent_id": call.agent_id, "started_at": call.started_at,
            "ended_at": call.ended_at, "request_type": call.request_type or "",
            "verification": call.verification or "", "notes": call.notes or "",
            "events": events, "prefill": qa_review.prefill(rubric(), events, expected),
            "reviews": reviews}


def save_review(connection: Connection, principal: Principal, review_id: str, call_id: str,
                marks: dict[str, Mark], calibration: bool, now: datetime) -> QaReview:
    call = _call(connection, call_id)
    if call is None or not _may_review(principal, call):
        raise QaRefused(404, "unknown_call")
    if call.agent_id == principal.agent_id:
        raise QaRefused(403, "own_call")
    found = connection.execute(select(qa_reviews.c.call_id, qa_reviews.c.reviewer_id).where(
        qa_reviews.c.id == review_id)).first()
    if found is not None:
        raise QaRefused(409, "review_exists")
    rules = rubric()
    expected = qa_review.expected_for(call.request_type or "", call.verification or "")
    events = _events(connection, call.id, call.started_at)
    prefilled = qa_review.prefill(rules, events, expected)
    if set(marks) - set(prefilled) or any(mark.fraction not in qa_review.MARKS
                                          for mark in marks.values()):
        raise QaRefused(400, "bad_marks")
    marks = {item: Mark(mark.fraction, sanitize(mark.comment)[:qa_review.COMMENT_LIMIT])
             for item, mark in marks.items()}
    if qa_review.missing_marks(rules, expected, marks):
        raise QaRefused(400, "marks_missing")
    result = qa_review.review_score(rules, events, expected, marks, "en")
    whole = {item: marks.get(item, Mark(fraction or 0.0)) for item, fraction in prefilled.items()}
    review = QaReview(review_id, call.id, call.agent_id, principal.agent_id, whole, result.score,
                      result.compliance, result.passed, list(result.fatal), iso(now),
                      calibration=calibration)
    row = msgspec.to_builtins(review)
    row.update(team=call.team, marks=msgspec.json.encode(review.marks).decode(),
               fatal=msgspec.json.encode(review.fatal).decode())
    connection.execute(qa_reviews.insert().values(**row))
    _audit(connection, principal, "qa.review", review, now)
    _publish(connection, review, call.team, now)
    return review


def answer(connection: Connection, principal: Principal, review_id: str, status: str,
           reason: str, at: str, now: datetime) -> None:
    """The reviewed agent acknowledges a review or disputes it with a reason (``qa.reply``)."""
    row = connection.execute(select(qa_reviews).where(qa_reviews.c.id == review_id)
                             .with_for_update()).first()
    if row is None or row.calibration:
        raise Rejected("unknown_review")
    if row.agent_id != principal.agent_id:
        raise Rejected("not_your_review")
    if status not in qa_review.ANSWERS or (status == "disputed" and not reason.strip()):
        raise Rejected("missing_reason")
    connection.execute(update(qa_reviews).where(qa_reviews.c.id == review_id).values(
        status=status, reason=reason, answered_at=at, version=row.version + 1))
    review = _review(connection.execute(select(qa_reviews).where(
        qa_reviews.c.id == review_id)).one())
    # What the hub applied; the workstation's own audit line (qa.<status>) says what was asked.
    _audit(connection, principal, "qa.answered", review, now)
    _publish(connection, review, row.team, now)


def reply(context: MutationContext, args: QaReply) -> Outcome:
    """``qa.reply``, sent by the reviewed agent's workstation."""
    review_id = text_arg(args.review_id, "review_id", limit=ID_LIMIT)
    reason = text_arg(args.reason, "reason", required=False, limit=1000, multiline=True)
    answer(context.connection, context.principal, review_id, args.status, reason,
           context.time(args.at), context.now)
    return Outcome("applied", entity_id=review_id)


def _audit(connection: Connection, principal: Principal, action: str, review: QaReview,
           now: datetime) -> None:
    connection.execute(audit_log.insert().values(
        id=new_id(), at=iso(now), agent_id=principal.agent_id,
        action=action, customer_id=None, received_at=iso(now),
        detail=msgspec.json.encode({"review_id": review.id, "call_id": review.call_id,
                                    "score": review.score, "status": review.status,
                                    "reason": review.reason}).decode()))


def _publish(connection: Connection, review: QaReview, team: str, now: datetime) -> None:
    audiences = [f"team:{team}"] if review.calibration else [f"agent:{review.agent_id}",
                                                             f"team:{team}"]
    changes.record(connection, "qa_review", review.id, review.version,
                   msgspec.to_builtins(review), audiences, now)


def calibration(connection: Connection, principal: Principal, call_id: str) -> dict:
    """The first two reviewers' agreement on the call (their whole marks, prefilled too)."""
    call = _call(connection, call_id)
    if call is None or not _may_review(principal, call):
        raise QaRefused(404, "unknown_call")
    rows = connection.execute(select(qa_reviews).where(qa_reviews.c.call_id == call_id)
                              .order_by(qa_reviews.c.created_at, qa_reviews.c.id)).all()
    first: dict[str, QaReview] = {}
    for row in rows:
        first.setdefault(row.reviewer_id, _review(row))
    if len(first) < 2 or principal.agent_id not in first:
        raise QaRefused(409, "not_calibrated")  # blind until the caller has scored too
    one, two = list(first.values())[:2]
    found = qa_review.agreement({item: mark.fraction for item, mark in one.marks.items()},
                                {item: mark.fraction for item, mark in two.marks.items()})
    return {"call_id": call_id, "reviewers": [one.reviewer_id, two.reviewer_id],
            "items": found.items, "overall": found.overall,
            "target": qa_review.CALIBRATION_TARGET}


def sample(connection: Connection, team: str, week: date) -> list[SampleCall]:
    """The team's calls of the week (Monday to Sunday): every flagged one, and a few at random
    per agent. Flagged: a fatal item failed on its events, a verification lockout, a complaint
    (its request type, or a complaint case opened from it)."""
    start, end = iso(datetime.combine(week, datetime.min.time())), iso(
        datetime.combine(week + timedelta(days=7), datetime.min.time()))
    complaint = exists().where(and_(cases.c.call_id == calls.c.id,
                                    cases.c.category == "complaint"))
    rows = connection.execute(select(
        calls.c.id, calls.c.agent_id, calls.c.started_at, calls.c.lockout, calls.c.request_type,
        calls.c.verification, complaint.label("complaint")).where(
        calls.c.team == team, calls.c.started_at >= start, calls.c.started_at < end)).all()
    rules, found = rubric(), []
    fatal_items = [item for item in rules.items if item.fatal and scoring.automatic(item)]
    for row in rows:
        reasons = []
        if fatal_items:
            expected = qa_review.expected_for(row.request_type or "", row.verification or "")
            events = _events(connection, row.id, row.started_at)
            if any(item.applies(expected.tags) and scoring.check(
                    item, events, expected) < 1.0 for item in fatal_items):
                reasons.append("fatal")
        if row.lockout:
            reasons.append("lockout")
        if row.request_type == "complaint" or row.complaint:
            reasons.append("complaint")
        found.append(SampleCall(row.id, row.agent_id, row.started_at, tuple(reasons)))
    chosen = qa_review.weekly_sample(found, PER_AGENT, f"{team}:{week.isoformat()}")
    # Whether each is reviewed yet (a count: a calibration's score stays blind).
    counts = dict(connection.execute(select(qa_reviews.c.call_id, func.count()).where(
        qa_reviews.c.call_id.in_([call.call_id for call in chosen])).group_by(
        qa_reviews.c.call_id)).all()) if chosen else {}
    return [msgspec.structs.replace(call, reviews=counts.get(call.call_id, 0))
            for call in chosen]
