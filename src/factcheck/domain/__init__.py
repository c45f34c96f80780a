"""Domain models and errors: pure pydantic, no AWS."""
