"""Shared by the write-back services (payment-reconciler, deposit-writer).

``access``: NetSuite credentials from the connector (decision 0004) behind ``CredentialsSource``;
``clients``: one budgeted ``NetSuiteClient`` per tenant; ``action_items``: raise once, resolve once;
``locks``: in-process locks per key; ``topics``: topic names with a per-deployment suffix;
``testing``: static (emulator TBA) credentials and a fake connector endpoint for tests.
"""
from pathlib import Path

MIGRATIONS = {"writeback": Path(__file__).with_name("migrations")}  # tenants and action_items, in each schema
