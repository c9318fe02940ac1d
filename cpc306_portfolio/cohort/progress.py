"""The batch's progress bar on standard error: done, failed, left, and what happened."""

from __future__ import annotations

from typing import Any

from .worker import LearnerResult


class RichProgress:
    """A progress bar on standard error: done, failed and left, and the last learner."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[bold]batch[/]"),
            BarColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=Console(stderr=True, highlight=False),
            transient=False,
        )
        self._task: Any = None
        self._done = self._failed = self._total = 0

    def _counts(self) -> str:
        left = self._total - self._done - self._failed
        return f"done {self._done}  failed {self._failed}  left {left}"

    def start(self, total: int) -> None:
        """Show the bar for ``total`` learners."""
        self._total = total
        self._progress.start()
        self._task = self._progress.add_task("batch", total=total, counts=self._counts(), last="")

    def advance(self, result: LearnerResult) -> None:
        """Count one finished learner."""
        if result.failed:
            self._failed += 1
        else:
            self._done += 1
        from rich.markup import escape

        mark = {"failed": "failed", "skipped": "unchanged"}.get(result.outcome, "rendered")
        self._progress.update(
            self._task, advance=1, counts=self._counts(), last=escape(f"{result.key}: {mark}")
        )

    def note(self, message: str) -> None:
        """Say something the trainer must know (a worker lost) above the bar."""
        from rich.markup import escape

        self._progress.console.print(f"[bold]note:[/] {escape(message)}")
        self._progress.update(self._task, last=escape(message))

    def finish(self) -> None:
        """Stop the bar (leaving its last state on screen)."""
        self._progress.stop()
