"""The serverless pipeline: submit -> documents queue -> extract -> claims queue -> store.

DynamoDB is the record of truth; the queues only carry ids (documents) or one extracted
claim each (claims). Every step is idempotent on a content hash, so a redelivered, re-driven
or swept message changes nothing that is already done.
"""
