"""detect_signals: frequent large transfers and repeated password changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_tui.domain.risk import (
    DEFAULT_RULES,
    PASSWORD_CHANGE,
    TRANSFER_OUT,
    RiskEvent,
    RiskRules,
    SignalKind,
    detect_signals,
)

NOW = datetime(2026, 11, 23, 10, 0, 0)
LARGE = -5_000_000  # ¥50,000 out: amounts are signed, outflows negative
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def transfer(event_id: int, at: datetime, cents: int | None = LARGE) -> RiskEvent:
    return RiskEvent(event_id, at, TRANSFER_OUT, cents)


def password_change(event_id: int, at: datetime) -> RiskEvent:
    return RiskEvent(event_id, at, PASSWORD_CHANGE, None)


def flagged(signals, kind) -> set[int]:
    return set().union(*(signal.event_ids for signal in signals if signal.kind is kind))


# -- examples ------------------------------------------------------------------------------------


def test_three_large_transfers_within_a_day_give_one_signal():
    start = NOW - 3 * DAY
    events = [transfer(1, start), transfer(2, start + 5 * HOUR), transfer(3, start + 20 * HOUR)]
    signals = detect_signals(events, NOW)
    assert len(signals) == 1
    (signal,) = signals
    assert signal.kind is SignalKind.FREQUENT_LARGE_TRANSFERS
    assert signal.event_ids == frozenset({1, 2, 3})
    assert signal.count == 3
    assert signal.first_at == start and signal.last_at == start + 20 * HOUR


def test_exactly_the_threshold_counts_and_inflows_of_the_same_kind_by_size():
    start = NOW - 2 * DAY
    events = [transfer(1, start, -5_000_000), transfer(2, start + HOUR, -5_000_001),
              transfer(3, start + 2 * HOUR, -20_000_000)]
    (signal,) = detect_signals(events, NOW)
    assert signal.event_ids == frozenset({1, 2, 3})


def test_the_signal_names_only_the_large_transfers():
    start = NOW - 2 * DAY
    events = [
        transfer(1, start), transfer(2, start + HOUR, -4_999_999), transfer(3, start + 2 * HOUR),
        RiskEvent(4, start + 3 * HOUR, "transfer_in", 9_000_000), transfer(5, start + 4 * HOUR),
    ]
    (signal,) = detect_signals(events, NOW)
    assert signal.event_ids == frozenset({1, 3, 5})


def test_two_large_transfers_are_not_a_signal():
    start = NOW - DAY
    assert detect_signals([transfer(1, start), transfer(2, start + HOUR)], NOW) == []


def test_three_large_transfers_over_three_days_are_not_a_signal():
    start = NOW - 10 * DAY
    events = [transfer(1, start), transfer(2, start + DAY + HOUR),
              transfer(3, start + 2 * DAY + 2 * HOUR)]
    assert detect_signals(events, NOW) == []


def test_the_window_is_24_hours():
    start = NOW - 5 * DAY
    inside = [transfer(1, start), transfer(2, start + HOUR), transfer(3, start + 24 * HOUR)]
    assert len(detect_signals(inside, NOW)) == 1
    outside = [transfer(1, start), transfer(2, start + HOUR),
               transfer(3, start + 24 * HOUR + timedelta(seconds=1))]
    assert detect_signals(outside, NOW) == []


def test_smaller_transfers_never_signal():
    start = NOW - DAY
    events = [transfer(i, start + i * timedelta(minutes=5), -4_999_999) for i in range(20)]
    events += [transfer(100 + i, start + i * timedelta(minutes=7), None) for i in range(5)]
    assert detect_signals(events, NOW) == []


def test_large_amounts_of_other_kinds_never_signal():
    start = NOW - DAY
    kinds = ["transfer_in", "salary", "purchase", "atm"]
    events = [RiskEvent(i, start + i * HOUR, kinds[i % 4], -50_000_000) for i in range(12)]
    assert detect_signals(events, NOW) == []


def test_three_password_changes_within_a_week():
    start = NOW - 20 * DAY
    events = [password_change(7, start), password_change(8, start + 3 * DAY),
              password_change(9, start + 6 * DAY)]
    (signal,) = detect_signals(events, NOW)
    assert signal.kind is SignalKind.REPEATED_PASSWORD_CHANGES
    assert signal.event_ids == frozenset({7, 8, 9})


def test_password_changes_spread_over_more_than_a_week_are_not_a_signal():
    start = NOW - 30 * DAY
    events = [password_change(1, start), password_change(2, start + 4 * DAY),
              password_change(3, start + 8 * DAY)]
    assert detect_signals(events, NOW) == []


def test_two_clusters_give_two_signals_oldest_first():
    first, second = NOW - 60 * DAY, NOW - 10 * DAY
    events = [transfer(i, second + i * HOUR) for i in range(1, 4)]
    events += [password_change(10 + i, first + i * DAY) for i in range(3)]
    events += [transfer(20 + i, first + 2 * DAY + i * HOUR) for i in range(4)]
    signals = detect_signals(events, NOW)
    assert [(s.kind, s.event_ids) for s in signals] == [
        (SignalKind.REPEATED_PASSWORD_CHANGES, frozenset({10, 11, 12})),
        (SignalKind.FREQUENT_LARGE_TRANSFERS, frozenset({20, 21, 22, 23})),
        (SignalKind.FREQUENT_LARGE_TRANSFERS, frozenset({1, 2, 3})),
    ]


def test_events_older_than_the_lookback_are_ignored():
    old = NOW - DEFAULT_RULES.lookback - HOUR
    events = [transfer(1, old), transfer(2, old + timedelta(minutes=10)),
              transfer(3, old + timedelta(minutes=20))]
    events += [password_change(4 + i, old - i * DAY) for i in range(3)]
    assert detect_signals(events, NOW) == []
    # Straddling the edge: only the recent part counts, and it is not enough.
    edge = NOW - DEFAULT_RULES.lookback
    straddling = [transfer(1, edge - HOUR), transfer(2, edge - timedelta(minutes=1)),
                  transfer(3, edge + HOUR)]
    assert detect_signals(straddling, NOW) == []
    # The same, moved just inside the lookback, is a signal.
    inside = [transfer(i, edge + i * timedelta(minutes=1)) for i in range(3)]
    assert len(detect_signals(inside, NOW)) == 1


def test_rules_can_be_changed():
    rules = RiskRules(large_transfer_cents=100_000, large_transfers_count=2)
    start = NOW - DAY
    events = [transfer(1, start, -100_000), transfer(2, start + HOUR, -150_000)]
    (signal,) = detect_signals(events, NOW, rules)
    assert signal.event_ids == frozenset({1, 2})
    assert detect_signals(events, NOW) == []


def test_input_order_does_not_matter():
    start = NOW - DAY * 4
    events = [transfer(3, start + 20 * HOUR), transfer(1, start), transfer(2, start + 5 * HOUR)]
    (signal,) = detect_signals(iter(events), NOW)  # any iterable, unsorted
    assert signal.event_ids == frozenset({1, 2, 3})
    assert signal.first_at == start


# -- properties ----------------------------------------------------------------------------------

_MINUTES = 100 * 24 * 60  # events over the last 100 days, some beyond the lookback
_amounts = st.one_of(
    st.none(),
    st.sampled_from([-5_000_000, -4_999_999, 5_000_000, -20_000_000, -100]),
    st.integers(min_value=-30_000_000, max_value=30_000_000),
)


@st.composite
def event_lists(draw, kinds=(TRANSFER_OUT, PASSWORD_CHANGE, "transfer_in", "purchase")):
    size = draw(st.integers(min_value=0, max_value=25))
    # Bunch events up so that clusters are common.
    centre = draw(st.integers(min_value=0, max_value=_MINUTES))
    spread = draw(st.sampled_from([60, 24 * 60, 7 * 24 * 60, _MINUTES]))
    events = []
    for event_id in range(size):
        minutes = draw(st.integers(min_value=max(0, centre - spread), max_value=centre + spread))
        events.append(RiskEvent(
            event_id, NOW - timedelta(minutes=minutes), draw(st.sampled_from(kinds)), draw(_amounts)
        ))
    return events


def _flagged_by_brute_force(events, qualifies, window, minimum):
    """An event is flagged iff some window of this length holding it holds ``minimum`` events."""
    since = NOW - DEFAULT_RULES.lookback
    candidates = [e for e in events if qualifies(e) and e.at >= since]
    flagged = set()
    for event in candidates:
        for start in candidates:
            if start.at <= event.at <= start.at + window:
                inside = sum(start.at <= other.at <= start.at + window for other in candidates)
                if inside >= minimum:
                    flagged.add(event.id)
                    break
    return flagged


@given(event_lists())
@settings(max_examples=200)
def test_flagged_events_match_a_brute_force_count(events):
    signals = detect_signals(events, NOW)
    rules = DEFAULT_RULES
    expected_transfers = _flagged_by_brute_force(
        events,
        lambda e: e.kind == TRANSFER_OUT and abs(e.amount_cents or 0) >= rules.large_transfer_cents,
        rules.large_transfers_window, rules.large_transfers_count,
    )
    expected_passwords = _flagged_by_brute_force(
        events, lambda e: e.kind == PASSWORD_CHANGE,
        rules.password_changes_window, rules.password_changes_count,
    )
    found_transfers = flagged(signals, SignalKind.FREQUENT_LARGE_TRANSFERS)
    found_passwords = flagged(signals, SignalKind.REPEATED_PASSWORD_CHANGES)
    assert found_transfers == expected_transfers
    assert found_passwords == expected_passwords


@given(event_lists())
@settings(max_examples=200)
def test_signals_are_well_formed(events):
    signals = detect_signals(events, NOW)
    ids = {event.id for event in events}
    by_id = {event.id: event for event in events}
    seen: set[int] = set()
    for signal in signals:
        assert signal.event_ids <= ids
        assert not signal.event_ids & seen  # an event is in one signal at most
        seen |= signal.event_ids
        minimum = (DEFAULT_RULES.large_transfers_count
                   if signal.kind is SignalKind.FREQUENT_LARGE_TRANSFERS
                   else DEFAULT_RULES.password_changes_count)
        assert signal.count >= minimum
        times = [by_id[event_id].at for event_id in signal.event_ids]
        assert signal.first_at == min(times) and signal.last_at == max(times)
        assert signal.first_at >= NOW - DEFAULT_RULES.lookback
    assert [s.first_at for s in signals] == sorted(s.first_at for s in signals)


_unrelated_kinds = st.sampled_from(
    ["transfer_in", "salary", "purchase", "atm", "fee", "TRANSFER_OUT", "transfer_out ", "password"]
) | st.text(max_size=12).filter(lambda kind: kind not in (TRANSFER_OUT, PASSWORD_CHANGE))


@given(event_lists(), st.data())
@settings(max_examples=200)
def test_unrelated_events_never_change_the_signals(events, data):
    before = detect_signals(events, NOW)
    extra = data.draw(
        st.lists(st.tuples(_unrelated_kinds, st.integers(0, _MINUTES), _amounts), max_size=10)
    )
    noisy = events + [
        RiskEvent(1000 + index, NOW - timedelta(minutes=minutes), kind, amount)
        for index, (kind, minutes, amount) in enumerate(extra)
    ]
    shuffled = data.draw(st.permutations(noisy))
    assert detect_signals(shuffled, NOW) == before
