"""Golden transcripts: a training call written as text, the trainee's side only (what they say
and what they do in the workspace); the customer's side comes from the simulator when it is
replayed. A trainer reads and writes them; the tests replay them all and check their scores.

    # comments start with #
    scenario = balance_enquiry
    language = zh-CN            # zh-CN | en
    difficulty = normal         # easy | normal | hard (default normal)
    seed = 1                    # default 1

    > 您好，远程银行中心，工号1024，请问有什么可以帮您？     the trainee says a line (5 s)
    tick greeting.greet greeting.introduce                 tick checklist steps (2 s each action)
    untick STEP                                            untick one
    advance                                                F6: the next stage (refused: an error)
    advance! REASON                                        the next stage anyway, with the reason
    verify name=张伟 id_last6=123456 mobile=13800138000      one verification attempt
    third_party 李娜 spouse                                 someone calls for the customer
    request consultation                                   the request type
    phrase closing.thank.1                                 say an approved phrase
    step_up freeze_card                                    send a one-time code
    code                                                   type back the code the customer read
    operation freeze_card                                  perform the operation
    wait 30                                                30 s with nothing said
    end                                                    end the call (refused: ended anyway,
                                                           with the open steps recorded)
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from agent_tui.call_engine import CallController
from agent_tui.domain.call_session import Closing
from agent_tui.domain.localized import in_language
from agent_tui.domain.scenario import DIFFICULTIES, Scenario
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.training.attempt import Attempt
from agent_tui.training.run import TrainingRun

SAY_SECONDS = 5
ACTION_SECONDS = 2
START = datetime(2026, 11, 23, 10, 0, 0)  # any fixed moment: attempts count from their start
TRAINEE = "trainee"
_HEADER = re.compile(r"^(scenario|language|difficulty|seed)\s*=\s*(\S+)\s*(#.*)?$")
ENDED_BY_TRAINEE = "training: ended with steps open"


class GoldenError(Exception):
    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


@dataclass
class Golden:
    path: Path
    scenario: str = ""
    language: str = "zh-CN"
    difficulty: str = "normal"
    seed: int = 1
    actions: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)


def read_golden(path: Path) -> Golden:
    golden = Golden(Path(path))
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if header := _HEADER.match(line):
            key, value = header[1], header[2]
            if key == "seed":
                try:
                    golden.seed = int(value)
                except ValueError:
                    raise GoldenError(golden.path, number, f"seed {value!r} is not a number")
            else:
                setattr(golden, key, value)
            continue
        golden.actions.append((number, line))
    if not golden.scenario:
        raise GoldenError(golden.path, 1, "no 'scenario = ID' line")
    if golden.language not in ("zh-CN", "en"):
        raise GoldenError(golden.path, 1, f"language {golden.language!r}: use zh-CN or en")
    if golden.difficulty not in DIFFICULTIES:
        raise GoldenError(golden.path, 1, f"difficulty {golden.difficulty!r}: use "
                                          + ", ".join(DIFFICULTIES))
    return golden


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def replay(golden: Golden, scenario: Scenario, library: ScriptsLibrary) -> Attempt:
    """The golden transcript played through the call engine and the simulator, scored."""
    run, clock = start(golden, scenario, library)
    return play(golden, run, clock)


def start(golden: Golden, scenario: Scenario, library: ScriptsLibrary
          ) -> tuple[TrainingRun, _Clock]:
    """The training call of ``golden``, begun, on a clock of its own."""
    clock = _Clock()
    controller = CallController(library, lambda: TRAINEE, clock)
    return TrainingRun(scenario, golden.language, golden.difficulty, golden.seed, controller,
                       TRAINEE, clock.now), clock


def play(golden: Golden, run: TrainingRun, clock: _Clock) -> Attempt:
    """Every action of ``golden`` done in ``run``, and the attempt finished."""
    for number, action in golden.actions:
        try:
            _act(run, action, clock, golden.language)
        except GoldenError:
            raise
        except (ValueError, KeyError, AssertionError) as error:
            raise GoldenError(golden.path, number, str(error) or type(error).__name__) from None
        if run.controller.call is None or run.hung_up:
            break
    return run.finish(clock.tick(ACTION_SECONDS))


def _act(run: TrainingRun, action: str, clock: _Clock, language: str) -> None:
    if action.startswith(">"):
        run.say(action[1:].strip(), clock.tick(SAY_SECONDS))
        return
    words = shlex.split(action)
    verb, args = words[0], words[1:]
    call = run.call
    if verb == "wait":
        run.wait(clock.tick(float(args[0])))
        return
    now = clock.tick(ACTION_SECONDS)
    if verb == "tick":
        for step in args:
            call.flow.tick(step, now)
    elif verb == "untick":
        for step in args:
            call.flow.untick(step, now)
    elif verb in ("advance", "advance!"):
        refusal = call.flow.advance(now, " ".join(args) if verb == "advance!" else "")
        if refusal is not None:
            raise ValueError(f"advance refused ({refusal.reason_key}): "
                             + ", ".join(refusal.open_steps))
    elif verb == "verify":
        call.verify(dict(arg.split("=", 1) for arg in args), now)
    elif verb == "third_party":
        call.third_party(args[0], args[1] if len(args) > 1 else "", now)
    elif verb == "request":
        call.flow.choose_request_type(args[0], now)
    elif verb == "phrase":
        phrase = next(p for p in call.library.phrases if p.id == args[0])
        call.phrase_used(phrase, now)
        run.say(phrase.render(language, _phrase_values(run, language)), clock.tick(SAY_SECONDS))
        return
    elif verb == "step_up":
        run.send_step_up(args[0], now)
    elif verb == "code":
        said = args[0] if args else _last_code(run)
        call.check_step_up(said, now)
    elif verb == "operation":
        call.operation_done(args[0], now)
    elif verb == "end":
        closing = Closing()
        if call.end(closing, now) is not None:
            call.end(closing, now, ENDED_BY_TRAINEE)
    else:
        raise ValueError(f"unknown action {verb!r}")
    run.wait(now)


def _last_code(run: TrainingRun) -> str:
    for line in reversed(run.transcript):
        if line.speaker == "customer" and line.intent == "code":
            return "".join(re.findall(r"\d", line.text))
    raise ValueError("the customer has read out no code yet")


def _phrase_values(run: TrainingRun, language: str) -> dict[str, str]:
    customer = run.call.customer
    name = customer.name if customer else ""
    male = customer is not None and customer.gender == "M"
    title = in_language(language, name[:1] + ("先生" if male else "女士"),
                        ("Mr " if male else "Ms ") + (name.split() or [""])[0])
    return {
        "greeting": in_language(language, "您好", "Good morning"),
        "bank_name": in_language(language, "XX银行", "XX Bank"),
        "agent_name": in_language(language, "王芳", "Wang Fang"),
        "staff_number": "1024",
        "customer_title": title,
        "case_number": "C-0001", "due_time": "2026-11-24 10:00", "summary": "",
    }
