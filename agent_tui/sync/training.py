"""The training session's sync (issue 15): its attempts only, never anything else.

A training store is a separate file with a device of its own at the hub. Its sync pushes the
attempts the hub has not answered for (``store.training.unsynced``, in the order they were made,
as ``training.attempt`` mutations numbered by the attempt's ``seq``) and pulls nothing: no case,
no customer, nothing the hub holds reaches a training store. Whatever else the training store
holds (its calls and cases with synthetic customers, queued in its outbox) never leaves it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

import msgspec

from agent_tui.domain.mutation_args import TrainingAttemptRecord, encode
from agent_tui.domain.times import iso
from agent_tui.store import training as kept
from agent_tui.store.database import transaction
from agent_tui.store.outbox import Mutation
from agent_tui.sync import state
from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable, OutOfOrder, TooLarge
from agent_tui.sync.runner import SyncReport
from agent_tui.sync.state import SyncStatus

DEVICE_KEY = "training_device_id"
NAME = "training.attempt"
BATCH = 50
_ANSWERED = ("applied", "duplicate")


def attempt_args(body: str) -> TrainingAttemptRecord:
    """The mutation's arguments from an attempt's encoded record: its columns and all of it."""
    record = msgspec.json.decode(body)
    return TrainingAttemptRecord(
        attempt_id=record["attempt_id"], scenario_id=record["scenario_id"],
        language=record["language"], difficulty=record["difficulty"], seed=record["seed"],
        started_at=record["started_at"], ended_at=record["ended_at"],
        outcome=record["outcome"], score=record["score"], compliance=record["compliance"],
        passed=record["passed"], record=record)


def _mutation(pending: kept.PendingAttempt) -> Mutation:
    args = attempt_args(pending.body)
    return Mutation(pending.seq, f"training-{args.attempt_id}", NAME, encode(args),
                    args.ended_at)


def _device(connection: sqlite3.Connection, client: HubClient, first_seq: int) -> str:
    held = state.get(connection, DEVICE_KEY)
    if held:
        return held
    registered = client.register_device(first_seq)
    with transaction(connection):
        state.put(connection, DEVICE_KEY, registered)
    return registered


def _settle(connection: sqlite3.Connection, batch: list[Mutation], answers: list,
            now: datetime, report: SyncReport) -> None:
    by_id = {mutation.mutation_id: mutation for mutation in batch}
    for answer in answers:
        mutation = by_id.get(answer.mutation_id)
        if mutation is None:
            continue
        status = answer.result if answer.status == "duplicate" else answer.status
        report.applied += status == "applied"
        report.duplicates += answer.status == "duplicate"
        report.refused += status not in _ANSWERED
        kept.mark_synced(connection, mutation.args["attempt_id"], now,
                         "" if status in _ANSWERED else (answer.reason or status))


def run_training_sync(connection: sqlite3.Connection, client: HubClient,
                      clock: Callable[[], datetime] = datetime.now) -> SyncReport:
    """Push the attempts not answered yet; every failure is in ``report.error``, never raised."""
    report = SyncReport()
    try:
        for _ in range(1000):
            batch = [_mutation(pending) for pending in kept.unsynced(connection, BATCH)]
            if not batch:
                break
            device = _device(connection, client, batch[0].seq)
            try:
                reply = client.push(device, batch, clock())
            except OutOfOrder:
                # The hub lost track of this device (a restored database): start a new one at
                # the first attempt still to send; the hub answers a resent one as a duplicate.
                with transaction(connection):
                    state.put(connection, DEVICE_KEY, "")
                continue
            except TooLarge:
                report.error = "too_large"
                break
            report.pushed += len(reply.results)
            _settle(connection, batch, reply.results, clock(), report)
            if reply.stopped or not reply.results:
                report.error = "hub_busy"
                break
    except HubRefused as refusal:
        report.error = refusal.code
        if refusal.code == "unknown_device":
            with transaction(connection):
                state.put(connection, DEVICE_KEY, "")
    except HubUnreachable as unreachable:
        report.error, report.detail = "offline", str(unreachable)
    with transaction(connection):
        state.put(connection, state.LAST_ERROR, report.error)
        if report.ok:
            state.put(connection, state.LAST_SYNC, iso(clock()))
    return report


def training_status(connection: sqlite3.Connection, configured: bool) -> SyncStatus:
    """The header's sync status in a training session: attempts waiting, nothing else."""
    waiting = kept.waiting(connection)
    last_error, last_sync = state.get(connection, state.LAST_ERROR), state.get(
        connection, state.LAST_SYNC)
    return SyncStatus(configured, configured and bool(last_sync) and not last_error, waiting,
                      0, last_sync, last_error)
