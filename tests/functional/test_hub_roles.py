"""Who may do what, asked of a real hub process with every kind of token: every endpoint and every
mutation name, each role refused where it must be (status and reason) and allowed where it must.

The tables are the tests. A row is one endpoint (``Endpoint``: how to call it, which roles it
answers, what the others get) or one mutation (``Mutation``: how to make its target afresh, what
each role's push of it is answered). Missing, revoked and expired tokens are refused the same
way everywhere (``TOKEN_FAILURES``) unless a row says the endpoint needs no token. A new endpoint
or mutation is one more row; a row that forgets a role fails ``test_every_row_decides_every_role``.

Over 400 lines on purpose: the matrix is read whole (a reviewer checks a role down every row), and
its rows grow with each endpoint and mutation; split, a row could be left out of one half.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from agent_tui.hub.auth import create_token, revoke_token
from agent_tui.hub.database import reading
from agent_tui.hub.handlers import HANDLERS
from agent_tui.hub.schema import customers
from tests.hub_process import register_device, started_hub

pytestmark = pytest.mark.slow

# role -> (agent id, role, team). "agent" owns every target the mutation rows make.
STAFF = {
    "agent": ("A1024", "agent", "T1"),
    "other_agent": ("A2048", "agent", "T1"),  # same team, not the case's assignee
    "supervisor": ("S0001", "supervisor", "T1"),
    "other_supervisor": ("S0002", "supervisor", "T2"),
    "trainer": ("R0001", "trainer", "T1"),
    "other_trainer": ("R0002", "trainer", "T2"),  # trains another team
    "teamless_trainer": ("R0003", "trainer", ""),  # a token that names no team
}
# Systems, not people: the telephony system's token posts call events and can do nothing else.
SYSTEMS = {"telephony": ("PBX01", "telephony", "")}
TRAINERS = ("trainer", "other_trainer", "teamless_trainer")
TOKEN_FAILURES = {"revoked": (401, "token_revoked"), "expired": (401, "token_expired"),
                  "none": (401, "token_missing")}
ROLES = (*STAFF, *SYSTEMS, *TOKEN_FAILURES)
REAL_DATA = frozenset({"agent", "other_agent", "supervisor", "other_supervisor"})
ids = itertools.count(1)
fresh = itertools.count(0)  # the customers reassessed, one each
NOW = "2026-11-23T10:00:00"


class World:
    """The hub, a token and a device for every role, and fresh targets on demand."""

    def __init__(self, hub) -> None:
        self.hub = hub
        now = datetime.now()
        self.tokens: dict[str, str | None] = {
            role: hub.token(*who) for role, who in {**STAFF, **SYSTEMS}.items()}
        revoked_id, self.tokens["revoked"] = create_token(
            hub.engine, "A1024", "agent", "T1", now, timedelta(days=1))
        revoke_token(hub.engine, revoked_id, now)
        self.tokens["expired"] = hub.token("A1024", valid_for=timedelta(seconds=-1))
        self.tokens["none"] = None
        self.devices = {role: register_device(hub, self.tokens[role]) for role in STAFF}
        self.seqs = dict.fromkeys(STAFF, 0)
        with reading(hub.engine) as connection:
            self.customer = connection.execute(select(customers.c.id).limit(1)).scalar()

    def assessed(self, args: dict) -> dict:
        """``args`` for the world's customer, given a valid C5 assessment on the hub first."""
        from agent_tui.hub.mutations import insert_if_absent
        from agent_tui.hub.suitability_schema import risk_assessments

        with self.hub.engine.begin() as connection:
            insert_if_absent(connection, risk_assessments, {
                "id": "ra-roles", "customer_id": self.customer, "level": "C5",
                "assessed_at": datetime.now().isoformat(timespec="seconds"),
                "answers_version": "Q2026-01"})
        return {**args, "customer_id": self.customer}

    def reassessment(self) -> dict:
        """A reassessment of a customer no other row reassesses (the limits count per customer),
        every question answered A."""
        from agent_tui.hub.suitability_assess import shipped_questionnaire

        questionnaire = shipped_questionnaire()
        with reading(self.hub.engine) as connection:
            customer = connection.execute(select(customers.c.id).order_by(
                customers.c.id.desc()).offset(next(fresh)).limit(1)).scalar()
        return {"id": f"ra-r{next(ids)}", "customer_id": customer, "at": NOW,
                "questionnaire_version": questionnaire.version,
                "answers": {question.id: "A" for question in questionnaire.questions}}

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens[role]
        return {"Authorization": f"Bearer {token}"} if token else {}

    def request(self, role: str, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.hub.url}{path}", headers=self.headers(role),
                             timeout=20, **kwargs)

    def push(self, role: str, name: str, args: dict) -> httpx.Response:
        """One mutation, from the role's own device (the agent's, for a failing token)."""
        owner = role if role in STAFF else "agent"
        seq = self.seqs[owner] + 1
        reply = self.request(role, "POST", "/v1/sync/push", json={
            "device_id": self.devices[owner], "mutations": [{
                "seq": seq, "mutation_id": f"role-{next(ids)}", "name": name, "args": args}]})
        if reply.status_code == 200:
            self.seqs[owner] = reply.json()["last_mutation_seq"]
        return reply

    def applied(self, role: str, name: str, args: dict) -> None:
        answer = self.push(role, name, args).json()["results"][0]
        assert answer["status"] == "applied", (name, answer)

    # Targets, made afresh by the agent for each row and role --------------------------------

    def case(self) -> str:
        number = next(ids)
        self.applied("agent", "case.open", {
            "id": f"case-r{number}", "number": f"CS-R{number}", "customer_id": self.customer,
            "channel": "phone", "category": "consultation", "priority": "normal",
            "title": "t"})
        return f"case-r{number}"

    def callback(self) -> str:
        callback_id = f"cb-r{next(ids)}"
        self.applied("agent", "callback.schedule", {
            "id": callback_id, "customer_id": self.customer,
            "due_at": (datetime.now() + timedelta(days=1)).isoformat(timespec="seconds")})
        return callback_id

    def attempt(self) -> str:
        attempt_id = f"att-r{next(ids)}"
        self.applied("agent", "training.attempt", training_attempt(attempt_id))
        return attempt_id

    def call(self) -> str:
        call_id = f"call-r{next(ids)}"
        self.applied("agent", "call.record", {"call_id": call_id, "first_event": 0,
                                              "events": [], "customer_id": self.customer})
        return call_id

    def review(self) -> str:
        """A QA review of a fresh call of the agent's, by the team's supervisor."""
        review_id = f"qa-r{next(ids)}"
        reply = self.request("supervisor", "POST", "/v1/qa/reviews",
                             json=qa_review_body(review_id, self.call()))
        assert reply.status_code == 200, reply.text
        return review_id

    def kb_article(self, author: str, approver: str | None = None) -> str:
        """A new article in review by ``author``'s token, naming S0001 (S0002 for S0001's);
        published by ``approver``'s when given. Its path on the hub's API."""
        article_id = f"role-kb-{next(ids)}"
        reply = self.request(author, "POST", "/v1/kb/articles", json=kb_body(article_id, author))
        assert reply.status_code == 200, reply.text
        path = f"/v1/kb/articles/{article_id}/en/{reply.json()['version']}"
        if approver:
            assert self.request(approver, "POST", f"{path}/approve", json={}).status_code == 200
        return path


def kb_body(article_id: str, role: str) -> dict:
    """An article for review, naming a supervisor other than the one submitting it."""
    return {"id": article_id, "lang": "en", "title": "Fees", "category": "fee",
            "body": "The fee is CNY 10.", "reviewer": "S0002" if role == "supervisor" else "S0001"}


def qa_review_body(review_id: str, call_id: str) -> dict:
    """Every item the reviewer marks on a call with no events: done, no comment needed."""
    from agent_tui.domain.qa_review import expected_for, prefill
    from agent_tui.hub.qa import rubric

    marks = {item: {"fraction": 1.0} for item, fraction in
             prefill(rubric(), [], expected_for("", "")).items() if fraction is None}
    return {"id": review_id, "call_id": call_id, "marks": marks}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    hub = started_hub(tmp_path_factory.mktemp("roles"))
    yield World(hub)
    hub.close()


def training_attempt(attempt_id: str) -> dict:
    """A training attempt's arguments, as a trainee's workstation sends them."""
    return {"attempt_id": attempt_id, "scenario_id": "balance", "language": "en",
            "difficulty": "normal", "seed": 1, "started_at": NOW, "ended_at": NOW,
            "outcome": "completed", "score": 85.0, "compliance": 100.0, "passed": True,
            "record": {"attempt_id": attempt_id, "transcript": []}}


# -- endpoints -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    name: str
    call: Callable[[World, str], httpx.Response]  # the request, made as a role
    allowed: frozenset[str]  # roles answered 200
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)  # role -> status, error
    needs_token: bool = True  # refused to TOKEN_FAILURES' roles as they say

    def expected(self, role: str) -> tuple[int, str] | None:
        """(status, error) for a refusal; None where the role is answered 200."""
        if role in self.allowed:
            return None
        if role in self.refused:
            return self.refused[role]
        if self.needs_token and role in TOKEN_FAILURES:
            return TOKEN_FAILURES[role]
        raise AssertionError(f"{self.name}: no expectation for {role}")


TOKENS = frozenset(STAFF)
# A telephony token is refused by every route but the one that takes call events.
NO_TELEPHONY = {"telephony": (403, "telephony_only")}
TRAINER_REFUSED = {**dict.fromkeys(TRAINERS, (403, "training_only")), **NO_TELEPHONY}
NOT_YOURS = {**{role: (403, "device_not_yours") for role in STAFF if role != "agent"},
             **NO_TELEPHONY}

KB_AUTHORS_ONLY = {**dict.fromkeys(("agent", "other_agent"), (403, "kb_authors_only")),
                   **NO_TELEPHONY}
KB_SUPERVISORS_ONLY = {**dict.fromkeys(("agent", "other_agent", *TRAINERS),
                                       (403, "supervisors_only")), **NO_TELEPHONY}
TRAINERS_ONLY = {**dict.fromkeys(REAL_DATA, (403, "trainers_only")), **NO_TELEPHONY}

ENDPOINTS = [
    Endpoint("health", lambda w, r: w.request(r, "GET", "/v1/health"),
             frozenset(ROLES), needs_token=False),
    Endpoint("who am I", lambda w, r: w.request(r, "GET", "/v1/me"), TOKENS, NO_TELEPHONY),
    Endpoint("register a device", lambda w, r: w.request(r, "POST", "/v1/devices", json={}),
             TOKENS, NO_TELEPHONY),
    Endpoint("push, own device", lambda w, r: w.request(r, "POST", "/v1/sync/push", json={
        "device_id": w.devices.get(r, w.devices["agent"]), "mutations": []}), TOKENS,
        NO_TELEPHONY),
    Endpoint("pull, own device", lambda w, r: w.request(r, "POST", "/v1/sync/pull", json={
        "device_id": w.devices.get(r, w.devices["agent"])}), TOKENS, NO_TELEPHONY),
    Endpoint("push, the agent's device", lambda w, r: w.request(r, "POST", "/v1/sync/push",
             json={"device_id": w.devices["agent"], "mutations": []}),
             frozenset({"agent"}), NOT_YOURS),
    Endpoint("pull, the agent's device", lambda w, r: w.request(r, "POST", "/v1/sync/pull",
             json={"device_id": w.devices["agent"]}), frozenset({"agent"}), NOT_YOURS),
    Endpoint("search customers", lambda w, r: w.request(r, "GET", "/v1/customers",
             params={"q": "zhang"}), REAL_DATA, TRAINER_REFUSED),
    Endpoint("fetch a customer", lambda w, r: w.request(r, "GET",
             f"/v1/customers/{w.customer}"), REAL_DATA, TRAINER_REFUSED),
    Endpoint("verify a caller", lambda w, r: w.request(
        r, "POST", f"/v1/calls/CALL-{next(ids)}/verification", json={
            "device_id": w.devices.get(r, w.devices["agent"]), "customer_id": w.customer,
            "answers": {"name": "某某"}}), REAL_DATA, TRAINER_REFUSED),
    Endpoint("send a one-time code, unverified", lambda w, r: w.request(
        r, "POST", f"/v1/calls/CALL-{next(ids)}/step-ups", json={
            "device_id": w.devices.get(r, w.devices["agent"]), "operation": "reset_password"}),
        frozenset(), {**dict.fromkeys(REAL_DATA, (403, "not_verified")), **TRAINER_REFUSED}),
    Endpoint("check a one-time code, unknown", lambda w, r: w.request(
        r, "POST", "/v1/step-ups/NO-SUCH/check", json={
            "device_id": w.devices.get(r, w.devices["agent"]), "code": "123456"}),
        frozenset(), {**dict.fromkeys(REAL_DATA, (404, "unknown_step_up")),
                      **TRAINER_REFUSED}),
    *(Endpoint(f"read the audit of {kind}", lambda w, r, kind=kind: w.request(
        r, "GET", f"/v1/audit/{kind}"), frozenset({"supervisor", "other_supervisor"}),
        {**dict.fromkeys(("agent", "other_agent", *TRAINERS), (403, "supervisors_only")),
         **NO_TELEPHONY})
      for kind in ("disclosures", "reads")),
    # QA review (issue 17): a team's supervisor reviews the team's calls; the agent reads theirs.
    Endpoint("read the week's QA sample", lambda w, r: w.request(r, "GET", "/v1/qa/sample"),
             frozenset({"supervisor", "other_supervisor"}),
             {**dict.fromkeys(("agent", "other_agent", *TRAINERS), (403, "supervisors_only")),
              **NO_TELEPHONY}),
    Endpoint("read a call's QA record", lambda w, r: w.request(
        r, "GET", f"/v1/qa/calls/{w.call()}"), frozenset({"agent", "supervisor"}),
        {"other_agent": (404, "unknown_call"), "other_supervisor": (404, "unknown_call"),
         **TRAINER_REFUSED}),
    Endpoint("review a call", lambda w, r: w.request(
        r, "POST", "/v1/qa/reviews", json=qa_review_body(f"qa-e{next(ids)}", w.call())),
        frozenset({"supervisor"}),
        {**dict.fromkeys(("agent", "other_agent", *TRAINERS), (403, "supervisors_only")),
         **NO_TELEPHONY,
         "other_supervisor": (404, "unknown_call")}),
    Endpoint("read a call's calibration", lambda w, r: w.request(
        r, "GET", f"/v1/qa/calibration/{w.call()}"), frozenset(),
        {**dict.fromkeys(("agent", "other_agent", *TRAINERS), (403, "supervisors_only")),
         **NO_TELEPHONY,
         "supervisor": (409, "not_calibrated"), "other_supervisor": (404, "unknown_call")}),
        # Training data: read by a trainer's token only (issue 15), of the trainer's own team(s).
    Endpoint("read the training report", lambda w, r: w.request(
        r, "GET", "/v1/training/report"), frozenset({"trainer", "other_trainer"}),
        {**TRAINERS_ONLY, "teamless_trainer": (403, "no_team")}),
    Endpoint("read team T2's training report", lambda w, r: w.request(
        r, "GET", "/v1/training/report", params={"team": "T2"}), frozenset({"other_trainer"}),
        {**TRAINERS_ONLY, "trainer": (403, "other_team"), "teamless_trainer": (403, "no_team")}),
    Endpoint("read a training attempt of team T1", lambda w, r: w.request(
        r, "GET", f"/v1/training/attempts/{w.attempt()}"), frozenset({"trainer"}),
        {**TRAINERS_ONLY, "other_trainer": (404, "unknown_attempt"),
         "teamless_trainer": (403, "no_team")}),
    # Telephony (issue 18): the telephony system posts call events; agents read their own.
    Endpoint("post a call event", lambda w, r: w.request(r, "POST", "/v1/cti/events", json={
        "event_id": f"ev-role-{next(ids)}", "kind": "ringing", "agent_id": "A1024",
        "caller": "13800000000"}), frozenset(SYSTEMS),
        dict.fromkeys(STAFF, (403, "not_telephony"))),
    Endpoint("read one's call events", lambda w, r: w.request(r, "GET", "/v1/cti/events"),
             REAL_DATA, TRAINER_REFUSED),
    Endpoint("read the team board", lambda w, r: w.request(r, "GET", "/v1/team/board"),
             frozenset({"supervisor", "other_supervisor"}),
             {**dict.fromkeys(("agent", "other_agent", *TRAINERS), (403, "supervisors_only")),
              **NO_TELEPHONY}),
    # The knowledge base's workflow (issue 18): supervisors and trainers write, a supervisor
    # other than the author approves, a supervisor withdraws; an agent does none of it.
    Endpoint("submit a kb article", lambda w, r: w.request(
        r, "POST", "/v1/kb/articles", json=kb_body(f"role-kb-{next(ids)}", r)),
        frozenset({"supervisor", "other_supervisor", *TRAINERS}), KB_AUTHORS_ONLY),
    Endpoint("list the kb articles", lambda w, r: w.request(r, "GET", "/v1/kb/articles"),
             frozenset({"supervisor", "other_supervisor", *TRAINERS}), KB_AUTHORS_ONLY),
    Endpoint("approve a kb article of S0002's", lambda w, r: w.request(
        r, "POST", w.kb_article("other_supervisor") + "/approve", json={}),
        frozenset({"supervisor"}),
        {**KB_SUPERVISORS_ONLY, "other_supervisor": (403, "kb_own_article")}),
    Endpoint("withdraw a published kb article", lambda w, r: w.request(
        r, "POST", w.kb_article("trainer", "supervisor") + "/withdraw",
        json={"reason": "the fee changed"}),
        frozenset({"supervisor", "other_supervisor"}), KB_SUPERVISORS_ONLY),
    Endpoint("read one's own KPIs or the team's", lambda w, r: w.request(r, "GET", "/v1/kpi"),
             frozenset({"agent", "other_agent", "supervisor", "other_supervisor"}),
             {**dict.fromkeys(TRAINERS, (403, "not_yours")), **NO_TELEPHONY}),
    Endpoint("read another agent's KPIs", lambda w, r: w.request(
        r, "GET", "/v1/kpi", params={"agent": "A2048"}),
        frozenset({"other_agent", "supervisor", "other_supervisor"}),
        {**dict.fromkeys(("agent", *TRAINERS), (403, "not_yours")), **NO_TELEPHONY}),
]


# -- mutations -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutation:
    name: str
    args: Callable[[World], dict]  # its arguments, on a target made afresh
    expected: dict[str, str]  # role -> "applied" or the reason of its refusal

    def answer(self, role: str) -> str | tuple[int, str]:
        if role in TOKEN_FAILURES:
            return TOKEN_FAILURES[role]
        if role in SYSTEMS:  # a telephony token pushes nothing: the push itself is refused
            return NO_TELEPHONY[role]
        return self.expected[role]


def _staff(outcome: str = "applied", **others: str) -> dict[str, str]:
    """Every real-data role gets ``outcome`` unless named; a trainer, ``training_only``."""
    return {**dict.fromkeys(REAL_DATA, outcome), **dict.fromkeys(TRAINERS, "training_only"),
            **others}


# Writing to the agent's case: the assignee and the team's supervisor only.
CASE_WORK = _staff(other_agent="not_assigned", other_supervisor="other_team")

MUTATIONS = [
    Mutation("case.open", lambda w: {
        "id": f"case-o{next(ids)}", "number": f"CS-O{next(ids)}", "customer_id": w.customer,
        "channel": "phone", "category": "consultation", "priority": "normal", "title": "t"},
        _staff()),
    Mutation("case.status", lambda w: {"case_id": w.case(), "base_version": 1, "changes": {
        "status": "in_progress"}, "at": NOW}, CASE_WORK),
    Mutation("case.reopened", lambda w: {"case_id": w.case(), "base_version": 1, "changes": {
        "status": "in_progress"}, "at": NOW}, CASE_WORK),
    Mutation("case.escalated", lambda w: {"case_id": w.case(), "base_version": 1, "changes": {
        "status": "escalated", "escalated_to": "投诉组", "escalation_reason": "r"}, "at": NOW},
        CASE_WORK),
    Mutation("case.reassign", lambda w: {"case_id": w.case(), "base_version": 1,
                                         "assigned_to": "A2048", "at": NOW},
             _staff(agent="supervisor_only", other_agent="supervisor_only",
                    other_supervisor="other_team")),
    Mutation("case.add_note", lambda w: {"id": f"note-r{next(ids)}", "case_id": w.case(),
                                         "text": "n", "at": NOW}, CASE_WORK),
    Mutation("case.attach_contact", lambda w: {
        "id": f"note-r{next(ids)}", "case_id": w.case(), "channel": "sms", "text": "n",
        "at": NOW}, CASE_WORK),
    Mutation("callback.schedule", lambda w: {
        "id": f"cb-s{next(ids)}", "customer_id": w.customer, "due_at": "2027-01-05T10:00:00"},
        _staff()),
    Mutation("callback.complete", lambda w: {"id": w.callback(), "at": NOW},
             _staff(other_agent="not_your_callback", other_supervisor="other_team")),
    Mutation("callback.attempt", lambda w: {"id": f"cba-{next(ids)}", "callback_id": w.callback(),
                                            "outcome": "hung_up", "at": NOW},
             _staff(other_agent="not_your_callback", other_supervisor="other_team")),
    Mutation("callback.reassign", lambda w: {"callback_id": w.callback(), "base_version": 1,
                                             "assigned_to": "A2048", "at": NOW},
             _staff(agent="supervisor_only", other_agent="supervisor_only",
                    other_supervisor="other_team")),
    Mutation("call.record", lambda w: {"call_id": w.call(), "first_event": 0, "events": [
        [NOW, "stage", "greeting", "", {}]], "customer_id": w.customer},
        _staff(other_agent="not_your_call", supervisor="not_your_call",
               other_supervisor="not_your_call")),
    Mutation("customer.flag", lambda w: {"id": f"flag-r{next(ids)}", "customer_id": w.customer,
                                         "flag": "suspected_fraud", "at": NOW}, _staff()),
    # Without a one-time code, for every role; with one, tests/functional/test_hub_trust.py.
    Mutation("operation.perform", lambda w: {"operation": "reset_password",
                                             "customer_id": w.customer, "at": NOW},
             _staff("no_step_up")),
    Mutation("audit.append", lambda w: {"id": f"audit-r{next(ids)}", "action": "case.open",
                                        "at": NOW}, _staff()),
    Mutation("kb.feedback", lambda w: {"id": f"kbfb-r{next(ids)}", "article_id": "card-loss-phone",
                                       "lang": "zh-CN", "version": 2, "helpful": True,
                                       "at": NOW}, _staff()),
    # A low-risk product for a customer with a valid assessment: the staff roles may offer it.
    Mutation("product.offer", lambda w: w.assessed({"id": f"offer-r{next(ids)}",
                                                    "product_id": "TD-1Y", "action": "sell",
                                                    "at": NOW}), _staff()),
    # A customer's reassessment: the staff roles; the hub scores it and counts the limits.
    Mutation("suitability.assess", lambda w: w.reassessment(), _staff()),
    # The reviewed agent answers a QA review of their call (issue 17).
    Mutation("qa.reply", lambda w: {"review_id": w.review(), "status": "acknowledged", "at": NOW},
             _staff(other_agent="not_your_review", supervisor="not_your_review",
                    other_supervisor="not_your_review")),
    # Training data only: every role records its own attempts, a trainer's too.
    Mutation("training.attempt", lambda w: training_attempt(f"att-m{next(ids)}"),
             dict.fromkeys(STAFF, "applied")),
]


def test_every_mutation_the_hub_knows_has_a_row():
    assert {row.name for row in MUTATIONS} == set(HANDLERS)


def test_every_row_decides_every_role():
    for endpoint in ENDPOINTS:
        for role in ROLES:
            endpoint.expected(role)  # raises for a role the row forgot
    for mutation in MUTATIONS:
        assert set(mutation.expected) == set(STAFF), mutation.name


@pytest.mark.parametrize("endpoint, role", [(endpoint, role) for endpoint in ENDPOINTS
                                            for role in ROLES],
                         ids=lambda value: value.name if isinstance(value, Endpoint) else value)
def test_endpoint_by_role(world, endpoint, role):
    reply = endpoint.call(world, role)
    expected = endpoint.expected(role)
    if expected is None:
        assert reply.status_code == 200, reply.text[:300]
    else:
        assert (reply.status_code, reply.json()) == (
            expected[0], {"error": expected[1], "detail": reply.json().get("detail", "")})


@pytest.mark.parametrize("mutation, role", [(mutation, role) for mutation in MUTATIONS
                                            for role in ROLES],
                         ids=lambda value: value.name if isinstance(value, Mutation) else value)
def test_mutation_by_role(world, mutation, role):
    reply = world.push(role, mutation.name, mutation.args(world))
    expected = mutation.answer(role)
    if isinstance(expected, tuple):
        assert (reply.status_code, reply.json()["error"]) == expected
        return
    assert reply.status_code == 200, reply.text[:300]
    answer = reply.json()["results"][0]
    if expected == "applied":
        assert (answer["status"], answer["reason"]) == ("applied", "")
    else:
        assert (answer["status"], answer["reason"]) == ("rejected", expected)


# -- the cases behind the rows -------------------------------------------------------------

def test_after_reassignment_only_the_new_assignee_and_the_team_lead_write(world):
    case_id = world.case()
    world.applied("supervisor", "case.reassign", {"case_id": case_id, "base_version": 1,
                                                  "assigned_to": "A2048"})

    def answer(role: str, name: str, args: dict) -> tuple[str, str]:
        result = world.push(role, name, {"case_id": case_id, **args}).json()["results"][0]
        return result["status"], result["reason"]

    note = {"text": "还在跟进", "at": NOW}
    assert answer("agent", "case.add_note", {"id": f"n-{next(ids)}", **note}) == (
        "rejected", "not_assigned")
    assert answer("agent", "case.status", {"base_version": 2, "changes": {
        "status": "in_progress"}}) == ("rejected", "not_assigned")
    assert answer("other_agent", "case.add_note", {"id": f"n-{next(ids)}", **note}) == (
        "applied", "")
    assert answer("other_agent", "case.status", {"base_version": 2, "changes": {
        "status": "in_progress"}}) == ("applied", "")
    assert answer("supervisor", "case.add_note", {"id": f"n-{next(ids)}", **note}) == (
        "applied", "")


def test_a_trainer_never_pulls_a_real_case(world):
    """Not with a trainer token for an agent id that has cases, nor for a case given to the
    trainer's own id: from an empty cursor or from the start of the feed."""
    case_id = world.case()
    world.applied("supervisor", "case.reassign", {"case_id": case_id, "base_version": 1,
                                                  "assigned_to": "R0001"})
    as_agent = world.hub.token("A1024", "trainer", "T1")
    for token in (world.tokens["trainer"], as_agent):
        headers = {"Authorization": f"Bearer {token}"}
        device = register_device(world.hub, token)
        for cursor in ("", "0"):
            cursor_now, changes = cursor, []
            for _ in range(20):  # a snapshot, then the feed: bounded
                page = httpx.post(f"{world.hub.url}/v1/sync/pull", headers=headers, timeout=20,
                                  json={"device_id": device, "cursor": cursor_now}).json()
                changes += page["changes"]
                cursor_now = page["cursor"]
                if not page["has_more"]:
                    break
            assert changes == [], changes[:2]
    # The same agent id with its own agent token does see its cases: the pull is not empty
    # for want of cases.
    device = register_device(world.hub, world.tokens["agent"])
    page = world.request("agent", "POST", "/v1/sync/pull", json={"device_id": device}).json()
    assert any(change["entity"] == "case" for change in page["changes"])
