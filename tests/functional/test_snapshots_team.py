"""Snapshots of the team board, its reassign dialog and the KPI view at 80x24 in both languages
(and the board at 120x40), each filled with a fixed reading as the hub would send it (the
workstation has no hub here, so nothing refreshes under the snapshot). Look at each SVG before
accepting it (tests/functional/__snapshots__/test_snapshots_team/)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import msgspec
import pytest

from agent_tui.domain import qa_review
from agent_tui.domain.kpi import KpiCounts
from agent_tui.domain.qa_review import Mark, QaEvent, QaReview
from agent_tui.domain.qa_review import SampleCall as QaSampleCall
from agent_tui.library.loader import QA_FILE
from agent_tui.library.qa import read_rubric
from agent_tui.sync.protocol import (
    BoardAgent,
    BoardItem,
    BoardRefusal,
    KpiPoint,
    KpiReply,
    QaCalibration,
    QaCallRecord,
    QaSample,
    TeamBoard,
)
from screens.kpi_view import KpiScreen
from screens.qa_call import QaCallScreen
from screens.qa_reviews import QaReviewsScreen
from screens.qa_sample import QaSampleScreen
from screens.qa_score import QaScoreScreen
from screens.reassign import ReassignScreen
from screens.team_board import TeamBoardScreen
from scripts_library import LIBRARY_DIR
from tests.conftest import FROZEN_NOW
from tests.screen import settled, wait_for, wait_for_screen

pytestmark = pytest.mark.xdist_group("snapshots")
SMALL, LARGE = (80, 24), (120, 40)
both_languages = pytest.mark.parametrize("language", ["en", "zh-CN"])

BOARD = TeamBoard(
    team="T1", name="Retail 1", lead="S1001", at=FROZEN_NOW.isoformat(),
    agents=[
        BoardAgent("A1024", "王小明", "in_call", "2026-11-23T09:53:30", "2026-11-23T09:59:50",
                   2, 1),
        BoardAgent("A1025", "Li Na", "wrap_up", "2026-11-23T09:57:10", "2026-11-23T09:59:40", 1),
        BoardAgent("A1026", "赵敏", "idle", None, "2026-11-23T09:58:00", 0, 0),
        BoardAgent("A1027", "A1027", "offline", None, "2026-11-22T17:45:00", 3, 0),
        BoardAgent("A1028", "陈杰", "offline", None, None, 0, 0),
    ],
    items=[
        BoardItem("case", "k1", "CS20261122-0000041 转账未到账，客户要求尽快处理", "A1024",
                  "2026-11-23T08:30:00", "breached", 1.06, 3),
        BoardItem("case", "k2", "CS20261122-0000077 信用卡年费争议", "A1027",
                  "2026-11-23T13:00:00", "warn", 0.87, 1),
        BoardItem("callback", "b1", "回访: 确认退款到账", "A1024", "2026-11-23T10:20:00",
                  "warn", 0.83),
        BoardItem("case", "k3", "CS20261123-0000102 补寄信用卡", "A1025",
                  "2026-11-24T09:00:00", "ok", 0.04, 1),
    ],
    refusals=[BoardRefusal("A1027", "case.status", "conflict", "stale",
                           "2026-11-23T09:20:00")])


def _counts(calls: int, seconds: int, fcr: int, csat: int, rated: int, promoters: int,
            detractors: int, answered: int) -> KpiCounts:
    return KpiCounts(calls=calls, handle_seconds=seconds, timed_calls=calls, fcr_yes=fcr,
                     fcr_answered=calls, csat_satisfied=csat, csat_given=rated,
                     nps_promoters=promoters, nps_detractors=detractors, nps_given=answered,
                     compliant_calls=calls - 1, forbidden_caught=1, callbacks_due=4,
                     callbacks_on_time=3, sla_breaches=1, qa_reviews=2,
                     qa_compliance_tenths=1750 + 25 * (calls % 3))


def _kpis(team: bool) -> KpiReply:
    rows = [KpiPoint("A1024", "2026-11-10", _counts(240, 62_400, 212, 130, 140, 60, 8, 90))]
    if team:
        rows.append(KpiPoint("A1025", "2026-11-10", _counts(198, 66_330, 160, 100, 120, 40,
                                                             15, 70)))
    trend = [KpiPoint("", date(2026, 11, 10 + day).isoformat(),
                      _counts(15 + day % 4, (15 + day % 4) * (240 + 9 * (day % 5)), 13 + day % 3,
                              8 + day % 2, 10, 4 + day % 3, 1, 6)) for day in range(14)]
    return KpiReply(rows, trend)


def _snap(snap_compare, app, size, run_before) -> None:
    async def run_then_settle(pilot) -> None:
        await run_before(pilot)
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_then_settle)


async def _board(pilot) -> TeamBoardScreen:
    await wait_for(pilot, lambda: pilot.app.store is not None)
    await pilot.press("ctrl+b")
    screen = await wait_for_screen(pilot, TeamBoardScreen)
    screen.show(BOARD)
    return screen


@both_languages
@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
def test_board(snap_compare, small_store, make_app, language, size):
    _snap(snap_compare, make_app(small_store, language), size, _board)


@both_languages
def test_reassign(snap_compare, small_store, make_app, language):
    async def run_before(pilot) -> None:
        await _board(pilot)
        await pilot.press("f7")  # the highlighted row: the breached case, first
        await wait_for_screen(pilot, ReassignScreen)

    _snap(snap_compare, make_app(small_store, language), SMALL, run_before)


@both_languages
@pytest.mark.parametrize("team", [False, True], ids=["agent", "lead"])
def test_kpis(snap_compare, small_store, make_app, language, team):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.store is not None)
        await pilot.press("ctrl+y")
        screen = await wait_for_screen(pilot, KpiScreen)
        screen.show(_kpis(team))

    _snap(snap_compare, make_app(small_store, language), SMALL, run_before)


REVIEWS = [
    QaReview("qa-2", "call-2", "A1024", "S1001", {
        "opening.greet": Mark(1.0), "courtesy.polite": Mark(0.5, "语气略显生硬，注意礼貌用语"),
        "verification.result": Mark(0.0, "The caller was locked out after three wrong answers"),
    }, 72.5, 88.0, False, [], "2026-11-23T09:30:00"),
    QaReview("qa-1", "call-1", "A1024", "S1002", {"opening.greet": Mark(1.0)}, 93.0, 100.0,
             True, [], "2026-11-20T16:05:00", status="disputed", reason="客户已核实身份"),
]


@both_languages
def test_qa_reviews(snap_compare, small_store, make_app, language):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.store is not None)
        await pilot.press("shift+f4")
        screen = await wait_for_screen(pilot, QaReviewsScreen)
        await wait_for(pilot, lambda: screen.loaded)  # the store's (none) first, then these
        screen.show(REVIEWS)

    _snap(snap_compare, make_app(small_store, language), SMALL, run_before)


# -- the reviewer's QA desk (shift+F8): the sample, a call's record, the scoring form ------------

SAMPLE = QaSample("2026-11-23", [
    QaSampleCall("call-1", "A1024", "2026-11-23T09:12:00", ("lockout", "fatal")),
    QaSampleCall("call-2", "A1024", "2026-11-23T11:40:00", (), reviews=1),
    QaSampleCall("call-3", "A1025", "2026-11-24T14:05:00", ("complaint",), reviews=2),
    QaSampleCall("call-4", "A1025", "2026-11-25T10:30:00"),
])
_EVENTS = [(0, "call_started", "greeting", "", {"customer_id": "C00000000001"}),
           (4, "stage_entered", "greeting", "", {}),
           (6, "step_ticked", "greeting", "greeting.greet", {}),
           (31, "verification", "verification", "", {"status": "locked"}),
           (75, "forbidden_caught", "handling", "", {"rule": "r1", "word": "保证收益"}),
           (96, "operation", "handling", "", {"operation": "freeze_card",
                                              "account_id": "6222021234567890123"}),
           (290, "call_ended", "closing", "", {})]


def _record(reviewed: bool) -> QaCallRecord:
    start = datetime.fromisoformat("2026-11-23T09:12:00")
    events = [QaEvent(float(at), (start + timedelta(seconds=at)).isoformat(), kind, stage, step,
                      detail) for at, kind, stage, step, detail in _EVENTS]
    rules = read_rubric(LIBRARY_DIR / QA_FILE)[0]
    prefill = qa_review.prefill(rules, events, qa_review.expected_for("consultation", "locked"))
    return QaCallRecord("call-1", "A1024", start.isoformat(), "2026-11-23T09:16:50",
                        "consultation", "locked",
                        "客户来电称卡 6222 0212 3456 7890 被锁，手机 13812345678，已告知解锁流程",
                        events, prefill, [  # the signed-in reviewer's (A1024 here) and another's
                            msgspec.structs.replace(REVIEWS[0], reviewer_id="A1024",
                                                    calibration=True),
                            msgspec.structs.replace(REVIEWS[1], reviewer_id="S1002",
                                                    calibration=True, status="open", reason="")
                        ] if reviewed else [])


CALIBRATION = QaCalibration("call-1", ["A1024", "S1002"], {
    "opening.greet": True, "verification.result": True, "courtesy.polite": False,
    "compliance.disclosure": True}, 75.0, 85.0)


async def _qa_call(pilot, calibrated: bool) -> QaCallScreen:
    await wait_for(pilot, lambda: pilot.app.store is not None)
    screen = QaCallScreen("call-1")
    await pilot.app.push_screen(screen)
    await wait_for_screen(pilot, QaCallScreen)
    await wait_for(pilot, lambda: screen.rubric is not None)
    screen.show(_record(calibrated), CALIBRATION if calibrated else None)
    return screen


@both_languages
@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
def test_qa_sample(snap_compare, small_store, make_app, language, size):
    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.store is not None)
        await pilot.press("shift+f8")
        screen = await wait_for_screen(pilot, QaSampleScreen)
        screen.show(SAMPLE)

    _snap(snap_compare, make_app(small_store, language), size, run_before)


@both_languages
def test_qa_call(snap_compare, small_store, make_app, language):
    async def run_before(pilot) -> None:
        await _qa_call(pilot, calibrated=True)

    _snap(snap_compare, make_app(small_store, language), SMALL, run_before)


@both_languages
def test_qa_score(snap_compare, writable_store, make_app, language):
    async def run_before(pilot) -> None:
        await _qa_call(pilot, calibrated=False)
        await pilot.press("f7")
        await wait_for_screen(pilot, QaScoreScreen)
        # The first item kept, "Polite words" (the reviewer's, 16th) missed, and why.
        await pilot.press("1", *["down"] * 15, "0", *"语气生硬")

    # A store of its own: the marks entered are kept as a draft, which the other language's
    # run would find and put back.
    _snap(snap_compare, make_app(writable_store, language), SMALL, run_before)
