"""The LLM summarizer: prompts, the answer schema, grounding checks, token budgets and the digest cache.

`dailydigest.summarize.llm.LlmSummarizer` is the adapter behind the Summarizer port. Nothing here is
imported by the domain, and the openai SDK and OpenCC load only on the code paths that use them.
"""
