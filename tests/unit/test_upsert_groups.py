"""Grouping a batch's items by what they share, and packing the groups into bounded chunks."""

from __future__ import annotations

from domain.upsert_groups import chunks, groups


def test_items_sharing_a_key_directly_or_through_another_item_are_one_group() -> None:
    keyed = [("a", ["day1"]), ("b", ["day2"]), ("c", ["day2", "day3"]), ("d", ["day3"]), ("e", ["day1"])]

    assert groups(keyed) == [["a", "e"], ["b", "c", "d"]]


def test_items_sharing_nothing_are_groups_of_their_own_in_item_order() -> None:
    assert groups([("a", ["x"]), ("b", ["y"]), ("c", ["z"])]) == [["a"], ["b"], ["c"]]


def test_chunks_hold_whole_groups_and_a_large_group_alone() -> None:
    grouped = [["a", "b"], ["c"], ["d", "e", "f", "g"], ["h"]]

    assert chunks(grouped, 3) == [["a", "b", "c"], ["d", "e", "f", "g"], ["h"]]
