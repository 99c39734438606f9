"""OAuth 2.0 token endpoint (authorization_code with PKCE, refresh_token), revocation and
Bearer validation."""

import base64
import hashlib
import hmac
import json

from starlette.requests import Request
from starlette.responses import Response

from netsuite_emulator.accounts import Account
from netsuite_emulator.config import EmulatorConfig
from netsuite_emulator.tokens import TokenIssuer


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status, {"Cache-Control": "no-store"}, media_type="application/json")


def _error(error: str, status: int = 400) -> Response:
    return _json({"error": error}, status)


def _client_ok(request: Request, form, config: EmulatorConfig) -> bool:
    header = request.headers.get("authorization", "")
    client_id, secret = form.get("client_id"), form.get("client_secret")
    if header.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:].strip()).decode().partition(":")
        except ValueError:
            return False
    return (hmac.compare_digest(client_id or "", config.oauth_client_id)
            and hmac.compare_digest(secret or "", config.oauth_client_secret))


def pkce_matches(verifier: str, challenge: str) -> bool:
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return hmac.compare_digest(digest, challenge)


class OAuth2Service:
    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.issuer = TokenIssuer()
        self.codes: dict[str, dict] = {}

    async def token(self, request: Request, account: Account) -> Response:
        form = await request.form()
        if not _client_ok(request, form, self.config):
            return _error("invalid_client", 401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._exchange_code(form, account)
        if grant == "refresh_token":
            return self._refresh(form, account)
        return _error("unsupported_grant_type")

    def _exchange_code(self, form, account: Account) -> Response:
        grant = self.codes.pop(form.get("code", ""), None)
        if (grant is None or grant["account_id"] != account.account_id or grant["expires"] < account.clock.epoch()
                or grant["redirect_uri"] != form.get("redirect_uri")
                or not pkce_matches(form.get("code_verifier", ""), grant["challenge"])):
            return _error("invalid_grant")
        refresh, claims = self.issuer.issue(account.account_id, self.config.oauth_client_id, grant["scope"],
                                            "r", account.refresh_token_ttl_s, account.clock.epoch())
        account.refresh_tokens[claims["jti"]] = claims["exp"]
        access = self._access_token(account, grant["scope"], claims["oit"])
        return _json({"access_token": access, "refresh_token": refresh,
                      "expires_in": str(account.access_token_ttl_s), "token_type": "bearer"})

    def _refresh(self, form, account: Account) -> Response:
        claims = self.issuer.decode(form.get("refresh_token", ""))
        expiry = account.refresh_tokens.get(claims["jti"]) if claims else None
        if expiry is None or expiry < account.clock.epoch():
            return _error("invalid_grant")
        access = self._access_token(account, claims["scope"], claims["oit"])
        # Confidential clients keep their refresh token: no rotation, lifetime from first consent.
        return _json({"access_token": access, "expires_in": str(account.access_token_ttl_s),
                      "token_type": "bearer"})

    def _access_token(self, account: Account, scope: list[str], original_issue: int) -> str:
        token, claims = self.issuer.issue(account.account_id, self.config.oauth_client_id, scope, "a",
                                          account.access_token_ttl_s, account.clock.epoch(), original_issue)
        account.access_tokens[claims["jti"]] = claims["exp"]
        return token

    async def revoke(self, request: Request, account: Account) -> Response:
        form = await request.form()
        if not _client_ok(request, form, self.config):
            return _error("invalid_client", 401)
        claims = self.issuer.decode(form.get("token", ""))
        if claims:
            account.refresh_tokens.pop(claims["jti"], None)
            account.access_tokens.pop(claims["jti"], None)
        return Response(status_code=200)

    def bearer_valid(self, token: str, account: Account, scope: str) -> bool:
        claims = self.issuer.decode(token)
        if not claims or f"{claims['aud'][0].split(';')[-1]}" != account.account_id:
            return False
        expiry = account.access_tokens.get(claims["jti"])
        return expiry is not None and expiry >= account.clock.epoch() and scope in claims["scope"]
