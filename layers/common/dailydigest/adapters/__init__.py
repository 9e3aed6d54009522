"""Adapters: the SDK-facing side of each port."""
