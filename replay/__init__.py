"""Auditors' tools: history, time travel, and projection rebuild from the event log."""
