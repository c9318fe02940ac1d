"""The text of a PDF, read by PDFium (pypdfium2) in a child process that cannot run away.

PDFium (Chromium's PDF engine, heavily fuzzed) reads a 55-page text report in about 0.1 s
where pypdf took 2-27 s (``bench/pdf_extract.py`` measures both on the same files). Because
it is C code, its limits are enforced around it rather than inside it: the child process
caps its own address space and CPU time before it parses anything, the parent kills it after
:data:`TIMEOUT_S`, and the file size, page count and text length are all capped. So a hostile
PDF (a decompression bomb, a page tree that never ends, a loop) costs at most those limits and
is refused in words, never a crash of the command that read it.

The child can be started early (:func:`start_pdf_text`), so it reads the PDF while the command
that asked opens its portfolio; :func:`pdf_text` then collects what it read.
"""

from __future__ import annotations

import atexit
import contextlib
import subprocess
import sys
import threading
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


class _Reading:
    """One child reading one PDF.

    ``early``: it is talked to from a thread of its own, so the caller goes on meanwhile;
    otherwise on the caller's thread, and no thread is started.
    """

    def __init__(self, data: bytes, early: bool = False) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", __name__, *map(str, _limits())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        #: (exit code, text bytes), or None if it ran past :data:`TIMEOUT_S`.
        self.outcome: tuple[int, bytes] | None = None
        self._thread: threading.Thread | None = None
        if early:
            self._thread = threading.Thread(target=self._talk, args=(data,), daemon=True)
            self._thread.start()
        else:
            self._talk(data)

    def _talk(self, data: bytes) -> None:
        try:
            out, _ = self.process.communicate(data, timeout=TIMEOUT_S)
            self.outcome = (self.process.returncode, out)
        except subprocess.TimeoutExpired:
            self.stop()
        except OSError:  # it could not be talked to: told as a crash
            self.stop()
            self.outcome = (-1, b"")

    def wait(self) -> tuple[int, bytes] | None:
        if self._thread is not None:
            self._thread.join()
        return self.outcome

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()


#: Children started early by :func:`start_pdf_text`, by the SHA-256 of what they read.
_started: dict[str, _Reading] = {}


def _stop_started() -> None:
    for reading in _started.values():
        reading.stop()
    _started.clear()


atexit.register(_stop_started)


def start_pdf_text(data: bytes, digest: str) -> None:
    """Start reading the text of the PDF ``data`` (whose SHA-256 is ``digest``) now.

    :func:`pdf_text` given the same ``digest`` collects it instead of starting its own child.
    One never collected is stopped when this process exits.
    """
    if len(data) <= MAX_PDF_BYTES and digest not in _started:
        _started[digest] = _Reading(data, early=True)


def pdf_text(data: bytes, path: Path, digest: str = "") -> str:
    """The text of the PDF ``data`` (read from ``path``), page after page, in a capped child.

    ``digest`` (the SHA-256 of ``data``) collects a child :func:`start_pdf_text` started.
    Raises :class:`~cpc306_portfolio.errors.AttachmentError` naming ``path`` and the reason.
    """
    if len(data) > MAX_PDF_BYTES:
        raise _refused(path, f"it is larger than the {MAX_PDF_BYTES // 1_000_000} MB read for text")
    reading = _started.pop(digest, None) if digest else None
    outcome = (reading or _Reading(data)).wait()
    if outcome is None:
        raise _refused(path, f"reading it took longer than {TIMEOUT_S} s")
    code, out = outcome
    if code == 0:
        return out.decode("utf-8", errors="replace")
    reason = _reason(code)
    if reason is None:  # killed by a limit (memory, CPU) or crashed inside PDFium
        reason = "reading it went past the memory or time allowed for one file"
    raise _refused(path, reason, locked=code == _LOCKED)


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
