"""A customer's reassessment decided by a real hub (issue 18, ``suitability.assess``), on SQLite
and on PostgreSQL: the hub scores the answers itself; it counts the limits (per day, per year) on
its own records of every agent's assessments of the customer, and refuses past them with the
rule even when the workstation's own checks were bypassed (the answers put straight into its
outbox); each one, allowed or refused, is in its audit under the token's agent; and one agent's
reassessment reaches another agent's workstation by the regular pull."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from agent_tui.hub.database import reading
from agent_tui.hub.schema import change_log
from agent_tui.hub.suitability_assess import shipped_questionnaire
from agent_tui.hub.suitability_schema import risk_assessments, suitability_audit
from agent_tui.store import reassessment
from agent_tui.store import suitability as store
from tests.hub_process import HubProcess
from tests.postgres_cluster import PostgresCluster, unavailable_reason
from tests.workstation import Workstation

pytestmark = pytest.mark.slow
QUESTIONNAIRE = shipped_questionnaire()
CAUTIOUS = {question.id: "A" for question in QUESTIONNAIRE.questions}
BOLD = {question.id: "ABCDEF"[max(range(len(question.options)),
                                  key=lambda i: question.options[i].score)]
        for question in QUESTIONNAIRE.questions}


@pytest.fixture(scope="module")
def cluster():
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL: {reason}")
    running = PostgresCluster()
    yield running
    running.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_hub(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.db'}" if request.param == "sqlite" else \
        request.getfixturevalue("cluster").new_database()
    process = HubProcess(url, tmp_path)
    process.seed()
    process.start()
    yield process
    process.close()


@pytest.fixture
def stations(any_hub, tmp_path):
    first = Workstation(tmp_path / "ws1", "A1024", any_hub.token("A1024"))
    second = Workstation(tmp_path / "ws2", "A2048", any_hub.token("A2048"))
    yield first, second
    first.close()
    second.close()


def _assess(station: Workstation, customer: str, answers: dict[str, str],
            level: str = "C5") -> str:
    """Queued as the form queues it; ``level`` is the workstation's word, which the hub ignores."""
    return reassessment.queue_assessment(
        station.connection, customer_id=customer, answers=answers,
        version=QUESTIONNAIRE.version, level=level, agent_id=station.agent_id,
        at=datetime.now())


def _refusals(station: Workstation) -> list[str]:
    return [reason for (reason,) in station.connection.execute(
        "SELECT reason FROM sync_conflicts WHERE name = 'suitability.assess' ORDER BY reason")]


def test_the_hub_scores_counts_every_agents_assessments_and_audits(any_hub, stations):
    first, second = stations
    customer = first.customer(3)
    cautious = _assess(first, customer, CAUTIOUS, level="C5")  # the workstation's word: a lie
    assert reassessment.pending(first.connection, customer)[0].id == cautious
    assert first.sync(any_hub.url).ok
    assert reassessment.pending(first.connection, customer) == []
    bold = _assess(second, customer, BOLD)
    assert second.sync(any_hub.url).ok
    third = _assess(first, customer, BOLD)  # a third today: the hub counts the other agent's
    assert first.sync(any_hub.url).ok
    assert _refusals(first) == ["suitability_reassess_per_day"]
    with reading(any_hub.engine) as connection:
        held = connection.execute(select(risk_assessments.c.id, risk_assessments.c.level).where(
            risk_assessments.c.customer_id == customer,
            risk_assessments.c.id.in_([cautious, bold, third]))).all()
        audit = connection.execute(select(
            suitability_audit.c.id, suitability_audit.c.agent_id, suitability_audit.c.action,
            suitability_audit.c.outcome, suitability_audit.c.rule,
            suitability_audit.c.tolerance).where(
            suitability_audit.c.customer_id == customer)).all()
    assert sorted(held) == sorted([(cautious, "C1"), (bold, "C5")])  # scored on the hub
    assert sorted(audit) == sorted([
        (cautious, "A1024", "assess", "allowed", "suitable", "C1"),
        (bold, "A2048", "assess", "allowed", "suitable", "C5"),
        (third, "A1024", "assess", "refused", "reassess_per_day", "C5")])
    # The other agent's reassessment came to the first workstation with the pull.
    newest = store.assessments(first.connection, customer)[0]
    assert (newest.level, newest.answers_version) == ("C5", QUESTIONNAIRE.version)

    # The answers are the hub's evidence of each level: kept there, never pulled.
    with reading(any_hub.engine) as connection:
        kept = dict(connection.execute(select(
            risk_assessments.c.id, risk_assessments.c.answers_json).where(
            risk_assessments.c.id.in_([cautious, bold]))).all())
        fed = [json.loads(data) for (data,) in connection.execute(select(
            change_log.c.data).where(change_log.c.entity == "risk_assessment",
                                     change_log.c.entity_id.in_([cautious, bold])))]
    assert {key: json.loads(value) for key, value in kept.items()} == {cautious: CAUTIOUS,
                                                                          bold: BOLD}
    assert len(fed) == 2 and all(set(row) == {"id", "customer_id", "level", "assessed_at",
                                              "answers_version"} for row in fed)


def test_eight_this_year_and_the_ninth_is_refused_with_its_rule(any_hub, stations):
    first, _second = stations
    customer = first.customer(5)
    now = datetime.now()
    with any_hub.engine.begin() as connection:
        connection.execute(risk_assessments.insert(), [
            {"id": f"ra-year-{day}", "customer_id": customer, "level": "C2",
             "assessed_at": now.replace(day=1, month=1, hour=9 + day).isoformat(
                 timespec="seconds"), "answers_version": QUESTIONNAIRE.version}
            for day in range(8)])
    refused = _assess(first, customer, CAUTIOUS)
    assert first.sync(any_hub.url).ok
    assert _refusals(first) == ["suitability_reassess_per_year"]
    with reading(any_hub.engine) as connection:
        assert connection.execute(select(suitability_audit.c.rule).where(
            suitability_audit.c.id == refused)).scalar() == "reassess_per_year"
        assert connection.execute(select(risk_assessments.c.id).where(
            risk_assessments.c.id == refused)).first() is None


def test_answers_to_another_questionnaire_or_incomplete_are_refused(any_hub, stations):
    first, _second = stations
    customer = first.customer(6)
    reassessment.queue_assessment(
        first.connection, customer_id=customer, answers=CAUTIOUS, version="Q1999-01",
        level="C1", agent_id="A1024", at=datetime.now())
    partial = dict(CAUTIOUS)
    partial.pop("horizon")
    _assess(first, customer, partial)
    assert first.sync(any_hub.url).ok
    assert _refusals(first) == ["bad_field", "suitability_questionnaire_version"]
