"""The hub's API in-process: authentication and roles, the token commands, and a schemathesis run
against its own OpenAPI document (no server error, no response that breaks the schema)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import schemathesis
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from agent_tui.cli import main
from agent_tui.domain.sla import SlaPolicy
from agent_tui.hub.api import create_app
from agent_tui.hub.auth import TokenCache, create_token, revoke_token
from agent_tui.hub.database import connect, reading
from agent_tui.hub.schema import cases, customers, tokens
from agent_tui.hub.seed import seed_hub
from data.generator import SeedPlan
from tests.hub_process import AS_OF


def _hub(folder: Path):
    engine = connect(f"sqlite:///{folder / 'hub.db'}")
    seed_hub(engine, SeedPlan(30, 1, AS_OF))
    return engine


@pytest.fixture
def client(engine):
    with TestClient(create_app(engine, SlaPolicy())) as test_client:
        yield test_client


def _scalar(engine, statement):
    with reading(engine) as connection:
        return connection.execute(statement).scalar()


def _bearer(engine, agent="A1024", role="agent", team="T1", valid=timedelta(days=1)):
    return {"Authorization": "Bearer " + create_token(
        engine, agent, role, team, datetime.now(), valid)[1]}


@pytest.mark.parametrize("header, code", [
    (None, "token_missing"), ("Bearer atk_not-a-token", "token_unknown")])
def test_a_request_without_a_good_token_is_401(client, header, code):
    reply = client.get("/v1/customers", params={"q": "13800000000"},
                       headers={"Authorization": header} if header else {})
    assert reply.status_code == 401 and reply.json()["error"] == code


def test_the_hub_says_whose_a_token_is(client, engine):
    """The browser route's sign-in with a hub token asks this (GET /v1/me)."""
    reply = client.get("/v1/me", headers=_bearer(engine, agent="A2048", role="supervisor"))
    assert reply.status_code == 200
    assert reply.json() == {"agent_id": "A2048", "role": "supervisor", "team": "T1"}
    assert client.get("/v1/me").status_code == 401


def test_revoked_and_expired_tokens_are_refused(engine):
    client = TestClient(create_app(engine, SlaPolicy(), tokens=TokenCache(recheck_s=0)))
    headers = _bearer(engine)
    token_id = _scalar(engine, select(tokens.c.id))
    assert client.get("/v1/customers", params={"q": "zhang"}, headers=headers).status_code == 200
    revoke_token(engine, token_id, datetime.now())
    assert client.get("/v1/customers", params={"q": "zhang"},
                      headers=headers).json()["error"] == "token_revoked"
    expired = _bearer(engine, valid=timedelta(seconds=-1))
    assert client.get("/v1/customers", params={"q": "zhang"},
                      headers=expired).json()["error"] == "token_expired"


def test_a_revocation_reaches_a_hub_process_within_the_recheck_interval(engine):
    now = [0.0]
    cache = TokenCache(recheck_s=30, monotonic=lambda: now[0])
    headers = _bearer(engine)
    client = TestClient(create_app(engine, SlaPolicy(), tokens=cache))
    assert client.get("/v1/customers", params={"q": "li"}, headers=headers).status_code == 200
    revoke_token(engine, _scalar(engine, select(tokens.c.id)), datetime.now())
    now[0] = 29.9  # read 29.9 s ago: not asked again yet
    assert client.get("/v1/customers", params={"q": "li"}, headers=headers).status_code == 200
    now[0] = 30.0
    assert client.get("/v1/customers", params={"q": "li"},
                      headers=headers).json()["error"] == "token_revoked"


def test_only_the_hash_of_a_token_is_stored(engine):
    secret = create_token(engine, "A1", "agent", "", datetime.now(), None)[1]
    with reading(engine) as connection:
        stored = connection.execute(select(tokens)).first()
    assert secret not in " ".join(str(value) for value in stored)


def test_a_device_belongs_to_the_agent_that_registered_it(engine, client):
    mine, theirs = _bearer(engine, "A1024"), _bearer(engine, "A2048")
    device = client.post("/v1/devices", json={}, headers=mine).json()["device_id"]
    reply = client.post("/v1/sync/pull", json={"device_id": device}, headers=theirs)
    assert reply.status_code == 403 and reply.json()["error"] == "device_not_yours"


def test_an_agent_reads_its_cases_and_a_supervisor_its_teams(engine, client):
    with engine.connect() as connection:
        case = connection.execute(select(cases.c.id, cases.c.customer_id, cases.c.assigned_to)
                                  ).first()
    with engine.begin() as connection:
        connection.execute(cases.update().where(cases.c.id == case.id).values(team="T7"))
    owner = client.get(f"/v1/customers/{case.customer_id}",
                       headers=_bearer(engine, case.assigned_to, team="T7")).json()
    stranger = client.get(f"/v1/customers/{case.customer_id}",
                          headers=_bearer(engine, "A0000", team="T7")).json()
    lead = client.get(f"/v1/customers/{case.customer_id}",
                      headers=_bearer(engine, "S1", "supervisor", "T7")).json()
    other_lead = client.get(f"/v1/customers/{case.customer_id}",
                            headers=_bearer(engine, "S2", "supervisor", "T8")).json()
    assert case.id in {c["id"] for c in owner["cases"]}
    assert case.id in {c["id"] for c in lead["cases"]}
    assert case.id not in {c["id"] for c in stranger["cases"]}
    assert case.id not in {c["id"] for c in other_lead["cases"]}
    assert stranger["customer"]["id"] == case.customer_id  # customers are for every agent


def test_search_finds_by_mobile_and_fetch_answers_404(engine, client):
    headers = _bearer(engine)
    customer_id = _scalar(engine, select(cases.c.customer_id))
    mobile = _scalar(engine, select(customers.c.mobile).where(customers.c.id == customer_id))
    hits = client.get("/v1/customers", params={"q": mobile}, headers=headers).json()
    assert customer_id in {hit["id"] for hit in hits["customers"]}
    assert mobile not in str(hits)  # found by it, never sent back in full
    missing = client.get("/v1/customers/C999", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"] == "unknown_customer"


# -- the wire: bodies decoded by msgspec into the structs of sync.protocol --------------------

def _push_body(device: str, **mutation) -> dict:
    return {"device_id": device, "mutations": [
        {"seq": 1, "mutation_id": "M1", "name": "audit.append",
         "args": {"id": "A1", "action": "x"}, **mutation}]}


@pytest.mark.parametrize("raw, error", [
    (b'{"device_id": "d", "mutations": [], "other": "\\u0000"}', "bad_text"),
    (b'{"device_id": "d\\ud800", "mutations": []}', "bad_text"),
    (b'{"device_id": "d", "mutations": [', "bad_request"),
    (b'[' * 100_000, "bad_request"),
    (b'{"device_id": "d", "mutations": [{"seq": "1", "mutation_id": "M", "name": "x", '
     b'"args": {}}]}', "bad_request"),  # strict: no text taken for a number
    (b'{"device_id": "d", "mutations": [{"seq": 1.0, "mutation_id": "M", "name": "x", '
     b'"args": {}}]}', "bad_request"),
    (b'{"device_id": "", "mutations": []}', "bad_request"),
    (b'{"device_id": "d", "mutations": [], "sent_at": 5}', "bad_request"),
])
def test_a_body_is_refused_with_the_error_shape(engine, client, raw, error):
    reply = client.post("/v1/sync/push", content=raw, headers={
        **_bearer(engine), "Content-Type": "application/json"})
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"] == error and set(reply.json()) == {"error", "detail"}


def test_a_body_that_is_not_json_is_refused_before_the_token_and_a_misfit_after(client):
    not_json = client.post("/v1/sync/push", content=b"{", headers={
        "Content-Type": "application/json"})
    misfit = client.post("/v1/sync/push", json={"device_id": 5})
    assert (not_json.status_code, not_json.json()["error"]) == (400, "bad_request")
    assert (misfit.status_code, misfit.json()["error"]) == (401, "token_missing")


def test_unknown_keys_are_ignored_and_base_version_beside_the_args_still_counts(engine,
                                                                                 client):
    headers = _bearer(engine)
    device = client.post("/v1/devices", json={"first_seq": 1, "later": True},
                         headers=headers).json()["device_id"]
    body = _push_body(device, extra="ignored", base_version=None)
    reply = client.post("/v1/sync/push", json={**body, "newer_field": [1]}, headers=headers)
    assert reply.status_code == 200, reply.text
    assert [answer["status"] for answer in reply.json()["results"]] == ["applied"]


def test_the_openapi_document_describes_every_body_and_answer(client):
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
            assert answer["$ref"].rsplit("/", 1)[1] in schemas, (method, path)
            if method == "post":
                asked = operation["requestBody"]["content"]["application/json"]["schema"]
                assert asked["$ref"].rsplit("/", 1)[1] in schemas, (method, path)
            assert "422" not in operation["responses"]
    assert schemas["PushRequest"]["properties"]["mutations"]["maxItems"] == 1000
    assert schemas["Answer"]["properties"]["status"]["enum"] == [
        "applied", "duplicate", "rejected", "conflict", "key_reuse"]


def test_token_commands_create_list_and_revoke(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "hub.db")
    created = runner.invoke(main, ["hub", "token", "create", "--db", db, "--agent", "A1024",
                                   "--role", "supervisor", "--team", "T1"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("atk_")
    listed = runner.invoke(main, ["hub", "token", "list", "--db", db])
    assert "A1024" in listed.output and secret not in listed.output
    token_id = listed.output.split()[0]
    assert runner.invoke(main, ["hub", "token", "revoke", "--db", db, token_id]).exit_code == 0
    assert "revoked" in runner.invoke(main, ["hub", "token", "list", "--db", db]).output
    again = runner.invoke(main, ["hub", "token", "revoke", "--db", db, token_id])
    assert again.exit_code == 2


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["hub", "token", "list", "--db",
                                       "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2
    assert "cannot be used" in result.output and "Traceback" not in result.output


# -- schemathesis --------------------------------------------------------------------------

class _OpenApiHub:
    """A seeded hub, its app, a token and a registered device: built once per session, when the
    schemathesis test first asks (importing this module does no work)."""

    def __init__(self, folder: Path) -> None:
        self.engine = _hub(folder)
        self.app = create_app(self.engine, SlaPolicy())
        self.headers = _bearer(self.engine, "A1024")
        with TestClient(self.app) as client:
            self.device = client.post("/v1/devices", json={},
                                      headers=self.headers).json()["device_id"]


@pytest.fixture(scope="session")
def openapi_hub(tmp_path_factory):
    hub = _OpenApiHub(tmp_path_factory.mktemp("schemathesis"))
    yield hub
    hub.engine.dispose()


@pytest.fixture(scope="session")
def openapi_schema(openapi_hub):
    return schemathesis.openapi.from_asgi("/openapi.json", openapi_hub.app)


schema = schemathesis.pytest.from_fixture("openapi_schema")


@schema.parametrize()
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_promises(case, openapi_hub):
    if isinstance(case.body, dict) and "device_id" in case.body:
        # reach the push and pull logic, not just the 403
        case.body["device_id"] = openapi_hub.device
    case.call_and_validate(headers=openapi_hub.headers, checks=[
        not_a_server_error, response_schema_conformance, status_code_conformance,
        content_type_conformance])
