"""The embedded stack: one entry point for ``make run`` and the test fixtures."""
