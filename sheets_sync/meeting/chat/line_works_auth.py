"""LINE WORKS API 2.0 sign-in: a service-account JWT (RS256, signed with google-auth's signer)
exchanged for an access token, which is kept in this process until shortly before it expires.

The cache lives as long as the process: one `sync` signs in once per channel, `sync-all` and
`watch` share the token between runs (an access token lasts 24 hours). A refused token (401)
is forgotten and fetched again once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from google.auth import crypt, jwt

from ...errors import ChatError
from ...util.redact import remember_secret
from .http import ChatHttp

GRANT_TYPE: Final = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE: Final = "bot"  # the Bot API's scope (bot.message would do for messages alone)
JWT_SECONDS: Final = 3600  # LINE WORKS accepts an assertion valid for at most 60 minutes
EARLY_SECONDS: Final = 300  # a token is renewed this long before it expires
DEFAULT_TOKEN_SECONDS: Final = 86_400  # when the answer gives no expires_in (24 hours, per docs)


@dataclass(frozen=True)
class ServiceAccount:
    """What signing in needs: where, the app's client id and secret, the service account and
    its private key (PEM)."""

    auth_url: str
    client_id: str
    client_secret: str
    account: str
    private_key: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.auth_url, self.client_id, self.account)


_TOKENS: dict[tuple[str, str, str], tuple[str, float]] = {}
_LOCK = threading.Lock()


def assertion(account: ServiceAccount, now: float) -> str:
    """The signed JWT: iss = the client id, sub = the service account, iat/exp in seconds
    (ValueError when the key is no RSA private key)."""
    signer = crypt.RSASigner.from_string(account.private_key)
    claims = {
        "iss": account.client_id,
        "sub": account.account,
        "iat": int(now),
        "exp": int(now) + JWT_SECONDS,
    }
    return bytes(jwt.encode(signer, claims)).decode("ascii")


def access_token(
    account: ServiceAccount, http: ChatHttp, clock: Callable[[], float] = time.time
) -> str:
    """A valid access token: the cached one, or a new one from the token endpoint."""
    now = clock()
    with _LOCK:
        cached = _TOKENS.get(account.key)
    if cached is not None and cached[1] > now:
        return cached[0]
    try:
        signed = assertion(account, now)
    except (ValueError, TypeError, IndexError):
        raise ChatError(
            "chat_key_rejected", channel=http.target.channel.id, service=http.target.service
        ) from None
    form = {
        "assertion": signed,
        "grant_type": GRANT_TYPE,
        "client_id": account.client_id,
        "client_secret": account.client_secret,
        "scope": SCOPE,
    }
    answer = http.post(account.auth_url, form=form)
    try:
        data = answer.json()
        token = str(data["access_token"])
        seconds = float(data.get("expires_in") or DEFAULT_TOKEN_SECONDS)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ChatError(
            "chat_sign_in_answer", channel=http.target.channel.id, service=http.target.service
        ) from None
    remember_secret(token)
    with _LOCK:
        _TOKENS[account.key] = (token, now + max(0.0, seconds - EARLY_SECONDS))
    return token


def forget(account: ServiceAccount) -> None:
    """Drop a token the API refused, so the next call signs in again."""
    with _LOCK:
        _TOKENS.pop(account.key, None)
