"""Webhooks: tell other systems when a claim is reviewed or published, or a document
extracted. Events are queued on SQS (one message per webhook and event), delivered by the
DeliverWebhooksFunction (functions/webhooks/app.py), signed with HMAC-SHA256, retried with
backoff, dead-lettered after maxReceiveCount, and every attempt is recorded.
"""
