"""Segment and care flags as coloured badges: the agent adapts at a glance (VIP, elderly, disabled).

The badges are (text, style) parts, assembled as Rich Text for table cells (see ``safe.cell``) and
as Content for the 360's profile line.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.content import Content

from agent_tui.domain.models import Segment
from agent_tui.domain.stored import MARK

Part = tuple[str, str]

_SEGMENT_STYLE = {
    Segment.MASS: "",
    Segment.AFFLUENT: "bold",
    Segment.VIP: "bold yellow",
    Segment.PRIVATE: "bold magenta",
}


def badge_parts(
    segment: Segment | None, is_elderly: bool, is_disabled: bool, t: Callable[..., str]
) -> list[Part]:
    parts = [(t(f"segment.{segment.value}"), _SEGMENT_STYLE[segment]) if segment is not None
             else damaged_part(t)]
    if is_elderly:
        parts.append((t("flag.elderly"), "bold green"))
    if is_disabled:
        parts.append((t("flag.disabled"), "bold cyan"))
    return parts


def damaged_part(t: Callable[..., str]) -> Part:
    """A value the store holds but cannot read (agent_tui.domain.stored): marked, in words."""
    return f"{MARK} {t('app.damaged')}", "bold red"


def risk_part(level: int | None) -> Part:
    if level is None:
        return f"R{MARK}", "bold red"
    return f"R{level}", "bold red" if level >= 4 else "yellow" if level == 3 else ""


def as_text(parts: list[Part]) -> Text:
    text = Text(no_wrap=True)
    for index, (label, style) in enumerate(parts):
        if index:
            text.append(" ")
        text.append(label, style=style)
    return text


def as_content(parts: list[Part]) -> Content:
    return Content(" ").join(Content(label).stylize(style) for label, style in parts)


def customer_badges(
    segment: Segment | None, is_elderly: bool, is_disabled: bool, t: Callable[..., str]
) -> Text:
    return as_text(badge_parts(segment, is_elderly, is_disabled, t))


def risk_badge(level: int | None) -> Text:
    return as_text([risk_part(level)])
