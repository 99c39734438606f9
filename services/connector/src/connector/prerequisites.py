"""R16: what an account lacks before the connector can sync, told apart and said in plain words.

Three different problems answer differently (docs/decisions/connector-prerequisites.md):
- REST web services off: every REST call is refused (no SuiteQL at all);
- the role lacks a permission: SuiteQL answers ``Record 'X' was not found.`` (or ``Invalid
  search type``) for that record only;
- the bundle is missing: its RESTlet answers ``SSS_INVALID_SCRIPTLET_ID`` (404).
"""
from __future__ import annotations

from netsuite_client import AuthenticationError, NetSuiteClient, NotFoundError, PermanentNetSuiteError

from connector.errors import PrerequisiteMissing

# One cheap query per record the connector reads, and the permission a NetSuite admin grants for it
# (Setup > Users/Roles > Manage Roles > the role > Permissions).
PERMISSION_QUERIES = (
    ("account", "SELECT id FROM account WHERE ROWNUM <= 1", "Accounts (Lists)"),
    ("customer", "SELECT id FROM customer WHERE ROWNUM <= 1", "Customers (Lists)"),
    ("transaction", "SELECT id FROM transaction WHERE ROWNUM <= 1",
     "Find Transaction and Invoice (Transactions)"),
    ("currency", "SELECT id FROM currency WHERE ROWNUM <= 1",
     "Currency (Lists; the account also needs the Multiple Currencies feature)"),
    ("deletedrecord", "SELECT recordid FROM deletedrecord WHERE ROWNUM <= 1", "Deleted Records"),
)
NO_PERMISSION_SIGNS = ("Record '{record}' was not found", "Invalid search type")
BUNDLE_MISSING_CODES = {"SSS_INVALID_SCRIPTLET_ID", "INVALID_LOGIN_INVALID_SCRIPT_ID"}
NO_INVOICE_ACCESS = "SB_NO_INVOICE_ACCESS"


def token_auth_off(account_id: str) -> str:
    return (f"Token-based authentication is not enabled in NetSuite account {account_id} (or the role lacks "
            "the 'Log in using OAuth 2.0 Access Tokens' permission). Enable it at Setup > Company > "
            "Enable Features > SuiteCloud > Manage Authentication, then connect again.")


def rest_off(account_id: str) -> str:
    return (f"REST web services are not enabled in NetSuite account {account_id}. Enable them at Setup > "
            "Company > Enable Features > SuiteCloud > SuiteTalk (Web Services), then connect again.")


def permissions_lacking(account_id: str, permissions: list[str]) -> str:
    named = "; ".join(permissions)
    return (f"The role used to connect NetSuite account {account_id} lacks permission for: {named}. "
            "Add them at Setup > Users/Roles > Manage Roles (the role's Permissions tab), then connect again.")


def bundle_missing(account_id: str) -> str:
    return (f"The suitebridge bundle is not installed in NetSuite account {account_id}. Install it from "
            "Customization > SuiteBundler > Search & Install Bundles, then connect again.")


def restlet_refused(account_id: str) -> str:
    return (f"The role used to connect cannot run the suitebridge bundle's RESTlet in NetSuite account "
            f"{account_id}. Give it access to the bundle's script deployment, then connect again.")


def no_invoice_access(account_id: str) -> str:
    return (f"The role used to connect NetSuite account {account_id} lacks permission for: Invoice (View) "
            "(Transactions), which the suitebridge bundle needs to render invoice PDFs. Add it at Setup > "
            "Users/Roles > Manage Roles, then connect again.")


def bundle_unexpected(account_id: str, what: str) -> str:
    return (f"The suitebridge bundle in NetSuite account {account_id} answered unexpectedly ({what}). "
            "Update the bundle to its latest version, then connect again.")


def lacks_permission(error: PermanentNetSuiteError, record: str) -> bool:
    detail = error.detail or ""
    return any(sign.format(record=record).lower() in detail.lower() for sign in NO_PERMISSION_SIGNS)


async def check_records(client: NetSuiteClient, account_id: str) -> None:
    """Read one row of every record the connector needs; name every missing permission at once."""
    lacking = []
    for record, query, permission in PERMISSION_QUERIES:
        try:
            await client.suiteql.query_page(query, limit=1, offset=0)
        except AuthenticationError as error:
            raise PrerequisiteMissing(token_auth_off(account_id)) from error
        except PermanentNetSuiteError as error:
            if not lacks_permission(error, record):
                raise PrerequisiteMissing(rest_off(account_id)) from error
            lacking.append(permission)
    if lacking:
        raise PrerequisiteMissing(permissions_lacking(account_id, lacking))


async def check_bundle(client: NetSuiteClient, account_id: str, script: str, deploy: str) -> None:
    """The bundle's RESTlet answers ``ping=1`` with ``{"ok": true, "script": ...}`` without rendering."""
    try:
        answer = await client.restlet_get(script, deploy, ping="1")
    except NotFoundError as error:
        raise PrerequisiteMissing(bundle_missing(account_id)) from error
    except AuthenticationError as error:
        raise PrerequisiteMissing(restlet_refused(account_id)) from error
    except PermanentNetSuiteError as error:
        if error.code in BUNDLE_MISSING_CODES:
            raise PrerequisiteMissing(bundle_missing(account_id)) from error
        if error.code == NO_INVOICE_ACCESS:
            raise PrerequisiteMissing(no_invoice_access(account_id)) from error
        raise PrerequisiteMissing(bundle_unexpected(account_id, error.code or error.detail[:200])) from error
    if not (isinstance(answer, dict) and answer.get("ok") is True and answer.get("script") == script):
        raise PrerequisiteMissing(bundle_unexpected(account_id, "no answer to ping"))
