"""The rule-based simulated customer: a persona with an agenda (agenda-based user simulation,
Schatzmann et al. 2007), deterministic and replayable from a seed.

The customer opens with why they call once greeted, then wants the agenda's steps in order: each
is said once the trainee does what leads to it (an intent said, or a call event such as a passed
verification or a frozen card); the last one is their goal. They answer what they are asked (the
reveals: what they say only when asked, unless the difficulty has them volunteer it), read back a
one-time code that reached their phone, and lose patience with long silences, questions asked
again, forbidden phrases and what upsets them; what calms them gives some back. At zero they hang
up. The difficulty sets the patience, which facts they volunteer, and whether they interrupt.
"""

from __future__ import annotations

from random import Random

from agent_tui.domain.localized import Localized
from agent_tui.domain.scenario import Scenario
from agent_tui.training.brain import Heard, Reply

# How the difficulty changes the persona: patience added (or taken), how long a silence they
# bear (a factor), and the chance they cut into a long line.
PATIENCE = {"easy": 0.3, "normal": 0.0, "hard": -0.25}
SILENCE = {"easy": 1.5, "normal": 1.0, "hard": 0.7}
INTERRUPT = {"easy": 0.0, "normal": 0.0, "hard": 0.35}
LONG_LINE = {"zh-CN": 45, "en": 140}  # characters: a long line to take in at once
# What each thing costs (or gives back).
COST_SILENCE_PER_S = 0.01
COST_FORBIDDEN = 0.3
COST_ANGRIER = 0.15
COST_REPEAT = 0.1
COST_CONFUSED = 0.03
COST_INTERRUPT = 0.03
COST_PARDON = 0.02
GAIN_CALMER = 0.1
CLOSING = ("goodbye",)


class PersonaBrain:
    def __init__(self, scenario: Scenario, language: str, difficulty: str, seed: int) -> None:
        self.scenario = scenario
        self.persona = scenario.persona
        self.language = language
        self.difficulty = difficulty
        self._random = Random(seed)
        self._patience = max(0.05, min(1.0, self.persona.patience + PATIENCE[difficulty]))
        self._bears = self.persona.silence_seconds * SILENCE[difficulty]
        self._hung_up = False
        self._opened = False
        self._next = 0  # the agenda step wanted now
        self._told: set[int] = set()  # reveals said
        self._seen: set[str] = set()  # call events noticed
        self._calmed: set[str] = set()
        self._said_calmed = False
        self._cared = False
        self._said_goodbye = False
        self._quiet_since = 0.0
        self._prompted = False  # said "are you there?" in this silence
        self._codes: list[str] = []

    # -- what the run reads ------------------------------------------------------------------

    @property
    def patience(self) -> float:
        return self._patience

    @property
    def hung_up(self) -> bool:
        return self._hung_up

    @property
    def goal_reached(self) -> bool:
        return self._next >= len(self.scenario.agenda)

    def code_sent(self, code: str) -> None:
        self._codes.append(code)

    # -- the trainee spoke ---------------------------------------------------------------------

    def hear(self, heard: Heard) -> list[Reply]:
        if self._hung_up:
            return []
        replies: list[Reply] = []
        self._quiet_since, self._prompted = heard.at, False
        intents = set(heard.intents)
        self._cared |= "caring" in intents
        long_line = len(heard.text) > LONG_LINE[self.language]
        if long_line and self._random.random() < INTERRUPT[self.difficulty]:
            replies.append(self._line("interrupt"))
            self._lose(COST_INTERRUPT)
        if heard.forbidden:
            replies.append(self._line("forbidden"))
            self._lose(COST_FORBIDDEN)
        for intent in self.persona.angrier:
            if intent in intents:
                self._lose(COST_ANGRIER)
        for intent in self.persona.calmer:
            if intent in intents and intent not in self._calmed:
                self._calmed.add(intent)
                self._patience = min(1.0, self._patience + GAIN_CALMER)
                # Said once: a customer who thanked you for understanding does not again.
                if self.persona.mood in ("angry", "worried") and not heard.forbidden \
                        and not self._said_calmed:
                    self._said_calmed = True
                    replies.append(self._line("calmed"))
        if self.persona.repeats and long_line and not self._cared:
            replies.append(self._line("pardon"))
            self._lose(COST_PARDON)
        understood = len(replies)
        if not self._opened:
            self._opened = True
            replies.append(self._say(self.persona.opening))
            for index, reveal in enumerate(self.scenario.reveals):
                if self.difficulty in reveal.volunteer:
                    self._told.add(index)
                    replies.append(self._say(reveal.text))
        replies += self._answer(intents)
        replies += self._advance(intents)
        if self.goal_reached and intents & set(CLOSING) and not self._said_goodbye:
            self._said_goodbye = True
            replies.append(self._line("goodbye"))
        if not intents and len(replies) == understood and not heard.forbidden:
            replies.append(self._line("confused"))
            self._lose(COST_CONFUSED)
        return self._maybe_hang_up(replies)

    def _answer(self, intents: set[str]) -> list[Reply]:
        """The first reveal asked for (a question asked again costs patience), and the code."""
        replies: list[Reply] = []
        if "ask_code" in intents:
            replies.append(self._code())
        for index, reveal in enumerate(self.scenario.reveals):
            if intents & set(reveal.on):
                if index in self._told:
                    replies.append(self._line("repeat"))
                    self._lose(COST_REPEAT)
                self._told.add(index)
                replies.append(self._say(reveal.text))
                break
        return replies

    def _code(self) -> Reply:
        if not self._codes:
            return self._line("no_code")
        text = self._text("code").replace("{code}", self._codes[-1])
        return Reply("customer", text, "code")

    def _advance(self, intents: set[str]) -> list[Reply]:
        """The agenda's steps that what was said (or what has happened) leads to, in order."""
        replies = []
        while not self.goal_reached:
            step = self.scenario.agenda[self._next]
            wanted = set(step.on)
            events = {trigger.removeprefix("event:") for trigger in wanted
                      if trigger.startswith("event:")}
            if not (wanted & intents or events & self._seen):
                break
            self._next += 1
            replies.append(self._say(step.text))
            intents = set()  # one thing said leads one step on
        return replies

    # -- the call moved on, or nothing happened ----------------------------------------------

    def notice(self, trigger: str, at: float) -> list[Reply]:
        if self._hung_up:
            return []
        self._seen.add(trigger)
        self._quiet_since, self._prompted = at, False
        if not self._opened:
            return []
        return self._maybe_hang_up(self._advance(set()))

    def silence(self, at: float) -> list[Reply]:
        if self._hung_up:
            return []
        over = at - self._quiet_since - self._bears
        if over <= 0:
            return []
        self._lose(COST_SILENCE_PER_S * over)
        self._quiet_since = at - self._bears  # what is drained is not drained again
        replies = []
        if not self._prompted:
            self._prompted = True
            replies.append(self._line("silence"))
        return self._maybe_hang_up(replies)

    # -- words ---------------------------------------------------------------------------------

    def _lose(self, amount: float) -> None:
        self._patience = max(0.0, self._patience - amount)

    def _maybe_hang_up(self, replies: list[Reply]) -> list[Reply]:
        if self._patience <= 0 and not self._hung_up:
            self._hung_up = True
            replies.append(self._line("hang_up"))
            replies.append(Reply("system", "", "hung_up"))
        return replies

    def _text(self, kind: str) -> str:
        line = self.persona.lines.get(kind)
        return line(self.language) if line else kind

    def _line(self, kind: str) -> Reply:
        return Reply("customer", self._text(kind), kind)

    def _say(self, text: Localized) -> Reply:
        return Reply("customer", text(self.language))
