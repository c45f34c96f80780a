"""Sample Lambda events (JSON, as AWS delivers them), event factories and fault injectors."""
