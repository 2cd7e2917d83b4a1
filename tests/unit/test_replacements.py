"""F8 on every forbidden word of the shipped library, in a sentence with one before and one after:
what comes out is what a person would say. Each row is a sentence as agents type it, and the
sentence a trainer would accept instead; the neighbouring sentences must come through untouched.
Every rule, and every word of every rule, has its row."""

from __future__ import annotations

import pytest

from agent_tui.domain.phrasing import PhraseGuard, apply
from tests.conftest import shipped_library

ZH_BEFORE, ZH_AFTER = "您好，我看一下您的账户。", "还有其他可以帮您的吗？"
EN_BEFORE, EN_AFTER = "Thanks for holding.", "Is there anything else?"

# (the word, the sentence it is said in, what F8 makes of that sentence)
ZH = [
    ("不知道", "这个我不知道，您稍等。", "这个我来为您查询，您稍等。"),
    ("不清楚", "我也不清楚原因，请您稍等。", "我来为您查询原因，请您稍等。"),
    ("不可能", "马上解冻不可能，需要先核实身份。", "马上解冻暂时做不到，但我们可以这样解决：需要先核实身份。"),
    ("不行", "这个不行，您可以先在手机银行上挂失。",
     "这个暂时做不到，但我们可以这样解决：您可以先在手机银行上挂失。"),
    ("没办法", "我们没办法，只能重新申请。", "我们暂时做不到，但我们可以这样解决：只能重新申请。"),
    ("没有办法", "电话里没有办法，请您到网点办理。",
     "电话里暂时做不到，但我们可以这样解决：请您到网点办理。"),
    ("办不了", "这个业务办不了。", "这个业务暂时做不到，但我们可以这样解决。"),
    ("这不是我的责任", "这不是我的责任，请您联系商户。", "我会协助您处理，请您联系商户。"),
    ("不是我的责任", "那不是我的责任。", "那我会协助您处理。"),
    ("这不归我管", "抱歉，这不归我管。", "抱歉，我会协助您处理。"),
    ("不归我管", "积分的事不归我管。", "积分的事我会协助您处理。"),
    ("这不关我的事", "这不关我的事，是商户扣的款。", "我会协助您处理，是商户扣的款。"),
    ("不关我的事", "您说的这个不关我的事。", "您说的这个我会协助您处理。"),
    ("不是我负责的", "信用卡不是我负责的，我帮您转接。", "信用卡我会协助您处理，我帮您转接。"),
    ("您必须", "办理时您必须带身份证。", "办理时建议您带身份证。"),
    ("您应该", "您应该先挂失再补卡。", "建议您先挂失再补卡。"),
    ("你必须", "你必须本人来。", "建议您本人来。"),
    ("你应该", "你应该早点打电话。", "建议您早点打电话。"),
    ("这是系统问题", "这是系统问题，请您稍后再试。", "我来为您核实并跟进处理，请您稍后再试。"),
    ("这是系统的问题", "这是系统的问题，稍后会恢复。", "我来为您核实并跟进处理，稍后会恢复。"),
    ("是系统问题", "转账失败是系统问题。", "转账失败，我来为您核实并跟进处理。"),
    ("是系统的问题", "扣款失败是系统的问题。", "扣款失败，我来为您核实并跟进处理。"),
    ("是系统原因", "到账慢是系统原因。", "到账慢，我来为您核实并跟进处理。"),
    ("由于系统原因", "由于系统原因，扣款没成功。", "我来为您核实并跟进处理，扣款没成功。"),
    ("因为系统原因", "因为系统原因，页面打不开。", "我来为您核实并跟进处理，页面打不开。"),
    ("系统问题", "不好意思，系统问题。", "不好意思，我来为您核实并跟进处理。"),
    ("系统的问题", "抱歉，系统的问题，稍后再试。", "抱歉，我来为您核实并跟进处理，稍后再试。"),
    ("系统原因", "抱歉，系统原因。", "抱歉，我来为您核实并跟进处理。"),
    ("你听不懂吗", "你听不懂吗？提前还款要先预约。", "我换个方式再为您解释一下：提前还款要先预约。"),
    ("您听不懂吗", "您听不懂吗？卡要先激活。", "我换个方式再为您解释一下：卡要先激活。"),
    ("听不懂吗", "听不懂吗？密码是六位数字。", "我换个方式再为您解释一下：密码是六位数字。"),
    ("我已经说过了", "我已经说过了，要本人办理。", "我换个方式再为您解释一下：要本人办理。"),
    ("我刚才说过了", "我刚才说过了，单日限额是五万。", "我换个方式再为您解释一下：单日限额是五万。"),
    ("怎么还不明白", "您怎么还不明白？卡要先激活。", "我换个方式再为您解释一下：卡要先激活。"),
    ("只能等着", "审核中，您只能等着。", "审核中，我们会在约定时间内给您明确答复。"),
    ("等着吧", "等着吧，结果出来会通知您。", "我们会在约定时间内给您明确答复，结果出来会通知您。"),
    ("回去等通知", "资料交了就回去等通知。", "资料交了，我们会在约定时间内给您明确答复。"),
    ("规定就是这样", "规定就是这样，单笔限额五万。", "我为您解释一下原因：单笔限额五万。"),
    ("没什么好解释的", "没什么好解释的，这是总行的要求。", "我为您解释一下原因：这是总行的要求。"),
    ("您自己去查", "您自己去查一下吧。", "我来为您查询一下吧。"),
    ("你自己去查", "你自己去查，网上都有。", "我来为您查询，网上都有。"),
    ("自己去网上查", "这个自己去网上查就行。", "这个我来为您查询就行。"),
    # suitability (issue 18): the replacement states the risk level
    ('保本保收益', '放心，这款基金保本保收益。',
     '放心，这款基金有风险，风险等级以产品说明书所标为准（R1 最低，R5 最高），收益不作保证。'),
    ('保本', '这款理财保本，您放心。',
     '这款理财有风险，风险等级以产品说明书所标为准（R1 最低，R5 最高），收益不作保证，您放心。'),
    ('保收益', '我们这款产品保收益。',
     '我们这款产品有风险，风险等级以产品说明书所标为准（R1 最低，R5 最高），收益不作保证。'),
    ('稳赚不赔', '买这个基金稳赚不赔。',
     '买这个基金有风险，风险等级以产品说明书所标为准（R1 最低，R5 最高），收益不作保证。'),
    ('稳赚', '这个产品稳赚，不用担心。',
     '这个产品有风险，风险等级以产品说明书所标为准（R1 最低，R5 最高），收益不作保证，不用担心。'),
]

EN = [
    ("i don't know", "Sorry, I don't know why it was declined.",
     "Sorry, let me find out why it was declined."),
    ("i'm not sure", "I'm not sure when the card arrives.", "Let me find out when the card arrives."),
    ("i have no idea", "Honestly, I have no idea what happened.",
     "Honestly, let me find out what happened."),
    ("that's impossible", "Sorry, that's impossible.", "Sorry, here is how we can solve it."),
    ("it's impossible", "It's impossible, the card is cancelled.",
     "Here is how we can solve it: the card is cancelled."),
    ("that is impossible", "That is impossible, you need a new card.",
     "Here is how we can solve it: you need a new card."),
    ("it is impossible", "It is impossible, please visit a branch.",
     "Here is how we can solve it: please visit a branch."),
    ("no way", "No way, you need to visit a branch.",
     "Here is how we can solve it: you need to visit a branch."),
    ("that can't be done", "That can't be done; the branch can help.",
     "Here is how we can solve it; the branch can help."),
    ("it can't be done", "It can't be done, please call the card centre.",
     "Here is how we can solve it: please call the card centre."),
    ("that cannot be done", "That cannot be done, you can apply for a higher limit.",
     "Here is how we can solve it: you can apply for a higher limit."),
    ("it cannot be done", "It cannot be done, you need your ID.",
     "Here is how we can solve it: you need your ID."),
    ("that's not possible", "That's not possible, we can open a new account instead.",
     "Here is how we can solve it: we can open a new account instead."),
    ("it's not possible", "It's not possible, you need to reapply.",
     "Here is how we can solve it: you need to reapply."),
    ("impossible", "Reversing the transfer is impossible.",
     "Reversing the transfer is not something we can do directly, but here is how we can "
     "solve it."),
    ("not possible", "A refund is not possible, you can dispute it instead.",
     "A refund is not something we can do directly, but here is how we can solve it: you can "
     "dispute it instead."),
    ("that's not my responsibility", "That's not my responsibility, but the merchant can refund.",
     "I will help you with this, but the merchant can refund."),
    ("it's not my responsibility", "Sorry, it's not my responsibility.",
     "Sorry, I will help you with this."),
    ("that's not my job", "That's not my job, I can transfer you.",
     "I will help you with this, I can transfer you."),
    ("it's not my job", "It's not my job. The branch handles it.",
     "I will help you with this. The branch handles it."),
    ("that's not my problem", "That's not my problem, the merchant charged you.",
     "I will help you with this, the merchant charged you."),
    ("it's not my problem", "Well, it's not my problem.", "Well, I will help you with this."),
    ("that's not my department", "Sorry, that's not my department.",
     "Sorry, I will help you with this."),
    ("it's not my department", "It's not my department, but I can transfer you.",
     "I will help you with this, but I can transfer you."),
    ("not my responsibility", "Card fees are not my responsibility.",
     "Card fees are something I will help you with."),
    ("not my job", "Chargebacks are not my job.", "Chargebacks are something I will help you with."),
    ("not my problem", "That fee is not my problem.", "That fee is something I will help you with."),
    ("not my department", "Refunds are not my department, sorry.",
     "Refunds are something I will help you with, sorry."),
    ("you must", "You must bring your ID.", "I suggest you bring your ID."),
    ("you have to", "First you have to reset the PIN.", "First I suggest you reset the PIN."),
    ("you should", "You should call the branch.", "I suggest you call the branch."),
    ("it's a system problem", "It's a system problem, please try later.",
     "Let me check this and follow it up for you, please try later."),
    ("it's a system issue", "Sorry, it's a system issue.",
     "Sorry, let me check this and follow it up for you."),
    ("that's a system problem", "That's a system problem. It happens.",
     "Let me check this and follow it up for you. It happens."),
    ("that's a system issue", "Yes, that's a system issue.",
     "Yes, let me check this and follow it up for you."),
    ("it's the system's fault", "It's the system's fault. Try again tomorrow.",
     "Let me check this and follow it up for you. Try again tomorrow."),
    ("it's the system", "It's the system, please bear with us.",
     "Let me check this and follow it up for you, please bear with us."),
    ("the system's fault", "Honestly, the system's fault.",
     "Honestly, let me check this and follow it up for you."),
    ("system problem", "Sorry, system problem.", "Sorry, let me check this and follow it up for you."),
    ("system issue", "A system issue, I'm afraid.",
     "Let me check this and follow it up for you, I'm afraid."),
    ("don't you understand", "Don't you understand? You need to activate the card first.",
     "Let me explain that another way: You need to activate the card first."),
    ("i already told you", "I already told you, the limit is 5,000.",
     "Let me explain that another way: the limit is 5,000."),
    ("i've already told you", "I've already told you. The card arrives Monday.",
     "Let me explain that another way. The card arrives Monday."),
    ("are you even listening", "Are you even listening? The fee is waived.",
     "Let me explain that another way: The fee is waived."),
    ("you'll have to wait", "It's under review, you'll have to wait.",
     "It's under review, we'll get back to you with a clear answer by the agreed time."),
    ("just wait and see", "Just wait and see. It usually clears.",
     "We'll get back to you with a clear answer by the agreed time. It usually clears."),
    ("that's the rule", "That's the rule, transfers over 50,000 need a visit.",
     "Let me explain why: transfers over 50,000 need a visit."),
    ("rules are rules", "Sorry, rules are rules.", "Sorry, let me explain why."),
    ("that's just the way it is", "That's just the way it is. The bank sets the limit.",
     "Let me explain why. The bank sets the limit."),
    ("you can look it up yourself", "You can look it up yourself on our website.",
     "Let me look that up for you on our website."),
    ("you can check it yourself", "You can check it yourself in the app.",
     "Let me look that up for you in the app."),
    ("just look it up yourself", "Just look it up yourself. It's on the website.",
     "Let me look that up for you. It's on the website."),
    ("just check it yourself", "Please just check it yourself.",
     "Please let me look that up for you."),
    ("look it up yourself", "Sorry, look it up yourself.", "Sorry, let me look that up for you."),
    ("check it yourself", "Check it yourself, it's all online.",
     "Let me look that up for you, it's all online."),
    # suitability (issue 18): the replacement states the risk level
    ('a guaranteed return', 'You get a guaranteed return every year.',
     'You get a return that is not guaranteed (its risk level, R1 to R5, is on the product sheet) every year.'),
    ('a guaranteed income', 'It pays a guaranteed income.',
     'It pays a return that is not guaranteed (its risk level, R1 to R5, is on the product sheet).'),
    ('guaranteed returns', 'This fund offers guaranteed returns.',
     'This fund offers returns that are not guaranteed (the risk level, R1 to R5, is on the product sheet).'),
    ("it's risk-free", "Don't worry, it's risk-free.",
     "Don't worry, it carries risk (its risk level, R1 to R5, is on the product sheet)."),
    ("you can't lose", "Honestly, you can't lose.",
     'Honestly, it carries risk (its risk level, R1 to R5, is on the product sheet).'),
]

ROWS = [("zh-CN", *row) for row in ZH] + [("en", *row) for row in EN]


def _guard() -> PhraseGuard:
    library = shipped_library()
    return PhraseGuard(library.forbidden, library.allowed)


@pytest.mark.parametrize(("language", "word", "said", "meant"), ROWS,
                         ids=[f"{row[0]}:{row[1]}" for row in ROWS])
def test_f8_makes_a_sentence_a_person_would_say(language, word, said, meant):
    before, after, gap = ((ZH_BEFORE, ZH_AFTER, "") if language == "zh-CN"
                          else (EN_BEFORE, EN_AFTER, " "))
    text = before + gap + said + gap + after
    [hit] = _guard().check(text)  # the word, caught as a whole, and nothing else
    assert hit.word.lower().replace("’", "'") == word
    fixed, cursor = apply(text, hit)
    assert fixed == before + gap + meant + gap + after
    assert _guard().check(fixed) == []  # the replacement is not caught in turn
    assert before + gap <= fixed[:cursor] and cursor <= len(before + gap + meant)


def test_every_rule_and_every_word_of_the_library_has_its_row():
    library = shipped_library()
    tested = {(language, word) for language, word, _said, _meant in ROWS}
    shipped = {(rule.language, word) for rule in library.forbidden for word in rule.words}
    assert shipped == tested
