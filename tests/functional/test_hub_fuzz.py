"""Every mutation handler, fed what a hostile or broken workstation could send (through the HTTP
layer, which already refuses NUL and lone surrogates): each mutation is answered, applied or
refused with a reason, and never fails the hub (a transient failure would hold the device's
queue for five tries, then answer ``hub_error_repeated``). In-process, on a SQLite file and on
PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from agent_tui.domain.questionnaire import LETTERS
from agent_tui.domain.sla import SlaPolicy
from agent_tui.hub import push
from agent_tui.hub.auth import Principal
from agent_tui.hub.database import connect
from agent_tui.hub.handlers import HANDLERS
from agent_tui.hub.qa_schema import qa_reviews
from agent_tui.hub.schema import callbacks, cases, customers, devices
from agent_tui.hub.seed import seed_hub
from agent_tui.hub.suitability_assess import shipped_questionnaire
from agent_tui.hub.suitability_schema import risk_assessments
from agent_tui.sync.reasons import is_known
from data.generator import SeedPlan
from tests.hub_process import AS_OF

# One worker for the module: the last test reads what the fuzz reached in the module's hub, which
# another xdist worker (--dist loadgroup) would build afresh and find empty.
pytestmark = pytest.mark.xdist_group("hub_fuzz")

NOW = "2026-11-23T10:00:00"
STATUSES = ("new", "in_progress", "pending_customer", "escalated", "resolved", "closed")


def _templates(uid: str, version: int, customer: str, status: str) -> dict[str, dict]:
    """A well-formed mutation of each kind: the fuzz spoils a few of its values."""
    return {
        "case.open": {"id": f"case-{uid}", "customer_id": customer, "channel": "phone",
                      "priority": "normal", "category": "consultation", "title": "t",
                      "number": f"CS-{uid}", "description": "d", "opened_at": NOW},
        "case.status": {"case_id": "case-1", "base_version": version,
                        "changes": {"status": status}, "detail": {}, "at": NOW},
        # A reopening moves to in_progress (any other status is spoiled by the fuzz anyway): with
        # the drawn status it was reached once in ~1,000 items, by luck of the draws.
        "case.reopened": {"case_id": "case-1", "base_version": version,
                          "changes": {"status": "in_progress"}, "detail": {}, "at": NOW},
        "case.escalated": {"case_id": "case-1", "base_version": version, "changes": {
            "status": "escalated", "escalated_to": "g", "escalation_reason": "r"}, "at": NOW},
        "case.reassign": {"case_id": "case-1", "base_version": version,
                          "assigned_to": "A1024", "at": NOW},
        "case.add_note": {"id": f"note-{uid}", "case_id": "case-1", "text": "n", "at": NOW},
        "case.attach_contact": {"id": f"note-{uid}", "case_id": "case-1", "text": "n",
                                "channel": "sms", "call_id": None, "at": NOW},
        "callback.schedule": {"id": f"cb-{uid}", "customer_id": customer, "case_id": "case-1",
                              "due_at": "2026-12-24T10:00:00", "reason": "r", "at": NOW},
        "callback.complete": {"id": "cb-1", "at": NOW},
        "callback.attempt": {"id": f"cba-{uid}", "callback_id": "cb-1", "call_id": None,
                             "outcome": "hung_up", "at": NOW},
        "callback.reassign": {"callback_id": "cb-1", "base_version": version,
                              "assigned_to": "A1024", "at": NOW},
        "call.record": {"call_id": f"call-{uid}", "first_event": 0, "customer_id": customer,
                        "events": [[NOW, "stage", "greeting", "hello", {"k": 1}]],
                        "started_at": NOW, "ended_at": NOW, "request_type": "consultation",
                        "verification": "passed", "closing": {"a": 1}, "notes": "n"},
        "customer.flag": {"id": f"flag-{uid}", "customer_id": customer, "flag": "fraud",
                          "at": NOW, "reason": "r"},
        "operation.perform": {"operation": "freeze", "customer_id": customer,
                              "account_id": "acc", "at": NOW, "amount": 1},
        "audit.append": {"id": f"audit-{uid}", "action": "a", "customer_id": customer,
                         "detail": {"x": 1}, "at": NOW},
        "kb.feedback": {"id": f"kbfb-{uid}", "article_id": "card-loss-phone", "lang": "zh-CN",
                        "version": 2, "helpful": True, "call_id": "c", "at": NOW},
        "product.offer": {"id": f"offer-{uid}", "customer_id": customer, "product_id": "WM-MIX",
                          "action": "recommend", "at": NOW},
        "qa.reply": {"review_id": "qa-1", "status": "disputed", "reason": "r", "at": NOW},
        # The boldest answers (C5): a reassessment keeps the fuzz's product offers applicable.
        "suitability.assess": {"id": f"ra-{uid}", "customer_id": customer, "at": NOW,
                               "questionnaire_version": QUESTIONNAIRE.version,
                               "answers": BOLD_ANSWERS},
        "training.attempt": {"attempt_id": f"att-{uid}", "scenario_id": "balance_enquiry",
                             "language": "en", "difficulty": "normal", "seed": 1,
                             "started_at": NOW, "ended_at": NOW, "outcome": "completed",
                             "score": 80.0, "compliance": 90.0, "passed": True,
                             "record": {"transcript": []}},
    }


def test_the_fuzz_covers_every_mutation():
    assert set(_templates("x", 1, "C1", "new")) == set(HANDLERS)



QUESTIONNAIRE = shipped_questionnaire()
BOLD_ANSWERS = {question.id: LETTERS[max(range(len(question.options)),
                                         key=lambda i: question.options[i].score)]
                for question in QUESTIONNAIRE.questions}

_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=30)
_times = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                      timezones=st.sampled_from([None, timezone.utc])).map(
    lambda at: at.isoformat())
_ints = st.one_of(st.integers(-3, 3), st.integers(), st.just(2**63), st.just(-(2**70)))
_leaf = st.one_of(st.none(), st.booleans(), _ints, st.floats(allow_nan=True), _text, _times,
                  st.sampled_from(["case-1", "C00000000001", "cb-1", "call-1", "2026-11-23"]),
                  st.sampled_from(STATUSES), st.just("T1"))
_json = st.recursive(_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(_text, inner, max_size=5)), max_leaves=12)

# Values at the edges, where a database or the calendar gives out.
_edges = st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30, -1, 0, 1.5, float("inf"),
                          float("nan"), "", " ", True, None, [], {}, "0001-01-01T00:00:00",
                          "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "x" * 600,
                          "2026-11-23", "1999-12-31T23:59:59", "i" * 37, "i" * 50])
_anything = st.one_of(_edges, _json)


@st.composite
def _spoiled(draw, template: dict) -> dict:
    """``template`` with a few values replaced by anything (or dropped), one level deep and
    inside ``changes``."""
    args = dict(template)
    for key in draw(st.lists(st.sampled_from(sorted(template)), max_size=3, unique=True)):
        if draw(st.booleans()):
            args[key] = draw(_anything)
        else:
            args.pop(key)
    if isinstance(args.get("changes"), dict) and draw(st.booleans()):
        changes = dict(args["changes"])
        key = draw(st.sampled_from(("status", "paused_since", "paused_seconds", "due_at",
                                    "escalated_to", "escalation_reason")))
        changes[key] = draw(st.one_of(_anything, st.sampled_from(STATUSES)))
        args["changes"] = changes
    if isinstance(args.get("events"), list) and draw(st.booleans()):
        args["events"] = draw(st.lists(st.lists(_anything, min_size=5, max_size=5),
                                       max_size=3))
    return args


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=[
    pytest.mark.slow, pytest.mark.postgres])])
def database(request, tmp_path_factory):
    """A SQLite file, and a PostgreSQL database (which, unlike SQLite, enforces column lengths
    and integer ranges: where a handler's checks fall short, it fails there)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.db'}"
        return
    from tests.postgres_cluster import PostgresCluster, unavailable_reason

    if unavailable_reason():
        pytest.skip(unavailable_reason())
    cluster = PostgresCluster()
    yield cluster.new_database()
    cluster.close()


@pytest.fixture(scope="module")
def hub(database):
    engine = connect(database)
    seed_hub(engine, SeedPlan(3, 1, AS_OF))
    with engine.begin() as connection:
        customer = connection.execute(select(customers.c.id).limit(1)).scalar()
        connection.execute(devices.insert().values(
            device_id="D1", agent_id="A1024", registered_at="2026-11-23T09:00:00"))
        # A valid assessment at the highest tolerance: the fuzz's product offers can apply.
        connection.execute(risk_assessments.delete().where(
            risk_assessments.c.customer_id == customer))
        connection.execute(risk_assessments.insert().values(
            id="ra-fuzz", customer_id=customer, level="C5", answers_version="Q2026-01",
            assessed_at=datetime.now().isoformat(timespec="seconds")))
    agent = Principal("A1024", "agent", "T1")
    opened = push.push(engine, agent, "D1", [
        push.PushItem(1, "open-1", "case.open", {
            "id": "case-1", "customer_id": customer, "channel": "phone", "priority": "normal",
            "category": "consultation", "title": "fuzz", "number": "CS-fuzz"}),
        push.PushItem(2, "cb-1", "callback.schedule", {
            "id": "cb-1", "customer_id": customer, "due_at": "2026-12-24T10:00:00"})],
        None, SlaPolicy(), datetime.now)
    assert [answer.status for answer in opened.results] == ["applied", "applied"]
    with engine.begin() as connection:  # a QA review of the agent's call, for qa.reply
        connection.execute(qa_reviews.insert().values(
            id="qa-1", call_id="call-qa", agent_id="A1024", team="T1", reviewer_id="S1",
            marks="{}", score=90.0, compliance=100.0, passed=True, created_at=AS_OF.isoformat()))
    yield engine, {"ids": itertools.count(), "reached": set(),
                   "customer": customer}
    engine.dispose()


@settings(max_examples=1500, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(data=st.data(), role=st.sampled_from(["agent", "supervisor"]),
       sent_at=st.one_of(st.none(), st.none(), _times, _text))
def test_no_mutation_fails_the_hub(hub, data, role, sent_at):
    engine, state = hub
    # Each example starts from case-1 in some status at version 1 (a case's moves are
    # stateful: left alone, most later moves would only be conflicts).
    version = 1
    with engine.begin() as connection:
        connection.execute(update(cases).where(cases.c.id == "case-1").values(
            status=data.draw(st.sampled_from(STATUSES)), version=version, paused_since=None))
        connection.execute(update(callbacks).where(callbacks.c.id == "cb-1").values(
            status="scheduled", version=version))  # done or handed over by an earlier example
        seq = connection.execute(select(devices.c.last_mutation_seq)).scalar()
    principal = Principal("A1024", role, "T1")
    items = []
    for name in data.draw(st.lists(st.sampled_from(sorted(HANDLERS)), min_size=1, max_size=4)):
        uid = str(next(state["ids"]))
        status = data.draw(st.sampled_from(STATUSES))
        args = data.draw(_spoiled(_templates(uid, version, state["customer"], status)[name]))
        seq += 1
        items.append(push.PushItem(seq, f"fuzz-{uid}", name, args))
    reply = push.push(engine, principal, "D1", items, sent_at, SlaPolicy(), datetime.now)
    assert reply.stopped == "", [answer for answer in reply.results]
    assert len(reply.results) == len(items)
    for item, answer in zip(items, reply.results, strict=True):
        assert answer.status in ("applied", "rejected", "conflict"), answer
        assert answer.status == "applied" or is_known(answer.reason), answer
        if answer.status == "applied":
            state["reached"].add(item.name)


def test_the_fuzz_applied_every_kind_of_mutation(hub):
    """Run after the fuzz: each handler was driven all the way through at least once (but a
    sensitive operation, which needs a one-time code the caller read back)."""
    assert hub[1]["reached"] == set(HANDLERS) - {"operation.perform"}
