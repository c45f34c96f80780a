"""Storage: the one adapter that talks to DynamoDB (see docs/storage.md)."""
