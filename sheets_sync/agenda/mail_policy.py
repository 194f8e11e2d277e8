"""The e-mail policy for every mail the sync sends: SMTP's, with a Subject that round-trips."""

from __future__ import annotations

from email.header import Header
from email.policy import EmailPolicy
from typing import Any, Final


class SubjectSafePolicy(EmailPolicy):
    """`email.policy.SMTP`, except that a non-ASCII Subject is folded by `email.header.Header`.

    The standard folder can drop or double a space where a fold falls next to an encoded word
    ("— サイクル4" arrived as "—サイクル4"). `Header` encodes the whole subject, spaces
    included, in UTF-8 encoded words (RFC 2047) cut at character boundaries; the whitespace
    between encoded words is ignored when read, so the subject reads back exactly.
    """

    def fold(self, name: str, value: Any) -> str:
        folded = self._fold_subject(name, value)
        return folded if folded is not None else super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        folded = self._fold_subject(name, value)
        return folded.encode("ascii") if folded is not None else super().fold_binary(name, value)

    def _fold_subject(self, name: str, value: Any) -> str | None:
        text = str(value)
        if name.lower() != "subject" or text.isascii():
            return None
        encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"


MAIL_POLICY: Final = SubjectSafePolicy(linesep="\r\n")  # as policy.SMTP: CRLF line ends
