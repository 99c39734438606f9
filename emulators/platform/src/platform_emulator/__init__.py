"""The payments platform, emulated: pays the invoices suitebridge synced and pays out the money.

Publishes PaymentReceived / PaymentFailed on ``platform.payments.v1`` and DepositPosted on
``platform.payouts.v1`` exactly as ``shared/contracts/platform-events.md`` describes them.
"""
from platform_emulator.book import InvoiceView
from platform_emulator.config import EmulatorConfig
from platform_emulator.emulator import PlatformEmulator
from platform_emulator.load import LoadResult

__all__ = ["EmulatorConfig", "InvoiceView", "LoadResult", "PlatformEmulator"]
