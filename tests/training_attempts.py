"""Training attempts made by hand, as the simulator will make them (its fields, a short call):
for the store, sync, hub report and replay tests, which need attempts but not the simulator."""

from __future__ import annotations

import itertools

from agent_tui.training.attempt import Attempt, AttemptEvent, SectionScore, TranscriptLine

_numbers = itertools.count(1)


def an_attempt(trainee: str = "T0001", scenario_id: str = "balance_enquiry", *,
               score: float = 86.0, passed: bool | None = None, ended_at: str | None = None,
               language: str = "en", attempt_id: str | None = None,
               outcome: str = "completed", fatal: tuple[str, ...] = ()) -> Attempt:
    number = next(_numbers)
    minute = number % 60
    return Attempt(
        attempt_id=attempt_id or f"0190a1b2-c3d4-7e5f-8a9b-{number:012d}",
        trainee=trainee, scenario_id=scenario_id, language=language, difficulty="normal",
        seed=number, started_at=f"2026-11-23T09:{minute:02d}:00",
        ended_at=ended_at or f"2026-11-23T09:{minute:02d}:40", outcome=outcome, score=score,
        compliance=100.0 if not fatal else 0.0,
        passed=score >= 80 and not fatal if passed is None else passed, fatal=fatal,
        sections=(SectionScore("opening", 10.0, 10.0), SectionScore("verification", 20.0, 25.0)),
        transcript=(
            TranscriptLine(0.0, "agent", "Good morning, XX Bank, this is Wang Fang.", "greeting"),
            TranscriptLine(3.5, "customer", "Hello, I'd like to know my balance.", ""),
            TranscriptLine(9.0, "agent", "May I have your full name, please?", "ask_name"),
            TranscriptLine(12.0, "customer", "Zhang Wei.", ""),
            TranscriptLine(30.0, "system", "The customer is waiting.", ""),
        ),
        events=(
            AttemptEvent(0.0, "stage", "greeting"),
            AttemptEvent(9.0, "step", "verification", "ask_name"),
            AttemptEvent(20.0, "verification", "verification", "", {"result": "passed"}),
        ))
