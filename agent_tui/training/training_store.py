"""The training session's own store: a separate file beside the real one (``store.training.db``
beside ``store.db``), made on first use with synthetic customers only (demo customers and the
scenarios' personas, added as scenarios are), 0600 like every store, and marked as a training
store so that a training session never opens anything else.

The real store is never opened by a training session: the path is derived from it, checked to
differ, and a file without the training mark is refused (``training.not_training_store``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from agent_tui.domain.scenario import Scenario
from agent_tui.store import Store, StoreError
from agent_tui.store.training import add_customers, is_training, mark_training, set_cards

# Synthetic demo customers (the demo generator, its own seed): enough to search and call.
TRAINING_CUSTOMERS = 60
TRAINING_SEED = 15_015


def training_store_path(real_store: Path) -> Path:
    """Beside the real store, never it: ``store.db`` -> ``store.training.db``."""
    return real_store.with_name(f"{real_store.stem}.training.db")


def open_training_store(path: Path, real_store: Path, scenarios: Iterable[Scenario] = ()
                        ) -> Store:
    """The training store at ``path``, made (with synthetic customers) if it is not there, with
    the personas of ``scenarios`` (the trainee finds the caller as on a live call).
    Raises StoreError for the real store's path, a file without the training mark, or a
    store that cannot be opened (its own message)."""
    if path.expanduser().resolve() == real_store.expanduser().resolve():
        raise StoreError("training.real_store", path=str(path))
    if not path.exists():
        _make(path)
    store = Store.open(path)
    connection = store.connection()
    try:
        if not is_training(connection):
            raise StoreError("training.not_training_store", path=str(path))
        add_customers(connection, [persona_row(scenario) for scenario in scenarios])
        set_cards(connection, card_rows(scenarios))
    finally:
        store.close()
    return store


def _make(path: Path) -> None:
    from data.generator import SeedPlan, as_of_default
    from data.seed import seed_store

    seed_store(path, SeedPlan(TRAINING_CUSTOMERS, TRAINING_SEED, as_of_default()), workers=1)
    store = Store.open(path)
    try:
        mark_training(store.connection())
    finally:
        store.close()


def persona_row(scenario: Scenario) -> tuple:
    """The scenario's synthetic customer as a row of ``store.training.CUSTOMER_COLUMNS``."""
    from pypinyin import Style, lazy_pinyin

    record = scenario.customer_record
    name = record.name("zh-CN")
    syllables = lazy_pinyin(name, style=Style.NORMAL)
    return (record.id, name, "".join(syllables), "".join(part[:1] for part in syllables),
            record.gender, record.birth_date.isoformat(), record.id_number,
            record.id_number[-6:], record.mobile, record.segment, int(record.elderly), 0,
            record.risk_level, "2019-06-01")


def card_rows(scenarios: Iterable[Scenario]) -> list[tuple]:
    """The scenarios' cards as rows of ``store.training.CARD_COLUMNS``, active (as a call of
    the scenario starts)."""
    return [(f"{scenario.customer_record.id}-CARD", scenario.customer_record.id, "debit_card",
             "DC-STD", scenario.customer_record.card, scenario.customer_record.card[-4:],
             "active", "2019-06-01")
            for scenario in scenarios if scenario.customer_record.card]
