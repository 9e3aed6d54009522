"""Domain logic: no AWS, HTTP or LLM SDK imports."""
