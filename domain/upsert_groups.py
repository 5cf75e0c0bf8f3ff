"""Items grouped by what they share (a calendar day, a booking), and groups packed into bounded chunks."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")


def groups(keyed: Sequence[tuple[T, Sequence[Hashable]]]) -> list[list[T]]:
    """The items in groups that share no key with another group: each group in item order, the groups in
    the order of their first items."""
    parent = list(range(len(keyed)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    owner: dict[Hashable, int] = {}
    for node, (_, keys) in enumerate(keyed):
        for key in keys:
            if key in owner:
                parent[root(node)] = root(owner[key])
            else:
                owner[key] = node
    found: dict[int, list[T]] = {}
    for node, (item, _) in enumerate(keyed):
        found.setdefault(root(node), []).append(item)
    return list(found.values())


def chunks(grouped: list[list[T]], size: int) -> list[list[T]]:
    """Whole groups packed in order into chunks of at most `size` items; a larger group is a chunk alone."""
    packed: list[list[T]] = []
    for group in grouped:
        if packed and len(packed[-1]) + len(group) <= size:
            packed[-1].extend(group)
        else:
            packed.append(list(group))
    return packed
