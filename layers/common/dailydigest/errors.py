"""Every error the package raises on purpose, in one tree. The message is meant for a person.

DigestError                      ends a run with one clear line (the CLI exits 1)
├── ConfigError                  bad settings, topics file, topic or date (the CLI exits 2)
│   ├── BadInput                 command-line input the user can fix
│   └── UnsupportedPatternError  an event pattern the local bus cannot evaluate
├── BadEventError                an event or payload that does not match its schema
├── NotFoundError                a key that is not in the store
├── ConflictError                a conditional write kept losing to other writers of one key
├── FetchError                   one URL could not be fetched (that page fails, not the run)
│   ├── RefusedAddressError      the SSRF guard refused every address of the host
│   └── RefusedURLError          the offline mirror will not serve that URL
├── SummarizeError               the digest could not be written as configured
│   ├── LlmError                 the LLM failed and DIGEST_LLM_ON_FAILURE=fail
│   ├── ModelUnavailable         the endpoint could not be reached or refused the request
│   ├── CostCapReached           the next call could take the run past its cost cap
│   ├── TimeBudgetSpent          too little of the run's time budget is left for a call
│   └── DigestInProgress         another delivery holds the digest's claim: retry later
├── PublishError                 the post could not be published
├── PostFormatError              a post that does not follow the post format
├── DeliveryError                a target handler raised while handling a local event
└── SourcesDownError             every news source failed: an outage, not a quiet day
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic import ValidationError


class DigestError(Exception):
    """Base class: the message is meant for the person running the pipeline."""


class ConfigError(DigestError):
    """Bad settings, topics file, topic or date."""


class BadInput(ConfigError):
    """Command-line input the user can fix: reported as one line with exit code 2."""


class UnsupportedPatternError(ConfigError, ValueError):
    """An EventBridge pattern operator the local bus does not evaluate."""


class BadEventError(DigestError):
    """An event or payload that does not match its schema."""


class NotFoundError(DigestError):
    """A key that is not in the store."""


class ConflictError(DigestError):
    """A conditional write that kept losing to other writers of the same key."""


class FetchError(DigestError):
    """A single URL could not be fetched; the message says why, in a few words."""


class RefusedAddressError(FetchError, ValueError):
    """The fetcher will not connect there (the policy refused every address, or the URL itself)."""


class RefusedURLError(FetchError, ValueError):
    """A URL the mirror will not serve: not http(s), or a path outside the mirror."""


class SummarizeError(DigestError):
    """The digest could not be written as configured."""


class LlmError(SummarizeError):
    """The LLM could not write a publishable digest, and the run is configured to fail on that."""


class ModelUnavailable(SummarizeError):
    """The model could not be reached or refused the request (after the SDK's own retries)."""


class CostCapReached(SummarizeError):
    """The next call could take the run past its cost cap."""


class TimeBudgetSpent(SummarizeError):
    """Too little of the run's time budget is left for another call."""


class DigestInProgress(SummarizeError):
    """Another delivery holds a live claim on the digest and it did not appear in time: retry later
    (by then the digest exists, or the claim is stale and is taken over)."""


class PublishError(DigestError):
    """The post could not be published."""


class PostFormatError(DigestError, ValueError):
    """A post that does not follow the post format (the reference post's shape)."""


class DeliveryError(DigestError):
    """A target handler raised while handling an event."""


class SourcesDownError(DigestError):
    """Every news source failed, or nearly every request got no answer: an outage, not a quiet day."""


def describe_validation_error(exc: ValidationError, names: Mapping[str, str] | None = None) -> str:
    """The first validation problem as one readable clause; `names` renames the field it names."""
    first = exc.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if loc and names:
        loc[0] = names.get(loc[0], loc[0])
    where = ".".join(loc) or "value"
    more = exc.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where}: {first['msg']}{suffix}"
