"""An HTTP emulator of Oracle NetSuite for suitebridge tests and local runs.

Entry points: `netsuite_emulator.app.create_app`, `netsuite_emulator.testing` and
`python -m netsuite_emulator serve`."""

__version__ = "0.1.0"
