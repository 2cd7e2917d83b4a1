"""Training data on the hub (issue 15), kept apart from real customers and cases: a table of its
own, written only by ``training.attempt`` mutations (each trainee's own attempts; the token says
whose), read only by a trainer's token (the report, and one attempt for its replay).

Nothing here reaches the change log: attempts are never pulled onto a workstation."""

from __future__ import annotations

import msgspec
from sqlalchemy import Engine, func, select

from agent_tui.domain.mutation_args import TrainingAttemptRecord
from agent_tui.domain.times import iso
from agent_tui.hub.database import reading
from agent_tui.hub.mutations import (
    ID_LIMIT,
    MutationContext,
    Outcome,
    Rejected,
    insert_if_absent,
    text_arg,
)
from agent_tui.hub.training_schema import training_attempts
from agent_tui.sync.protocol import TrainingReportRow

OUTCOMES = frozenset({"completed", "hung_up", "abandoned"})
DIFFICULTIES = frozenset({"easy", "normal", "hard"})
RECORD_LIMIT = 400_000  # bytes of one attempt's record (a long call's transcript and events)



def record_attempt(context: MutationContext, args: TrainingAttemptRecord) -> Outcome:
    """Keep the attempt as the trainee's (the token's agent): once; an id already kept for
    another trainee is refused (``not_your_attempt``)."""
    attempt_id = text_arg(args.attempt_id, "attempt_id", limit=ID_LIMIT)
    if args.outcome not in OUTCOMES or args.difficulty not in DIFFICULTIES:
        raise Rejected("bad_field")
    record = msgspec.json.encode(args.record).decode()
    if len(record) > RECORD_LIMIT:
        raise Rejected("too_long_record")
    owner = context.connection.execute(select(training_attempts.c.trainee).where(
        training_attempts.c.attempt_id == attempt_id)).scalar()
    if owner is not None and owner != context.principal.agent_id:
        raise Rejected("not_your_attempt")
    insert_if_absent(context.connection, training_attempts, {
        "attempt_id": attempt_id, "trainee": context.principal.agent_id,
        "team": context.principal.team,
        "scenario_id": text_arg(args.scenario_id, "scenario_id", limit=64),
        "language": text_arg(args.language, "language", limit=8),
        "difficulty": args.difficulty,
        # The attempt's own times, as the simulator stamped them: what the report orders by.
        # Moved onto the hub's clock as every reported time is (never in the future).
        "started_at": context.time(args.started_at), "ended_at": context.time(args.ended_at),
        "outcome": args.outcome, "score": float(args.score),
        "compliance": float(args.compliance), "passed": bool(args.passed),
        # The record as sent (JSON, bounded above): its text is sanitised where it is drawn.
        "record": record, "received_at": iso(context.now)})
    return Outcome("applied", entity_id=attempt_id)


def report(engine: Engine, team: str | None = None) -> list[TrainingReportRow]:
    """Trainees x scenarios: attempts, last and best score, passed ever; by trainee, scenario."""
    table = training_attempts
    query = select(table.c.trainee, table.c.team, table.c.scenario_id, table.c.score,
                   table.c.ended_at, table.c.passed, table.c.attempt_id)
    if team:
        query = query.where(table.c.team == team)
    query = query.order_by(table.c.trainee, table.c.scenario_id, table.c.ended_at,
                           table.c.attempt_id)
    rows: dict[tuple[str, str], TrainingReportRow] = {}
    with reading(engine) as connection:
        for trainee, team_of, scenario_id, score, ended_at, passed, attempt_id in \
                connection.execute(query):
            before = rows.get((trainee, scenario_id))
            rows[(trainee, scenario_id)] = TrainingReportRow(
                trainee, team_of, scenario_id, (before.attempts if before else 0) + 1,
                score, max(score, before.best_score) if before else score, ended_at,
                bool(passed) or bool(before and before.passed), attempt_id)
    return list(rows.values())


def attempt(engine: Engine, attempt_id: str) -> tuple[str, str, dict] | None:
    """(trainee, team, the attempt's record) or None."""
    table = training_attempts
    with reading(engine) as connection:
        row = connection.execute(select(table.c.trainee, table.c.team, table.c.record).where(
            table.c.attempt_id == attempt_id)).first()
    if row is None:
        return None
    return row.trainee, row.team, msgspec.json.decode(row.record)


def count(engine: Engine) -> int:
    with reading(engine) as connection:
        return connection.execute(select(func.count()).select_from(training_attempts)).scalar()
