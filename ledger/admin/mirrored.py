"""Response bodies whose camelCase fields show the snake_case attributes, or row keys, of the same names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Self

from pydantic import BaseModel

_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def snake_case(name: str) -> str:
    """`createdAt` -> `created_at`."""
    return _WORD_START.sub("_", name).lower()


class Mirrored(BaseModel):
    """A body that shows its source: `createdAt` is `source.created_at`, or `source["created_at"]` for a row.

    Fields the source names otherwise, or that are computed, are given by name; a row without the key of a
    field that has a default leaves that default.
    """

    @classmethod
    def mirror(cls, source: object, **given: Any) -> Self:
        values = dict(given)
        row = source if isinstance(source, Mapping) else None
        for name, attribute, required in _sources(cls):
            if name in values:
                continue
            if row is None:
                values[name] = getattr(source, attribute)
            elif required or attribute in row:
                values[name] = row[attribute]
        return cls(**values)


@cache
def _sources(model: type[BaseModel]) -> tuple[tuple[str, str, bool], ...]:
    """Each field's name, its source's name for it and whether it is required; worked out once per model."""
    return tuple((name, snake_case(name), field.is_required()) for name, field in model.model_fields.items())
