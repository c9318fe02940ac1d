"""One `cpc306 app` for every app test: a copy of the sample, with an attacker's files planted.

Planted before the start: a notebook among E001's attachments
(``evidence/E001/review.ipynb``), a ``cpc306_portfolio`` package and an edited ``A2.ipynb``
in the portfolio's ``notebooks/``.
Each planted piece of code, if it ever ran, would write a file under ``ran/``: the tests
assert that folder stays empty.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from cpc306_portfolio.notebooks.app import free_port
from cpc306_portfolio.notebooks.warm_kernel import KERNEL_MARKS

from .conftest import OLD_SAMPLE


class App:
    """The running app: its printed URL, its token, the portfolio and where planted code writes."""

    def __init__(self, process: subprocess.Popen[str], url: str, root: Path):
        self.process, self.url, self.root = process, url, root
        self.folio = root / "folio"
        #: The command's own stderr; Voilà's log is in its temporary folder (see log_tail).
        self.log = root / "app.log"
        self.ran = root / "ran"
        self.cache = root / "cache"
        self.shots = Path(os.environ.get("CPC306_SCREENSHOTS") or root / "screenshots")
        self.shots.mkdir(parents=True, exist_ok=True)
        self.base = url.split("/voila/")[0]
        self.port = int(self.base.rsplit(":", 1)[1])
        self.token = url.partition("?token=")[2]

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` of the app's logs, to attach to a failure or a warning.

        ``cpc306 app`` writes Voilà's log (the server's and its kernels') to a folder of its
        own in the temporary folder, which here is the app's root (``tmp/``).
        """
        out = []
        for path in [self.log, *sorted((self.root / "tmp").glob("cpc306-app-*/voila.log"))]:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError as error:
                out.append(f"(no log {path.name}: {error})")
                continue
            out.append(f"--- {path.name}, last {lines} lines:")
            out.extend(text.splitlines()[-lines:])
        return "\n".join(out)

    def page_url(self, name: str, token: bool = True) -> str:
        """A page's address; with the token, as a new browser context needs it once."""
        url = f"{self.base}/voila/render/notebooks/{name}.ipynb"
        return f"{url}?token={self.token}" if token else url

    def served_folder(self) -> Path:
        """The folder the server renders pages from (in the cache, never the portfolio)."""
        (folder,) = (self.cache / "app").iterdir()
        return folder / "notebooks"

    def kernels(self) -> list[int]:
        """Process ids of the page kernels now running under this app."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            for child in children.get(pid, []):
                todo.append(child)
                try:
                    cmd = Path(f"/proc/{child}/cmdline").read_bytes()
                except OSError:
                    continue
                if any(mark.encode() in cmd for mark in KERNEL_MARKS):
                    found.append(child)
        return found


def _marker(app_root: Path, name: str) -> str:
    return (
        f"from pathlib import Path\nPath({str(app_root / 'ran')!r}).mkdir(exist_ok=True)\n"
        f"Path({str(app_root / 'ran' / name)!r}).write_text('ran')\n"
    )


def plant(root: Path, folio: Path) -> None:
    """Put an attacker's files in the portfolio folder (see the module's docstring)."""
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        cells=[nbformat.v4.new_code_cell(_marker(root, "attachment-notebook"))],
    )
    nbformat.write(notebook, folio / "evidence" / "E001" / "review.ipynb")
    package = folio / "notebooks" / "cpc306_portfolio"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(_marker(root, "notebooks-package"))
    edited = nbformat.v4.new_notebook(
        metadata=notebook.metadata, cells=[nbformat.v4.new_code_cell(_marker(root, "edited-A2"))]
    )
    nbformat.write(edited, folio / "notebooks" / "A2.ipynb")


@contextmanager
def running_app(root: Path, extra_env: dict[str, str] | None = None) -> Iterator[App]:
    """``cpc306 app`` on a planted copy of the sample, stopped as Ctrl-C would."""
    folio = root / "folio"
    shutil.copytree(OLD_SAMPLE, folio)  # the app tests were written for it
    plant(root, folio)
    env = {**os.environ, "JUPYTER_DATA_DIR": str(root / "data"), "JUPYTER_CONFIG_DIR": str(root)}
    env["CPC306_APP_HOME"] = str(root / "cache")
    (root / "tmp").mkdir()
    env["TMPDIR"] = str(root / "tmp")  # Voilà's log among them (App.log_tail)
    env.pop("CPC306_PORTFOLIO", None)
    env.update(extra_env or {})
    command = [sys.executable, "-m", "cpc306_portfolio.cli", "app", str(folio), "--no-browser"]
    command += ["--port", str(free_port())]
    started = time.monotonic()
    log = (root / "app.log").open("w", encoding="utf-8")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    print(f"\ncpc306 app printed its URL after {time.monotonic() - started:.1f} s: {first}")
    app = App(process, first, root)
    print(f"screenshots: {app.shots}")
    try:
        yield app
    finally:
        # Kept for reading after the run (a clean stop removes Voilà's own copy).
        for path in (root / "tmp").glob("cpc306-app-*/voila.log"):
            with contextlib.suppress(OSError):
                shutil.copyfile(path, root / "voila.log")
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
