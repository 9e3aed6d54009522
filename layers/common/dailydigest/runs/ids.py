"""Run identity: sortable, unique run ids."""

from __future__ import annotations

import datetime as dt
import secrets


def new_run_id(now: dt.datetime | None = None) -> str:
    """Sortable and unique: UTC timestamp plus random suffix."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
