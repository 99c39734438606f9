"""suitebridge invoice-sync service."""
