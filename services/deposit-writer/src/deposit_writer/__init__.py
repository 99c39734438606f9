"""suitebridge deposit-writer service."""
