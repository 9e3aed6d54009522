"""The use cases, one per handler: fetch, summarize, render, and replay. No SDK imports."""
