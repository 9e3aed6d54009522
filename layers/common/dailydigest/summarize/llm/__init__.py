"""The LLM summarizer: endpoint client, prompts, answer schema, grounding, budget and the digest cache.

`summarizer.LlmSummarizer` is the Summarizer port's LLM implementation; the openai SDK and OpenCC load
only on the code paths that use them."""
