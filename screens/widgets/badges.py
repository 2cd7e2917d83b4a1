"""Segment and care flags as coloured badges: the agent adapts at a glance (VIP, elderly, disabled).

Badges are Rich Text because they sit in table cells (see ``safe.cell``) as well as in Statics.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from agent_tui.domain.models import Segment

_SEGMENT_STYLE = {
    Segment.MASS: "",
    Segment.AFFLUENT: "bold",
    Segment.VIP: "bold yellow",
    Segment.PRIVATE: "bold magenta",
}


def customer_badges(
    segment: Segment, is_elderly: bool, is_disabled: bool, t: Callable[..., str]
) -> Text:
    badges = Text(t(f"segment.{segment.value}"), style=_SEGMENT_STYLE[segment], no_wrap=True)
    if is_elderly:
        badges.append(" ").append(t("flag.elderly"), style="bold green")
    if is_disabled:
        badges.append(" ").append(t("flag.disabled"), style="bold cyan")
    return badges


def risk_badge(level: int) -> Text:
    style = "bold red" if level >= 4 else "yellow" if level == 3 else ""
    return Text(f"R{level}", style=style, no_wrap=True)
