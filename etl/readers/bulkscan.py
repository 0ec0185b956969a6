"""Preparing a large CSV for DuckDB: a UTF-8 copy if needed, and where its records start.

DuckDB's reader numbers nothing and skips blank lines, so one pass over the bytes (mostly
counting newlines at C speed) records where line numbers and record ordinals part ways.
"""

from __future__ import annotations

import codecs
import os
import tempfile

from etl.readers import reasons
from etl.readers.parts import BulkPlan
from etl.readers.sniff import codec_for

CHUNK = 8 << 20
UTF8 = ("utf-8", "utf-8-sig")


class LineScanner:
    """Follows physical lines and CSV records (quote parity) after the first `skip` lines."""

    def __init__(self, skip: int) -> None:
        self.skip, self.line, self.records = skip, 0, 0
        self.in_quote = self.quoted_newlines = False
        self.offsets: list[tuple[int, int]] = []
        self._offset = 0
        self._rest = b""

    def feed(self, data: bytes) -> None:
        data = self._rest + data
        cut = data.rfind(b"\n") + 1
        self._rest = data[cut:]
        self._block(data[:cut])

    def finish(self) -> None:
        if self._rest:
            self._block(self._rest + b"\n")
            self._rest = b""

    def _block(self, block: bytes) -> None:
        if self.line < self.skip:
            pos = 0
            while self.line < self.skip and pos < len(block):
                pos = block.index(b"\n", pos) + 1
                self.line += 1
            block = block[pos:]
        if not block:
            return
        n = block.count(b"\n")
        if (not self.in_quote and b'"' not in block and b"\n\n" not in block
                and b"\n\r\n" not in block and not block.startswith((b"\n", b"\r\n"))):
            self._mark(self.line + 1)  # every line is one record: ordinals and lines keep step
            self.records += n
            self.line += n
            return
        for raw in block.split(b"\n")[:-1]:
            self.line += 1
            if not self.in_quote:
                if raw in (b"", b"\r"):
                    continue  # DuckDB drops blank lines
                self._mark(self.line)
                self.records += 1
            if raw.count(b'"') % 2:
                self.in_quote = not self.in_quote
                self.quoted_newlines |= self.in_quote


    def _mark(self, line: int) -> None:
        """Note where the next record, on `line`, stops being where counting would put it."""
        offset = line - (self.skip + 1 + self.records)
        if offset != self._offset:
            self.offsets.append((self.records, offset))
            self._offset = offset


def prepare(plan: BulkPlan, tmpdir: str) -> BulkPlan | reasons.Reason:
    """Scan (and transcode to UTF-8 where needed) a planned file; a reason if it cannot be read."""
    transcode = plan.encoding not in UTF8
    decoder = codecs.getincrementaldecoder(codec_for(plan.encoding))()
    scanner = LineScanner(plan.skip_lines)
    out, done = None, 0
    try:
        if transcode:
            fd, plan.path = tempfile.mkstemp(suffix=".csv", dir=tmpdir)
            plan.temp = True
            out = os.fdopen(fd, "wb")
        elif any(c in plan.source for c in "*?[]{}"):
            _link(plan, tmpdir)
        with open(plan.source, "rb") as src:
            while chunk := src.read(CHUNK):
                text = decoder.decode(chunk)  # also checks that UTF-8 files are UTF-8 throughout
                data = text.encode("utf-8") if transcode else chunk
                if out is not None:
                    out.write(data)
                scanner.feed(data)
                done += len(chunk)
            decoder.decode(b"", final=True)
        if out is not None:
            out.close()
    except (UnicodeDecodeError, OSError) as exc:
        if out is not None:
            out.close()
        discard(plan)
        if isinstance(exc, UnicodeDecodeError):
            return reasons.encoding_at(plan.encoding, max(done + exc.start, 0))
        return reasons.unreadable(str(exc))
    scanner.finish()
    plan.offsets, plan.records = scanner.offsets, scanner.records
    plan.quoted_newlines = scanner.quoted_newlines
    return plan


def _link(plan: BulkPlan, tmpdir: str) -> None:
    """DuckDB takes a path with * ? [ ] { } as a glob pattern: give it a plain name to read."""
    fd, link = tempfile.mkstemp(suffix=".csv", dir=tmpdir)
    os.close(fd)
    os.unlink(link)
    try:
        os.symlink(os.path.abspath(plan.source), link)
    except OSError:
        return  # DuckDB will fail on the name, and the Python reader take over
    plan.path, plan.temp = link, True


def discard(plan: BulkPlan) -> None:
    """Remove the UTF-8 copy of a planned file, if one was made."""
    if plan.temp:
        try:
            os.unlink(plan.path)
        except OSError:
            pass
        plan.temp = False
