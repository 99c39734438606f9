"""Shared runtime for suitebridge services (settings, logging, PostgreSQL, inbox/outbox, Kafka, HTTP).

Libraries are imported, never run; every service wires these parts in its own ``app.py``.
"""
