"""One exception hierarchy for everything a user can cause.

Library code raises these; only the CLI turns them into messages and exit codes. Each exit
code belongs to the class that introduces it, with what it means (:func:`exit_codes`, from
which the README's table is generated). Every exception pickles (the cohort batch sends them
across processes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where it is, what is wrong, and what to do."""

    path: str
    message: str
    field: str = ""
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        what = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{where}: {what}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


def _rebuild(cls: type[PortfolioError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class PortfolioError(Exception):
    """Root of every error this package raises on purpose."""

    #: Process exit code the CLI uses for this kind of error.
    exit_code = 1
    #: What the exit code means, said where a class introduces its code.
    exit_meaning = "an error the package raised on purpose (see message)"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  -> {self.hint}" if self.hint else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class UsageError(PortfolioError):
    """A command or function was called with arguments that cannot work."""

    exit_code = 2
    exit_meaning = "wrong usage: a missing or bad option or argument"


class NotFoundError(PortfolioError):
    """A portfolio, record, unit or attachment that was asked for does not exist."""

    exit_code = 3
    exit_meaning = "not found: no such portfolio, record, unit or file"


class ProblemsError(PortfolioError):
    """Base for errors that carry one or more located problems."""

    exit_code = 4
    exit_meaning = "invalid files: every problem is listed with file, line and field"

    def __init__(self, problems: list[Problem], hint: str = "") -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        count = len(self.problems)
        head = str(first) if first else "no problems"
        if count > 1:
            head = f"{count} problems:\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(head, hint)

    def __str__(self) -> str:
        return self.message + (f"\n  -> {self.hint}" if self.hint else "")


class StandardError(ProblemsError):
    """A unit standard file is malformed or inconsistent."""


class RecordError(ProblemsError):
    """A portfolio file (profile, evidence, reflection, assessment) is invalid."""

    @property
    def path(self) -> str:
        return self.problems[0].path if self.problems else ""

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None

    @property
    def field(self) -> str:
        return self.problems[0].field if self.problems else ""


class PortfolioInvalidError(RecordError):
    """A portfolio holds one or more invalid files; every problem is listed."""


class AttachmentError(RecordError):
    """An attachment is missing, unreadable, or does not match its recorded hash."""


class UnsafeFileError(RecordError):
    """A file in a portfolio is a symbolic link, a pipe or a device: it is never read."""


class ConfidentialityError(PortfolioError):
    """Text would identify a person; it is not saved until edited or acknowledged."""

    exit_code = 5
    exit_meaning = "confidentiality findings not yet edited or acknowledged"

    def __init__(self, message: str, findings: list[Any], hint: str = "") -> None:
        super().__init__(message, hint)
        self.findings = list(findings)


class LockError(PortfolioError):
    """Another program held the portfolio's lock for too long."""

    exit_code = 6
    exit_meaning = "the portfolio is locked by another program"


class FileSystemError(PortfolioError):
    """The operating system refused a read or write: disk full, read-only, no permission."""

    exit_code = 9
    exit_meaning = (
        "the operating system refused a read or write (disk full, read-only, no permission)"
    )

    def __init__(self, message: str, hint: str = "", path: str = "", errno: int = 0) -> None:
        super().__init__(message, hint)
        self.path = path
        self.errno = errno

    @classmethod
    def of(cls, exc: OSError, doing: str, path: Path | str | None = None) -> FileSystemError:
        """Describe an ``OSError`` met while ``doing`` something (e.g. "write the record")."""
        where = str(path or exc.filename or "")
        what = exc.strerror or str(exc)
        return cls(
            f"{where}: could not {doing}: {what}" if where else f"could not {doing}: {what}",
            hint=_OS_HINTS.get(exc.errno or 0, "check the folder and try again"),
            path=where,
            errno=exc.errno or 0,
        )


_OS_HINTS = {
    28: "the disk is full: free some space and try again; nothing half-written was kept",
    30: "the folder is read-only: copy the portfolio somewhere you can write, or remount it",
    13: "you do not have permission: check the folder's owner and permissions",
    1: "the operating system does not allow this: check the folder's owner and permissions",
    122: "your disk quota is used up: free some space and try again",
    5: "the disk reported an input/output error: check it, and keep a backup of the folder",
    36: "a file name is too long: use a shorter name",
}


class ConflictError(PortfolioError):
    """A record changed on disk since it was read: the stale copy is not written over it."""

    exit_code = 10
    exit_meaning = "a record changed on disk since it was read; nothing was written over it"

    def __init__(self, message: str, hint: str = "", mine: Any = None, theirs: Any = None) -> None:
        super().__init__(message, hint)
        #: The record as the caller meant to write it, and as it is on disk now.
        self.mine = mine
        self.theirs = theirs


class RenderError(PortfolioError):
    """The assessor's portfolio could not be built (the report notebook failed or timed out)."""

    #: The batch's kind of failure where the code raising it knows it (``timeout``,
    #: ``notebook_error``...); "" where the failure says it by its cause.
    kind: str = ""


class ForkedFailure(RenderError):
    """A job run in a forked child failed there: ``kind`` and ``reason`` as the child gave them.

    The child's own exception stays in the child (it need not pickle); what crosses to the
    parent is the kind of failure and its reason (``execute.forked.run_forked``).
    """

    def __init__(self, message: str, hint: str = "", kind: str = "internal") -> None:
        super().__init__(message, hint)
        self.kind = kind

    @property
    def reason(self) -> str:
        return self.message


class SigningError(PortfolioError):
    """A signing key cannot be made, read or used (wrong passphrase, not a key, in the way)."""


class VerificationError(PortfolioError):
    """What was declared or signed no longer matches, or a signature is broken or untrusted.

    ``cpc306 verify`` prints the whole verification and ends with this class's exit code.
    """

    exit_code = 7
    exit_meaning = (
        "the portfolio changed since it was declared or signed, or a signature is not valid "
        "or not trusted"
    )


class KernelStartError(PortfolioError):
    """A Jupyter kernel did not start or answer twice in a row (the cohort batch records it)."""


class BatchError(PortfolioError):
    """A cohort batch finished, but one or more learners failed (each is listed with a fix)."""

    exit_code = 8
    exit_meaning = "a cohort batch finished but some learners failed (each is listed with the fix)"

    def __init__(self, message: str, hint: str = "", failed: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.failed = list(failed or [])


def error_classes() -> list[type[PortfolioError]]:
    """Every class of the hierarchy, the root first, each before its subclasses."""
    out: list[type[PortfolioError]] = []
    todo = [PortfolioError]
    while todo:
        cls = todo.pop(0)
        out.append(cls)
        todo[:0] = cls.__subclasses__()
    return out


def exit_codes() -> dict[int, str]:
    """Every exit code of the ``cpc306`` command and what it means, from the classes."""
    codes = {0: "success"}
    for cls in error_classes():
        codes.setdefault(cls.exit_code, cls.exit_meaning)
    return dict(sorted(codes.items()))


def problem_at(path: Path | str, message: str, **kwargs: Any) -> Problem:
    """Build a :class:`Problem` with the path shown as the user gave it."""
    return Problem(path=str(path), message=message, **kwargs)
