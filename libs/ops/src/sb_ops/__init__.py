"""The suitebridge operator tool (``suitebridge ...``): replay, dead letters, resync, status, migrate."""
