"""A PDF file from its objects, written by hand: one writer for the sample, bench and tests.

The sample's improvement notice (``tools/sample_notice.py``), the benchmarks' report PDFs
(``bench/pdfs.py``) and the tests' made-up units and attachments each lay out their own pages;
this module only numbers the objects, writes the cross-reference table and the trailer, and
escapes text for a PDF string. It needs no PDF library and gives the same bytes on every run.
"""

from __future__ import annotations

from collections.abc import Sequence

HEADER = b"%PDF-1.4\n"
#: A header with a comment of four high bytes, as word processors write to mark a binary file.
BINARY_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def pdf_string(text: str) -> str:
    """``text`` escaped to stand between the parentheses of a PDF string."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_file(
    objects: Sequence[str | bytes], *, info: int | None = None, header: bytes = HEADER
) -> bytes:
    """The PDF holding ``objects`` as objects 1, 2, ... (text as Latin-1); object 1 is the root.

    ``info`` is the number of the document information object, if there is one.
    """
    out = bytearray(header)
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        body = obj.encode("latin-1") if isinstance(obj, str) else obj
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    info_ref = f" /Info {info} 0 R" if info is not None else ""
    out += (
        f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
