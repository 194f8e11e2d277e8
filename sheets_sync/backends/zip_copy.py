"""Write a zip whose unchanged entries are copied compressed bytes and all (never re-deflated).

A sync then costs what its own parts cost, whatever the size of the staff's sheets: their
stored bytes go from the old file to the new one untouched, CRC and all.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from typing import BinaryIO

_LOCAL = struct.Struct("<4s5H3L2H")  # signature … name length, extra length
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_NAMES = 0x800
_DATA_DESCRIPTOR = 0x08
_MADE_BY = 3 << 8 | 20  # Unix (external attributes hold a mode), zip spec 2.0
_LIMIT = 0xFFFFFFFF  # past this a zip needs ZIP64: left to the zipfile module


class _Entry:
    def __init__(self, name: str, date_time: tuple[int, ...], external_attr: int) -> None:
        self.name = name.encode("utf-8")
        self.flags = _UTF8_NAMES if not name.isascii() else 0
        year, month, day, hour, minute, second = date_time[:6]
        self.dos_date = max(year - 1980, 0) << 9 | month << 5 | day
        self.dos_time = hour << 11 | minute << 5 | second // 2
        self.external_attr = external_attr
        self.method = zipfile.ZIP_DEFLATED
        self.made_by = _MADE_BY
        self.crc = self.compressed_size = self.size = self.offset = 0

    def common_fields(self) -> tuple[int, ...]:
        """The fields a local header and its central directory record share, in their order:
        version needed, flags, method, time, date, CRC, sizes, the name's length, no extra."""
        return (
            20,
            self.flags,
            self.method,
            self.dos_time,
            self.dos_date,
            self.crc,
            self.compressed_size,
            self.size,
            len(self.name),
            0,
        )


def fits(infos: Iterable[zipfile.ZipInfo], extra_bytes: int) -> bool:
    """Whether the copy stays a plain (non-ZIP64) zip this writer can produce."""
    infos = list(infos)
    total = sum(info.compress_size for info in infos) + extra_bytes
    return len(infos) < 0xFFFF and total < _LIMIT // 2


def raw_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The stored (compressed) bytes of one entry of the zip held in `data`."""
    header = _LOCAL.unpack_from(data, info.header_offset)
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    start = info.header_offset + _LOCAL.size + header[9] + header[10]
    return data[start : start + info.compress_size]


class ZipCopier:
    """Appends entries to `out`: copied raw (`copy`) or deflated now (`add`); `close` ends it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.entries: list[_Entry] = []
        self.position = 0

    def _write(self, entry: _Entry, payload: bytes) -> None:
        entry.offset = self.position
        header = _LOCAL.pack(b"PK\x03\x04", *entry.common_fields())
        self.out.write(header + entry.name)
        self.out.write(payload)
        self.position += len(header) + len(entry.name) + len(payload)
        self.entries.append(entry)

    def copy(self, data: bytes, info: zipfile.ZipInfo) -> None:
        entry = _Entry(info.filename, info.date_time, info.external_attr)
        entry.flags |= info.flag_bits & ~_DATA_DESCRIPTOR & ~_UTF8_NAMES
        entry.method = info.compress_type
        entry.made_by = info.create_system << 8 | 20  # so its attributes read as before
        entry.crc, entry.compressed_size, entry.size = (
            info.CRC,
            info.compress_size,
            info.file_size,
        )
        self._write(entry, raw_bytes(data, info))

    def add(self, name: str, content: bytes, date_time: tuple[int, ...]) -> None:
        entry = _Entry(name, date_time, 0o600 << 16)
        deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
        payload = deflater.compress(content) + deflater.flush()
        entry.crc, entry.compressed_size, entry.size = (
            zlib.crc32(content),
            len(payload),
            len(content),
        )
        self._write(entry, payload)

    def close(self) -> None:
        start = self.position
        for entry in self.entries:
            # After the shared fields: no comment, disk 0, no internal attributes.
            record = _CENTRAL.pack(
                b"PK\x01\x02",
                entry.made_by,
                *entry.common_fields(),
                0,
                0,
                0,
                entry.external_attr,
                entry.offset,
            )
            self.out.write(record + entry.name)
            self.position += len(record) + len(entry.name)
        count = len(self.entries)
        self.out.write(
            _END.pack(b"PK\x05\x06", 0, 0, count, count, self.position - start, start, 0)
        )
