"""The forbidden-phrase guard per keystroke: ``PhraseGuard.check`` on a whole 2,000-character note.

The note editor checks the entire note after every keystroke, so one timed call is what one
keystroke costs: the agent has typed a character at the end of a note of 2,000 characters or more,
and the guard scans all of it. The rule set is library-sized (a dozen Chinese rules of two or three
words, the English ones, allowed words), and the note mixes both languages, carries a few forbidden
words and allowed words, so the slow path (a candidate, then the allowed-word check) runs too.
"""

from __future__ import annotations

import time
from random import Random

from agent_tui.domain.phrasing import ForbiddenRule, PhraseGuard

NOTE_CHARS = 2_000
NOTE_SEED = 3


def _rule(rule_id: str, language: str, words: tuple[str, ...], replacement: str) -> ForbiddenRule:
    return ForbiddenRule(rule_id, language, words, replacement, "", "")


RULES = (
    _rule("dont_know", "zh-CN", ("不知道", "不清楚", "不太清楚"), "我来为您查询"),
    _rule("impossible", "zh-CN", ("不可能", "不行", "办不了"), "我们可以这样解决"),
    _rule("not_mine", "zh-CN", ("这不是我的责任", "不归我管", "跟我没关系"), "我会协助您处理"),
    _rule("must", "zh-CN", ("您必须", "您应该", "你必须"), "建议您"),
    _rule("rules", "zh-CN", ("这是规定", "规定就是这样", "没有为什么"), "根据相关规定，我为您解释一下"),
    _rule("elsewhere", "zh-CN", ("你去问别人", "找别的部门", "你自己去网点"), "我帮您联系相关部门"),
    _rule("impatient", "zh-CN", ("我已经说过了", "听不懂吗"), "我再为您说明一遍"),
    _rule("blame", "zh-CN", ("您搞错了", "是您自己的问题", "你弄错了"), "可能我没有解释清楚"),
    _rule("hurry", "zh-CN", ("等着吧", "急什么", "着急也没用"), "请您稍候，我尽快为您处理"),
    _rule("system", "zh-CN", ("系统就是这样", "电脑问题我没办法"), "我为您反馈并跟进"),
    _rule("dismiss", "zh-CN", ("随便你", "爱办不办", "无所谓"), "请问您希望怎么处理"),
    _rule("when", "zh-CN", ("不知道什么时候", "说不准"), "我会为您跟进并及时告知"),
    _rule("en_dont_know", "en", ("I don't know", "not sure", "no idea"),
          "let me look that up for you"),
    _rule("en_impossible", "en", ("impossible", "no way", "can't be done"),
          "here is how we can solve it"),
    _rule("en_not_mine", "en", ("not my responsibility", "not my problem", "not my job"),
          "I will help you with it"),
    _rule("en_must", "en", ("you must", "you should", "you have to"), "I suggest you"),
    _rule("en_policy", "en", ("that's the policy", "rules are rules"),
          "let me explain the rule behind this"),
    _rule("en_calm", "en", ("calm down", "whatever"), "I understand how you feel"),
)
ALLOWED = {
    "zh-CN": ("不清楚的地方", "如有不清楚", "不知道的话", "行不行", "不行的话"),
    "en": ("you should have received", "you should receive", "impossible to lose"),
}

# What agents write in a note: mostly Chinese, English for product names and foreign customers,
# now and then a forbidden word (the guard's reason to exist) or an allowed one.
_SENTENCES = (
    "客户来电咨询信用卡账单分期事宜，已说明分期手续费。",
    "已核实身份：姓名、身份证后六位、预留手机号一致。",
    "客户反映ATM吞卡，已登记并告知三个工作日内处理。",
    "客户对年费有异议，已解释收费标准并申请减免。",
    "如有不清楚的地方请随时来电。",
    "客户要求提高临时额度，已提交审批。",
    "客户说上次客服讲不知道什么时候到账，情绪不满。",
    "已告知客户您应该在三个工作日内收到短信通知。",
    "客户询问Visa卡境外消费是否收取货币转换费。",
    "客户要求挂失借记卡，已冻结并预约补卡。",
    "不知道的话可以拨打95588查询。",
    "Customer asked about the annual fee waiver for the platinum card. ",
    "Card ending 1234 reported lost, blocked at 10:02. ",
    "You should have received the SMS with the case number by now. ",
    "Told the customer I don't know the exact refund date yet. ",
    "Customer wants to know why the transfer is pending; checked the limits. ",
    "交易记录显示2026-11-20有一笔¥8,000.00的境外消费，客户否认。",
    "客户情绪激动，已安抚并记录投诉要点（Hear, Empathize, Apologize）。",
)


def note(chars: int, seed: int = NOTE_SEED) -> str:
    """A deterministic note of ``chars`` characters."""
    rng = Random(seed)
    parts: list[str] = []
    length = 0
    while length < chars:
        sentence = rng.choice(_SENTENCES)
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:chars]


def time_keystrokes(keystrokes: int) -> tuple[list[float], dict]:
    """Milliseconds of ``check`` after each of ``keystrokes`` characters typed after the note."""
    started = time.perf_counter()
    guard = PhraseGuard(RULES, ALLOWED)
    build_ms = (time.perf_counter() - started) * 1000
    base = note(NOTE_CHARS)
    typed = note(keystrokes, seed=NOTE_SEED + 1)
    for _ in range(20):  # warm up: the first calls pay for lazily built caches
        guard.check(base)
    timings: list[float] = []
    hits = 0
    text = base
    for char in typed:
        text += char
        started = time.perf_counter()
        found = guard.check(text)
        timings.append((time.perf_counter() - started) * 1000)
        hits = len(found)
    info = {
        "build_ms": build_ms,
        "rules": len(RULES),
        "words": sum(len(rule.words) for rule in RULES),
        "allowed_words": sum(len(words) for words in ALLOWED.values()),
        "note_chars": [len(base) + 1, len(text)],
        "hits_in_base_note": len(guard.check(base)),
        "hits_at_end": hits,
    }
    return timings, info
