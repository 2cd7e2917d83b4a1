"""What drives a simulated customer: the ``CustomerBrain`` Protocol. The shipped brain is the
rule-based persona (``agent_tui.training.persona.PersonaBrain``); a language model could drive a
persona later by implementing the same four calls, and ``TrainingRun`` would not change.
"""

from __future__ import annotations

from typing import Literal, Protocol

import msgspec


class Reply(msgspec.Struct, frozen=True):
    """What the customer (or, for a note such as a hang-up, the simulator) says."""

    speaker: Literal["customer", "system"]
    text: str
    intent: str = ""


class Heard(msgspec.Struct, frozen=True):
    """One line the trainee said, as the simulator understood it."""

    at: float  # seconds from the call's start
    text: str
    intents: tuple[str, ...]
    forbidden: tuple[str, ...] = ()  # the forbidden words in it (the phrase guard's catches)


class CustomerBrain(Protocol):
    @property
    def patience(self) -> float:
        """0..1: how much more the customer will bear (0: they hang up)."""

    @property
    def hung_up(self) -> bool: ...

    @property
    def goal_reached(self) -> bool: ...

    def hear(self, heard: Heard) -> list[Reply]:
        """The trainee said something: the customer's answer (maybe nothing)."""

    def notice(self, trigger: str, at: float) -> list[Reply]:
        """Something happened in the call (``verification.passed``, ``step_up.sent``,
        ``operation.freeze_card`` ...): what the customer says about it, if anything."""

    def silence(self, at: float) -> list[Reply]:
        """Time passed with nothing said, up to ``at``."""

    def code_sent(self, code: str) -> None:
        """A one-time code reached the customer's phone (they read it back when asked)."""
