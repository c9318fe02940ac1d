"""End to end in a real browser: JupyterLab, a criterion notebook, the evidence form, the disk.

Starts JupyterLab on 127.0.0.1 with a temporary copy of the sample portfolio (through the
same ``launch_lab`` the ``cpc306 lab`` command uses), drives Debian's Chromium with
Playwright, and reads the saved record back from disk. In CI it must run, never skip.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.notebooks.generate import launch_lab, relative_portfolio_path, write_notebooks

from .browser import chromium, require_browser
from .conftest import SAMPLE

pytestmark = pytest.mark.browser

START_TIMEOUT = 120.0
UI_TIMEOUT_MS = 120_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(url: str, token: str, method: str = "GET") -> int:
    request = urllib.request.Request(
        url, method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


class Lab:
    def __init__(self, process: subprocess.Popen[bytes], port: int, token: str, log: Path):
        self.process, self.port, self.token, self.log = process, port, token, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"JupyterLab exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if _request(f"{self.base}/api/status", self.token) == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        pytest.fail(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}")

    def shutdown(self) -> None:
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            _request(f"{self.base}/api/shutdown", self.token, method="POST")
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[Lab, Path]]:
    require_browser()
    folio = tmp_path / "folio"
    shutil.copytree(SAMPLE, folio)
    folder = folio / "notebooks"
    write_notebooks(
        folder,
        open_portfolio(folio).standard,
        portfolio_path=relative_portfolio_path(folder, folio),
    )
    # A package planted beside the notebooks, named like the toolkit: never imported.
    (folder / "cpc306_portfolio").mkdir()
    (folder / "cpc306_portfolio" / "__init__.py").write_text(
        f"from pathlib import Path\nPath({str(tmp_path / 'planted-ran')!r}).write_text('ran')\n"
    )
    home = tmp_path / "jupyter"
    settings = home / "settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = {
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    port, token = _free_port(), secrets.token_hex(16)
    extra = [
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.extension_manager=readonly",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    log = tmp_path / "lab.log"
    started: list[subprocess.Popen[bytes]] = []

    def start(command: list[str], **kwargs: Any) -> int:
        with log.open("wb") as out:
            started.append(
                subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **kwargs)
            )
        return 0

    launch_lab(folder, env=env, run=start, extra=extra)
    server = Lab(started[0], port, token, log)
    try:
        server.wait_ready()
        yield server, folio
    finally:
        server.shutdown()


def _run_all(page: Any) -> None:
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()


def _wait_kernel_idle(page: Any) -> None:
    page.wait_for_selector(".jp-KernelName:has-text('Python 3')", timeout=UI_TIMEOUT_MS)
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=UI_TIMEOUT_MS
    )


def test_add_evidence_with_an_attachment_in_jupyterlab(lab, tmp_path):
    server, folio = lab
    attachment = tmp_path / "provider-letter.txt"
    content = b"Letter to the provider about the missed milestones.\n"
    attachment.write_bytes(content)
    before = open_portfolio(folio).evidence_ids()

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{server.base}/lab/tree/A3.ipynb?token={server.token}")
        page.wait_for_selector(".jp-Notebook", timeout=UI_TIMEOUT_MS)
        _wait_kernel_idle(page)
        # The parameters and the call are code cells with their code hidden: no editor shows.
        assert page.locator(".jp-CodeCell").count() >= 2
        assert page.locator(".jp-CodeCell .cm-editor:visible").count() == 0
        form = page.locator(".jp-OutputArea-output .cpc306-evidence-form")
        _run_all(page)
        try:
            form.wait_for(timeout=60_000)
        except PlaywrightTimeoutError:
            # Seen once in a full run (2026-12-07), cause unknown: Run All left no output for
            # 120 s. A learner would choose Run All again; so does the test, and says so.
            warnings.warn("JupyterLab: no form 60 s after Run All; ran all again", stacklevel=1)
            _run_all(page)
            form.wait_for(timeout=UI_TIMEOUT_MS)
        _wait_kernel_idle(page)

        form.locator(".cpc306-title input").fill("Letter setting out the missed milestones")
        form.locator(".cpc306-date input").fill("2026-03-04")
        form.locator(".cpc306-method select").select_option(label="Product / document")
        form.locator(".cpc306-description textarea").fill(
            "I wrote to the provider setting out each missed milestone and the contract clause."
        )
        with page.expect_file_chooser() as chooser:
            form.locator(".cpc306-upload").click()
        chooser.value.set_files(str(attachment))
        form.locator(".cpc306-upload", has_text="(1)").wait_for(timeout=UI_TIMEOUT_MS)
        _wait_kernel_idle(page)
        form.locator(".cpc306-save").click()
        form.locator(".cpc306-saved").wait_for(timeout=UI_TIMEOUT_MS)
        saved_text = form.locator(".cpc306-saved").inner_text()

    folio_now = open_portfolio(folio)
    (new_id,) = [i for i in folio_now.evidence_ids() if i not in before]
    assert new_id in saved_text
    record = folio_now.read_evidence(new_id)
    assert record.title == "Letter setting out the missed milestones"
    assert record.criteria == ["A3"]  # pre-selected by the notebook
    assert record.method.value == "product"
    (att,) = record.attachments
    assert att.path == f"{new_id}/provider-letter.txt"
    assert att.sha256 == hashlib.sha256(content).hexdigest()
    assert folio_now.validate() == []
    assert not (tmp_path / "planted-ran").exists()  # the kernel ran the installed toolkit
