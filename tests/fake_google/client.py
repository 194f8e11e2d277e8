"""Client-side helpers: point real gspread + google-auth at the emulator, mint service accounts."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gspread
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2 import service_account
from gspread.http_client import HTTPClient
from gspread.utils import convert_credentials
from requests.adapters import HTTPAdapter

GOOGLE_ORIGINS = (
    "https://sheets.googleapis.com",
    "https://www.googleapis.com",
    "https://oauth2.googleapis.com",
    "https://iamcredentials.googleapis.com",
)
DEFAULT_SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
DEFAULT_EMAIL = "sheets-sync@emulator-project.iam.gserviceaccount.com"


class EmulatorAdapter(HTTPAdapter):
    """A transport adapter that sends ``https://<google host>/path`` to ``http://host:port/path``.

    Proxies are bypassed: the environment's proxy settings were chosen for the Google host.
    ``base`` is listed in ``__attrs__`` so the adapter survives ``copy.deepcopy`` (google-auth
    deep-copies the token session for its background regional-access-boundary lookup, and
    ``HTTPAdapter`` only pickles the attributes named there).
    """

    # HTTPAdapter declares __attrs__ as a plain list attribute; extend it the same way.
    __attrs__ = [*HTTPAdapter.__attrs__, "base"]  # noqa: RUF012

    def __init__(self, host_port: str) -> None:
        super().__init__()
        self.base = f"http://{host_port}"

    # The requests stub spells out every keyword of send(); this override forwards them all.
    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        """Rewrite scheme and host, keep path and query, then send."""
        url = request.url or ""
        parts = urlsplit(url)
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        request.url = self.base + rest
        kwargs["proxies"] = {}
        return super().send(request, **kwargs)


def mount_emulator(session: requests.Session, host_port: str) -> None:
    """Route every Google API origin used by gspread/google-auth through the emulator."""
    adapter = EmulatorAdapter(host_port)
    for origin in GOOGLE_ORIGINS:
        session.mount(origin + "/", adapter)


def emulator_http_client(host_port: str, base: type[HTTPClient] = HTTPClient) -> type[HTTPClient]:
    """An ``HTTPClient`` subclass (of ``base``, e.g. ``gspread.BackOffHTTPClient``) whose API
    session, and the session google-auth refreshes tokens with, talk to the emulator at
    ``host_port`` (only public hooks are used: ``AuthorizedSession(auth_request=...)`` and
    ``requests.Session.mount``).

    Use it through gspread's documented hook: ``gspread.authorize(creds, http_client=cls)``
    or ``gspread.Client(auth=creds, http_client=cls)``.
    """

    # mypy cannot check a base class held in a variable; ``base`` is an HTTPClient subclass.
    class EmulatorHTTPClient(base):  # type: ignore[valid-type,misc]
        """gspread HTTP client bound to the emulator."""

        def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
            if session is not None:
                super().__init__(auth, session)
            else:
                # google-auth refreshes tokens through its own session (``auth_request``);
                # give it one that also goes to the emulator.
                credentials = convert_credentials(auth)
                token_session = requests.Session()
                mount_emulator(token_session, host_port)
                # AuthorizedSession.__init__ is unannotated in google-auth.
                authorized = AuthorizedSession(  # type: ignore[no-untyped-call]
                    credentials, auth_request=Request(token_session)
                )
                super().__init__(auth, authorized)
                self.auth = credentials
            mount_emulator(self.session, host_port)

    EmulatorHTTPClient.__name__ = f"Emulator{base.__name__}"
    EmulatorHTTPClient.__qualname__ = EmulatorHTTPClient.__name__
    return EmulatorHTTPClient


@functools.lru_cache(maxsize=1)
def _private_key_pem() -> str:
    """One RSA key per process (generating keys is the slow part of a test)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def service_account_info(
    token_uri: str, email: str = DEFAULT_EMAIL, project_id: str = "emulator-project"
) -> dict[str, str]:
    """A service-account key dict (real RSA key) whose ``token_uri`` is the emulator's."""
    return {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": _private_key_pem(),
        "client_email": email,
        "client_id": "100000000000000000000",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": (
            "https://www.googleapis.com/robot/v1/metadata/x509/" + email.replace("@", "%40")
        ),
        "universe_domain": "googleapis.com",
    }


def make_service_account_file(
    path: str | Path,
    token_uri: str,
    email: str = DEFAULT_EMAIL,
    project_id: str = "emulator-project",
) -> Path:
    """Write a service-account JSON file for the emulator and return its path."""
    target = Path(path)
    info = service_account_info(token_uri, email, project_id)
    target.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return target


def emulator_credentials(
    service_account_file: str | Path, scopes: tuple[str, ...] = DEFAULT_SCOPES
) -> service_account.Credentials:
    """google-auth credentials from a service-account file (as the project would load them)."""
    # google-auth leaves this factory unannotated.
    credentials: service_account.Credentials = (
        service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(service_account_file), scopes=list(scopes)
        )
    )
    return credentials


def emulator_client(
    host_port: str,
    service_account_file: str | Path,
    scopes: tuple[str, ...] = DEFAULT_SCOPES,
    base: type[HTTPClient] = HTTPClient,
) -> gspread.Client:
    """A real ``gspread.Client`` whose traffic goes to the emulator at ``host_port``."""
    credentials = emulator_credentials(service_account_file, scopes)
    return gspread.authorize(credentials, http_client=emulator_http_client(host_port, base))
