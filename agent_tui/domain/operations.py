"""Sensitive operations (DOMAIN.md: 大额转账等高风险操作 need a stronger check): which ones there are,
what they are called, and the rule that refuses one without a passed step-up.

The rule is here, in the core, so no screen can perform an operation it forgot to check: the store's
``operations.perform`` asks ``refusal`` before it changes anything.
"""

from __future__ import annotations

from agent_tui.domain.scripts import Localized, VerificationPolicy
from agent_tui.domain.verification import StepUp

OPERATION_NAMES = {
    "freeze_card": Localized("冻结银行卡", "freeze a card"),
    "unfreeze_card": Localized("解冻银行卡", "unfreeze a card"),
    "reset_password": Localized("重置密码", "reset the password"),
    "change_limit": Localized("调整交易限额", "change a limit"),
    "large_transfer": Localized("大额转账", "a large transfer"),
}
# Past tense, for the closing summary: what was done on the call.
OPERATION_DONE = {
    "freeze_card": Localized("已冻结银行卡", "card frozen"),
    "unfreeze_card": Localized("已解冻银行卡", "card unfrozen"),
    "reset_password": Localized("已受理密码重置", "password reset requested"),
    "change_limit": Localized("已受理限额调整", "limit change requested"),
    "large_transfer": Localized("已受理大额转账", "large transfer requested"),
}
CARD_OPERATIONS = frozenset({"freeze_card", "unfreeze_card"})


def refusal(
    operation: str, policy: VerificationPolicy, verified: bool, step_up: StepUp | None
) -> str | None:
    """The catalog key saying why ``operation`` may not be performed now, or None if it may."""
    if operation not in OPERATION_NAMES:
        return "operation.unknown"
    if not verified:
        return "operation.not_verified"
    if operation in policy.step_up_operations and not (
        step_up is not None and step_up.passed and step_up.operation == operation
    ):
        return "operation.no_step_up"
    return None
