"""The path's locale and the surface's messages in the languages it speaks (English, the default, and German).

A locale is a language code, optionally with a region or script (`de`, `en`, `de-AT`, `pt_BR`). A well-formed
locale of a language without messages here is answered in English; a malformed one is refused (400).
"""

from __future__ import annotations

import re

from api.shared.errors import Problem

DEFAULT_LANGUAGE = "en"
PATH_PREFIX = ("", "module", "v3")
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")

# Messages by language and error code; `{fields}` becomes ": <the fields concerned>", or nothing.
MESSAGES: dict[str, dict[str, str]] = {
    "de": {
        "bad_request": "Die Anfrage kann nicht ausgeführt werden{fields}.",
        "invalid_request": "Die Anfrage ist ungültig{fields}.",
        "credential_in_query": "Zugangsdaten gehören in den Authorization-Header, nicht in die URL{fields}.",
        "invalid_locale": "Die Sprache im Pfad ist kein Sprachcode wie de oder en.",
        "invalid_id": "Diese Id im Pfad ist keine UUID (mit oder ohne Bindestriche){fields}.",
        "invalid_booking_slot_range": "rangeStart und rangeEnd sind Zeitpunkte mit UTC-Versatz; der Zeitraum "
        "endet nach seinem Beginn, höchstens 7 Tage später{fields}.",
        "invalid_booking_slot_id": "Die bookingSlotId ist ungültig: Sie stammt nicht von diesem System oder "
        "wurde verändert.",
        "expired_booking_slot_id": "Die bookingSlotId ist abgelaufen; bitte die Buchungsslots neu abrufen.",
        "invalid_customer": "Die Angaben zum Kunden sind ungültig{fields}.",
        "missing_customer_field": "Die Buchungsvorlage verlangt diese Angaben zum Kunden{fields}.",
        "missing_access_token": "Es wurde kein Zugriffstoken gesendet: Authorization: Bearer <access_token>.",
        "invalid_access_token": "Das Zugriffstoken ist ungültig, abgelaufen oder widerrufen; bitte ein neues "
        "anfordern.",
        "forbidden": "Der Zugriff ist nicht erlaubt.",
        "insufficient_scope": "Der Client braucht den Scope module-api.",
        "organization_not_permitted": "Das Zugriffstoken gilt nicht für diese Organisation; bitte eines für "
        "diese Organisation anfordern.",
        "not_found": "Nicht gefunden.",
        "organization_not_found": "Die Organisation wurde nicht gefunden.",
        "booking_template_not_found": "Die Buchungsvorlage wurde nicht gefunden.",
        "appointment_not_found": "Der Termin wurde nicht gefunden.",
        "method_not_allowed": "Diese Methode ist für diesen Pfad nicht erlaubt.",
        "conflict": "Die Anfrage widerspricht dem aktuellen Stand.",
        "booking_slot_taken": "Der Buchungsslot wurde inzwischen anderweitig gebucht; bitte einen anderen "
        "Buchungsslot wählen.",
        "booking_slot_unavailable": "Der Buchungsslot ist nicht mehr buchbar; bitte einen anderen "
        "Buchungsslot wählen.",
        "appointment_started": "Ein Termin kann nur vor seinem Beginn storniert werden.",
        "payload_too_large": "Der Inhalt der Anfrage ist zu groß.",
        "rate_limited": "Zu viele Anfragen; bitte nach Retry-After Sekunden erneut senden.",
        "headers_too_large": "Die Header der Anfrage sind zu groß.",
        "service_unavailable": "Der Dienst ist vorübergehend nicht verfügbar; bitte nach Retry-After "
        "Sekunden erneut senden.",
        "write_contention": "Zu viele gleichzeitige Änderungen; bitte nach Retry-After Sekunden erneut "
        "senden.",
        "internal_error": "Ein unerwarteter Fehler ist aufgetreten.",
    },
}
LANGUAGES = frozenset({DEFAULT_LANGUAGE, *MESSAGES})


def language_of(locale: str) -> str | None:
    """The language that messages for `locale` are written in; None when it is not a locale at all."""
    if not _LOCALE.fullmatch(locale):
        return None
    language = re.split(r"[-_]", locale)[0].lower()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def language_of_path(path: str) -> str:
    """The language of a path below `/module/v3/{locale}/`; English for any other path or a bad locale."""
    parts = path.split("/")
    if len(parts) > len(PATH_PREFIX) and tuple(parts[: len(PATH_PREFIX)]) == PATH_PREFIX:
        return language_of(parts[len(PATH_PREFIX)]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def message_in(problem: Problem, language: str) -> str:
    """The problem's message in `language`: the problem's own (English) where no translation exists."""
    template = MESSAGES.get(language, {}).get(problem.type)
    if template is None:
        return problem.message
    fields = [".".join(str(part) for part in issue.get("path", ())) for issue in problem.issues or ()]
    named = ", ".join(dict.fromkeys(field for field in fields if field))
    return template.format(fields=f": {named}" if named else "")
