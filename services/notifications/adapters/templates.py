"""Messages from Jinja2 templates: a subject, a plain-text part and an HTML
part per kind, looked up by locale (`templates/<locale>/<kind>.*`, English
when a locale lacks one).

Undefined names fail (StrictUndefined) rather than render as nothing: a
template that does not fit its facts parks its message with the error
instead of sending a message with holes in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from services.notifications.domain.kinds import Kind

FALLBACK_LOCALE = "en"


class RenderError(Exception):
    """A template is missing or failed on these facts."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def money(cents: object, currency: object = "USD") -> str:
    if not isinstance(cents, int):
        raise TypeError(f"an amount in cents is a whole number, not {cents!r}")
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{currency} {cents // 100:,}.{cents % 100:02d}"


def long_date(value: object) -> str:
    """2027-01-31 (or an ISO time) as "January 31, 2027"."""
    text = str(value)
    day = (
        datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
    )
    return f"{day:%B} {day.day}, {day.year}"


class Renderer:
    def __init__(self, folder: Path, org_name: str, app_base_url: str) -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(folder)),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["money"] = money
        self.env.filters["long_date"] = long_date
        self.env.globals["org_name"] = org_name
        self.env.globals["url"] = lambda path: f"{app_base_url}{path}"

    def render(self, kind: Kind, locale: str, facts: dict[str, Any]) -> Rendered:
        name = kind.value.lower()
        try:
            parts = [
                self._template(locale, f"{name}.{part}").render(**facts)
                for part in ("subject.txt", "txt", "html")
            ]
        except (TemplateError, TypeError, ValueError, KeyError) as exc:
            raise RenderError(
                f"template {locale}/{name} failed: {type(exc).__name__}: {exc}"
            ) from exc
        subject = " ".join(parts[0].split())  # one line, whatever the template
        return Rendered(subject, parts[1], parts[2])

    def _template(self, locale: str, name: str) -> Any:
        # A template the locale lacks (or a locale not written yet) is English.
        names = [f"{locale}/{name}"]
        if locale != FALLBACK_LOCALE:
            names.append(f"{FALLBACK_LOCALE}/{name}")
        return self.env.select_template(names)
