"""The module API's languages: the path's locale picks German or English; malformed locales are refused."""

from __future__ import annotations

import pytest

from api.module_api.errors import MODULE_HTTP_TYPES, MODULE_TYPES
from api.module_api.messages import MESSAGES, language_of, language_of_path, message_in
from api.shared.errors import Problem


@pytest.mark.parametrize(
    ("locale", "language"),
    [("de", "de"), ("DE", "de"), ("de-AT", "de"), ("de_DE", "de"), ("en", "en"), ("en-GB", "en"),
     ("fr", "en"), ("pt_BR", "en"), ("zh-Hant-TW", "en")],
)  # fmt: skip
def test_a_locale_is_answered_in_its_language_or_english(locale: str, language: str) -> None:
    assert language_of(locale) == language


@pytest.mark.parametrize(
    "locale", ["", "d", "d3", "12", "de-", "-de", "de--at", "deutsch", "de at", "x" * 40]
)
def test_a_malformed_locale_has_no_language(locale: str) -> None:
    assert language_of(locale) is None


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/module/v3/de/organization/x/bookingTemplate/list", "de"),
        ("/module/v3/de", "de"),
        ("/module/v3/xx1/organization", "en"),
        ("/module/v2/de/organization", "en"),
        ("/oauth/token", "en"),
    ],
)
def test_the_language_of_a_path_is_its_locales(path: str, language: str) -> None:
    assert language_of_path(path) == language


def test_every_code_the_surface_answers_has_a_german_message() -> None:
    codes = {code for _, code in MODULE_TYPES.values()} | set(MODULE_HTTP_TYPES.values()) | {"internal_error"}

    assert codes <= set(MESSAGES["de"])


def test_a_translated_message_names_the_fields_of_the_problem() -> None:
    problem = Problem(400, "missing_customer_field", "The template requires email.", [{"path": ["email"]}])

    assert message_in(problem, "de") == "Die Buchungsvorlage verlangt diese Angaben zum Kunden: email."
    assert message_in(problem, "en") == "The template requires email."
    assert message_in(Problem(400, "unknown_code", "As raised."), "de") == "As raised."
