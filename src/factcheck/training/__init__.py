"""Training code for the check-worthiness model (needs the `train` extra)."""
