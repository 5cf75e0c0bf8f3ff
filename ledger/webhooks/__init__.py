"""Webhook delivery: secrets kept encrypted, signed requests, and the worker that delivers the outbox."""
