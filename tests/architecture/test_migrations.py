"""Migrations are history (docs/decisions/migrations-are-history.md): a migration file, once deployed,
is never edited, only followed by a new one. The deployed files are pinned by their SHA-256 here;
a new migration adds its own line when it ships."""
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = {  # path -> the first 16 hex digits of its SHA-256
    "libs/netsuite-client/src/netsuite_client/migrations/0001_budget.sql": "6cfc96c1623158df",
    "libs/netsuite-client/src/netsuite_client/migrations/0002_budget_demand.sql": "550ef8dda888090c",
    "libs/ops/src/sb_ops/migrations/0001_redriven.sql": "fa77dd1b2ee67c42",
    "libs/runtime/src/sb_runtime/sql/0001_inbox_outbox.sql": "202a19fd0f44e56d",
    "libs/runtime/src/sb_runtime/sql/0002_outbox_set_aside_and_retention.sql": "b86b150790aed238",
    "libs/writeback/src/sb_writeback/migrations/0001_setup_and_action_items.sql": "8d29b5d66ffb2f4b",
    "libs/writeback/src/sb_writeback/migrations/0002_bank_currency_and_id_scope.sql": "98c30a5bd9905a7d",
    "services/connector/migrations/0001_init.sql": "7045aa6a3abc3d14",
    "services/connector/migrations/0002_resync.sql": "703232f281f69e32",
    "services/connector/migrations/0003_credentials_kind.sql": "6d2c77e0a064afe2",
    "services/connector/migrations/0004_checkpoint_ranges.sql": "ed152af2b4e4c5d2",
    "services/connector/migrations/0005_account_currencies.sql": "b80a8ecd5296e666",
    "services/connector/migrations/0006_account_identity.sql": "9c73c1d476ff4533",
    "services/connector/migrations/0007_pdf_blob.sql": "6f1ba9e6899e5f0d",
    "services/connector/migrations/0008_drift_sweep.sql": "ab6fb09ef5865a1a",
    "services/deposit-writer/migrations/0002_deposits.sql": "3536a987644498d2",
    "services/deposit-writer/migrations/0003_payment_id_scope.sql": "03109120deb2ee71",
    "services/invoice-sync/migrations/0002_invoice_state.sql": "d11135c3345016a4",
    "services/payment-reconciler/migrations/0002_payments.sql": "f557acc1ce53b291",
    "services/payment-reconciler/migrations/0003_invoice_id_scope.sql": "06582c12f3c68157",
}


def test_a_deployed_migration_is_never_rewritten():
    changed = {path: digest for path, digest in DEPLOYED.items()
               if hashlib.sha256((ROOT / path).read_bytes()).hexdigest()[:16] != digest}
    assert not changed, f"deployed migrations were edited (add a new migration instead): {sorted(changed)}"
