"""The gathering domain: URLs, windows, dedup, clustering, the ledger of covered stories, text.

No SDK imports."""
