"""Search and customer-360 timings straight against the repository, as the screens' workers call it.

Each timed call is what one keystroke's worker does: ``parse_query`` then
``CustomerRepository.search(query, limit=SEARCH_LIMIT + 1)``, on this thread's connection of a
``Store`` opened the way the app opens it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from random import Random

from agent_tui.domain.query import QueryKind, parse_query
from agent_tui.store import Store
from agent_tui.store.customers import SEARCH_LIMIT, CustomerRepository
from data import reference as ref

NOW = datetime(2026, 11, 23, 10, 0)
SAMPLE_SEED = 1

EXACT_KINDS = {
    "mobile": ("phone number", QueryKind.MOBILE),
    "resident_id": ("resident ID (18)", QueryKind.RESIDENT_ID),
    "id_last6": ("resident ID last 6", QueryKind.ID_LAST6),
    "card": ("card number", QueryKind.CARD_OR_ACCOUNT),
    "account": ("account number", QueryKind.CARD_OR_ACCOUNT),
}
NAME_KINDS = {
    "full_name": ("Chinese full name", QueryKind.NAME),
    "surname_top": ("surname only, most common ({surname})", QueryKind.NAME),
    "surname": ("surname only, as drawn", QueryKind.NAME),
    "surname_plus1": ("surname + 1 char", QueryKind.NAME),
    "pinyin_full": ("pinyin, full", QueryKind.PINYIN),
    "pinyin_initials": ("pinyin, initials", QueryKind.PINYIN),
    "last4_name": ("card last 4 + surname", QueryKind.LAST4_AND_NAME),
}


def most_common_surname() -> str:
    return max(ref.SURNAMES, key=lambda entry: entry[2])[0]


@dataclass(slots=True)
class Sample:
    """Existing values drawn from the store, deterministically."""

    queries: dict[str, list[str]]  # kind -> query texts as an agent would type them
    customers: list[dict]  # the sampled customers (id, name, mobile, ...)
    heavy: list[str]  # ids of the customers with 10,000 transactions


def draw_sample(path: Path, per_kind: int) -> Sample:
    store = Store.open(path)
    connection = store.connection()
    try:
        customers = int(dict(store.meta())["customers"])
        heavy = json.loads(store.meta().get("heavy_customers", "[]"))
        rng = Random(SAMPLE_SEED)
        # Twice as many customers as queries: about half have an account that is not a card.
        count = min(customers, per_kind * 2)
        indexes = rng.sample(range(1, customers + 1), count)
        ids = [f"C{index:011d}" for index in indexes]
        rows = {}
        for start in range(0, len(ids), 500):
            batch = ids[start:start + 500]
            marks = ", ".join("?" * len(batch))
            for row in connection.execute(
                "SELECT id, name, mobile, id_number, id_last6, name_pinyin, name_initials "
                f"FROM customers WHERE id IN ({marks})", batch,
            ):
                rows[row[0]] = dict(zip(
                    ("id", "name", "mobile", "id_number", "id_last6", "pinyin", "initials"), row
                ))
            for customer_id, kind, number in connection.execute(
                f"SELECT customer_id, kind, number FROM accounts WHERE customer_id IN ({marks}) "
                "ORDER BY id", batch,
            ):
                entry = rows[customer_id]
                key = "cards" if kind.endswith("card") else "accounts"
                entry.setdefault(key, []).append(number)
    finally:
        store.close()
    sampled = [rows[customer_id] for customer_id in ids if customer_id in rows]
    first = sampled[:per_kind]
    top = most_common_surname()
    queries: dict[str, list[str]] = {
        "mobile": [c["mobile"] for c in first],
        "resident_id": [c["id_number"] for c in first],
        "id_last6": [c["id_last6"] for c in first],
        "card": [rng.choice(c["cards"]) for c in first if c.get("cards")],
        "account": [c["accounts"][0] for c in sampled if c.get("accounts")][:per_kind],
        "full_name": [c["name"] for c in first],
        "surname_top": [top] * len(first),
        "surname": [c["name"][0] for c in first],
        "surname_plus1": [c["name"][:2] for c in first],
        "pinyin_full": [c["pinyin"] for c in first],
        "pinyin_initials": [c["initials"] for c in first],
        "last4_name": [
            f"{c['name'][0]} {rng.choice(c['cards'])[-4:]}" for c in first if c.get("cards")
        ],
    }
    return Sample(queries, sampled, heavy)


def time_searches(path: Path, sample: Sample, warmup: int = 20) -> tuple[dict, dict]:
    """Milliseconds per search call, by kind; and how many hits each kind found (for the JSON).

    All kinds are shuffled together (deterministically) so no kind enjoys a cache warmed by itself.
    """
    work = [(kind, text) for kind, texts in sample.queries.items() for text in texts]
    Random(SAMPLE_SEED).shuffle(work)
    expected = {kind: value[1] for kind, value in (*EXACT_KINDS.items(), *NAME_KINDS.items())}
    store = Store.open(path)
    repository = CustomerRepository(store.connection())
    timings: dict[str, list[float]] = defaultdict(list)
    hits: dict[str, list[int]] = defaultdict(list)
    wrong_kind: dict[str, int] = defaultdict(int)
    try:
        for kind, text in work[:warmup]:  # the statement cache and the first pages, untimed
            repository.search(parse_query(text), limit=SEARCH_LIMIT + 1)
        perf = time.perf_counter
        for kind, text in work:
            started = perf()
            query = parse_query(text)
            found = repository.search(query, limit=SEARCH_LIMIT + 1)
            timings[kind].append((perf() - started) * 1000)
            hits[kind].append(len(found))
            if query.kind is not expected[kind]:
                wrong_kind[kind] += 1
    finally:
        store.close()
    info = {
        kind: {
            "queries": len(hits[kind]),
            "mean_hits": sum(hits[kind]) / len(hits[kind]),
            "no_hit": sum(1 for n in hits[kind] if n == 0),
            "parsed_as_other_kind": wrong_kind[kind],
        }
        for kind in hits
    }
    return dict(timings), info


def time_customer_360(path: Path, heavy: list[str], repetitions: int) -> dict:
    """The 360 query set for the heavy customers: first call on a fresh connection, then warm."""
    cold = []
    for customer_id in heavy:
        store = Store(Path(path))  # a brand-new connection on first use, as a new thread gets
        try:
            repository = CustomerRepository(store.connection())
            started = time.perf_counter()
            view = repository.customer_360(customer_id, NOW)
            cold.append((time.perf_counter() - started) * 1000)
            assert view is not None and view.transactions.total >= 10_000, customer_id
        finally:
            store.close()
    store = Store(Path(path))
    warm = []
    try:
        repository = CustomerRepository(store.connection())
        repository.customer_360(heavy[0], NOW)
        for index in range(repetitions):
            customer_id = heavy[index % len(heavy)]
            started = time.perf_counter()
            repository.customer_360(customer_id, NOW)
            warm.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    return {"cold": cold, "warm": warm}


def memory_mobiles(path: Path, sample, count: int) -> list[str]:
    """Mobiles of the heavy customers, then of sampled ones, ``count`` in all (or all there are)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        mobiles = [
            connection.execute("SELECT mobile FROM customers WHERE id = ?", (cid,)).fetchone()[0]
            for cid in sample.heavy
        ]
    finally:
        connection.close()
    others = [c["mobile"] for c in sample.customers if c["id"] not in sample.heavy]
    Random(2).shuffle(others)
    return (mobiles + others)[:count]
