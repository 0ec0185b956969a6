"""What a file really is, from its first bytes, whatever its name says; and a text's encoding."""

from __future__ import annotations

import codecs

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container holding this stream (its name is stored as UTF-16).
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

_MAGIC = (
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (OLE2, "ole2"),
    (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"), (b"Rar!", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
SPREADSHEETS = ("zip", "ole2")


def sniff(head: bytes) -> str:
    """'empty', 'zip', 'ole2', 'text', or the name of a binary format ('png', 'binary', ...)."""
    if not head:
        return "empty"
    for magic, form in _MAGIC:
        if head.startswith(magic):
            return form
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return "text"
    # Text in the encodings we accept never holds a NUL byte; binary formats nearly always do.
    return "binary" if b"\x00" in head else "text"


def detect_encoding(sample: bytes, complete: bool) -> str | None:
    """The encoding a text sample decodes in: utf-8(-sig), gbk, gb18030, utf-16, or None.

    `complete` says the sample is the whole file; otherwise a multibyte character cut at the
    sample's end is not held against the encoding.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name if _decodes(sample[len(bom):], name.replace("-sig", ""), complete) else None
    for name in ("utf-8", "gbk", "gb18030"):
        if _decodes(sample, name, complete):
            return name
    return None


def codec_for(encoding: str) -> str:
    """The codec to decode a file with: GB18030 reads every GBK file, and a little more."""
    return "gb18030" if encoding == "gbk" else encoding


def _decodes(data: bytes, codec: str, complete: bool) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def is_encrypted_ole2(path) -> bool:
    """An OLE2 file holding an EncryptionInfo stream is a password-protected OOXML workbook."""
    return ole2_has(path, ENCRYPTION_INFO)


def is_ole2_workbook(path) -> bool:
    """An .xls keeps its sheets in a stream named Workbook (Excel 97 on) or Book (Excel 5)."""
    return ole2_has(path, "Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))


def ole2_has(path, *names: bytes) -> bool:
    """Whether a stream name (as stored, UTF-16) occurs in the file."""
    width = max(len(n) for n in names)
    tail = b""
    with open(path, "rb") as fh:
        # Names sit in directory sectors, which may be anywhere in the file.
        while chunk := fh.read(4 << 20):
            window = tail + chunk
            if any(n in window for n in names):
                return True
            tail = chunk[-width:]
    return False
