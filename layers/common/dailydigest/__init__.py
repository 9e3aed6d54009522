"""dailydigest: one honest, cited news digest per topic per day."""

__version__ = "0.1.0"
