"""Pure parts of storage: signed cursors, key builders, value encoding, the rating scale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from factcheck.domain.errors import InvalidCursor, InvalidInput
from factcheck.domain.rating import RatingScale
from factcheck.settings import DEFAULT_RATING_SCALE, RatingLevel
from factcheck.storage import codec, keys
from factcheck.storage import cursor as cursors

pytestmark = pytest.mark.unit

SECRET = b"secret-0123456789"
KEY = {"PK": "CLAIM#c1", "SK": "CLAIM", "GSI1PK": "QUEUE#queued", "GSI1SK": "0100000#t#c1"}
FIELDS = tuple(KEY)


def test_a_cursor_round_trips_its_start_key_for_the_same_listing() -> None:
    token = cursors.encode(SECRET, "GSI1|QUEUE#queued", KEY)
    assert cursors.decode(SECRET, "GSI1|QUEUE#queued", token, FIELDS) == KEY


def test_a_cursor_is_url_safe_and_does_not_show_the_key_in_clear() -> None:
    token = cursors.encode(SECRET, "GSI1|QUEUE#queued", KEY)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert "CLAIM#c1" not in token


def test_a_validly_signed_cursor_with_unexpected_key_fields_is_refused() -> None:
    # GIVEN a cursor signed with the right secret but holding another index's key
    token = cursors.encode(SECRET, "GSI1|QUEUE#queued", {"PK": "x", "SK": "y"})
    # THEN it is refused
    with pytest.raises(InvalidCursor):
        cursors.decode(SECRET, "GSI1|QUEUE#queued", token, FIELDS)


def test_every_single_character_change_to_a_cursor_is_detected() -> None:
    token = cursors.encode(SECRET, "GSI1|QUEUE#queued", KEY)
    for i, ch in enumerate(token):
        for other in {"A", "z", "-", "."} - {ch}:
            with pytest.raises(InvalidCursor):
                cursors.decode(
                    SECRET, "GSI1|QUEUE#queued", token[:i] + other + token[i + 1 :], FIELDS
                )


def test_iso_times_are_fixed_width_utc_and_sort_as_strings() -> None:
    a = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    b = a + timedelta(microseconds=1)
    c = datetime(2030, 1, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))  # 08:30 UTC
    assert keys.iso(a) == "2030-01-01T09:00:00.000000+00:00"
    assert keys.iso(datetime(2030, 1, 1, 9, 0)) == keys.iso(a)  # naive is UTC
    assert sorted([keys.iso(b), keys.iso(a), keys.iso(c)]) == [
        keys.iso(c),
        keys.iso(a),
        keys.iso(b),
    ]


def test_the_queue_sort_key_orders_by_score_descending_then_oldest_first() -> None:
    t = datetime(2030, 1, 1, tzinfo=UTC)
    entries = [
        (0.5, t + timedelta(seconds=1), "a"),
        (1.0, t + timedelta(days=1), "b"),
        (0.5, t, "c"),
        (0.0, t, "d"),
        (0.123456, t, "e"),
    ]
    ordered = sorted(entries, key=lambda e: keys.queue_sk(*e))
    assert [e[2] for e in ordered] == ["b", "c", "a", "e", "d"]


def test_event_sort_keys_are_zero_padded_so_history_sorts_numerically() -> None:
    sks = [keys.event_key("c1", n)["SK"] for n in (10, 2, 100, 1)]
    assert sorted(sks) == [keys.event_key("c1", n)["SK"] for n in (1, 2, 10, 100)]


def test_floats_are_stored_as_decimals_and_read_back_as_numbers() -> None:
    item = codec.serialise({"score": 0.1, "n": 3, "nested": {"x": [1.5, 2.0]}, "none": None})
    assert item["score"] == {"N": "0.1"}
    back = codec.deserialise(item)
    assert back == {"score": 0.1, "n": 3, "nested": {"x": [1.5, 2]}, "none": None}
    assert not any(isinstance(v, Decimal) for v in back.values())


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_numbers_are_invalid_input(bad: float) -> None:
    with pytest.raises(InvalidInput):
        codec.serialise({"x": bad})


def test_the_default_rating_scale_maps_labels_to_values_with_unverifiable_off_scale() -> None:
    scale = RatingScale(DEFAULT_RATING_SCALE)
    assert scale.labels == [
        "False",
        "Mostly false",
        "Half true",
        "Mostly true",
        "True",
        "Unverifiable",
    ]
    assert [scale.value(x) for x in ("false", "Half true", "TRUE")] == [1, 3, 5]
    assert scale.value("Unverifiable") is None
    assert (scale.worst, scale.best) == (1, 5)
    assert scale.canonical("  mostly FALSE ") == "Mostly false"
    with pytest.raises(InvalidInput):
        scale.canonical("Pants on fire")


def test_a_custom_rating_scale_is_honoured() -> None:
    scale = RatingScale([RatingLevel(label="Wrong", value=0), RatingLevel(label="Right", value=1)])
    assert (scale.worst, scale.best, scale.canonical("right")) == (0, 1, "Right")
    with pytest.raises(ValueError):
        RatingScale([RatingLevel(label="A", value=1), RatingLevel(label="a", value=2)])
