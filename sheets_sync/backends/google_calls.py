"""Google's side of every call, Sheets and Drive alike: the credentials, a client whose HTTP goes
through our retries, and the one place a failure becomes a SheetAccessError that says what to do
(what it says depends on what was asked: a spreadsheet, or the Drive change feed)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Final, Protocol

import google.auth
import gspread
import requests
from google.auth.exceptions import DefaultCredentialsError
from google.oauth2 import service_account
from gspread.exceptions import APIError

from ..config import Config
from ..errors import SheetAccessError
from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import Phrase
from .google_http import RetriesExhausted, RetryingHTTPClient, is_sign_in_outage

SCOPES: Final = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.file",
)
DEFAULT_CREDENTIALS: Final = "application-default"


def credentials_file(config: Config | None, explicit: Path | None = None) -> Path | None:
    """The service-account key a run uses: `explicit`, the config's, else the file named by
    GOOGLE_APPLICATION_CREDENTIALS; None means Application Default Credentials."""
    path = explicit or (config.credentials_path() if config else None)
    if path is None and os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        path = Path(os.environ["GOOGLE_APPLICATION_CREDENTIALS"])
    return path


def load_credentials(config: Config | None, explicit: Path | None = None) -> Any:
    """Service-account JSON from the config, else GOOGLE_APPLICATION_CREDENTIALS, else ADC."""
    path = credentials_file(config, explicit)
    if path is not None:
        try:
            # utf-8-sig: a key saved in Windows Notepad starts with a BOM (so may the config).
            info = json.loads(path.read_text(encoding="utf-8-sig"))
            if not isinstance(info, dict):  # a list or a bare string: no key can be in it
                raise SheetAccessError(
                    "google_key_unusable",
                    path=path,
                    kind="JSON",
                    detail=Phrase("error.google_key_not_object", {}),
                )
            return service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
        except FileNotFoundError:
            raise SheetAccessError("google_key_missing", path=path) from None
        except OSError as error:  # a folder, or a file the job's user may not read
            raise SheetAccessError(
                "google_key_unreadable", path=path, detail=error.strerror or type(error).__name__
            ) from None
        except (ValueError, KeyError, TypeError) as error:
            raise SheetAccessError(
                "google_key_unusable",
                path=path,
                kind=type(error).__name__,
                detail=first_line(error),
            ) from None
    try:
        credentials, _ = google.auth.default(scopes=list(SCOPES))
    except DefaultCredentialsError:
        raise SheetAccessError("google_no_credentials") from None
    return credentials


def make_client(
    credentials: Any, *, policy: RetryPolicy | None = None, limiter: RateLimiter | None = None
) -> gspread.Client:
    """A gspread client whose HTTP goes through our retrying, rate-limited client."""
    client = gspread.Client(auth=credentials, http_client=RetryingHTTPClient)
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)
    if policy is not None:
        http.policy = policy
    http.limiter = limiter
    return client


def account_email(credentials: Any) -> str:
    """The service account's address ("" for credentials that have none)."""
    return str(getattr(credentials, "service_account_email", "") or "")


def first_line(error: BaseException, limit: int = 200) -> str:
    """The error's first line, cut at a word (never mid-word) when longer than `limit`."""
    text = str(error).splitlines()[0] if str(error).strip() else ""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(maxsplit=1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + " …"


def said(error: SheetAccessError) -> str:
    """What Google itself said in a refusal (empty for any other failure)."""
    return str(error.phrase.fields.get("said", ""))


# -- what a call was about: how its failures read ------------------------------------------------
class Subject(Protocol):
    """What a call asked Google about; each failure reads as what to do about that."""

    def refused(self, error: APIError) -> SheetAccessError:
        """Google answered with an error status."""
        ...

    def kept_failing(self, error: RetriesExhausted) -> SheetAccessError:
        """Every attempt the retry policy allows failed."""
        ...

    def unreachable(self, error: requests.RequestException) -> SheetAccessError:
        """No answer at all (not retryable, e.g. a TLS failure)."""
        ...

    def key_refused(self, error: Exception) -> SheetAccessError:
        """Google refused the service-account key."""
        ...

    def not_json(self) -> SheetAccessError:
        """The answer was not JSON (a proxy or a captive portal in the way)."""
        ...


class Spreadsheet:
    """A call about one spreadsheet (`key`), made as the service account `email`."""

    def __init__(self, key: str, email: str) -> None:
        self.key = key
        self.email = email

    def refused(self, error: APIError) -> SheetAccessError:
        status = error.response.status_code
        text = str(error.error.get("message", "")) if isinstance(error.error, dict) else ""
        reason = json.dumps(error.error)
        if status == 403 and ("SERVICE_DISABLED" in reason or "has not been used" in text):
            return SheetAccessError("google_api_disabled", said=text)
        if status == 403:
            return SheetAccessError("google_not_shared", key=self.key, email=self.email)
        if status == 404:
            return SheetAccessError("google_sheet_not_found", key=self.key)
        if status == 401:
            return SheetAccessError("google_credentials_refused")
        return SheetAccessError("google_answered", status=status, key=self.key, said=text)

    def kept_failing(self, error: RetriesExhausted) -> SheetAccessError:
        failure = Phrase(
            "error.google_attempts",
            {"reason": error.reason, "attempts": error.attempts, "seconds": f"{error.seconds:.0f}"},
        )
        return SheetAccessError("google_kept_failing", key=self.key, failure=failure)

    def unreachable(self, error: requests.RequestException) -> SheetAccessError:
        return SheetAccessError("google_unreachable", kind=type(error).__name__)

    def key_refused(self, error: Exception) -> SheetAccessError:
        return SheetAccessError("google_key_refused", detail=first_line(error))

    def not_json(self) -> SheetAccessError:
        return SheetAccessError("google_not_json", key=self.key)


def call(http: RetryingHTTPClient, subject: Subject, method: str, url: str, **kwargs: Any) -> Any:
    """One API call, through the retry policy; its JSON answer ({} for none), or every failure
    turned into a SheetAccessError that says what to do about `subject`."""
    try:
        response = http.request(method, url, **kwargs)
    except RetriesExhausted as error:
        if error.sign_in:
            raise sign_in_unreachable(error) from None
        raise subject.kept_failing(error) from None
    except APIError as error:
        raise subject.refused(error) from None
    except requests.RequestException as error:
        raise subject.unreachable(error) from None
    except Exception as error:  # google-auth's RefreshError and friends
        if is_sign_in_outage(error):
            raise sign_in_unreachable(error) from None
        if type(error).__module__.startswith("google.auth"):
            raise subject.key_refused(error) from None
        raise
    try:
        return response.json() if response.content else {}
    except ValueError:
        raise subject.not_json() from None


_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def _network_reason(error: BaseException) -> str:
    """ "Connection refused", "Name or service not known", "503 …" — the root of a network
    failure, not requests' 300-character wrapper."""
    text = str(error)
    match = _ERRNO_TEXT.search(text)
    if match:
        return match.group(1).strip()
    return first_line(error, 120)


def sign_in_unreachable(error: BaseException) -> SheetAccessError:
    """Getting an access token failed for the network's sake: say so, not "key revoked"."""
    cause = error.__cause__ if isinstance(error, RetriesExhausted) else error
    reason = _network_reason(cause) if cause is not None else ""
    detail = Phrase("error.google_detail", {"detail": reason}) if reason else ""
    return SheetAccessError("google_sign_in_unreachable", detail=detail)
