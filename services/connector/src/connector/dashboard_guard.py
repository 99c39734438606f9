"""Dashboard request forgery defences: a same-origin check on every POST, a CSRF token in every
form (double submit: an HttpOnly, SameSite=Strict cookie and a hidden field that must match),
and the session cookie's flags."""
from __future__ import annotations

import hmac
import re
import secrets
from html import escape
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

CSRF_COOKIE = "sb_dashboard_csrf"
CSRF_FIELD = "csrf"
FORM_TAG = re.compile(r"(<form\b[^>]*>)", re.IGNORECASE)


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}".lower()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _csrf_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def render(request: Request, html: str, status_code: int = 200) -> HTMLResponse:
    """The page with the session's CSRF token in every form (and the CSRF cookie set when new)."""
    token = _csrf_token(request)
    field = f"<input type='hidden' name='{CSRF_FIELD}' value='{escape(token)}'>"
    response = HTMLResponse(FORM_TAG.sub(lambda tag: tag.group(1) + field, html), status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                            path="/dashboard")
    return response


async def refuse(request: Request) -> Response | None:
    """A 403 page unless the POST comes from our own origin and carries the session's CSRF token."""
    claimed = request.headers.get("origin") or _origin_of(request.headers.get("referer", ""))
    if claimed is None or claimed.lower() != _own_origin(request):
        return _forbidden("This form was not sent from the suitebridge dashboard.")
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = (await request.form()).get(CSRF_FIELD, "")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        return _forbidden("This form has expired. Reload the page and try again.")
    return None


def _forbidden(message: str) -> HTMLResponse:
    return HTMLResponse(f"<!DOCTYPE html><html><body><h1>Forbidden</h1><p id='error'>{escape(message)}</p>"
                        "</body></html>", status_code=403)


def start_session(request: Request, response: Response, cookie: str, token: str, max_age_s: int) -> None:
    response.set_cookie(cookie, token, max_age=max_age_s, httponly=True, samesite="strict",
                        secure=_secure(request), path="/")
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), httponly=True, samesite="strict",
                        secure=_secure(request), path="/dashboard")


def end_session(response: Response, cookie: str) -> None:
    response.delete_cookie(cookie, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/dashboard")


def sign_out_form(tenant_id: str) -> str:
    return (f"<section id='session'><form method='post' action='/dashboard/logout?tenant={escape(quote(tenant_id, safe=''))}'>"
            "<button type='submit' id='sign-out'>Sign out</button></form></section>")
