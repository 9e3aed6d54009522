"""The LLM summarizer and the extractive one: the Summarizer port's implementations."""
