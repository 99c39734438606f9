"""R18: the NetSuite accounts to choose from, and the saved choice (validated, then published)."""
from __future__ import annotations

from contracts.envelope import envelope_fields
from contracts.setup import AccountSetupSaved, AccountSetupSavedData
from sb_runtime import outbox

from connector import store
from connector.deps import Deps
from connector.netsuite import NetSuiteReader, oneworld

TYPES = {"Bank": "bank", "OthCurrAsset": "other_current_asset", "Expense": "expense", "OthExpense": "expense",
         "Income": "income", "OthIncome": "income"}
# field -> (what it must be, the check)
RULES = {
    "undeposited_funds": ("the Undeposited Funds account", lambda account: account["special"] == "UndepFunds"),
    "deposit_bank": ("a bank account", lambda account: account["type"] == "bank"),
    "fee_expense": ("an expense account", lambda account: account["type"] == "expense"),
    "platform_income": ("an income account", lambda account: account["type"] == "income"),
}


class InvalidChoice(ValueError):
    """A chosen account is unknown or of the wrong kind (nothing was saved)."""


def account_item(row: dict) -> dict:
    return {"id": row["id"], "name": row.get("fullname") or row.get("acctnumber") or row["id"],
            "number": row.get("acctnumber"), "type": TYPES.get(row.get("accttype", ""), "other"),
            "special": row.get("sspecacct"), "currency": row.get("currency_code"),
            "subsidiary": row.get("subsidiary")}


def _reader(deps: Deps, tenant_id: str, account_id: str) -> NetSuiteReader:
    settings = deps.settings
    return NetSuiteReader(deps.connections.client(tenant_id, account_id), settings.page_size,
                          settings.pdf_script, settings.pdf_deploy)


async def list_accounts(deps: Deps, tenant_id: str, account_id: str, kind: str | None = None) -> list[dict]:
    reader = _reader(deps, tenant_id, account_id)
    has_subsidiaries = await oneworld(deps.oneworld, account_id, reader)
    items = [account_item(row) for row in await reader.accounts(has_subsidiaries)]
    return [item for item in items if kind is None or item["type"] == kind]


def validate(choice: dict, accounts: list[dict]) -> None:
    by_id = {account["id"]: account for account in accounts}
    problems = []
    for field, (wanted, check) in RULES.items():
        chosen = choice.get(field)
        if chosen is None:
            if field in ("undeposited_funds", "deposit_bank"):
                problems.append(f"{field} is required")
            continue
        account = by_id.get(str(chosen))
        if account is None:
            problems.append(f"{field}: there is no active NetSuite account {chosen}")
        elif not check(account):
            problems.append(f"{field}: account {chosen} ({account['name']}) is not {wanted}")
    if problems:
        raise InvalidChoice("; ".join(problems))


async def chosen_currencies(choice: dict, accounts: list[dict], base_currency) -> dict[str, str]:
    """Each chosen account's ISO currency: its own, else the company's base currency (asked at most once);
    a choice whose currency neither gives is left out (not known)."""
    by_id = {account["id"]: account for account in accounts}
    currencies, base = {}, None
    for field, chosen in choice.items():
        if chosen is None:
            continue
        currency = by_id[str(chosen)].get("currency")
        if not currency:
            base = base if base is not None else (await base_currency() or "")
            currency = base
        if currency:
            currencies[field] = currency
    return currencies


async def save(deps: Deps, tenant_id: str, account_id: str, choice: dict) -> dict:
    accounts = await list_accounts(deps, tenant_id, account_id)
    validate(choice, accounts)
    choice = {key: (str(value) if value is not None else None) for key, value in choice.items()}
    currencies = await chosen_currencies(choice, accounts, _reader(deps, tenant_id, account_id).base_currency)
    async with deps.pool.acquire() as connection, connection.transaction():
        saved_at = await store.save_setup(connection, tenant_id, account_id, choice, currencies)
        data = AccountSetupSavedData(netsuite_account_id=account_id, saved_at=saved_at, currencies=currencies,
                                     **choice)
        fields = envelope_fields("AccountSetupSaved", tenant_id, account_id, saved_at.isoformat())
        await outbox.add(connection, [outbox.from_event(AccountSetupSaved(**fields, data=data))])
    return {**choice, "currencies": currencies, "saved_at": saved_at.isoformat()}
