"""Errors that end a run with one clear line."""


class DigestError(Exception):
    """Base class: the message is meant for the person running the pipeline."""


class ConfigError(DigestError):
    """Bad settings, topics file, topic or date."""


class BadEventError(DigestError):
    """An event or payload that does not match its schema."""


class NotFoundError(DigestError):
    """A key that is not in the store."""


class PublishError(DigestError):
    """The post could not be published."""


class PostFormatError(DigestError, ValueError):
    """A post that does not follow the post format (the reference post's shape)."""


class SourcesDownError(DigestError):
    """Every news source failed, or nearly every request got no answer: an outage, not a quiet day."""
