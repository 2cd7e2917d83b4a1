"""The QA rubric as the scorer reads it (scripts_library/qa.toml): sections with weights summing
to 100, items scored from a call's events and transcript, fatal items that zero the call.

Loaded and validated by ``agent_tui.library.qa``; scored by ``agent_tui.domain.scoring``. The same
rubric scores a training attempt and, later, a live call in QA review.
"""

from __future__ import annotations

import msgspec

from agent_tui.domain.localized import Localized

# What an item looks at (agent_tui.domain.scoring has one function per check):
CHECKS = (
    "done",            # a step ticked or an intent said (``steps``, ``intents``; ``mode`` any|all)
    "verification",    # the verification ended as the scenario expects (passed by default)
    "request_type",    # the request type chosen is the scenario's
    "operation",       # the scenario's operation was performed
    "step_up",         # a one-time code passed for the operation before it was performed
    "no_forbidden",    # no forbidden phrase caught (half the points off per catch)
    "no_disclosure",   # nothing disclosed before the verification passed
    "no_words",        # the agent never said one of ``words`` (a guaranteed return ...)
    "suitable",        # "done", and nothing offered that the suitability engine refuses
    "customer_stayed", # the customer did not hang up
    "ended",           # the call was ended properly, not cut off
)
MODES = ("any", "all")


class Section(msgspec.Struct, frozen=True):
    id: str
    name: Localized
    weight: float
    compliance: bool = False  # counts toward the separate compliance score


class Item(msgspec.Struct, frozen=True):
    id: str
    section: str
    name: Localized
    check: str
    points: float = 1.0
    fatal: bool = False  # failing it zeroes the call
    # Applies only to scenarios (calls) with all of ``when`` and none of ``unless`` tags.
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    mode: str = "any"
    words: tuple[str, ...] = ()  # both languages together: a call may switch language
    # The stage by whose end the item should have been done: the moment a miss is shown at.
    stage: str = ""
    model: Localized | None = None  # the line that would have earned it, unless a scenario says

    def applies(self, tags: frozenset[str]) -> bool:
        return all(tag in tags for tag in self.when) and not any(t in tags for t in self.unless)


class Rubric(msgspec.Struct, frozen=True):
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    pass_mark: float = 80.0

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"no section {section_id!r} in the rubric")
