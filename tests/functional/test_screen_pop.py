"""The screen pop end to end (issue 18): a real hub, the real `agent-tui run` in tmux (a real
terminal emulator, read as the agent sees it), and `agent-tui hub cti` as the telephony system.
Every wait is on the screen's text; nothing is timed here (the latency is bench/'s)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select, update

from agent_tui.domain.masking import MASKED, mask_mobile
from agent_tui.hub.database import reading
from agent_tui.hub.schema import customers
from data.generator import SeedPlan
from data.seed import seed_store
from tests import tmux_screen
from tests.hub_process import AS_OF, CUSTOMERS, started_hub
from tests.pty_terminal import workstation_command

pytestmark = [pytest.mark.slow, pytest.mark.skipif(tmux_screen.unavailable_reason() is not None,
                                                   reason=str(tmux_screen.unavailable_reason()))]
UNKNOWN = "13900000000"  # no demo customer has it


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = started_hub(tmp_path_factory.mktemp("pop-hub"))
    with reading(process.engine) as connection:
        rows = connection.execute(select(customers.c.id, customers.c.name, customers.c.mobile)
                                  .order_by(customers.c.id)).all()
    # A shared number (a couple's landline, a parent's phone): the last customer takes the
    # second's, at the hub, which the workstation asks.
    with process.engine.begin() as connection:
        connection.execute(update(customers).where(customers.c.id == rows[-1].id).values(
            mobile=rows[1].mobile))
    process.customers = rows
    yield process
    process.close()


@pytest.fixture(scope="module")
def telephony(hub):
    return hub.token("PBX01", "telephony", "")


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("pop-store") / "store.db"
    seed_store(path, SeedPlan(CUSTOMERS, 1, AS_OF), workers=1)  # the hub's customers
    return path


@pytest.fixture
def workstation(hub, seeded_store, tmp_path):
    """A1024's workstation in tmux, online with the hub, on a copy of the seeded store."""
    store = tmp_path / "store.db"
    store.write_bytes(seeded_store.read_bytes())
    screens = []

    def start(language: str = "en", agent: str = "A1024") -> tmux_screen.TmuxScreen:
        argv, env = workstation_command(store, tmp_path, language)
        env = {"AGENT_TUI_CONFIG": env["AGENT_TUI_CONFIG"], "AGENT_TUI_HUB_URL": hub.url,
               "AGENT_TUI_HUB_TOKEN": hub.token(agent), "LANG": "C.UTF-8"}
        screen = tmux_screen.TmuxScreen(tmp_path / "tmux", argv, env)
        screens.append(screen)
        screen.wait_for("输入即查询" if language == "zh-CN" else "Type to search")
        return screen

    yield start
    for screen in screens:
        screen.close()


def cti(hub, telephony: str, kind: str, agent: str = "A1024", *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "agent_tui", "hub", "cti", kind, "--agent",
                           agent, "--hub", hub.url, "--token", telephony, *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_ring_pops_the_callers_360_masked_answered_starts_the_call_ended_wraps_up(
        hub, telephony, workstation):
    customer = hub.customers[0]
    screen = workstation()
    cti(hub, telephony, "ring", "A1024", "--from", f"+86{customer.mobile}", "--to", "95588")
    shown = screen.wait_for(MASKED.name(customer.name), mask_mobile(customer.mobile),
                            "masked: not verified", "Transactions")
    assert customer.mobile not in shown  # masked: this call has verified nothing

    cti(hub, telephony, "answered")
    in_call = screen.wait_for("Notes", "Greeting", "/ 05:00")  # the call and its timer
    assert customer.mobile not in in_call

    screen.press("Tab", "Tab")  # checklist -> phrases -> notes
    screen.type("客户来电咨询 card fee")
    screen.wait_for("客户来电咨询 card fee")
    cti(hub, telephony, "ended")
    wrapped = screen.wait_for("line ended", timeout=10)
    assert "客户来电咨询 card fee" in wrapped  # the notes stay, the workspace with them
    screen.press("F7")  # the closing form, a key away
    screen.wait_for("Wrap-up")


def test_an_unknown_number_is_in_the_search_box(hub, telephony, workstation):
    screen = workstation("zh-CN")
    cti(hub, telephony, "ring", "A1024", "--from", UNKNOWN)
    shown = screen.wait_for("未知来电", "无匹配结果（手机号）")
    box = next(line for line in shown.splitlines() if UNKNOWN in line)
    assert box.strip(" ▊▎") == UNKNOWN  # in the search box, searched as if typed
    assert mask_mobile(UNKNOWN) in shown  # the banner masks it, as it masks a customer's


def test_a_shared_number_shows_the_list(hub, telephony, workstation):
    first, shared = hub.customers[1], hub.customers[-1]
    screen = workstation()
    cti(hub, telephony, "ring", "A1024", "--from", first.mobile)
    screen.wait_for("2 found (mobile)", MASKED.name(first.name),
                    MASKED.name(shared.name))


def test_another_agents_ring_never_reaches_this_workstation(hub, telephony, workstation):
    others, mine = hub.customers[2], hub.customers[3]
    hub.token("A2048")
    screen = workstation()
    cti(hub, telephony, "ring", "A2048", "--from", others.mobile)
    cti(hub, telephony, "ring", "A1024", "--from", mine.mobile)
    # Events reach a workstation in the order the hub took them: once this agent's own ring is
    # on screen, another agent's sent before it would have been too.
    shown = screen.wait_for(mask_mobile(mine.mobile), MASKED.name(mine.name))
    assert mask_mobile(others.mobile) not in shown and MASKED.name(others.name) not in shown


def test_a_ring_mid_notes_waits_for_the_key_and_keeps_the_notes(hub, telephony, workstation):
    caller = hub.customers[4]
    screen = workstation()
    screen.press("C-n")  # a call is open (an unknown caller), the agent typing its notes
    screen.wait_for("Notes")
    screen.press("Tab", "Tab")
    screen.type("正在记录上一通电话")
    screen.wait_for("正在记录上一通电话")
    cti(hub, telephony, "ring", "A1024", "--from", caller.mobile)
    banner = screen.wait_for("Ringing:", mask_mobile(caller.mobile))
    assert "正在记录上一通电话" in banner and "Notes" in banner  # nothing taken from the screen
    screen.type("，继续")
    screen.wait_for("正在记录上一通电话，继续")
    screen.press("C-a")  # take it: the caller's 360
    screen.wait_for(MASKED.name(caller.name), "masked: not verified")
    screen.press("C-n")  # back to the open call: the notes as they were
    screen.wait_for("正在记录上一通电话，继续")
