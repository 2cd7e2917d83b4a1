"""One training call: the trainee works the very CallController a live call uses (stages,
checklist, verification, step-up, operations, through ``controller``), speaks with ``say``, and
the simulated customer answers in the transcript; ``finish`` scores it with the QA rubric.

Headless and single-threaded: the screens drive it on the event loop, ``agent-tui train replay``
and the tests from a golden transcript. Times are seconds from the call's start.
"""

from __future__ import annotations

from datetime import datetime
from random import Random

from agent_tui.call_engine import CallController
from agent_tui.domain import scoring
from agent_tui.domain.call_session import CALLER_HUNG_UP, Closing
from agent_tui.domain.callflow import EventKind
from agent_tui.domain.ids import new_id
from agent_tui.domain.rubric import Rubric
from agent_tui.domain.scenario import Scenario
from agent_tui.domain.times import iso
from agent_tui.domain.verification import Facts
from agent_tui.training.attempt import (
    Attempt,
    AttemptCatch,
    AttemptEvent,
    AttemptMiss,
    SectionScore,
    TranscriptLine,
)
from agent_tui.training.brain import CustomerBrain, Heard, Reply
from agent_tui.training.catalog import rubric_of
from agent_tui.training.intents import Recogniser
from agent_tui.training.persona import PersonaBrain

HUNG_UP_REASON = "training: the customer hung up"
ABANDONED_REASON = "training: the trainee left the call"
CODE_DIGITS = 6


class TrainingRun:
    def __init__(self, scenario: Scenario, language: str, difficulty: str, seed: int,
                 controller: CallController, trainee: str, now: datetime, *,
                 brain: CustomerBrain | None = None, rubric: Rubric | None = None) -> None:
        self.scenario, self.language, self.difficulty = scenario, language, difficulty
        self.seed, self.trainee, self.controller = seed, trainee, controller
        self.started_at = now
        self.brain: CustomerBrain = brain or PersonaBrain(scenario, language, difficulty, seed)
        self._rubric = rubric
        self._codes = Random(seed * 7919 + 1)  # the one-time codes, replayable too
        self._recogniser = Recogniser(scenario.intents, language, scenario.persona.private)
        self.transcript: list[TranscriptLine] = []
        record = scenario.customer_record
        call = controller.start(scenario.customer_for(language))
        call.start_verification(Facts(
            record.name(language), record.id_number, record.mobile, record.birth_date,
            record.recent_amounts_cents))
        self._seen_events = len(call.flow.events)

    @property
    def call(self):
        assert self.controller.call is not None, "the training call has finished"
        return self.controller.call

    @property
    def hung_up(self) -> bool:
        return self.brain.hung_up

    @property
    def patience(self) -> float:
        return self.brain.patience

    def seconds(self, now: datetime) -> float:
        return round((now - self.call.flow.started_at).total_seconds(), 3)

    # -- the trainee -----------------------------------------------------------------------

    def say(self, text: str, now: datetime) -> list[TranscriptLine]:
        """The trainee says ``text`` (typed, or a phrase inserted): the customer's answer."""
        at = self.seconds(now)
        intents = self._recogniser.recognise(text)
        self.transcript.append(TranscriptLine(at, "agent", text, intents[0] if intents else "",
                                              intents))
        hits = self.controller.phrase_guard().check(text)
        for hit in hits:
            self.call.flow.forbidden_caught(hit.rule_id, hit.word, now)
        replies = self._events(now)
        replies += self.brain.hear(Heard(at, text, intents, tuple(hit.word for hit in hits)))
        return self._add(replies, at)

    def wait(self, now: datetime) -> list[TranscriptLine]:
        """Time passes with nothing said: what happened in the call is noticed, and a long
        silence costs patience."""
        at = self.seconds(now)
        return self._add(self._events(now) + self.brain.silence(at), at)

    def send_step_up(self, operation: str, now: datetime) -> str:
        """A one-time code for ``operation``, sent to the simulated customer's phone (the
        training call's SMS gateway): they read it back when asked for it."""
        code = f"{self._codes.randrange(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        self.call.send_step_up(operation, code, now)
        self.brain.code_sent(code)
        return code

    # -- what happened in the call -------------------------------------------------------------

    def _events(self, now: datetime) -> list[Reply]:
        events = self.call.flow.events
        new, self._seen_events = events[self._seen_events:], len(events)
        replies: list[Reply] = []
        at = self.seconds(now)
        for event in new:
            for trigger in _triggers(event.kind, event.detail):
                replies += self.brain.notice(trigger, at)
        return replies

    def _add(self, replies: list[Reply], at: float) -> list[TranscriptLine]:
        lines = [TranscriptLine(at, reply.speaker, reply.text, reply.intent,
                                (reply.intent,) if reply.intent else ())
                 for reply in replies]
        self.transcript += lines
        return lines

    # -- the end -----------------------------------------------------------------------------

    def finish(self, now: datetime) -> Attempt:
        """The call ends (cut off with the reason if the trainee did not end it) and is scored."""
        call = self.call
        if call.flow.ended_at is not None:
            outcome = "completed"
        else:
            outcome = "hung_up" if self.hung_up else "abandoned"
            reason = HUNG_UP_REASON if self.hung_up else ABANDONED_REASON
            call.flow.skip_to_closing(now, reason)
            call.end(Closing(wrap_up=CALLER_HUNG_UP if self.hung_up else ""), now, reason)
        start = call.flow.started_at
        events = tuple(AttemptEvent(round((event.at - start).total_seconds(), 3),
                                    event.kind.value, event.stage, event.step, dict(event.detail))
                       for event in call.flow.events)
        rubric = self._rubric or rubric_of(self.scenario)
        expected = scoring.Expected(
            tags=self.scenario.all_tags, request_type=self.scenario.expect.request_type,
            operation=self.scenario.expect.operation,
            verification=self.scenario.expect.verification, pass_mark=self.scenario.pass_mark,
            model=self.scenario.model, suitability=self.scenario.suitability)
        result = scoring.score(rubric, events, self.transcript, expected, self.language)
        self.controller.finish()
        return Attempt(
            attempt_id=new_id(), trainee=self.trainee, scenario_id=self.scenario.id,
            language=self.language, difficulty=self.difficulty,  # type: ignore[arg-type]
            seed=self.seed, started_at=iso(start), ended_at=iso(now),
            outcome=outcome, score=result.score, compliance=result.compliance,  # type: ignore[arg-type]
            passed=result.passed, fatal=result.fatal,
            sections=tuple(SectionScore(s.section, s.score, s.weight) for s in result.sections),
            transcript=tuple(self.transcript), events=events,
            misses=tuple(AttemptMiss(m.item, m.section, m.at, m.model, m.fatal)
                         for m in result.misses),
            caught=tuple(AttemptCatch(c.at, c.rule, c.word) for c in result.caught),
        )


def _triggers(kind: EventKind, detail: dict[str, str]) -> list[str]:
    """The call event as the persona's agenda names it."""
    if kind is EventKind.VERIFICATION and detail.get("status") in ("passed", "locked",
                                                                    "third_party"):
        return [f"verification.{detail['status']}"]
    if kind is EventKind.STEP_UP and detail.get("result") in ("sent", "passed"):
        return [f"step_up.{detail['result']}"]
    if kind is EventKind.OPERATION:
        return ["operation", f"operation.{detail.get('operation', '')}"]
    return []
