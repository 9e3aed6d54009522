"""Constrained scalar types shared by the models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from dailydigest.locales import LOCALES


def _supported_locale(value: str) -> str:
    if value not in LOCALES:
        raise ValueError(f"unsupported locale {value!r} (supported: {', '.join(LOCALES)})")
    return value


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
"""A topic slug: lowercase letters, digits and dashes, as used in post paths."""

RunId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{5,63}$")]
StoreKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,511}$")]
SHORT_TEXT_MAX = 300
PARAGRAPH_MAX = 4000
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_TEXT_MAX)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PARAGRAPH_MAX)]
Locale = Annotated[str, AfterValidator(_supported_locale)]
"""A supported locale code (the registry in locales.py)."""
SourceId = Annotated[int, Field(ge=1, le=500)]


def _not_in_future(value: dt.date) -> dt.date:
    # A digest describes news that already happened; a date past tomorrow (UTC) is a typo.
    latest = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    if value > latest:
        raise ValueError(f"date {value.isoformat()} is in the future")
    if value.year < 2000:
        raise ValueError(f"date {value.isoformat()} is before 2000")
    return value


DigestDate = Annotated[dt.date, AfterValidator(_not_in_future)]
