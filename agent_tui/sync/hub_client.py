"""Talking to the hub over HTTP (httpx), with every failure sorted into what the worker does next.

- ``HubUnreachable``: the link or the hub is down, slow, or answered something that is not the
  protocol (a 5xx, a proxy's HTML, a truncated body). Keep everything and try again later.
- ``HubRefused``: the hub understood and said no to the whole request (a token expired or
  revoked, a device that is not ours): the agent must act; the queue waits, intact.
- ``OutOfOrder``: the hub expected another ``seq`` first.
"""

from __future__ import annotations

import ssl
from datetime import date, datetime
from functools import cache
from typing import Any

import httpx
import msgspec

from agent_tui.domain.times import iso
from agent_tui.store.outbox import Mutation
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from agent_tui.sync.kb_protocol import KbArticle, KbArticles, KbMove, KbSubmit
from agent_tui.sync.protocol import (
    CodeChecked,
    CodeRequest,
    CodeSent,
    CtiAccepted,
    CtiEventIn,
    CtiFeed,
    DeviceReply,
    DeviceRequest,
    Identity,
    KpiReply,
    MutationIn,
    PullPage,
    PullRequest,
    PushReply,
    PushRequest,
    QaCalibration,
    QaCallRecord,
    QaReview,
    QaReviewRequest,
    QaSample,
    SearchReply,
    StepUpRequest,
    TeamBoard,
    TrainingAttemptReply,
    TrainingReport,
    Verdict,
    VerifyRequest,
)

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class TooLarge(HubUnreachable):
    """The hub refused the request's body as larger than it takes (413): a push sends less at
    once; anywhere else it is one more way of not getting through."""


class OutOfOrder(Exception):
    def __init__(self, expected_seq: int, results: list[dict]) -> None:
        super().__init__(expected_seq)
        self.expected_seq = expected_seq
        self.results = results


_IDENTITY_REFUSALS = (400, 404, 409, 429)
_KB_REFUSALS = (400, 404, 409)


@cache
def tls_context() -> ssl.SSLContext:
    """The TLS context every hub client of this process uses, as httpx builds one (certifi's
    CAs, or SSL_CERT_FILE): building it loads every CA certificate, about 2 MB, so it is built
    once, and the SSH session server builds it before it forks for all its sessions to share."""
    return httpx.create_ssl_context()


class HubClient:
    def __init__(self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None,
                 timeout: httpx.Timeout = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                  headers={"Authorization": f"Bearer {token}"},
                                  verify=tls_context())

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, shape: type, *, refusing: tuple[int, ...] = (),
              body: msgspec.Struct | None = None, **kwargs: Any):
        if body is not None:  # encoded from its struct, as the hub decodes it
            kwargs["content"] = msgspec.json.encode(body)
            kwargs["headers"] = {"Content-Type": "application/json"}
        try:
            response = self._http.request(method, path, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as error:  # refused, reset, timed out,
            # truncated; or an address that is no URL at all
            raise HubUnreachable(f"{type(error).__name__}: {error}") from None
        if response.status_code in (401, 403, *refusing):
            raise HubRefused(response.status_code, _error_code(response))
        if response.status_code == 409:
            body = _decode(response, dict)
            if body.get("error") == "out_of_order" and isinstance(body.get("expected_seq"), int):
                raise OutOfOrder(body["expected_seq"], body.get("results") or [])
            raise HubUnreachable(f"409 {body.get('error')}")
        if response.status_code == 413:
            raise TooLarge(_error_code(response))
        if response.status_code != 200:
            raise HubUnreachable(f"HTTP {response.status_code}")
        return _decode(response, shape)

    def register_device(self, first_seq: int) -> str:
        return self._call("POST", "/v1/devices", DeviceReply,
                          body=DeviceRequest(first_seq)).device_id

    def push(self, device_id: str, mutations: list[Mutation], now: datetime) -> PushReply:
        body = PushRequest(device_id, [MutationIn(m.seq, m.mutation_id, m.name, m.args)
                                       for m in mutations], iso(now))
        return self._call("POST", "/v1/sync/push", PushReply, body=body)

    def pull(self, device_id: str, cursor: str, limit: int) -> PullPage:
        return self._call("POST", "/v1/sync/pull", PullPage,
                          body=PullRequest(device_id, cursor, limit))

    def identity(self) -> Identity:
        """Whose this client's token is (HubRefused 401 for one the hub does not take)."""
        return self._call("GET", "/v1/me", Identity)

    def search(self, query: str) -> list[dict]:
        return self._call("GET", "/v1/customers", SearchReply, params={"q": query}).customers

    # -- a call's identity: decided by the hub -------------------------------------------------

    def verify(self, device_id: str, call_id: str, customer_id: str,
               answers: dict[str, str]) -> Verdict:
        return self._call("POST", f"/v1/calls/{call_id}/verification", Verdict,
                          refusing=_IDENTITY_REFUSALS,
                          body=VerifyRequest(device_id, customer_id, answers))

    def verification_state(self, device_id: str, call_id: str) -> Verdict:
        return self._call("GET", f"/v1/calls/{call_id}/verification", Verdict,
                          refusing=_IDENTITY_REFUSALS, params={"device_id": device_id})

    def send_code(self, device_id: str, call_id: str, operation: str,
                  account_id: str | None) -> CodeSent:
        return self._call("POST", f"/v1/calls/{call_id}/step-ups", CodeSent,
                          refusing=_IDENTITY_REFUSALS,
                          body=StepUpRequest(device_id, operation, account_id))

    def check_code(self, device_id: str, step_up_id: str, code: str) -> CodeChecked:
        return self._call("POST", f"/v1/step-ups/{step_up_id}/check", CodeChecked,
                          refusing=_IDENTITY_REFUSALS, body=CodeRequest(device_id, code))

    def fetch(self, customer_id: str) -> dict | None:
        try:
            return self._call("GET", f"/v1/customers/{customer_id}", dict)
        except HubUnreachable as error:
            if str(error) == "HTTP 404":
                return None
            raise

    def team_board(self) -> TeamBoard:
        """The caller's team now (a supervisor's token; HubRefused for any other)."""
        return self._call("GET", "/v1/team/board", TeamBoard)

    def kpis(self, since: date, until: date, agent: str | None = None) -> KpiReply:
        params = {"from": since.isoformat(), "to": until.isoformat()}
        if agent:
            params["agent"] = agent
        return self._call("GET", "/v1/kpi", KpiReply, params=params)

    # -- QA review (issue 17): a team's supervisor; HubRefused says why the hub would not -----

    def qa_sample(self, week: date | None = None) -> QaSample:
        return self._call("GET", "/v1/qa/sample", QaSample,
                          params={"week": week.isoformat()} if week else None)

    def qa_call(self, call_id: str) -> QaCallRecord:
        return self._call("GET", f"/v1/qa/calls/{call_id}", QaCallRecord, refusing=(404,))

    def qa_review(self, request: QaReviewRequest) -> QaReview:
        """Scored on the hub (400 ``marks_missing``/``bad_marks``, 409 ``review_exists``)."""
        return self._call("POST", "/v1/qa/reviews", QaReview, refusing=(400, 404, 409),
                          body=request)

    def qa_calibration(self, call_id: str) -> QaCalibration:
        """409 ``not_calibrated`` until two reviewers, the caller one of them, have scored."""
        return self._call("GET", f"/v1/qa/calibration/{call_id}", QaCalibration,
                          refusing=(404, 409))
    # -- training data: a trainer's token reads it (403 ``trainers_only`` for any other) ------

    def training_report(self, team: str | None = None) -> TrainingReport:
        return self._call("GET", "/v1/training/report", TrainingReport,
                          params={"team": team} if team else None)

    def training_attempt(self, attempt_id: str) -> TrainingAttemptReply:
        return self._call("GET", f"/v1/training/attempts/{attempt_id}", TrainingAttemptReply,
                          refusing=(404,))

    # -- telephony (issue 18) ------------------------------------------------------------------

    def cti_events(self, after: int | None, wait: float) -> CtiFeed:
        """This agent's call events past ``after``, held by the hub up to ``wait`` seconds
        until one comes (a long poll: read for longer than the wait)."""
        params: dict[str, str] = {"wait": str(wait)}
        if after is not None:
            params["after"] = str(after)
        return self._call("GET", "/v1/cti/events", CtiFeed, params=params,
                          timeout=httpx.Timeout(wait + 10.0, connect=3.0))

    def post_cti_event(self, event: CtiEventIn) -> CtiAccepted:
        """The telephony system's side (``agent-tui hub cti``): a 400, 404 or 409 is refused."""
        return self._call("POST", "/v1/cti/events", CtiAccepted, refusing=(400, 404, 409),
                          body=event)

    # The knowledge base's workflow (issue 18): a refusal carries the code the CLI translates.
    def kb_submit(self, draft: KbSubmit) -> KbArticle:
        return self._call("POST", "/v1/kb/articles", KbArticle, refusing=_KB_REFUSALS,
                          body=draft)

    def kb_move(self, move: str, article_id: str, lang: str, version: int,
                reason: str = "") -> KbArticle:
        """``approve`` or ``withdraw`` one version of one article."""
        return self._call("POST", f"/v1/kb/articles/{article_id}/{lang}/{version}/{move}",
                          KbArticle, refusing=_KB_REFUSALS, body=KbMove(reason=reason))

    def kb_list(self, status: str | None, article_id: str | None) -> list[KbArticle]:
        params = {key: value for key, value in (("status", status), ("article", article_id))
                  if value}
        return self._call("GET", "/v1/kb/articles", KbArticles, refusing=_KB_REFUSALS,
                          params=params).articles


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"http_{response.status_code}"
    return str(body.get("error", f"http_{response.status_code}")) if isinstance(body, dict) \
        else f"http_{response.status_code}"


def _decode(response: httpx.Response, shape: type):
    try:
        return msgspec.json.decode(response.content, type=shape)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        # A proxy's error page, a cut-off body, a hub of another version: not the protocol.
        raise HubUnreachable(f"unexpected answer: {error}") from None
