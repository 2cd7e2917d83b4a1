"""One sync: push the outbox, then pull the hub's changes (SYNC.md).

Push sends the queue in ``seq`` order, in batches; each answer is settled in one local
transaction: applied (or a duplicate of an applied one) leaves the outbox; refused or in conflict
moves to ``sync_conflicts`` for the agent, with the hub's current state written over the local
row. Pull writes each page's rows and the new cursor in one local transaction. A process killed
anywhere leaves either the old state or the new, and the next sync resends or re-reads: the hub
answers a resent mutation from what it stored, and a re-read row is applied by version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

import msgspec

from agent_tui.domain.times import iso
from agent_tui.store import outbox
from agent_tui.store.database import transaction
from agent_tui.sync import state
from agent_tui.sync.apply import Applied, apply_changes, upsert_case
from agent_tui.sync.hub_client import (
    HubClient,
    HubRefused,
    HubUnreachable,
    OutOfOrder,
    TooLarge,
)
from agent_tui.sync.protocol import Answer

PUSH_BATCH = 500
# A push's body stays well under the hub's limit (``hub serve --max-body``, 1 MB by default); a
# hub that still answers 413 gets half as much, down to one mutation.
PUSH_BYTES = 512 * 1024
PULL_PAGE = 500
MAX_PAGES = 10_000  # a bound on one sync's pull; the next sync goes on from the cursor


class SyncReport(msgspec.Struct):
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    refused: int = 0  # rejected, conflict, key_reuse: now in sync_conflicts
    pulled: int = 0
    resets: int = 0
    touched: Applied = msgspec.field(default_factory=Applied)
    error: str = ""  # "" when the sync reached the hub and finished
    detail: str = ""  # what the connection said, when the hub could not be reached

    @property
    def ok(self) -> bool:
        return not self.error


class SyncFailed(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def device_id(connection: sqlite3.Connection, client: HubClient) -> str:
    """This store's device id at this hub, registered on first contact. The hub's counter starts
    just before the first seq still queued, so a store with history has no gap."""
    held = state.get(connection, state.DEVICE_ID)
    if held:
        # Kept whatever address the hub is reached by (a proxy, a new load balancer): only the
        # hub saying it does not know the device makes this store register again.
        return held
    first = connection.execute("SELECT min(seq) FROM outbox").fetchone()[0]
    if first is None:
        first = (connection.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone() or (0,))[0] + 1
    registered = client.register_device(first)
    with transaction(connection):
        state.put(connection, state.DEVICE_ID, registered)
        state.put(connection, state.CURSOR, "")
    return registered


def _settle(connection: sqlite3.Connection, sent: dict[str, outbox.Mutation], answers: list,
            now: datetime, report: SyncReport) -> None:
    with transaction(connection):
        for answer in answers:
            mutation = sent.get(answer.mutation_id)
            if mutation is None:
                continue
            status = answer.result if answer.status == "duplicate" else answer.status
            if answer.status == "duplicate":
                report.duplicates += 1
            if status == "applied":
                report.applied += 1
            else:
                report.refused += 1
                _keep_refusal(connection, mutation, status, answer, now, report)
            connection.execute("DELETE FROM outbox WHERE seq = ?", (mutation.seq,))


def _keep_refusal(connection: sqlite3.Connection, mutation: outbox.Mutation, status: str,
                  answer, now: datetime, report: SyncReport) -> None:
    current = answer.current
    connection.execute(
        "INSERT OR IGNORE INTO sync_conflicts (mutation_id, seq, name, args_json, created_at, "
        "status, reason, current_json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (mutation.mutation_id, mutation.seq, mutation.name,
         msgspec.json.encode(mutation.args).decode(), mutation.created_at,
         status if status in ("rejected", "conflict", "key_reuse") else "rejected",
         answer.reason, msgspec.json.encode(current).decode() if current else None, iso(now)))
    if status == "conflict" and isinstance(current, dict) and "status" in current:
        # The local change was refused: the case is as the hub holds it.
        upsert_case(connection, current, now, report.touched, force=True)


def push(connection: sqlite3.Connection, client: HubClient, device_id: str,
         clock: Callable[[], datetime], report: SyncReport) -> str:
    """Send the queue; returns the device id (a new one if the hub had to be realigned)."""
    budget = PUSH_BYTES
    for _ in range(MAX_PAGES):
        batch = _within(outbox.pending(connection, PUSH_BATCH), budget)
        if not batch:
            return device_id
        sent = {mutation.mutation_id: mutation for mutation in batch}
        try:
            reply = client.push(device_id, batch, clock())
        except TooLarge:
            if len(batch) > 1:
                budget = max(1, _size(batch) // 2)
                continue
            # Alone over the hub's limit: it can never be sent. The agent sees it refused (to
            # redo or drop); the hub, missing its seq, realigns the queue on the next push.
            mutation = batch[0]
            _settle(connection, sent, [Answer(mutation.mutation_id, mutation.seq, "rejected",
                                              reason="too_large")], clock(), report)
            continue
        except OutOfOrder as error:
            _settle(connection, sent, _answers(error.results), clock(), report)
            device_id = _realign(connection, client, batch, error.expected_seq)
            continue
        report.pushed += len(reply.results)
        _settle(connection, sent, reply.results, clock(), report)
        if reply.stopped:
            raise SyncFailed("hub_busy")
        if not reply.results:
            raise SyncFailed("hub_answered_nothing")
    return device_id


def _size(batch: list[outbox.Mutation]) -> int:
    """About the bytes ``batch`` takes in a push's body."""
    return sum(len(msgspec.json.encode(mutation.args)) + 128 for mutation in batch)


def _within(batch: list[outbox.Mutation], budget: int) -> list[outbox.Mutation]:
    """The longest head of ``batch`` within ``budget`` bytes; never less than one mutation."""
    used = 0
    for index, mutation in enumerate(batch):
        used += _size([mutation])
        if used > budget and index:
            return batch[:index]
    return batch


def _answers(results: list[dict]) -> list:
    return [msgspec.convert(result, Answer) for result in results if isinstance(result, dict)]


def _realign(connection: sqlite3.Connection, client: HubClient, batch: list, expected: int
             ) -> str:
    """The hub expects a seq this store no longer holds (its answer was settled, the hub lost
    it to a restore): everything the hub applied is below ``expected`` and every queued row is
    above it, so the queue goes on under a new device id, without a gap and without a double."""
    if batch and batch[0].seq > expected:
        with transaction(connection):
            state.put(connection, state.DEVICE_ID, "")
        return device_id(connection, client)
    raise SyncFailed("out_of_order")


def pull(connection: sqlite3.Connection, client: HubClient, device_id: str,
         clock: Callable[[], datetime], report: SyncReport) -> None:
    cursor = state.get(connection, state.CURSOR)
    for _ in range(MAX_PAGES):
        reply = client.pull(device_id, cursor, PULL_PAGE)
        if reply.reset:
            if report.resets:  # a second reset in one sync: the hub is not settling
                raise SyncFailed("reset_loop")
            report.resets += 1
            cursor = ""
            with transaction(connection):
                state.put(connection, state.CURSOR, cursor)
            continue
        with transaction(connection):
            apply_changes(connection, reply.changes, clock(), report.touched)
            state.put(connection, state.CURSOR, reply.cursor)
        report.pulled += len(reply.changes)
        cursor = reply.cursor
        if not reply.has_more:
            return


def run_sync(connection: sqlite3.Connection, client: HubClient,
             clock: Callable[[], datetime] = datetime.now) -> SyncReport:
    """Push then pull; every failure is in ``report.error`` (a code), never raised."""
    report = SyncReport()
    try:
        device = device_id(connection, client)
        device = push(connection, client, device, clock, report)
        pull(connection, client, device, clock, report)
    except HubRefused as refusal:
        report.error = refusal.code
        if refusal.code == "unknown_device":  # another hub database: register there next time
            with transaction(connection):
                state.put(connection, state.DEVICE_ID, "")
    except HubUnreachable as unreachable:
        report.error, report.detail = "offline", str(unreachable)
    except SyncFailed as failure:
        report.error = failure.code
    with transaction(connection):
        state.put(connection, state.LAST_ERROR, report.error)
        if report.ok:
            state.put(connection, state.LAST_SYNC, iso(clock()))
        # A sealed copy past its week opens for nobody: it is not kept either.
        connection.execute("DELETE FROM sealed_copies WHERE expires_at < ?", (iso(clock()),))
    return report
