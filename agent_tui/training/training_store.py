"""The training session's own store: a separate file beside the real one (``store.training.db``
beside ``store.db``), made on first use with synthetic customers only, 0600 like every store, and
marked as a training store so that a training session never opens anything else.

The real store is never opened by a training session: the path is derived from it, checked to
differ, and a file without the training mark is refused (``training.not_training_store``)."""

from __future__ import annotations

from pathlib import Path

from agent_tui.store import Store, StoreError
from agent_tui.store.training import is_training, mark_training

# Synthetic demo customers (the demo generator, its own seed): enough to search and call.
TRAINING_CUSTOMERS = 60
TRAINING_SEED = 15_015


def training_store_path(real_store: Path) -> Path:
    """Beside the real store, never it: ``store.db`` -> ``store.training.db``."""
    return real_store.with_name(f"{real_store.stem}.training.db")


def open_training_store(path: Path, real_store: Path) -> Store:
    """The training store at ``path``, made (with synthetic customers) if it is not there.
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
