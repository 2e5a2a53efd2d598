"""Serve: the query parameters of the JSON API — types that check themselves before a route runs.

A raw query string comes in; a checked value goes out, or a 422 in the standard
error shape (FastAPI raises RequestValidationError, `api_errors` renders it).
Dates must be real ISO dates at any precision, countries ISO 3166-1 alpha-2
codes (returned upper-cased), free text 1-200 characters without NUL, and pages
bounded. The patterns and bounds also go into /api/openapi.json, so generated
clients and the schemathesis test send mostly valid values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from fastapi import Depends, Query
from pydantic import AfterValidator

from tidings.normalize.countries import country_name
from tidings.reconcile.compare import is_iso_date

# A page holds 50 items unless asked otherwise and at most 500: one screen of a table by
# default, and a cap that keeps one response (with evidence quotes) well under a megabyte.
DEFAULT_PAGE_SIZE: Final = 50
MAX_PAGE_SIZE: Final = 500
# Far beyond any store we expect, and far below the 64-bit integers SQL engines bind.
MAX_OFFSET: Final = 1_000_000_000
# Free-text parameters: longer than any name or phrase a person types, short enough to log.
MAX_TEXT_LENGTH: Final = 200
MAX_URL_LENGTH: Final = 2000

# ASCII digits only: a regex's \d also takes other scripts' digits.
ISO_DATE_PATTERN: Final = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
COUNTRY_PATTERN: Final = r"^[A-Za-z]{2}$"


def read_iso_date(value: str | None) -> str | None:
    """An ISO date parameter (YYYY, YYYY-MM or YYYY-MM-DD with a real month and day); ValueError otherwise."""
    if value is not None and not is_iso_date(value):
        raise ValueError(f"expected an ISO date like 2024-06-03, 2024-06 or 2024, not {value!r}")
    return value


def read_country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 parameter, upper-cased ("kz" -> "KZ"); ValueError for an unknown code."""
    if value is None:
        return None
    try:
        country_name(value)
    except ValueError:
        raise ValueError(f"expected a two-letter ISO 3166-1 code such as KZ, not {value!r}") from None
    return value.upper()


def read_text(value: str | None) -> str | None:
    """A free-text parameter; ValueError for a NUL character, which no database stores as text."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _date(description: str) -> Any:
    return Query(pattern=ISO_DATE_PATTERN, description=description, examples=["2024-06-03"])


def _country(description: str) -> Any:
    return Query(pattern=COUNTRY_PATTERN, description=description, examples=["KZ"])


def _text(description: str, *, max_length: int = MAX_TEXT_LENGTH) -> Any:
    return Query(min_length=1, max_length=max_length, description=description)


_IsoDate = AfterValidator(read_iso_date)
_Code = AfterValidator(read_country)
_Text = AfterValidator(read_text)

Kind = Annotated[
    Literal["designation", "trade", "deal", "diplomatic"] | None, Query(description="Only facts of this kind.")
]
Country = Annotated[str | None, _country("Only what involves this state (ISO 3166-1 alpha-2), either side."), _Code]
Partner = Annotated[str | None, _country("With country: only what is between the two."), _Code]
TimelineCountry = Annotated[str, _country("The state whose dated facts to list."), _Code]
Organization = Annotated[str | None, _text("Only designations of this organization (case-insensitive)."), _Text]
Since = Annotated[
    str | None, _date("Only facts dated on or after this date (compared on the common prefix)."), _IsoDate
]
Until = Annotated[
    str | None, _date("Only facts dated on or before this date (compared on the common prefix)."), _IsoDate
]
EvidenceText = Annotated[str | None, _text("Only facts whose evidence quote contains this text."), _Text]
AsOf = Annotated[str, _date("The date to describe (a month or a year means its last day)."), _IsoDate]
KnownBy = Annotated[
    str | None, _date("Use only reports published on or before this date (undated ones are left out)."), _IsoDate
]
SearchWords = Annotated[str, _text("Words that must all occur (stemmed); search syntax is plain text."), _Text]
Outlet = Annotated[str | None, _text("Outlet for inputs that lack one."), _Text]
Published = Annotated[str | None, _date("Publication date for inputs that lack one."), _IsoDate]
Url = Annotated[str | None, _text("URL for inputs that lack one.", max_length=MAX_URL_LENGTH), _Text]


@dataclass(frozen=True)
class Page:
    """The `limit` and `offset` of a list request."""

    limit: int
    offset: int

    def cut(self, items: Sequence[Any]) -> list[Any]:
        """This page of `items`."""
        return list(items[self.offset : self.offset + self.limit])


def read_page(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="At most this many items.")] = DEFAULT_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Skip this many items first.")] = 0,
) -> Page:
    """The paging parameters every list takes (a FastAPI dependency)."""
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(read_page)]
