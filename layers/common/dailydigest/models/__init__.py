"""Pydantic models at every boundary of the pipeline."""
