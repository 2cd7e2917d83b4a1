"""Pushing a device's mutations: each exactly once, a batch in one transaction unless something
in it forces another (SYNC.md).

Lock the device's row. A mutation id already answered gets the stored answer (``duplicate``;
``key_reuse`` if its arguments differ, or another agent used the id). Otherwise its ``seq`` must
be the device's next: a number already used is refused (``seq_already_used``), a gap stops the
push with ``OutOfOrder`` (a 409 with the answers so far). Then the role check, the arguments
decoded into the mutation's struct (``domain.mutation_args``) and its handler, which applies it,
refuses it (``Rejected``) or finds it in conflict (``handlers``). The answers, the change-log
rows and the device's counter are written once, before the batch commits.

A handler decides a refusal before it writes, as a rule, so a refused mutation is answered in
place and the batch goes on: 1,000 refusals cost one pass, not 1,000. The one that cannot,
``operation.perform`` (it spends the one-time code, then may find the card in the wrong state),
is caught by ``mutations.footprint``: that attempt is rolled back and the batch runs again in a
new transaction, knowing the answer, so no refusal leaves half a change behind.

A mutation that fails (the database, an injected fault, a bug) stops the batch: what came before
it is applied again in a transaction of its own and committed, the failure is counted, and the
reply says ``stopped="transient"`` (the device sends the rest later). At its ``GIVE_UP_AFTER``-th
failure the mutation is stored as rejected (``hub_error_repeated``) and the batch goes on after
it, so the device is not blocked behind it forever.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta

import msgspec
from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError

from agent_tui.domain.sla import SlaPolicy
from agent_tui.domain.times import iso
from agent_tui.hub import changes, faults
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import reading
from agent_tui.hub.handlers import apply_mutation
from agent_tui.hub.mutations import (
    ANSWERS,
    CASES_SEEN,
    DEFERRED,
    KNOWN_NOTES,
    MutationContext,
    Outcome,
    Rejected,
    flush_deferred,
    footprint,
    insert_if_absent,
)
from agent_tui.hub.schema import case_notes, devices, mutation_failures, mutation_results
from agent_tui.sync.protocol import Answer, PushReply

GIVE_UP_AFTER = 5
# A device clock within this of the hub's is left alone: shifting by jitter would only blur.
CLOCK_TOLERANCE = timedelta(seconds=5)


class PushItem(msgspec.Struct, frozen=True):
    seq: int
    mutation_id: str
    name: str
    args: dict


class OutOfOrder(Exception):
    def __init__(self, expected_seq: int, answers: list[Answer]) -> None:
        super().__init__(expected_seq)
        self.expected_seq = expected_seq
        self.answers = answers


def payload_hash(name: str, args: dict) -> str:
    return hashlib.sha256(msgspec.json.encode([name, args], order="sorted")).hexdigest()


def clock_shift(sent_at: str | None, now: datetime) -> timedelta:
    """How far the device's clock is behind the hub's, measured by this request."""
    if not sent_at:
        return timedelta()
    try:
        device_now = datetime.fromisoformat(sent_at)
        if device_now.tzinfo is not None:
            device_now = device_now.astimezone().replace(tzinfo=None)
    except (ValueError, OverflowError):  # not a time, or one at the edge of the calendar
        return timedelta()
    shift = now - device_now
    return shift if abs(shift) > CLOCK_TOLERANCE else timedelta()


def _stored_answer(row, item: PushItem, digest: str) -> Answer:
    if row.payload_hash != digest:
        return Answer(item.mutation_id, item.seq, "key_reuse", reason="key_reuse")
    current = msgspec.json.decode(row.current) if row.current else None
    return Answer(item.mutation_id, row.seq, "duplicate", reason=row.reason,
                      current=current, result=row.status)


def _store(connection, device_id: str, item: PushItem, digest: str, outcome: Outcome,
           now: datetime) -> None:
    """Remember the answer: in a push batch, with the batch's others, written before it
    commits (``answers_so_far`` lets later mutations of the batch see it); otherwise now."""
    row = {
        "device_id": device_id, "mutation_id": item.mutation_id, "seq": item.seq,
        "name": item.name[:64], "payload_hash": digest, "status": outcome.status,
        "reason": outcome.reason,
        "current": msgspec.json.encode(outcome.current).decode() if outcome.current else None,
        "entity_id": outcome.entity_id, "phantom_version": outcome.phantom_version,
        "received_at": iso(now)}
    collected = connection.info.get(ANSWERS)
    if collected is not None:
        collected.append(row)
    elif not insert_if_absent(connection, mutation_results, row):
        raise _Raced()  # the same mutation committed by a concurrent push: that answer stands



def _advance(connection, device_id: str, seq: int) -> None:
    connection.execute(update(devices).where(devices.c.device_id == device_id).values(
        last_mutation_seq=seq))


# Built once: a prepared statement object keeps its cache key, so executing it costs no
# statement construction and no cache-key walk (the hub's hot path runs it for every batch).
NOTE_MUTATIONS = frozenset({"case.add_note", "case.attach_contact"})
_KNOWN_NOTES = select(case_notes.c.id).where(
    case_notes.c.id.in_(bindparam("ids", expanding=True)))
_STORED = select(mutation_results, devices.c.agent_id).join(
    devices, devices.c.device_id == mutation_results.c.device_id).where(
    mutation_results.c.mutation_id.in_(bindparam("ids", expanding=True)))


class _Raced(RuntimeError):
    """The same mutation stored meanwhile by a concurrent push: transient, answered next time."""


_TRANSIENT = (SQLAlchemyError, faults.InjectedFault, RuntimeError, ValueError, TypeError,
              KeyError)


def push(engine: Engine, principal: Principal, device_id: str, items: list[PushItem],
         sent_at: str | None, policy: SlaPolicy, clock: Callable[[], datetime]) -> PushReply:
    """Apply a batch and answer it: one transaction, committed before the answer (group
    commit: one sync to disk per batch, not per mutation; a crash before the commit leaves none
    applied and none answered, so all are resent).

    No savepoint per mutation (two round trips each on PostgreSQL); each mutation is still all
    or nothing because each attempt at the batch is. A refusal decided before the handler wrote
    is answered in place. A refusal after writing aborts the attempt, and the batch runs again
    knowing it. A failure aborts it too: the mutations before it are applied again and
    committed on their own, and the batch ends there (``stopped="transient"``), or, the failure
    given up on, goes on after it."""
    shift = clock_shift(sent_at, clock())
    pending = sorted(items, key=lambda item: item.seq)
    answers: list[Answer] = []
    # mutation id -> reason, learnt by an attempt aborted because a handler refused after it
    # had written (operation.perform: its one-time code spent, the card in the wrong state)
    rejected: dict[str, str] = {}
    while pending:
        try:
            answers.extend(_push_batch(engine, principal, device_id, pending, shift, policy,
                                       clock, rejected))
            break
        except _Rejected as refusal:
            rejected[refusal.mutation_id] = refusal.reason
            continue
        except _Stopped as stop:
            # Everything before the mutation that stopped the batch is applied on its own.
            if stop.index:
                answers.extend(_push_batch(engine, principal, device_id, pending[:stop.index],
                                           shift, policy, clock, rejected))
            pending = pending[stop.index:]
            if isinstance(stop.error, OutOfOrder):
                raise OutOfOrder(stop.error.expected_seq, answers) from None
            item = pending[0]
            given_up = _after_failure(engine, device_id, item,
                                      payload_hash(item.name, item.args), stop.error, clock)
            if given_up is None:
                return PushReply(answers, _last_seq(engine, device_id), "transient")
            answers.append(given_up)
            pending = pending[1:]
    return PushReply(answers, _last_seq(engine, device_id))


class _Rejected(Exception):
    def __init__(self, mutation_id: str, reason: str) -> None:
        super().__init__(reason)
        self.mutation_id, self.reason = mutation_id, reason


class _Stopped(Exception):
    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(str(error))
        self.index, self.error = index, error


@contextmanager
def _collecting(connection):
    """A batch's change rows and answers are kept and written together before it commits
    (a round trip or two per batch on PostgreSQL, instead of two per mutation). The device's
    row lock keeps a concurrent push of the same batch out until then."""
    changes.collect(connection)
    connection.info[ANSWERS] = []
    connection.info[CASES_SEEN] = {}
    connection.info[DEFERRED] = {}
    try:
        yield
    finally:
        changes.discard(connection)
        for key in (ANSWERS, CASES_SEEN, DEFERRED, KNOWN_NOTES):
            connection.info.pop(key, None)


def _push_batch(engine: Engine, principal: Principal, device_id: str, items: list[PushItem],
                shift: timedelta, policy: SlaPolicy, clock: Callable[[], datetime],
                rejected: dict[str, str]) -> list[Answer]:
    """Apply ``items`` in order in one transaction; raises (rolling all of it back) at the
    first mutation refused after its handler wrote (``_Rejected``) or that cannot be decided
    (``_Stopped``)."""
    answers: list[Answer] = []
    with engine.begin() as connection, _collecting(connection):
        # The device's row, locked for the batch: a concurrent push of the same batch waits
        # here, then finds every mutation answered.
        first = last = connection.execute(select(devices.c.last_mutation_seq).where(
            devices.c.device_id == device_id).with_for_update()).scalar_one()
        stored = {row.mutation_id: row for row in connection.execute(
            _STORED, {"ids": [item.mutation_id for item in items]})}
        note_ids = [item.args.get("id") for item in items if item.name in NOTE_MUTATIONS
                    and isinstance(item.args.get("id"), str)]
        connection.info[KNOWN_NOTES] = set(connection.execute(
            _KNOWN_NOTES, {"ids": note_ids}).scalars()) if note_ids else set()
        in_batch: dict[str, tuple[str, Answer]] = {}
        for index, item in enumerate(items):
            digest = payload_hash(item.name, item.args)
            if item.mutation_id in in_batch:  # sent twice in one batch: answered once
                earlier_digest, earlier = in_batch[item.mutation_id]
                answers.append(Answer(item.mutation_id, item.seq, "key_reuse",
                                          reason="key_reuse") if earlier_digest != digest
                               else Answer(item.mutation_id, earlier.seq, "duplicate",
                                               reason=earlier.reason, current=earlier.current,
                                               result=earlier.status))
                continue
            try:
                answer, last = _apply_in(connection, principal, device_id, item, digest,
                                         shift, policy, clock(), last,
                                         stored.get(item.mutation_id),
                                         rejected.get(item.mutation_id))
            except Rejected as refusal:
                raise _Rejected(item.mutation_id, refusal.reason) from None
            except (OutOfOrder, *_TRANSIENT) as error:
                raise _Stopped(index, error) from None
            answers.append(answer)
            in_batch[item.mutation_id] = (digest, answer)
            faults.maybe("before_commit", item.name)
        flush_deferred(connection)
        changes.flush(connection)
        if connection.info[ANSWERS]:
            connection.execute(mutation_results.insert(), connection.info[ANSWERS])
        if last != first:
            _advance(connection, device_id, last)
    for item in items:
        faults.maybe("after_commit", item.name)
    return answers


def _apply_in(connection, principal: Principal, device_id: str, item: PushItem, digest: str,
              shift: timedelta, policy: SlaPolicy, now: datetime, last: int, stored,
              known_rejection: str | None = None) -> tuple[Answer, int]:
    """One mutation's answer, and the device's counter after it (written once per batch).
    ``stored`` is its answer from before, if any. Raises ``Rejected`` for a mutation that can
    never apply (the caller records it)."""
    if stored is not None:
        if stored.agent_id != principal.agent_id:
            return Answer(item.mutation_id, item.seq, "key_reuse", reason="key_reuse"), last
        if stored.device_id != device_id and item.seq == last + 1 and \
                stored.payload_hash == digest:
            # Sent before under this agent's earlier device id: answered from then, and this
            # device's counter moves past it.
            last = item.seq
        return _stored_answer(stored, item, digest), last
    if item.seq <= last:
        # A new mutation under a number already used (a restored backup of the store, say):
        # refused visibly, never applied twice or silently dropped.
        outcome = Outcome("rejected", reason="seq_already_used")
        _store(connection, device_id, item, digest, outcome, now)
        return Answer(item.mutation_id, item.seq, "rejected", reason=outcome.reason), last
    if item.seq != last + 1:
        raise OutOfOrder(last + 1, [])
    faults.maybe("before_apply", item.name)
    context = MutationContext(connection, principal, device_id, item.mutation_id, now, shift,
                              policy)
    if known_rejection is not None:  # found by an earlier attempt at this batch
        outcome = Outcome("rejected", reason=known_rejection)
    else:
        before = footprint(connection)
        try:
            outcome = apply_mutation(context, item.name, item.args)
        except Rejected as refusal:
            if footprint(connection) != before:
                raise  # refused after writing: this attempt is rolled back (``_Rejected``)
            outcome = Outcome("rejected", reason=refusal.reason)
    _store(connection, device_id, item, digest, outcome, now)
    return Answer(item.mutation_id, item.seq, outcome.status, reason=outcome.reason,
                      current=outcome.current), item.seq


def _after_failure(engine: Engine, device_id: str, item: PushItem, digest: str,
                   error: Exception, clock: Callable[[], datetime]) -> Answer | None:
    """Count the failure; after ``GIVE_UP_AFTER`` of them, reject the mutation for good."""
    reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300]
    try:
        with engine.begin() as connection:
            failures = connection.execute(select(mutation_failures.c.failures).where(
                mutation_failures.c.device_id == device_id,
                mutation_failures.c.mutation_id == item.mutation_id)).scalar() or 0
            if failures:
                connection.execute(update(mutation_failures).where(
                    mutation_failures.c.device_id == device_id,
                    mutation_failures.c.mutation_id == item.mutation_id).values(
                    failures=failures + 1, last_error=reason))
            else:
                connection.execute(mutation_failures.insert().values(
                    device_id=device_id, mutation_id=item.mutation_id, failures=1,
                    last_error=reason))
            if failures + 1 < GIVE_UP_AFTER:
                return None
            last = connection.execute(select(devices.c.last_mutation_seq).where(
                devices.c.device_id == device_id).with_for_update()).scalar_one()
            if item.seq != last + 1:
                return None
            _store(connection, device_id, item, digest,
                   Outcome("rejected", reason="hub_error_repeated"), clock())
            _advance(connection, device_id, item.seq)
    except SQLAlchemyError:
        return None  # the database itself is down: nothing to count, try again later
    return Answer(item.mutation_id, item.seq, "rejected", reason="hub_error_repeated")


def _last_seq(engine: Engine, device_id: str) -> int:
    try:
        with reading(engine) as connection:
            return connection.execute(select(devices.c.last_mutation_seq).where(
                devices.c.device_id == device_id)).scalar() or 0
    except SQLAlchemyError:
        return -1
