"""One training attempt as it is kept, synced and reported: the record every part of training
shares (the simulator and scorer write it, the store keeps it, the hub reports on it, the replay
steps through it).

Times inside an attempt are seconds from the attempt's start, so a replay and a golden transcript
do not depend on the wall clock; the attempt's own start and end are stamps (domain.times)."""

from __future__ import annotations

from typing import Literal

import msgspec

Speaker = Literal["agent", "customer", "system"]
Outcome = Literal["completed", "hung_up", "abandoned"]
Difficulty = Literal["easy", "normal", "hard"]


class TranscriptLine(msgspec.Struct, frozen=True):
    """A line said in the call: the trainee's ("agent"), the simulated customer's, or a note from
    the simulator ("system": the customer waits, hangs up ...)."""

    at: float
    speaker: Speaker
    text: str
    # What the simulator understood the line to be (an intent id), "" when it did not.
    intent: str = ""
    # Every intent the line said, in the order said (``intent`` is the first).
    intents: tuple[str, ...] = ()


class AttemptEvent(msgspec.Struct, frozen=True):
    """A call event of the attempt, in the shape of the store's call_events rows."""

    at: float
    kind: str
    stage: str
    step: str = ""
    detail: dict[str, str] = msgspec.field(default_factory=dict)


class SectionScore(msgspec.Struct, frozen=True):
    section: str
    score: float
    weight: float


class AttemptMiss(msgspec.Struct, frozen=True):
    """A rubric item the attempt missed: when it should have happened (seconds from the start)
    and the scenario's model line for it."""

    item: str
    section: str
    at: float
    model: str
    fatal: bool = False


class AttemptCatch(msgspec.Struct, frozen=True):
    """A forbidden phrase the trainee said."""

    at: float
    rule: str
    word: str


class Attempt(msgspec.Struct, frozen=True):
    attempt_id: str
    trainee: str
    scenario_id: str
    language: str
    difficulty: Difficulty
    seed: int
    started_at: str
    ended_at: str
    outcome: Outcome
    score: float
    compliance: float
    passed: bool
    fatal: tuple[str, ...] = ()
    sections: tuple[SectionScore, ...] = ()
    transcript: tuple[TranscriptLine, ...] = ()
    events: tuple[AttemptEvent, ...] = ()
    misses: tuple[AttemptMiss, ...] = ()
    caught: tuple[AttemptCatch, ...] = ()


def encode(attempt: Attempt) -> bytes:
    return msgspec.json.encode(attempt)


def decode(raw: bytes | str) -> Attempt:
    return msgspec.json.decode(raw, type=Attempt)
