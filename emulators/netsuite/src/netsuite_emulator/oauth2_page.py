"""The OAuth 2.0 authorize page (authorization code + PKCE S256) on the app host."""

import html
import secrets
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from netsuite_emulator.accounts import Account
from netsuite_emulator.config import EmulatorConfig

SCOPES = {"rest_webservices", "restlets", "suite_analytics"}
CODE_TTL_S = 600

PAGE = """<!DOCTYPE html>
<html><head><title>NetSuite - Authorize</title></head>
<body>
<h1>Grant access</h1>
<p>The application <b>suitebridge</b> requests access to your NetSuite account.</p>
<dl><dt>Account</dt><dd id="account">{account}</dd>
<dt>Role</dt><dd id="role">Administrator (3)</dd>
<dt>Scope</dt><dd id="scope">{scope}</dd></dl>
<form method="post" action="{action}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></body></html>"""


def _redirect(redirect_uri: str, params: dict) -> Response:
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(params)}", status_code=302)


def _error_page(message: str) -> Response:
    return HTMLResponse(f"<html><body><h1>Error</h1><p>{html.escape(message)}</p></body></html>", 400)


def _validate(config: EmulatorConfig, query) -> Response | None:
    if query.get("client_id") != config.oauth_client_id:
        return _error_page("Invalid login attempt. The client_id is unknown (UnknownIntegration).")
    redirect_uri = query.get("redirect_uri", "")
    if redirect_uri not in config.oauth_redirect_uris:
        return _error_page("Invalid login attempt. The redirect_uri is not registered (InvalidRedirectURI).")
    state = query.get("state", "")
    error = None
    if query.get("response_type") != "code":
        error = "unsupported_response_type"
    elif not set(query.get("scope", "").split()) or not set(query.get("scope", "").split()) <= SCOPES:
        error = "invalid_scope"
    elif not 22 <= len(state) <= 1024:
        error = "invalid_request"
    elif query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
        error = "invalid_request"
    return _redirect(redirect_uri, {"error": error, "state": state}) if error else None


async def authorize(request: Request, account: Account, config: EmulatorConfig, codes: dict) -> Response:
    query = request.query_params
    invalid = _validate(config, query)
    if invalid:
        return invalid
    if request.method == "GET":
        action = html.escape(str(request.url.path) + ("?" + request.url.query if request.url.query else ""))
        return HTMLResponse(PAGE.format(account=html.escape(account.account_id),
                                        scope=html.escape(query["scope"]), action=action))
    form = await request.form()
    state = query["state"]
    if form.get("decision") != "allow":
        return _redirect(query["redirect_uri"], {"error": "access_denied", "state": state})
    code = secrets.token_urlsafe(48)
    codes[code] = {
        "account_id": account.account_id, "redirect_uri": query["redirect_uri"],
        "challenge": query["code_challenge"], "scope": query["scope"].split(),
        "expires": account.clock.epoch() + CODE_TTL_S,
    }
    return _redirect(query["redirect_uri"], {
        "state": state, "role": "3", "entity": "-5", "company": account.account_id, "code": code})
