"""The static, browsable archive the store hosts under `archive/` (S3 or a local directory)."""

from dailydigest.archive.index import ArchiveEntry
from dailydigest.archive.site import update_archive

__all__ = ["ArchiveEntry", "update_archive"]
