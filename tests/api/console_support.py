"""A console visitor: keeps the console's cookies itself, as a browser does on 127.0.0.1, and reads forms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import httpx

from tests.support import expect

SIGN_IN = "/console/sign-in"
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Visitor:
    """One browser's view of the console: its cookies, sent back on every request below /console."""

    http: httpx.Client
    cookies: dict[str, str] = field(default_factory=dict)
    last_set_cookies: list[str] = field(default_factory=list)

    def _keep(self, response: httpx.Response) -> httpx.Response:
        self.last_set_cookies = response.headers.get_list("set-cookie")
        for header in self.last_set_cookies:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def _cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def get(self, path: str, **params: str) -> httpx.Response:
        return self._keep(self.http.get(path, params=params, headers=self._cookie_header()))

    def post(self, path: str, fields: dict[str, str]) -> httpx.Response:
        headers = {**self._cookie_header(), "content-type": "application/x-www-form-urlencoded"}
        return self._keep(self.http.post(path, data=fields, headers=headers))

    def form_token(self, path: str) -> str:
        match = CSRF_FIELD.search(expect_page(self.get(path), 200))
        assert match, "the page has no form token"
        return match.group(1)

    def sign_in(self, key: str) -> httpx.Response:
        return self.post(SIGN_IN, {"csrf": self.form_token(SIGN_IN), "key": key})


def expect_page(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def signed_in(http: httpx.Client, key: str) -> Visitor:
    visitor = Visitor(http)
    response = visitor.sign_in(key)
    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"] == "/console/calendar"
    return visitor


def key_of(headers: dict[str, str]) -> str:
    lowered = {name.lower(): value for name, value in headers.items()}
    return lowered.get("x-api-key") or lowered["authorization"].split(" ", 1)[1]


__all__ = ["Visitor", "expect", "expect_page", "key_of", "signed_in"]
