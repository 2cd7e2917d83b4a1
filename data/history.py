"""A call centre's past for the demo hub (and the KPI bench): teams with their leads, and for each
agent and day a shift of calls with their events and the customer's rating, cases with their SLA
clocks, and callbacks, some late. Deterministic: agent-day ``(a, d)`` draws from
``Random(f"{seed}:{a}:{d}")`` alone.

Agents differ (a skill drawn once per agent moves their handling time, ratings and resolution),
so the board has someone above and someone below each target."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random

from data import reference as ref
from data.generator import uuid7_at

_REQUEST_TYPES = ("consultation", "complaint", "business", "emergency", "suggestion")
_REQUEST_WEIGHTS = (45, 20, 28, 2, 5)
_STAGES = ("greeting", "verification", "handling", "closing")
_WRAP_UPS = ("resolved", "information_given", "case_opened", "callback")


@dataclass(frozen=True)
class DemoTeam:
    id: str
    name: str
    lead: str
    agents: tuple[str, ...]


# The demo's teams: A1024 is the README's agent, S1001 the lead who signs in to the board.
DEMO_TEAMS = (
    DemoTeam("T1", "Retail 1", "S1001", tuple(f"A{1024 + n}" for n in range(8))),
    DemoTeam("T2", "Retail 2", "S1002", tuple(f"A{1040 + n}" for n in range(8))),
)


def many_teams(agents: int, per_team: int = 10) -> tuple[DemoTeam, ...]:
    """``agents`` agents in teams of ``per_team`` (the bench's centre)."""
    teams = []
    for number, first in enumerate(range(0, agents, per_team), start=1):
        members = tuple(f"B{index:05d}" for index in range(first, min(first + per_team, agents)))
        teams.append(DemoTeam(f"BT{number:03d}", f"Bench {number}", f"BS{number:03d}", members))
    return tuple(teams)


@dataclass(frozen=True)
class HistoryPlan:
    teams: tuple[DemoTeam, ...]
    days: int
    ends: date  # the last day of the history (its calls stop before ``ends``' 18:00)
    seed: int = 1
    customers: int = 5000  # calls are with customers C00000000001 ... of the demo data
    calls_per_day: tuple[int, int] = (18, 34)
    events: bool = True


@dataclass
class HistoryDay:
    calls: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    callbacks: list[dict] = field(default_factory=list)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def _skill(plan: HistoryPlan, agent: str) -> float:
    """0.0 (struggling) to 1.0 (the best of the floor), fixed per agent."""
    return Random(f"{plan.seed}:{agent}:skill").random()


def _rating(rng: Random, skill: float) -> tuple[int | None, int | None]:
    csat = nps = None
    if rng.random() < 0.6:
        csat = rng.choices((5, 4, 3, 2, 1), weights=(50 + 30 * skill, 32, 8, 4, 3))[0]
    if rng.random() < 0.4:
        nps = rng.choices(range(11), weights=(1, 1, 1, 1, 1, 2, 3, 6, 12, 22 + 10 * skill,
                                              36 + 25 * skill))[0]
    return csat, nps


def _call(plan: HistoryPlan, rng: Random, team: DemoTeam, agent: str, skill: float,
          started: datetime, out: HistoryDay) -> datetime:
    seconds = int(max(60.0, rng.lognormvariate(5.55 - 0.25 * skill, 0.35)))
    ended = started + timedelta(seconds=seconds)
    call_id = uuid7_at(int(started.timestamp() * 1000), rng.getrandbits(74))
    csat, nps = _rating(rng, skill)
    fcr = rng.random() < 0.78 + 0.14 * skill if rng.random() < 0.95 else None
    forbidden = 1 if rng.random() < 0.02 - 0.015 * skill else 0
    override = 1 if rng.random() < 0.03 else 0
    lockout = 1 if rng.random() < 0.004 else 0
    request_type = rng.choices(_REQUEST_TYPES, weights=_REQUEST_WEIGHTS)[0]
    customer = f"C{1 + int(rng.random() * plan.customers):011d}"
    closing = {"csat": csat, "nps": nps, "first_contact_resolution": fcr,
               "wrap_up": _WRAP_UPS[int(rng.random() * len(_WRAP_UPS))]}
    kinds = _event_kinds(forbidden, override, lockout)
    out.calls.append({
        "id": call_id, "agent_id": agent, "customer_id": customer, "started_at": _iso(started),
        "ended_at": _iso(ended), "request_type": request_type,
        "verification": "locked" if lockout else "passed", "closing": json.dumps(closing),
        "notes": "", "events": len(kinds), "team": team.id, "handle_seconds": seconds,
        "csat": csat, "nps": nps, "fcr": None if fcr is None else int(fcr),
        "forbidden_caught": forbidden, "overrides": override, "lockout": lockout})
    if plan.events:
        step = seconds / len(kinds)
        for position, (kind, stage, detail) in enumerate(kinds):
            out.events.append({
                "call_id": call_id, "position": position,
                "at": _iso(started + timedelta(seconds=int(position * step))), "kind": kind,
                "stage": stage, "step": "", "detail": json.dumps(detail, separators=(",", ":"))})
    return ended


def _event_kinds(forbidden: int, override: int, lockout: int) -> list[tuple[str, str, dict]]:
    kinds: list[tuple[str, str, dict]] = [("call_started", "greeting", {})]
    for stage in _STAGES:
        kinds.append(("stage_entered", stage, {}))
        if stage == "verification":
            kinds.append(("verification", stage, {"status": "locked" if lockout else "passed"}))
        if stage == "handling" and forbidden:
            kinds.append(("forbidden_caught", stage, {"rule": "dont_know", "word": "不知道"}))
        if stage == "handling" and override:
            kinds.append(("override", stage, {"reason": "caller in a hurry"}))
    kinds.append(("call_ended", "closing", {}))
    return kinds


def _case(plan: HistoryPlan, rng: Random, team: DemoTeam, agent: str, opened: datetime,
          now: datetime, out: HistoryDay, number: str) -> None:
    category, priority, title = ref.CASE_TITLES[int(rng.random() * len(ref.CASE_TITLES))]
    due = opened + timedelta(hours=48 if priority in ("high", "urgent") else 24)
    late = rng.random() < 0.07
    if due < now:
        status, breached = ("resolved", _iso(due) if late else None)
        if rng.random() < 0.03:  # forgotten: still open past its time
            status, breached = "in_progress", _iso(due)
    else:
        status, breached = rng.choice(("new", "in_progress", "pending_customer")), None
    out.cases.append({
        "id": uuid7_at(int(opened.timestamp() * 1000), rng.getrandbits(74)), "number": number,
        "customer_id": f"C{1 + int(rng.random() * plan.customers):011d}", "channel": "phone",
        "category": category, "priority": priority, "status": status, "title": title,
        "opened_at": _iso(opened), "due_at": _iso(due), "updated_at": _iso(min(now, due)),
        "created_by": agent, "assigned_to": agent, "breached_at": breached, "team": team.id})


def _callback(rng: Random, team: DemoTeam, agent: str, made: datetime, now: datetime,
              customer: str, out: HistoryDay) -> None:
    due = made + timedelta(hours=rng.choice((2, 4, 24)))
    status, done = "scheduled", None
    if due < now:
        roll = rng.random()
        if roll < 0.9:
            status, done = "done", due - timedelta(minutes=int(rng.random() * 90))
        elif roll < 0.96:
            status, done = "done", due + timedelta(minutes=10 + int(rng.random() * 240))
    out.callbacks.append({
        "id": uuid7_at(int(made.timestamp() * 1000), rng.getrandbits(74)),
        "customer_id": customer, "agent_id": agent, "team": team.id, "due_at": _iso(due),
        "reason": "回访 follow-up", "status": status, "created_at": _iso(made),
        "done_at": _iso(done) if done else None})


def agent_day(plan: HistoryPlan, team: DemoTeam, agent: str, day: date, now: datetime
              ) -> HistoryDay:
    """One agent's shift on ``day`` (nothing on their two days off a week)."""
    out = HistoryDay()
    rng = Random(f"{plan.seed}:{agent}:{day.isoformat()}")
    if (day.toordinal() + hash_of(agent)) % 7 in (0, 1):
        return out
    skill = _skill(plan, agent)
    at = datetime.combine(day, datetime.min.time()) + timedelta(
        hours=8, minutes=int(rng.random() * 30))
    shift_end = datetime.combine(day, datetime.min.time()) + timedelta(hours=18)
    for ordinal in range(rng.randint(*plan.calls_per_day)):
        if at >= min(shift_end, now):
            break
        ended = _call(plan, rng, team, agent, skill, at, out)
        if rng.random() < 0.06:
            number = f"HS{day.strftime('%Y%m%d')}-{agent}-{ordinal:03d}"
            _case(plan, rng, team, agent, ended, now, out, number)
        if rng.random() < 0.03:
            _callback(rng, team, agent, ended, now, out.calls[-1]["customer_id"], out)
        at = ended + timedelta(seconds=20 + int(rng.random() * 240))
    return out


def hash_of(text: str) -> int:
    """A stable small number for a name (``hash`` changes between processes)."""
    return sum(ord(character) for character in text)


def make_history(plan: HistoryPlan, now: datetime) -> Iterator[HistoryDay]:
    """Day by day, every agent of every team: one HistoryDay a team and day."""
    for offset in range(plan.days - 1, -1, -1):
        day = plan.ends - timedelta(days=offset)
        for team in plan.teams:
            merged = HistoryDay()
            for agent in team.agents:
                one = agent_day(plan, team, agent, day, now)
                merged.calls += one.calls
                merged.events += one.events
                merged.cases += one.cases
                merged.callbacks += one.callbacks
            yield merged
