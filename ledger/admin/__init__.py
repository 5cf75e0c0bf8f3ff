"""The admin operations that `ledger admin` and the admin API share: bodies, and the commands they run."""
