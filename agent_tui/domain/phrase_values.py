"""The values that fill a phrase's ``{variables}``: the greeting for the time of day, the bank, the
agent, how to address the customer, and the call's summary and case.

Pure: the screen gathers the facts (clock, config, customer) and renders each phrase with these.
A variable with no value yet (no case opened) is left out, so the phrase that needs it is not
offered (see ``fillable``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from agent_tui.domain.localized import in_language
from agent_tui.domain.scripts import Localized, Phrase, variables_in

COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "司徒", "慕容", "令狐"})

# 问候语 by the hour: 早上好 before nine, 上午好 to noon, 中午好 over lunch, 下午好, then 晚上好
# (also before five in the morning: the first entry is the night's).
_GREETINGS_ZH = ((5, "晚上好"), (9, "早上好"), (12, "上午好"), (14, "中午好"), (18, "下午好"))
_GREETINGS_EN = ((5, "Good evening"), (12, "Good morning"), (18, "Good afternoon"))

_UNKNOWN_TITLE = Localized("尊敬的客户", "valued customer")
_TITLES = {"M": Localized("先生", "sir"), "F": Localized("女士", "madam")}


def greeting_for(at: datetime, language: str) -> str:
    """Each table gives the greeting used *until* an hour; after the last, good evening."""
    table = in_language(language, _GREETINGS_ZH, _GREETINGS_EN)
    for until, greeting in table:
        if at.hour < until:
            return greeting
    return table[0][1]


def surname(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def customer_title(name: str, gender: str, language: str) -> str:
    """张先生 / 欧阳女士; in English "sir" / "madam", as English phone service says it. Only the
    surname, which the masked name shows anyway: safe before verification."""
    title = _TITLES.get(gender)
    if not name or title is None:
        return _UNKNOWN_TITLE(language)
    return in_language(language, surname(name) + title.zh, title.en)


def phrase_values(
    *,
    at: datetime,
    language: str,
    bank_name: str,
    agent_name: str,
    staff_number: str,
    customer_name: str = "",
    customer_gender: str = "",
    summary: str = "",
    case_number: str = "",
    due_time: str = "",
) -> dict[str, str]:
    values = {
        "greeting": greeting_for(at, language),
        "bank_name": bank_name,
        "agent_name": agent_name,
        "staff_number": staff_number,
        "customer_title": customer_title(customer_name, customer_gender, language),
        "summary": summary,
        "case_number": case_number,
        "due_time": due_time,
    }
    return {key: value for key, value in values.items() if value}


def fillable(phrase: Phrase, language: str, values: Mapping[str, str]) -> bool:
    """Whether every variable of the phrase has a value: one about a case that was not opened
    is not offered, rather than read out with "{case_number}" in it."""
    return all(name in values for name in variables_in(phrase.text(language)))
