"""Mail addresses read as RFC 5322 reads them, by the standard library's header parser.

A display name may hold commas, semicolons and quotes (`"Sakura, KPI desk" <kpi@x.jp>`): a
split on "," or a hand-written pattern gets those wrong, `email.headerregistry`'s address-list
parser does not. Nothing here raises but `NotAnAddress`.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.errors import HeaderParseError
from email.headerregistry import Address, AddressHeader, HeaderRegistry

_HEADERS = HeaderRegistry()


class NotAnAddress(ValueError):
    """The text is not the address (or address list) it should be; str() says why."""


def parse_addresses(text: str) -> tuple[Address, ...]:
    """Every address in `text`, read as a To header's address list (a group's members
    included); NotAnAddress when any part of it is not a whole address."""
    if any(ch in text for ch in "\r\n"):
        raise NotAnAddress("a line break")
    if not text.strip():
        raise NotAnAddress("empty")
    try:
        header = _HEADERS("To", text)
    except (HeaderParseError, IndexError, ValueError) as error:  # the parser's own failures
        raise NotAnAddress(str(error) or type(error).__name__) from None
    if header.defects:
        raise NotAnAddress(str(header.defects[0]))
    assert isinstance(header, AddressHeader)  # the registry's class for To
    found = header.addresses
    if not found or any(not address.username or not address.domain for address in found):
        raise NotAnAddress("no user@domain")
    return found


def one_address(text: str) -> Address:
    """The one address `text` holds (`user@host` or `Name <user@host>`, the name quoted when
    it holds , ; or quotes); NotAnAddress for none, a broken one, or several."""
    found = parse_addresses(text)
    if len(found) != 1:
        raise NotAnAddress(f"{len(found)} addresses")
    return found[0]


def split_addresses(values: Iterable[str]) -> tuple[str, ...]:
    """Command-line address options as one address each: `--to "a@x.jp, b@x.jp"` is two. A
    value that does not parse is kept as typed, for the config's check to name it."""
    split: list[str] = []
    for value in values:
        try:
            split.extend(str(address) for address in parse_addresses(value))
        except NotAnAddress:
            split.append(value)
    return tuple(split)
