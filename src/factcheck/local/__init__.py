"""The embedded local stack: a moto server, resources from template.yaml, a poller."""
