"""The list of views is the one place a view is named: the CLI, the runners and the rebuild follow it."""

from __future__ import annotations

import argparse

import pytest

from ledger.cli import build_parser
from projections.registry import VIEWS, command_names, view_of_command
from projections.runner import projection_of


def subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: argparse.ArgumentParser = commands.choices[name]
    return found


def view_choices(*path: str) -> list[str]:
    """The view names that `ledger <path...>` accepts."""
    parser = build_parser()
    for name in path:
        parser = subcommand(parser, name)
    view = next(action for action in parser._actions if action.dest == "view")
    return list(view.choices or [])


def rebuild_choices() -> list[str]:
    """The view names that `ledger replay rebuild` accepts."""
    return view_choices("replay", "rebuild")


def test_the_rebuild_command_offers_exactly_the_views_of_the_list() -> None:
    assert rebuild_choices() == [view.name.replace("_", "-") for view in VIEWS]
    assert rebuild_choices() == command_names()
    assert view_choices("replay", "as-of") == command_names()


def test_every_view_of_the_list_is_found_by_the_name_the_rebuild_command_takes() -> None:
    for name in command_names():
        args = build_parser().parse_args(["replay", "rebuild", name])

        assert view_of_command(args.view).command_name() == name


def test_a_view_name_outside_the_list_is_refused_naming_the_views() -> None:
    with pytest.raises(LookupError, match="court-bookings, bookings"):
        view_of_command("nothing")


def test_views_tables_and_indexes_have_names_unique_across_the_list() -> None:
    tables = [table.name for view in VIEWS for table in view.tables]
    indexes = [
        f"{table.name}_{suffix}" for view in VIEWS for table in view.tables for suffix in table.indexes
    ]

    assert len({view.name for view in VIEWS}) == len(VIEWS)
    assert len(set(tables)) == len(tables)
    assert len(set(indexes)) == len(indexes)
    assert not set(indexes) & set(tables)


def test_every_view_gets_a_projection_named_after_it_so_its_tracking_table_is_its_own() -> None:
    projections = [projection_of(view) for view in VIEWS]

    assert [projection.name for projection in projections] == [view.name for view in VIEWS]
    assert projection_of(VIEWS[0]) is projections[0]


def test_every_view_maps_event_classes_to_handlers() -> None:
    for view in VIEWS:
        assert view.handlers, view.name
        assert all(isinstance(event_class, type) and callable(h) for event_class, h in view.handlers.items())
