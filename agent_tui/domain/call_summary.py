"""The closing summary (结束语：简要总结本次服务内容), made from the call's record for the agent to
read out: what was asked, what was done, and the case number and its due time if one was opened.

What was asked is the request type and the first sentence of the agent's notes; what was done is
each sensitive operation performed and, when the notes say more, their last sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from agent_tui.domain.callflow import CallFlow
from agent_tui.domain.localized import in_language
from agent_tui.domain.operations import OPERATION_DONE
from agent_tui.domain.scripts import Localized

_SENTENCE_END = re.compile(r"(?<=[。！？!?.；;])\s*|\n+")
LONGEST_PART = 80  # characters: a summary is read out, not the notes again


class CallSummary(msgspec.Struct, frozen=True):
    request_type: Localized | None
    asked: str
    done: tuple[str, ...]  # the agent's words about what was done (from the notes)
    operations: tuple[str, ...]  # sensitive operations performed, in order
    case_number: str = ""
    due_time: str = ""

    def sentence(self, language: str) -> str:
        """One line for the closing phrase's ``{summary}``."""
        parts: list[str] = []
        if self.request_type and self.asked:
            colon = in_language(language, "：", ": ")
            parts.append(f"{self.request_type(language)}{colon}{self.asked}")
        elif self.request_type or self.asked:
            parts.append(self.request_type(language) if self.request_type else self.asked)
        parts.extend(OPERATION_DONE[operation](language) for operation in self.operations)
        parts.extend(self.done)
        if self.case_number:
            parts.append(in_language(
                language,
                f"编号{self.case_number}" + (f"，{self.due_time}前答复" if self.due_time else ""),
                f"reference {self.case_number}" + (f", answer by {self.due_time}"
                                                   if self.due_time else ""),
            ))
        return in_language(language, "；", "; ").join(part for part in parts if part)


def sentences(notes: str) -> list[str]:
    return [part.strip().rstrip("。.；;") for part in _SENTENCE_END.split(notes) if part.strip()]


def _short(text: str) -> str:
    return text if len(text) <= LONGEST_PART else text[: LONGEST_PART - 1] + "…"


def summarise(
    flow: CallFlow, notes: str, operations: Iterable[str] = (), case_number: str = "",
    due_time: str = "",
) -> CallSummary:
    said = sentences(notes)
    request_type = flow.library.procedure(flow.request_type).name if flow.request_type else None
    return CallSummary(
        request_type=request_type,
        asked=_short(said[0]) if said else "",
        done=(_short(said[-1]),) if len(said) > 1 else (),
        operations=tuple(dict.fromkeys(operations)),
        case_number=case_number,
        due_time=due_time,
    )
