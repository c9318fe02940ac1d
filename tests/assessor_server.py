"""One `cpc306 assess app` for every workspace test: a caseload of two copies of the sample.

``case/one`` is the sample (Jordan Ashby) with its A2 judgement taken out, so A2 waits for
a decision; ``case/two`` is the sample with the learner renamed (Morgan Ellery). Planted in
the caseload before the start, as an attacker would: in ``two``, a notebook and a Python file
among E001's attachments, an HTML page recorded as an attachment of E001 (so the app can be asked
for it), a ``cpc306_portfolio`` package and a notebook in ``notebooks/`` and a ``voila.py``
beside the portfolios. Each planted piece of code, if it ever ran, would write a file under
``ran/``: the tests assert that folder stays empty.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.notebooks.app import free_port

from .app_server import _marker, plant
from .conftest import OLD_SAMPLE

PASSPHRASE = "correct horse battery staple"
NAMES = {"one": "Jordan Ashby", "two": "Morgan Ellery"}
EVIL_HTML = "<!DOCTYPE html><html><body><script>document.title='ran'</script>evil</body></html>"


class Workspace:
    """The running workspace: its URL and token, the caseload, the key and the trust list."""

    def __init__(self, process: subprocess.Popen[str], url: str, root: Path):
        self.process, self.url, self.root = process, url, root
        self.case = root / "case"
        self.ran = root / "ran"
        self.cache = root / "cache"
        self.key = root / "keys" / "assessor.key"
        self.trust = root / "keys" / "assessor.key.pub"
        self.tmp = root
        self.shots = Path(os.environ.get("CPC306_SCREENSHOTS") or root / "screenshots")
        self.shots.mkdir(parents=True, exist_ok=True)
        self.base = url.split("/voila/")[0]
        self.port = int(self.base.rsplit(":", 1)[1])
        self.token = url.partition("?token=")[2]

    def page_url(self, name: str, query: str = "", token: bool = False) -> str:
        url = f"{self.base}/voila/render/notebooks/{name}.ipynb"
        parts = [p for p in (query, f"token={self.token}" if token else "") if p]
        return url + ("?" + "&".join(parts) if parts else "")

    def served_folder(self) -> Path:
        (folder,) = (self.cache / "assess").iterdir()
        return folder / "notebooks"


def make_caseload(root: Path) -> Path:
    """The two learners' folders, A2 of ``one`` unjudged, the attacker's files planted."""
    case = root / "case"
    for folder, name in NAMES.items():
        shutil.copytree(OLD_SAMPLE, case / folder)
        profile = case / folder / "portfolio.yaml"
        text = profile.read_text(encoding="utf-8")
        profile.write_text(text.replace("Jordan Ashby", name, 1), encoding="utf-8")
    one = open_portfolio(case / "one")
    assessment = one.read_assessment()
    judgements = {k: v for k, v in assessment.judgements.items() if k != "A2"}
    one.save_assessment(assessment.model_copy(update={"judgements": judgements}))
    # In ``two`` only: a stray file makes a portfolio invalid, and ``one`` is signed off.
    plant(root, case / "two")
    (case / "two" / "evidence" / "E001" / "evil.py").write_text(_marker(root, "py-file"))
    page = root / "evil-page.html"
    page.write_text(EVIL_HTML, encoding="utf-8")
    open_portfolio(case / "two").attach("E001", page, "A page with a script")
    (case / "voila.py").write_text(_marker(root, "voila-py"))
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(_marker(root, "caseload-notebook"))]
    )
    nbformat.write(notebook, case / "caseload.ipynb")
    return case


@contextmanager
def running_workspace(root: Path) -> Iterator[Workspace]:
    """``cpc306 assess app`` on the planted caseload, stopped as Ctrl-C would."""
    case = make_caseload(root)
    new_key(root / "keys" / "assessor.key", passphrase=PASSPHRASE, comment="Priya Castellan")
    env = {**os.environ, "JUPYTER_DATA_DIR": str(root / "data"), "JUPYTER_CONFIG_DIR": str(root)}
    env["CPC306_APP_HOME"] = str(root / "cache")
    # Voilà's log and working folder, checked for secrets: a short path, as the kernels'
    # IPC sockets live there and a socket's path may not be longer than about 100 bytes.
    tmp = Path(tempfile.mkdtemp(prefix="cpc306-ws-"))
    env["TMPDIR"] = str(tmp)
    env.pop("CPC306_PORTFOLIO", None)
    env.pop("CPC306_KEY_PASSPHRASE", None)
    command = [sys.executable, "-m", "cpc306_portfolio.cli", "assess", "app", str(case)]
    command += ["--key", str(root / "keys" / "assessor.key")]
    command += ["--trust", str(root / "keys" / "assessor.key.pub")]
    command += ["--no-browser", "--port", str(free_port())]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    print(f"\ncpc306 assess app printed its URL after {time.monotonic() - started:.1f} s: {first}")
    workspace = Workspace(process, first, root)
    workspace.tmp = tmp
    print(f"screenshots: {workspace.shots}")
    try:
        yield workspace
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
