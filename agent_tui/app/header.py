"""The header's line: who is signed in, whether a call is open, how sync stands, fitted to the
terminal's width.

Textual's header cuts its title with an ellipsis; at 80 columns (and at 120 during a call, with
sync on) the status was cut. The line is made in three lengths and the longest that fits is shown:
the app's name with the agent's full line; the agent's line alone; the short forms (staff number
without its label, "on call" without its key, sync without the last sync's time).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content

from agent_tui.config import AgentSection

# Textual's Header: an icon 8 cells wide on the left, a clock space 10 wide on the right.
HEADER_SIDES = 8 + 10


def agent_line(t: Callable[..., str], agent: AgentSection, on_call: bool, sync: str,
               short: bool = False) -> str:
    if not agent.is_signed_in:
        return ""
    who = {"name": agent.name, "staff_number": agent.staff_number}
    line = t("short.agent_line", **who) if short else t("app.agent_line", **who)
    if on_call:
        line += t("short.on_call") if short else t("app.on_call")
    return f"{line} · {sync}" if sync else line


def fitted_title(width: int, title: str, sub_title: str,
                 short_sub_title: Callable[[], str]) -> Content:
    """The longest form of the header's line that fits the width the header gives it."""
    room = width - HEADER_SIDES
    whole = Content.assemble(title, (" — ", "dim"), (sub_title, "dim")) if sub_title \
        else Content(title)
    if whole.cell_length <= room or not sub_title:
        return whole
    if Content(sub_title).cell_length <= room:
        return Content(sub_title).stylize("dim")
    return Content(short_sub_title()).stylize("dim")
