"""OAuth2 and IAM credentials endpoints, and the bearer-token check every API call goes through."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from .errors import ApiError
from .protocol import Request, Response, json_response

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_LIFETIME = 3600
AUTHORIZED_USER = "authorized-user@example.com"
INVALID_CREDENTIALS = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
_WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}


@dataclass(frozen=True)
class TokenInfo:
    """Who a token belongs to, its scopes and when it stops working (epoch seconds)."""

    email: str
    scopes: tuple[str, ...]
    expires_at: float


class Tokens:
    """Issued access tokens (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, TokenInfo] = {}

    def issue(self, email: str, scopes: tuple[str, ...] = ()) -> str:
        """A new opaque access token for ``email``."""
        token = "ya29.emulator-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = TokenInfo(email, scopes, time.time() + TOKEN_LIFETIME)
        return token

    def lookup(self, token: str) -> TokenInfo | None:
        """The live token's info, or None for unknown/expired tokens."""
        with self._lock:
            info = self._tokens.get(token)
        if info is None or info.expires_at < time.time():
            return None
        return info

    def revoke_all(self) -> None:
        """Forget every token (the next API call answers 401, clients must refresh)."""
        with self._lock:
            self._tokens.clear()


class JwtError(ValueError):
    """The assertion is not a usable JWT."""


def _b64url(segment: str) -> bytes:
    """Decode base64url without padding."""
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwtError("segment is not base64url") from exc


def decode_jwt(assertion: str) -> dict[str, Any]:
    """The claims of a JWT (signature NOT verified); needs ``iss``, ``aud`` and ``exp``."""
    parts = assertion.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise JwtError("Invalid JWT: expected three dot-separated segments")
    try:
        header = json.loads(_b64url(parts[0]))
        claims = json.loads(_b64url(parts[1]))
    except (UnicodeDecodeError, ValueError) as exc:
        raise JwtError("Invalid JWT: header or payload is not JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JwtError("Invalid JWT: header and payload must be JSON objects")
    missing = [name for name in ("iss", "aud", "exp") if name not in claims]
    if missing:
        raise JwtError(f"Invalid JWT: missing claim(s) {', '.join(missing)}")
    if not isinstance(claims["exp"], int | float):
        raise JwtError("Invalid JWT: exp must be a number")
    return claims


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    """OAuth2's own error shape (not the Cloud ``{"error": {...}}`` one)."""
    return json_response({"error": error, "error_description": description}, status)


def _form(req: Request) -> dict[str, str]:
    """The token request's form fields (JSON bodies accepted too)."""
    text = req.body.decode("utf-8", "replace")
    if req.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}


def token_endpoint(tokens: Tokens, req: Request) -> Response:
    """``POST /token``: JWT-bearer (service accounts) and refresh_token (authorized users).

    For a refresh_token grant the token belongs to the refresh token's text when it looks like
    an e-mail address, else to ``authorized-user@example.com``.
    """
    if req.method != "POST":
        return _oauth_error("invalid_request", "Token requests must use POST", 405)
    form = _form(req)
    grant = form.get("grant_type", "")
    if grant == JWT_BEARER:
        assertion = form.get("assertion", "")
        try:
            claims = decode_jwt(assertion)
        except JwtError as exc:
            return _oauth_error("invalid_grant", str(exc))
        if float(claims["exp"]) < time.time() - 60:
            return _oauth_error(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                "reasonable timeframe. Check your iat and exp values in the JWT claim.",
            )
        scopes = tuple(str(claims.get("scope", "")).split())
        token = tokens.issue(str(claims["iss"]), scopes)
    elif grant == "refresh_token":
        refresh = form.get("refresh_token", "")
        if not refresh or not form.get("client_id"):
            return _oauth_error("invalid_request", "Missing required parameter: refresh_token")
        email = refresh if "@" in refresh else AUTHORIZED_USER
        token = tokens.issue(email, tuple(form.get("scope", "").split()))
    else:
        return _oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant}")
    return json_response(
        {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}
    )


def authenticate(tokens: Tokens, req: Request) -> str:
    """The caller's e-mail from ``Authorization: Bearer``; 401 like Google otherwise.

    Tokens issued by ``/token`` are accepted, and so are self-signed service-account JWTs
    (google-auth's ``always_use_jwt_access``), whose ``iss`` is the caller.
    """
    header = req.headers.get("authorization", "")
    if not header:
        raise ApiError(401, None, headers=dict(_WWW_AUTHENTICATE))
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        info = tokens.lookup(token)
        if info is not None:
            return info.email
        if token.count(".") == 2:
            try:
                claims = decode_jwt(token)
            except JwtError:
                claims = {}
            if claims and float(claims["exp"]) >= time.time():
                return str(claims["iss"])
    raise ApiError(401, INVALID_CREDENTIALS, headers=dict(_WWW_AUTHENTICATE))


def iam_endpoint(tokens: Tokens, req: Request) -> Response:
    """IAM credentials: ``allowedLocations`` (google-auth's regional access boundary lookup)
    and ``:generateAccessToken`` (impersonation)."""
    segments = [unquote(s) for s in req.segments]
    # v1 / projects / - / serviceAccounts / {email}[:action] [/ allowedLocations]
    if len(segments) >= 5 and segments[:4] == ["v1", "projects", "-", "serviceAccounts"]:
        account, _, action = segments[4].partition(":")
        if len(segments) == 6 and segments[5] == "allowedLocations" and req.method == "GET":
            return json_response({"locations": [], "encodedLocations": "0x0"})
        if len(segments) == 5 and action == "generateAccessToken" and req.method == "POST":
            authenticate(tokens, req)
            body = req.json_object()
            scopes = tuple(str(s) for s in body.get("scope") or [])
            token = tokens.issue(account, scopes)
            expiry = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=TOKEN_LIFETIME)
            return json_response(
                {"accessToken": token, "expireTime": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}
            )
    raise ApiError(404, f"Method not found: {req.method} {req.path}", "NOT_FOUND")
