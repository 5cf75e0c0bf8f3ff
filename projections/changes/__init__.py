"""The change feed: every change a client may see, in ledger order, and the webhook outbox it feeds."""
