"""suitebridge payment-reconciler service."""
