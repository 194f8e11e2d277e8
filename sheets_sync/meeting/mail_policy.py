"""The e-mail policy for every mail the sync sends: SMTP's, with headers that read back exactly."""

from __future__ import annotations

from email.header import Header
from email.policy import EmailPolicy
from email.utils import formataddr
from typing import Any, Final

ADDRESS_HEADERS: Final = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})


class ExactHeaderPolicy(EmailPolicy):
    """`email.policy.SMTP`, except that a non-ASCII Subject or display name is folded by
    `email.header.Header`.

    Python 3.11's folder can drop or double a space where a fold falls next to an encoded word
    ("— サイクル4" arrived as "—サイクル4"), and can even encode the comma between two
    addresses, so a reader sees one recipient instead of two. `Header` encodes the whole text,
    spaces included, in UTF-8 encoded words (RFC 2047) cut at character boundaries; whitespace
    between encoded words is ignored when read, so the text reads back exactly. Addresses go
    one to a line, the commas left plain, each display name one encoded word (a long name
    makes a line longer than 78 characters, still far below the 998 limit).
    """

    def fold(self, name: str, value: Any) -> str:
        folded = self._fold_exactly(name, value)
        return folded if folded is not None else super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        folded = self._fold_exactly(name, value)
        return folded.encode("ascii") if folded is not None else super().fold_binary(name, value)

    def _fold_exactly(self, name: str, value: Any) -> str | None:
        text = str(value)
        if text.isascii():
            return None
        if name.lower() == "subject":
            return f"{name}: {self._encoded(text, name)}{self.linesep}"
        if name.lower() in ADDRESS_HEADERS:
            return self._fold_addresses(name, value)
        return None

    def _fold_addresses(self, name: str, value: Any) -> str | None:
        addresses = getattr(value, "addresses", None)
        groups = getattr(value, "groups", ())
        if not addresses or any(group.display_name for group in groups):
            return None  # a group syntax: the standard folder
        if not all(address.addr_spec.isascii() for address in addresses):
            return None  # an international address needs SMTPUTF8: the standard folder
        shown = []
        for address in addresses:
            display = address.display_name
            if not display:
                shown.append(address.addr_spec)
            elif display.isascii():
                shown.append(formataddr((display, address.addr_spec)))
            else:
                # One encoded word per name: Python's reader puts a space between two encoded
                # words of a name, so a name split in two would not read back as it was.
                named = formataddr((display, address.addr_spec), charset="utf-8")
                if len(named) + len(name) + 3 > (self.max_line_length or 998):
                    named = named.replace(" <", f"{self.linesep} <")  # the <address> below it
                shown.append(named)
        return f"{name}: " + f",{self.linesep} ".join(shown) + self.linesep

    def _encoded(self, text: str, name: str) -> str:
        return Header(text, "utf-8", header_name=name).encode(linesep=self.linesep)


MAIL_POLICY: Final = ExactHeaderPolicy(linesep="\r\n")  # as policy.SMTP: CRLF line ends
