"""Row changes as prepared statements: built once per table and columns, run in order in one pipeline."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from typing import Any

from psycopg import Cursor, sql
from psycopg.rows import DictRow

Statement = tuple[str, dict[str, Any]]
"""A query's text (built once per table and columns, so the driver caches its parsing) and its parameters."""


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (
        sql.SQL("INSERT INTO {} ({}) VALUES ({})")
        .format(
            sql.SQL(table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(map(sql.Placeholder, columns)),
        )
        .as_string()
    )


@functools.cache
def _update_sql(table: str, key: str, columns: tuple[str, ...]) -> str:
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c)) for c in columns
    )
    return (
        sql.SQL("UPDATE {} SET {} WHERE {} = %(__key)s")
        .format(sql.SQL(table), assignments, sql.Identifier(key))
        .as_string()
    )


@functools.cache
def query_text(template: str, *tables: str) -> str:
    """A statement's text with the quoted table names put in its `{}` places, built once per tables."""
    return sql.SQL(template).format(*map(sql.SQL, tables)).as_string()


def execute_in_order(curs: Cursor[DictRow], statements: Iterable[Statement]) -> None:
    """Run the statements in order, sending each run of the same query as one executemany() in a pipeline."""
    with curs.connection.pipeline():
        for query, group in itertools.groupby(statements, key=lambda statement: statement[0]):
            curs.executemany(query, [params for _, params in group])


def insert_row(table: str, values: dict[str, Any]) -> Statement:
    return _insert_sql(table, tuple(values)), values


def update_rows(table: str, key: str, key_value: Any, values: dict[str, Any]) -> Statement:
    return _update_sql(table, key, tuple(values)), {**values, "__key": key_value}
