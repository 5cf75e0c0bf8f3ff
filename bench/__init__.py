"""Benchmarks of the ledger: ceilings, sync load, projection lag, rebuild, time travel, growth and memory."""
