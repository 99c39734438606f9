"""suitebridge connector service."""
