"""Training attempts through a real hub (issue 15): a training session's sync sends its attempts
and nothing else, as the token's trainee's; a trainer reads the report and any attempt, nobody
else does; ``agent-tui hub training report`` prints the same rows as a table or CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from agent_tui.cli import main
from agent_tui.domain import mutation_args
from agent_tui.hub.database import reading
from agent_tui.hub.schema import audit_log
from agent_tui.hub.training_schema import training_attempts
from agent_tui.store import Store, outbox
from agent_tui.store import training as kept
from agent_tui.store.database import transaction
from agent_tui.sync.hub_client import HubClient, HubRefused
from agent_tui.sync.training import attempt_args, run_training_sync
from agent_tui.training import attempts
from agent_tui.training.attempt import encode
from tests.hub_process import raw_push, register_device
from tests.training_attempts import an_attempt
from tests.training_session import training_store

pytestmark = pytest.mark.slow
NOW = datetime(2026, 11, 23, 10, 0)


def _trainee_store(folder) -> tuple:
    _real, path = training_store(folder)
    return Store.open(path).connection()


def _hub_rows(hub) -> list:
    with reading(hub.engine) as connection:
        return connection.execute(select(
            training_attempts.c.attempt_id, training_attempts.c.trainee,
            training_attempts.c.team, training_attempts.c.score)).all()


def test_a_training_sync_sends_its_attempts_and_nothing_else(hub, tmp_path):
    connection = _trainee_store(tmp_path)
    made = [an_attempt("T0001", score=score) for score in (55.0, 82.0)]
    made.append(an_attempt("T0001", "lost_card", score=91.0))
    for attempt in made:
        attempts.save(connection, attempt)
    with transaction(connection):  # something of the training store's own, in its outbox
        outbox.enqueue(connection, "audit.append", {"id": "training-only-audit",
                                                    "action": "case.open"}, NOW)
    client = HubClient(hub.url, hub.token("T0001", "agent", "NEW"))
    report = run_training_sync(connection, client, lambda: NOW)
    assert (report.error, report.applied, report.refused) == ("", 3, 0)
    assert kept.waiting(connection) == 0
    assert sorted(row.attempt_id for row in _hub_rows(hub)) == sorted(a.attempt_id for a in made)
    assert {(row.trainee, row.team) for row in _hub_rows(hub)} == {("T0001", "NEW")}
    with reading(hub.engine) as hub_connection:  # the outbox's row never left the store
        assert hub_connection.execute(select(audit_log.c.id).where(
            audit_log.c.id == "training-only-audit")).first() is None
    assert outbox.waiting(connection) == 1
    again = run_training_sync(connection, client, lambda: NOW)
    assert (again.error, again.pushed) == ("", 0)
    attempts.save(connection, an_attempt("T0001", score=95.0))  # a later one goes on its own
    assert run_training_sync(connection, client, lambda: NOW).applied == 1
    client.close()


def test_an_attempt_is_the_tokens_trainees_and_never_anothers(hub, tmp_path):
    attempt = an_attempt("T0001")
    first = _trainee_store(tmp_path / "one")
    attempts.save(first, attempt)
    run_training_sync(first, HubClient(hub.url, hub.token("T0001")), lambda: NOW)
    second = _trainee_store(tmp_path / "two")  # the same attempt id, from another trainee
    attempts.save(second, an_attempt("T0002", attempt_id=attempt.attempt_id, score=100.0))
    other = hub.token("T0002")
    report = run_training_sync(second, HubClient(hub.url, other), lambda: NOW)
    assert report.refused == 1  # the same mutation id, other arguments: the hub knows it
    assert second.execute("SELECT sync_refusal FROM training_attempts").fetchone()[0] == \
        "key_reuse"
    # Under a mutation id of its own, the handler refuses it: the attempt is T0001's.
    forged = mutation_args.encode(attempt_args(encode(
        an_attempt("T0002", attempt_id=attempt.attempt_id)).decode()))
    answer = raw_push(hub, other, register_device(hub, other), [{
        "seq": 1, "mutation_id": "forged-1", "name": "training.attempt",
        "args": forged}]).json()["results"][0]
    assert (answer["status"], answer["reason"]) == ("rejected", "not_your_attempt")
    assert [(row.trainee, row.score) for row in _hub_rows(hub)] == [("T0001", attempt.score)]


def test_a_trainer_reads_the_report_and_any_attempt_and_nobody_else_does(hub, tmp_path):
    connection = _trainee_store(tmp_path)
    for score in (60.0, 88.0, 75.0):
        attempts.save(connection, an_attempt("T0001", score=score))
    last = an_attempt("T0001", "lost_card", score=40.0, fatal=("no_step_up",))
    attempts.save(connection, last)
    run_training_sync(connection, HubClient(hub.url, hub.token("T0001", team="T1")),
                      lambda: NOW)
    trainer = HubClient(hub.url, hub.token("R0001", "trainer", "T1"))
    rows = {row.scenario_id: row for row in trainer.training_report().rows}
    balance = rows["balance_enquiry"]
    assert (balance.trainee, balance.attempts, balance.last_score, balance.best_score,
            balance.passed) == ("T0001", 3, 75.0, 88.0, True)
    assert (rows["lost_card"].passed, rows["lost_card"].last_attempt_id) == (
        False, last.attempt_id)
    assert trainer.training_report("OTHER").rows == []
    reply = trainer.training_attempt(last.attempt_id)
    assert (reply.trainee, reply.record["fatal"]) == ("T0001", ["no_step_up"])
    for role in ("agent", "supervisor"):
        with pytest.raises(HubRefused) as refused:
            HubClient(hub.url, hub.token("X1", role, "T1")).training_report()
        assert (refused.value.status, refused.value.code) == (403, "trainers_only")


def _report(hub_db, *options: str) -> str:
    result = CliRunner().invoke(main, ["hub", "training", "report", "--db", str(hub_db),
                                       *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_report_cli_prints_a_table_and_csv(hub, tmp_path):
    for trainee, team in (("T0001", "T1"), ("T0002", "T2")):
        connection = _trainee_store(tmp_path / trainee)
        for score in (70.0, 90.0):
            attempts.save(connection, an_attempt(trainee, score=score))
        run_training_sync(connection, HubClient(hub.url, hub.token(trainee, team=team)),
                          lambda: NOW)
    hub_db = tmp_path / "hub.db"
    rows = list(csv.DictReader(io.StringIO(_report(hub_db, "--format", "csv"))))
    assert [(row["trainee"], row["team"], row["attempts"], row["last_score"],
             row["best_score"], row["passed"]) for row in rows] == [
        ("T0001", "T1", "2", "90.0", "90.0", "yes"), ("T0002", "T2", "2", "90.0", "90.0", "yes")]
    only_t2 = list(csv.DictReader(io.StringIO(_report(hub_db, "--format", "csv", "--team",
                                                      "T2"))))
    assert [row["trainee"] for row in only_t2] == ["T0002"]
    table = _report(hub_db).splitlines()
    assert table[0].split() == ["Trainee", "Team", "Scenario", "Attempts", "Last", "Best",
                                "Passed", "Last", "attempt"]
    assert table[1].split()[:7] == ["T0001", "T1", "balance_enquiry", "2", "90.0", "90.0", "yes"]
    assert len(table) == 3


def test_the_report_cli_says_when_there_is_nothing(tmp_path):
    assert "No trainee has synced" in _report(tmp_path / "empty-hub.db")
