"""The demo data set: deterministic from a seed, realistic, and planted with known risk patterns.

Customers are made in chunks; chunk ``k`` draws from ``Random(f"{seed}:{k}")`` alone, so the same
seed gives the same store whatever the number of worker processes. Numbers that must be unique
(mobiles, cards, accounts) come from bijective scrambles of the customer's index; resident ID numbers,
which carry a birth date, are de-duplicated as they are written.
"""

from __future__ import annotations

import calendar
import itertools
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random

from pypinyin import Style, lazy_pinyin

from agent_tui.domain.identifiers import luhn_check_digit, resident_id_check_char
from data import reference as ref

CHUNK_SIZE = 5_000
HEAVY_CUSTOMERS = 3  # customers with 10,000 transactions each, for the 360 benchmark
HEAVY_TRANSACTIONS = 10_000
LARGE_TRANSFER_SHARE = 0.02  # planted: frequent large transfers within a day
PASSWORD_CHANGE_SHARE = 0.01  # planted: repeated password changes within days
NORMAL_TRANSFER_CEILING_CENTS = 4_999_999  # never a "large" transfer outside the planted ones

_AGE_BANDS = ((18, 29, 20), (30, 44, 30), (45, 59, 28), (60, 74, 16), (75, 95, 6))
_SEGMENTS = (("mass", 70), ("affluent", 20), ("vip", 8), ("private", 2))
_BALANCE_YUAN = {
    "mass": (500, 50_000),
    "affluent": (50_000, 500_000),
    "vip": (500_000, 5_000_000),
    "private": (6_000_000, 50_000_000),
}
_RISK_LEVELS = ((1, 15), (2, 30), (3, 30), (4, 18), (5, 7))
_OPEN_CASE_STATUSES = ("new", "in_progress", "pending_customer", "escalated")
_CLOSED_CASE_STATUSES = ("resolved", "closed")


def _cumulative(weighted: tuple[tuple[object, int], ...]) -> tuple[list[object], list[int]]:
    values = [value for value, _ in weighted]
    return values, list(itertools.accumulate(weight for _, weight in weighted))


def _scramble(index: int, modulus: int, multiplier: int, offset: int) -> int:
    """A bijection on range(modulus) (multiplier coprime to it): unique, random-looking numbers."""
    return (index * multiplier + offset) % modulus


def uuid7_at(milliseconds: int, random_bits: int) -> str:
    """A valid UUIDv7 for a given time with caller-supplied randomness (deterministic seeding)."""
    value = (milliseconds & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (random_bits >> 62 & 0xFFF) << 64
    value |= 0b10 << 62
    value |= random_bits & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


@dataclass(slots=True)
class Chunk:
    customers: list[tuple] = field(default_factory=list)
    accounts: list[tuple] = field(default_factory=list)
    transactions: list[tuple] = field(default_factory=list)
    interactions: list[tuple] = field(default_factory=list)
    cases: list[tuple] = field(default_factory=list)
    planted_large_transfers: int = 0
    planted_password_changes: int = 0


class _NameBook:
    """Names with their pinyin and initials, romanised once rather than per customer."""

    def __init__(self) -> None:
        self.surnames = [(name, pinyin) for name, pinyin, _ in ref.SURNAMES]
        self.surname_weights = list(itertools.accumulate(weight for *_, weight in ref.SURNAMES))
        chars = set(ref.GIVEN_MALE + ref.GIVEN_FEMALE + ref.GIVEN_NEUTRAL)
        self.pinyin = {char: lazy_pinyin(char, style=Style.NORMAL)[0] for char in chars}
        self.male = list(ref.GIVEN_MALE + ref.GIVEN_NEUTRAL)
        self.female = list(ref.GIVEN_FEMALE + ref.GIVEN_NEUTRAL)


@dataclass(frozen=True, slots=True)
class SeedPlan:
    customers: int
    seed: int
    as_of: date

    @property
    def chunks(self) -> int:
        return (self.customers + CHUNK_SIZE - 1) // CHUNK_SIZE


class ChunkMaker:
    """Makes the rows of one chunk of customers. Picklable, so worker processes can run it."""

    def __init__(self, plan: SeedPlan) -> None:
        self.plan = plan
        self.names = _NameBook()
        midnight = datetime(plan.as_of.year, plan.as_of.month, plan.as_of.day)
        # Naive local times: the store keeps the centre's wall-clock time, as the core system does.
        self.now_epoch = calendar.timegm(midnight.timetuple()) + 9 * 3600  # 09:00 on the as-of day
        self.as_of_ordinal = plan.as_of.toordinal()
        self.segments = _cumulative(_SEGMENTS)
        self.risk_levels = _cumulative(_RISK_LEVELS)

    def _iso(self, epoch: int) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))

    def __call__(self, chunk_index: int) -> Chunk:
        rng = Random(f"agent-tui:{self.plan.seed}:{chunk_index}")
        chunk = Chunk()
        first = chunk_index * CHUNK_SIZE
        last = min(first + CHUNK_SIZE, self.plan.customers)
        for index in range(first, last):
            self._customer(rng, index, chunk)
        return chunk

    def _customer(self, rng: Random, index: int, chunk: Chunk) -> None:
        random = rng.random
        names = self.names
        male = random() < 0.5
        surname, surname_pinyin = rng.choices(names.surnames, cum_weights=names.surname_weights)[0]
        pool = names.male if male else names.female
        given = "".join(pool[int(random() * len(pool))] for _ in range(1 if random() < 0.3 else 2))
        name = surname + given
        given_pinyin = [names.pinyin[char] for char in given]
        pinyin = surname_pinyin + "".join(given_pinyin)
        initials = surname_pinyin[0] + "".join(part[0] for part in given_pinyin)

        low, high, _ = rng.choices(_AGE_BANDS, cum_weights=(20, 50, 78, 94, 100))[0]
        age = rng.randint(low, high)
        birth = date.fromordinal(self.as_of_ordinal - int(age * 365.25) - int(random() * 365))
        region_code, region_name, _ = ref.REGIONS[int(random() * len(ref.REGIONS))]
        sequence = int(random() * 500) * 2 + (1 if male else 0)  # odd for men, even for women
        first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
        id_number = first17 + resident_id_check_char(first17)
        mobile = ref.MOBILE_PREFIXES[int(random() * len(ref.MOBILE_PREFIXES))] + (
            f"{_scramble(index, 10**8, 48_271, 12_345_679):08d}"
        )
        segment = rng.choices(self.segments[0], cum_weights=self.segments[1])[0]
        risk_level = rng.choices(self.risk_levels[0], cum_weights=self.risk_levels[1])[0]
        is_elderly = age >= 60
        if is_elderly:
            risk_level = min(risk_level, 3)
        since = date.fromordinal(self.as_of_ordinal - int(random() * 20 * 365))
        street = ref.STREETS[int(random() * len(ref.STREETS))]
        address = f"{region_name}{street}{int(random() * 300) + 1}号"
        occupation = "退休" if age >= 62 and random() < 0.8 else (
            ref.OCCUPATIONS[int(random() * len(ref.OCCUPATIONS))]
        )
        customer_id = f"C{index + 1:011d}"
        chunk.customers.append((
            customer_id, name, pinyin, initials, "M" if male else "F", birth.isoformat(),
            id_number, id_number[-6:], mobile, segment, int(is_elderly),
            int(random() < 0.015), risk_level, address, occupation, since.isoformat(),
            f"{region_name[:3]}支行",
        ))
        card_ids = self._accounts(rng, index, customer_id, segment, risk_level, since, chunk)
        self._transactions(rng, index, customer_id, card_ids, chunk)
        self._interactions(rng, index, customer_id, chunk)
        self._cases(rng, index, customer_id, chunk)

    def _accounts(
        self, rng: Random, index: int, customer_id: str, segment: str, risk_level: int,
        since: date, chunk: Chunk,
    ) -> list[str]:
        random = rng.random
        low, high = _BALANCE_YUAN[segment]
        plan: list[tuple[str, str]] = [("debit_card", "DC-GOLD" if segment != "mass" else "DC-STD")]
        if random() < 0.4:
            plan.append(("credit_card", "CC-PLAT" if segment in ("vip", "private") else "CC-CLASSIC"))
        if random() < 0.3:
            plan.append(("time_deposit", "TD-1Y" if random() < 0.6 else "TD-3Y"))
        if random() < 0.25:
            suitable = [code for code, kind, *_, level in ref.PRODUCTS if kind in ("wealth", "fund")
                        and level <= risk_level]
            # A few holdings above the customer's tolerance: the 360 must make them stand out.
            if random() < 0.03:
                suitable = ["FD-QDII"]
            plan.append(("wealth", suitable[int(random() * len(suitable))]))
        if random() < 0.1:
            plan.append(("loan", "LN-MORT" if random() < 0.5 else "LN-CONS"))
        card_ids = []
        for ordinal, (kind, product) in enumerate(plan):
            serial = index * 8 + ordinal
            if kind == "debit_card":
                body = f"{ref.DEBIT_BINS[serial % 3]}{_scramble(serial, 10**12, 7_919, 10**11 + 7):012d}"
            elif kind == "credit_card":
                body = f"{ref.CREDIT_BINS[serial % 2]}{_scramble(serial, 10**9, 104_729, 31_337):09d}"
            else:
                body = f"1001{_scramble(serial, 10**11, 130_363, 99_991):011d}"
            number = body + luhn_check_digit(body)
            roll = random()
            status = (
                "active" if roll < 0.94 else "frozen" if roll < 0.96
                else "reported_lost" if roll < 0.98 and kind.endswith("card") else "closed"
            )
            balance = int((low + random() * (high - low)) * 100)
            if kind in ("loan", "credit_card"):
                balance = -balance // (3 if kind == "credit_card" else 1)
            opened = date.fromordinal(
                since.toordinal() + int(random() * max(1, self.as_of_ordinal - since.toordinal()))
            )
            account_id = f"A{index + 1:011d}{ordinal}"
            chunk.accounts.append((
                account_id, customer_id, kind, product, number, number[-4:], status, balance,
                opened.isoformat(),
            ))
            if kind.endswith("card"):
                card_ids.append(account_id)
        return card_ids

    def _transactions(
        self, rng: Random, index: int, customer_id: str, card_ids: list[str], chunk: Chunk
    ) -> None:
        random = rng.random
        now = self.now_epoch
        rows = chunk.transactions
        account = card_ids[0]
        heavy = index < HEAVY_CUSTOMERS
        count = HEAVY_TRANSACTIONS if heavy else 1 + int(random() * 7)
        span = (3 * 365 if heavy else 365) * 86_400
        password_changed = heavy or random() >= 0.05  # at most one ordinary password change
        for _ in range(count):
            at = now - int(random() * span)
            roll = random()
            if roll < 0.45:
                kind, amount = "purchase", -int(1_000 + random() * 300_000)
                counterparty = ref.COUNTERPARTIES[int(random() * 8)]
            elif roll < 0.6:
                kind, amount, counterparty = "salary", int(500_000 + random() * 3_000_000), "工资代发"
            elif roll < 0.75:
                kind, amount, counterparty = "transfer_in", int(10_000 + random() * 2_000_000), "个人转账"
            elif roll < 0.9:
                amount = -int(10_000 + random() * (NORMAL_TRANSFER_CEILING_CENTS - 10_000))
                kind, counterparty = "transfer_out", "个人转账"
            elif roll < 0.98 or password_changed:
                kind, amount, counterparty = "atm", -int(10_000 + random() * 300_000), ""
            else:
                kind, amount, counterparty, password_changed = "password_change", None, "", True
            channel = ref.TRANSACTION_CHANNELS[int(random() * 6)]
            account_id = card_ids[int(random() * len(card_ids))] if len(card_ids) > 1 else account
            rows.append((customer_id, account_id, self._iso(at), kind, amount, counterparty, channel, ""))
        if random() < LARGE_TRANSFER_SHARE:
            chunk.planted_large_transfers += 1
            start = now - int(random() * 30 * 86_400)
            for _ in range(3 + int(random() * 4)):
                at = start + int(random() * 20 * 3_600)
                amount = -int(5_000_000 + random() * 15_000_000)
                rows.append((customer_id, account, self._iso(at), "transfer_out", amount,
                             "个人转账", "online", ""))
        if random() < PASSWORD_CHANGE_SHARE:
            chunk.planted_password_changes += 1
            start = now - int(random() * 30 * 86_400)
            for _ in range(3 + int(random() * 3)):
                rows.append((customer_id, account, self._iso(start + int(random() * 3 * 86_400)),
                             "password_change", None, "", "app", ""))

    def _interactions(self, rng: Random, index: int, customer_id: str, chunk: Chunk) -> None:
        random = rng.random
        count = rng.choices((0, 1, 2, 3), cum_weights=(45, 80, 95, 100))[0]
        for _ in range(count):
            at = self.now_epoch - int(random() * 2 * 365 * 86_400)
            category, summary = ref.INTERACTION_TOPICS[int(random() * len(ref.INTERACTION_TOPICS))]
            chunk.interactions.append((
                uuid7_at(at * 1000, rng.getrandbits(74)), customer_id, self._iso(at),
                ref.CHANNELS[int(random() * len(ref.CHANNELS))], category,
                f"A{1000 + int(random() * 1000)}", summary,
                "resolved" if random() < 0.85 else "follow_up",
            ))

    def _cases(self, rng: Random, index: int, customer_id: str, chunk: Chunk) -> None:
        random = rng.random
        if random() >= 0.08:
            return
        for ordinal in range(1 if random() < 0.8 else 2):
            opened = self.now_epoch - int(random() * 20 * 86_400)
            category, priority, title = ref.CASE_TITLES[int(random() * len(ref.CASE_TITLES))]
            is_open = random() < 0.45
            statuses = _OPEN_CASE_STATUSES if is_open else _CLOSED_CASE_STATUSES
            sla_hours = 48 if priority == "high" else 24
            opened_iso = self._iso(opened)
            chunk.cases.append((
                uuid7_at(opened * 1000, rng.getrandbits(74)),
                f"CS{opened_iso[:10].replace('-', '')}-{index + 1:07d}{ordinal}",
                customer_id, ref.CHANNELS[int(random() * len(ref.CHANNELS))], category, priority,
                statuses[int(random() * len(statuses))], title, opened_iso,
                self._iso(opened + sla_hours * 3_600), opened_iso,
                f"A{1000 + int(random() * 1000)}",
            ))


def make_chunks(plan: SeedPlan, workers: int = 1) -> Iterator[Chunk]:
    """The plan's chunks in order; with ``workers`` > 1, made in parallel processes."""
    maker = ChunkMaker(plan)
    if workers <= 1 or plan.chunks < 4:
        yield from map(maker, range(plan.chunks))
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(maker, range(plan.chunks), chunksize=1)


# The day the demo data treats as today unless told otherwise: fixed, so the same seed makes the
# same store (ids, birth dates, ages, transaction times) on any day it is run.
DEMO_AS_OF = date(2026, 11, 23)


def as_of_default() -> date:
    return DEMO_AS_OF


def at_as_of(plan: SeedPlan) -> datetime:
    """The moment the demo data treats as "now": 09:00 on the as-of day."""
    return datetime(plan.as_of.year, plan.as_of.month, plan.as_of.day) + timedelta(hours=9)
