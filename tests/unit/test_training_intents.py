"""What a trainee's line means: intents in zh-CN and en, exactly, nearly, and disclosures."""

from __future__ import annotations

import pytest

from agent_tui.domain.scenario import Intent
from agent_tui.training.intents import Recogniser

INTENTS = (
    Intent("greet", ("您好", "你好"), ("hello", "good morning")),
    Intent("offer_help", ("有什么可以帮您",), ("how can i help",)),
    Intent("empathize", ("理解您的感受",), ("i understand how you feel",)),
    Intent("apologize", ("非常抱歉",), ("i'm sorry",)),
    Intent("ask_mobile", ("手机号",), ("mobile number",)),
    Intent("fraud_warning", ("不要转账", "安全账户"), ("don't transfer", "safe account")),
    Intent("disclose", ("余额是",), ("your balance is",)),
)


@pytest.mark.parametrize(("language", "line", "expected"), [
    ("zh-CN", "您好，请问有什么可以帮您？", ("greet", "offer_help")),
    ("zh-CN", "非常抱歉，我理解您的感受。", ("apologize", "empathize")),
    ("zh-CN", "请问您的预留手机号是多少？", ("ask_mobile",)),
    ("zh-CN", "钱先生，请您先不要转账，这是骗局。", ("fraud_warning",)),
    ("zh-CN", "今天天气不错。", ()),
    ("en", "Good morning! How can I help you today?", ("greet", "offer_help")),
    ("en", "I'm sorry. I understand how you feel.", ("apologize", "empathize")),
    ("en", "Please DON’T transfer anything to that safe account.", ("fraud_warning",)),
    ("en", "Shelloween is coming.", ()),  # "hello" inside a word is not a greeting
    ("en", "", ()),
])
def test_intents_are_recognised_in_the_order_said(language, line, expected):
    assert Recogniser(INTENTS, language).recognise(line) == expected


def test_a_typo_or_a_word_in_between_still_counts():
    assert Recogniser(INTENTS, "en").recognise("I understnad how you feel") == ("empathize",)
    assert Recogniser(INTENTS, "zh-CN").recognise("我很理解您感受") == ("empathize",)
    # Too short to guess at: a two-character example matches exactly or not at all.
    assert Recogniser(INTENTS, "zh-CN").recognise("您们好") == ()


def test_the_other_language_s_examples_do_not_count():
    assert Recogniser(INTENTS, "en").recognise("您好") == ()
    assert Recogniser(INTENTS, "zh-CN").recognise("hello") == ()


def test_saying_a_private_value_of_the_account_is_a_disclosure():
    recogniser = Recogniser(INTENTS, "zh-CN", private=("12,345.67",))
    assert recogniser.recognise("您卡上还有12345.67元") == ("disclose",)
    assert recogniser.recognise("您的余额是一万多") == ("disclose",)
    assert Recogniser(INTENTS, "en", private=("12,345.67",)).recognise(
        "It has 12,345.67 on it") == ("disclose",)
