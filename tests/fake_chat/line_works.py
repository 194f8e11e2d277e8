"""LINE WORKS API 2.0: POST /oauth2/v2.0/token (a service-account JWT, RS256, for an access
token; the JWT's signature and claims are checked) and POST
/v1.0/bots/<bot>/channels/<channel>/messages with that bearer token and text content."""

from __future__ import annotations

import time
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt

from .base import Answer, FakeChat, Request, content_type, require

BOT = "2000001"
CHANNEL = "a1b2c3d4-5e6f-7a8b-9c0d-sakura000001"
CLIENT_ID = "lwClientIdXXXXXXXX"
CLIENT_SECRET = "lwS3cretXXXXXXXX"
SERVICE_ACCOUNT = "abcd1.serviceaccount@sakura-coffee"


def private_key_pem() -> tuple[str, str]:
    """A fresh RSA key pair as PEM: (the private key the client signs with, its public key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private, public


class FakeLineWorks(FakeChat):
    def __init__(self, public_key: str) -> None:
        super().__init__()
        self.public_key = public_key
        self.tokens: list[str] = []  # issued, in order
        self.claims: list[dict[str, Any]] = []  # of each accepted assertion
        self.messages: list[str] = []
        self.expires_in = 86_400

    @property
    def api(self) -> str:
        return f"{self.url}/v1.0"

    @property
    def auth(self) -> str:
        return f"{self.url}/oauth2/v2.0/token"

    def revoke_tokens(self) -> None:
        """Every token issued so far stops working (the API answers 401)."""
        self.tokens = [f"revoked:{token}" for token in self.tokens]

    def handle(self, request: Request) -> Answer:
        require(request.method == "POST", "method", 405)
        if request.path == "/oauth2/v2.0/token":
            return self._token(request)
        require(request.path == f"/v1.0/bots/{BOT}/channels/{CHANNEL}/messages", "NOT_FOUND", 404)
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        require(bearer in self.tokens, "UNAUTHORIZED", 401)
        require(content_type(request) == "application/json", "content type")
        content = request.json()["content"]
        require(content["type"] == "text" and 0 < len(content["text"]) <= 2000, "text")
        self.messages.append(content["text"])
        return Answer(201, "")

    def _token(self, request: Request) -> Answer:
        require(content_type(request) == "application/x-www-form-urlencoded", "form expected")
        form = request.form()
        require(form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer", "grant")
        require(form.get("client_id") == CLIENT_ID, "invalid_client", 401)
        require(form.get("client_secret") == CLIENT_SECRET, "invalid_client", 401)
        require(form.get("scope") in ("bot", "bot.message"), "invalid_scope")
        try:
            claims = jwt.decode(form.get("assertion", ""), certs=self.public_key, verify=True)
        except ValueError as error:
            require(False, f"invalid_grant: {error}")
        require(claims.get("iss") == CLIENT_ID and claims.get("sub") == SERVICE_ACCOUNT, "claims")
        require(0 < claims["exp"] - claims["iat"] <= 3600, "exp: at most 60 minutes")
        require(claims["iat"] <= time.time() + 60, "iat in the future")
        self.claims.append(claims)
        token = f"lwAccessT0ken{len(self.tokens) + 1}XXXXXXXXXXXX"
        self.tokens.append(token)
        answer = {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
        return Answer(200, {**answer, "scope": form["scope"]})
