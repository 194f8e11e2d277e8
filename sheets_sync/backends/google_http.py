"""HTTP to Google through gspread's `http_client=` hook: bounded retries, a shared rate limit,
and `SHEETS_EMULATOR_HOST` sending every Google call to a local emulator over plain HTTP."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import requests
from google.auth.exceptions import GoogleAuthError, TransportError
from google.auth.transport.requests import AuthorizedSession, Request
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from requests.adapters import HTTPAdapter

from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import tell

log = logging.getLogger("sheets_sync.google")

EMULATOR_ENV = "SHEETS_EMULATOR_HOST"
GOOGLE_HOSTS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
    "https://oauth2.googleapis.com",
    "https://iamcredentials.googleapis.com",
)
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = (10.0, 120.0)  # connect, read — a 20,000-row read takes a while


class _EmulatorAdapter(HTTPAdapter):
    """Sends https://*.googleapis.com requests to http://<emulator host> instead."""

    # google-auth deep-copies the token session; HTTPAdapter pickles only `__attrs__`.
    __attrs__ = [*HTTPAdapter.__attrs__, "host"]  # noqa: RUF012 - requests' own convention

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]  # requests' stub spells out every keyword
        url = request.url or ""
        for prefix in GOOGLE_HOSTS:
            if url.startswith(prefix):
                request.url = f"http://{self.host}" + url[len(prefix) :]
                kwargs["proxies"] = {}  # the emulator is on loopback: never via a proxy
                break
        return super().send(request, **kwargs)


def emulator_host() -> str | None:
    return os.environ.get(EMULATOR_ENV) or None


def _mount_emulator(session: requests.Session, host: str) -> None:
    adapter = _EmulatorAdapter(host)
    for prefix in GOOGLE_HOSTS:
        session.mount(prefix, adapter)


def authorized_session(credentials: Any) -> AuthorizedSession:
    """An AuthorizedSession whose API calls *and* token exchange honour SHEETS_EMULATOR_HOST."""
    host = emulator_host()
    if host is None:
        return AuthorizedSession(credentials)
    token_session = requests.Session()
    _mount_emulator(token_session, host)
    session = AuthorizedSession(credentials, auth_request=Request(token_session))
    _mount_emulator(session, host)
    return session


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with our retries: unlike gspread 6.2's BackOffHTTPClient it
    gives up after a bounded number of attempts and a bounded total time."""

    policy = RetryPolicy()
    limiter: RateLimiter | None = None
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
        super().__init__(auth, session if session is not None else authorized_session(auth))
        self.auth = auth
        self.timeout = DEFAULT_TIMEOUT
        self.retries = 0
        self.api_requests = 0

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            if self.limiter is not None:
                self.limiter.acquire()
            self.api_requests += 1
            try:
                return super().request(
                    method,
                    endpoint,
                    params=params,
                    data=data,
                    json=json,
                    files=files,
                    headers=headers,
                )
            except APIError as error:
                status = error.response.status_code
                if status not in RETRYABLE_STATUS:
                    raise
                retry_after = _retry_after(error.response)
                failure: Exception = error
                reason = f"HTTP {status}"
            except (requests.ConnectionError, requests.Timeout) as error:
                failure, reason, retry_after = error, type(error).__name__, None
            except GoogleAuthError as error:
                # The token call: unreachable (refused, DNS, timeout) or a 5xx after
                # google-auth's own retries is the network, retried like any call; a refusal of
                # the key itself (invalid_grant) is not retryable and goes up at once.
                if not is_sign_in_outage(error):
                    raise
                failure, reason, retry_after = error, SIGN_IN_OUTAGE, None
            delay = self.policy.delay(attempt, retry_after)
            elapsed = time.monotonic() - started
            if attempt >= self.policy.attempts or elapsed + delay > self.policy.total_seconds:
                raise RetriesExhausted(reason, attempt, elapsed) from failure
            self.retries += 1
            log.warning(
                "%s",
                tell(
                    "google.retry_sign_in" if reason == SIGN_IN_OUTAGE else "google.retry",
                    reason=reason,
                    method=method.upper(),
                    endpoint=_short(endpoint),
                    attempt=attempt,
                    delay=f"{delay:.1f}",
                ),
            )
            self.sleep(delay)


SIGN_IN_OUTAGE = "no answer from Google's sign-in service"


def is_sign_in_outage(error: BaseException) -> bool:
    """True when getting an access token failed for the network's sake (connection refused,
    DNS, timeout, 5xx), not because Google refused the key."""
    if isinstance(error, TransportError):
        return True
    return isinstance(error, GoogleAuthError) and bool(getattr(error, "retryable", False))


class RetriesExhausted(Exception):
    """Google kept failing after every retry the policy allows."""

    def __init__(self, reason: str, attempts: int, seconds: float) -> None:
        super().__init__(f"{reason} after {attempts} attempts over {seconds:.0f}s")
        self.reason = reason
        self.attempts = attempts
        self.seconds = seconds

    @property
    def sign_in(self) -> bool:
        """The failing call was the token exchange, not the Sheets API."""
        return self.reason == SIGN_IN_OUTAGE


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return min(float(value), 60.0) if value is not None else None
    except ValueError:
        return None


def _short(endpoint: str) -> str:
    return endpoint.split("?", 1)[0].removeprefix("https://sheets.googleapis.com")
