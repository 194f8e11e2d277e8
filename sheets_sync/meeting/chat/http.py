"""One chat channel's HTTP: a POST with bounded retries, and every failure turned into words.

429 waits as long as the service's `Retry-After` asks (or gives up when that is past the policy's
time, so a run never hangs on one channel); 5xx, 408 and network errors are retried with the
backoff the Google backend uses. A redirect is a refusal, never followed (it would carry the
token elsewhere and make a GET of the POST). This is the one place a chat's HTTP failure
becomes an error, and it says the channel, the service and what happened — never a URL (a
webhook URL is itself the secret) and never a library's own text (it quotes the URL).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import requests
import urllib3

from ...core.sends import Channel
from ...errors import ChatError
from ...util.pacing import RetryPolicy
from ...util.redact import redact
from ...words.core import Phrase, tell

log = logging.getLogger("sheets_sync.chat")

RETRYABLE: Final = frozenset({408, 429, 500, 502, 503, 504})
# Fewer and shorter waits than a sheet's: a run posts to a few channels one after the other,
# and a channel still down after a minute is retried by the next run anyway.
CHAT_RETRY: Final = RetryPolicy(attempts=4, base_seconds=1.0, cap_seconds=16.0, total_seconds=60.0)
TIMEOUT: Final = (10.0, 30.0)  # connect, each read
# An answer is read within these, however it trickles in (the read timeout alone is per read:
# a server sending a byte every 29 s would hold the run, and the client's lock, for ever).
ANSWER_SECONDS: Final = 30.0
ANSWER_BYTES: Final = 64 * 1024  # a service's answer is a few hundred bytes
REASON_CHARS: Final = 160


@dataclass(frozen=True)
class Target:
    """Which channel a request is for, as its words name it."""

    channel: Channel
    service: str  # Chatwork, Slack … (WORDS["chat.service.<kind>"])


class ChatHttp:
    """POSTs for one channel (each its own connection: a channel sends one or two a run)."""

    policy: RetryPolicy = CHAT_RETRY
    # Injectable, so tests of 429 and 5xx answers do not wait (like the Google client's).
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, target: Target) -> None:
        self.target = target

    def post(
        self,
        url: str,
        *,
        json_body: object = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """The service's 2xx answer, or ChatError once retrying is over (or pointless)."""
        started, attempt = self.clock(), 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                answer = self._send(url, json_body, form, headers, params)
            except requests.Timeout:
                reason: object = Phrase("chat.reason_timeout")
            except (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader, ValueError):
                # The request cannot even be made (a malformed address or header): the
                # settings are wrong, so retrying is pointless — and no traceback stops the run.
                raise ChatError(
                    "chat_request_invalid",
                    channel=self.target.channel.id,
                    service=self.target.service,
                ) from None
            except requests.RequestException:
                reason = Phrase("chat.reason_unreachable")
            else:
                if answer.status_code < 300:
                    return answer
                if answer.status_code not in RETRYABLE:
                    raise self._refused(answer) from None
                reason = f"HTTP {answer.status_code}"
                retry_after = _retry_after(answer)
            self._wait_or_give_up(attempt, started, reason, retry_after)

    def _send(
        self,
        url: str,
        json_body: object,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
    ) -> requests.Response:
        sent_headers = dict(headers or {})
        data: bytes | Mapping[str, str] | None = form
        if json_body is not None:
            # UTF-8 said out loud: Teams counts a body without a charset as UTF-16 (twice the size).
            sent_headers.setdefault("Content-Type", "application/json; charset=UTF-8")
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        # Never follow a redirect: requests would resend custom headers (Chatwork's token) to
        # whatever host it names, and turn a POST into a GET whose 200 looks like a post.
        answer = requests.post(
            url,
            data=data,
            headers=sent_headers,
            params=params,
            timeout=TIMEOUT,
            allow_redirects=False,
            stream=True,
        )
        answer._content = self._body(answer)
        return answer

    def _body(self, answer: requests.Response) -> bytes:
        """What the answer's body holds once ANSWER_SECONDS or ANSWER_BYTES are spent (its
        status already says whether the post was taken; the body only says more)."""
        deadline, body = self.clock() + ANSWER_SECONDS, bytearray()
        try:
            while len(body) < ANSWER_BYTES and self.clock() < deadline:
                piece = answer.raw.read1(4096, decode_content=True)
                if not piece:
                    break
                body += piece
        except (urllib3.exceptions.HTTPError, OSError):
            pass  # a body cut short: the status stands
        finally:
            answer.close()
        return bytes(body)

    def _wait_or_give_up(
        self, attempt: int, started: float, reason: object, retry_after: float | None
    ) -> None:
        delay = self.policy.delay(attempt, retry_after)
        elapsed = self.clock() - started
        if retry_after is not None and elapsed + retry_after > self.policy.total_seconds:
            raise ChatError(
                "chat_rate_limited",
                channel=self.target.channel.id,
                service=self.target.service,
                seconds=f"{retry_after:.0f}",
            ) from None
        if attempt >= self.policy.attempts or elapsed + delay > self.policy.total_seconds:
            raise ChatError(
                "chat_gave_up",
                channel=self.target.channel.id,
                service=self.target.service,
                reason=reason,
                attempts=attempt,
            ) from None
        log.warning(
            "%s",
            tell(
                "chat.retry",
                channel=self.target.channel.id,
                reason=reason,
                attempt=attempt,
                delay=f"{delay:.1f}",
            ),
        )
        self.sleep(delay)

    def _refused(self, answer: requests.Response) -> ChatError:
        return ChatError(
            "chat_refused",
            channel=self.target.channel.id,
            service=self.target.service,
            status=answer.status_code,
            reason=service_reason(answer),
        )


def service_reason(answer: requests.Response) -> str:
    """What the service said about a refusal, short and without secrets: Slack's error word,
    Chatwork's `errors`, LINE WORKS' `code`/`description`, Google's `error.message`."""
    try:
        data: Any = answer.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        found = data.get("errors") or data.get("description") or data.get("error") or data
        if isinstance(found, dict):
            found = found.get("message") or found.get("status") or found
        text = "; ".join(map(str, found)) if isinstance(found, list) else str(found)
    else:
        text = answer.text
    line = " ".join(text.split()) or (answer.reason or "")
    line = redact(line)
    return line if len(line) <= REASON_CHARS else line[: REASON_CHARS - 1] + "…"


def _retry_after(answer: requests.Response) -> float | None:
    value = answer.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
