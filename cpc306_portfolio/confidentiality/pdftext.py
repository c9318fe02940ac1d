"""The text of a PDF, read by PDFium (pypdfium2) in a child process that cannot run away.

PDFium (Chromium's PDF engine, heavily fuzzed) reads a 55-page text report in about 0.1 s
where pypdf took 2-27 s (``bench/pdf_extract.py`` measures both on the same files). Because
it is C code, its limits are enforced around it rather than inside it: the child process
caps its own address space and CPU time before it parses anything, the parent kills it after
:data:`TIMEOUT_S`, and the file size, page count and text length are all capped. So a hostile
PDF (a decompression bomb, a page tree that never ends, a loop) costs at most those limits and
is refused in words, never a crash of the command that read it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import AttachmentError, problem_at

#: A PDF larger than this is not read for text (it is still attached and listed).
MAX_PDF_BYTES = 100_000_000
#: Pages read; a longer PDF is refused (a report, a contract or a policy has far fewer).
MAX_PDF_PAGES = 2_000
#: Characters of text kept from one PDF (about 4,000 dense pages).
MAX_PDF_CHARS = 20_000_000
#: Wall-clock seconds for the child process.
TIMEOUT_S = 60
#: The child's address space and CPU seconds: a decompression bomb meets these.
MEMORY_BYTES = 1 << 30
CPU_S = 60

#: Child exit codes, each a reason the parent turns into words.
_UNREADABLE, _LOCKED, _TOO_MANY_PAGES, _TOO_MUCH_TEXT = 2, 3, 4, 5


def _reason(code: int) -> str | None:
    return {
        _UNREADABLE: "it is not a PDF that can be read",
        _LOCKED: "this PDF is password protected, so it cannot be scanned",
        _TOO_MANY_PAGES: f"it has more than {MAX_PDF_PAGES:,} pages",
        _TOO_MUCH_TEXT: f"it holds more than {MAX_PDF_CHARS:,} characters of text",
    }.get(code)


def _refused(path: Path, reason: str, locked: bool = False) -> AttachmentError:
    if locked:
        return AttachmentError([problem_at(path, reason)], hint="attach a copy without a password")
    return AttachmentError(
        [problem_at(path, f"cannot read the text of this attachment ({reason})")],
        hint="check the file opens; re-save it or attach a plain-text copy",
    )


def pdf_text(data: bytes, path: Path) -> str:
    """The text of the PDF ``data`` (read from ``path``), page after page, in a capped child.

    Raises :class:`~cpc306_portfolio.errors.AttachmentError` naming ``path`` and the reason.
    """
    if len(data) > MAX_PDF_BYTES:
        raise _refused(path, f"it is larger than the {MAX_PDF_BYTES // 1_000_000} MB read for text")
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-m", __name__, *map(str, _limits())],
            input=data,
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _refused(path, f"reading it took longer than {TIMEOUT_S} s") from None
    if done.returncode == 0:
        return done.stdout.decode("utf-8", errors="replace")
    reason = _reason(done.returncode)
    if reason is None:  # killed by a limit (memory, CPU) or crashed inside PDFium
        reason = "reading it went past the memory or time allowed for one file"
    raise _refused(path, reason, locked=done.returncode == _LOCKED)


def _limits() -> tuple[int, int, int, int, int]:
    # Read at call time and handed to the child, so the limits in force are this module's.
    return MAX_PDF_BYTES, MAX_PDF_PAGES, MAX_PDF_CHARS, MEMORY_BYTES, CPU_S


def _limit_self(memory: int, cpu: int) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX: the parent's timeout still holds
        return
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu)):
        try:
            _soft, hard = resource.getrlimit(limit)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (cap, hard))
        except (ValueError, OSError):
            continue


def _child(max_bytes: int, max_pages: int, max_chars: int, memory: int, cpu: int) -> int:
    _limit_self(memory, cpu)
    data = sys.stdin.buffer.read(max_bytes + 1)
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return _LOCKED if getattr(exc, "err_code", None) == 4 else _UNREADABLE
    try:
        if len(document) > max_pages:
            return _TOO_MANY_PAGES
        out = sys.stdout.buffer
        size = 0
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage().get_text_bounded()
            size += len(text)
            if size > max_chars:
                return _TOO_MUCH_TEXT
            out.write((("\n" if number else "") + text).encode("utf-8", errors="replace"))
        out.flush()
    finally:
        document.close()
    return 0


if __name__ == "__main__":
    sys.exit(_child(*(int(arg) for arg in sys.argv[1:6])))
