"""The app's gate, its folder, its environment and the form's size limit, without a server.

The same rules run end to end in ``test_app_attacks.py`` (HTTP) and
``test_app_limits_browser.py`` (Chromium); here each is checked alone, quickly.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.cli import main
from cpc306_portfolio.errors import UsageError
from cpc306_portfolio.notebooks import app as app_module
from cpc306_portfolio.notebooks.app import (
    HOME_ENV,
    app_environment,
    app_folder,
    app_url,
    serve_app,
    template_root,
    voila_command,
    write_app_pages,
)
from cpc306_portfolio.notebooks.evidence_form import (
    MAX_CHOICE_BYTES,
    MAX_FILE_BYTES,
    EvidenceForm,
    upload_problems,
)
from cpc306_portfolio.notebooks.gate import SETTINGS_ENV, TOKEN_ENV, judge_request
from cpc306_portfolio.notebooks.generate import (
    content_hash,
    launch_lab,
    not_generated,
    write_notebooks,
)
from cpc306_portfolio.notebooks.page_cache import STAMP
from cpc306_portfolio.notebooks.server import MAX_MESSAGE_BYTES

TOKEN = "k" * 43
HOST = "127.0.0.1:8123"


def judge(**over):
    request = {
        "method": "GET",
        "host": HOST,
        "headers": {},
        "query_token": None,
        "cookie": None,
        "token": TOKEN,
    }
    return judge_request(**(request | over))


def test_the_token_opens_the_app_and_its_cookie_keeps_it_open():
    first = judge(query_token=TOKEN)
    assert first.allowed and first.from_address  # the server sets the cookie now
    assert judge(cookie=TOKEN).allowed and not judge(cookie=TOKEN).from_address
    assert judge(headers={"Authorization": f"token {TOKEN}"}).allowed
    assert judge(host="localhost:8123", cookie=TOKEN).allowed


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"query_token": "k" * 42 + "x"},
        {"cookie": ""},
        {"headers": {"Authorization": "Bearer " + TOKEN}},
        {"host": "evil.example:8123", "query_token": TOKEN},
        {"host": "127.0.0.1.evil.example", "cookie": TOKEN},
        {"host": "[::1]:8123", "cookie": TOKEN},
        {"headers": {"Origin": "http://evil.example"}, "cookie": TOKEN},
        {"headers": {"Origin": "http://127.0.0.1:9999"}, "cookie": TOKEN},
        {"headers": {"Origin": "null"}, "query_token": TOKEN},
        {"headers": {"Sec-Fetch-Site": "cross-site"}, "cookie": TOKEN},
        {"headers": {"Sec-Fetch-Site": "same-site"}, "cookie": TOKEN},
        {"method": "POST", "cookie": TOKEN},
    ],
    ids=lambda over: json.dumps(over)[:60],
)
def test_the_gate_refuses(over):
    verdict = judge(**over)
    assert verdict.status == 403 and verdict.reason


def test_the_key_in_the_address_opens_the_app_from_the_local_opening_page():
    # The browser is opened on a local file that forwards to the address: cross-site.
    assert judge(headers={"Sec-Fetch-Site": "cross-site"}, query_token=TOKEN).allowed
    assert not judge(headers={"Sec-Fetch-Site": "cross-site"}, cookie=TOKEN).allowed


def test_a_change_from_the_apps_own_page_passes():
    same = {"Origin": f"http://{HOST}", "Sec-Fetch-Site": "same-origin"}
    assert judge(method="POST", headers=same, cookie=TOKEN).allowed
    assert judge(method="DELETE", headers={"Authorization": f"token {TOKEN}"}).allowed


def test_the_pages_are_generated_outside_the_portfolio(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "cache"))
    folder = app_folder(sample_copy)
    assert folder.is_relative_to(tmp_path / "cache") and not folder.is_relative_to(sample_copy)
    assert app_folder(sample_copy) == folder  # one folder per portfolio, the same each run
    monkeypatch.setenv(HOME_ENV, str(sample_copy / "evidence" / "cache"))
    with pytest.raises(UsageError, match="inside the portfolio"):
        app_folder(sample_copy)


def test_each_start_regenerates_exactly_the_units_pages(sample_copy, tmp_path):
    folder = tmp_path / "pages"
    (folder / "notebooks" / "cpc306_portfolio").mkdir(parents=True)
    (folder / "notebooks" / "cpc306_portfolio" / "__init__.py").write_text("boom")
    (folder / "notebooks" / "review.ipynb").write_text("{}")
    (folder / "voila.py").write_text("boom")
    folio = open_portfolio(sample_copy)
    pages = write_app_pages(folder, folio)
    names = sorted(p.name for p in (folder / "notebooks").iterdir() if p.name != STAMP)
    assert [f"notebooks/{n}" for n in names] == pages
    assert (folder / "notebooks" / STAMP).is_file()  # what a start that changes nothing reuses
    assert len(pages) == 27 and "notebooks/assess.ipynb" not in pages
    assert sorted(p.name for p in folder.iterdir()) == ["notebooks"]
    a1 = nbformat.read(folder / "notebooks" / "A1.ipynb", as_version=4)
    assert a1.metadata.cpc306.portfolio == sample_copy.resolve().as_posix()
    nb = nbformat.read(folder / "notebooks" / "A2.ipynb", as_version=4)
    nb.cells[0].source = "edited"
    nbformat.write(nb, folder / "notebooks" / "A2.ipynb")
    write_app_pages(folder, folio)
    assert "edited" not in (folder / "notebooks" / "A2.ipynb").read_text()


def test_the_server_runs_in_safe_path_mode_with_the_token_in_its_environment(tmp_path):
    base = {"PYTHONPATH": f"relative{':'}/abs/lib", "PATH": "/usr/bin", TOKEN_ENV: "old"}
    env = app_environment(
        base, token=TOKEN, pages=["notebooks/A1.ipynb"], exports=tmp_path, portfolio=tmp_path
    )
    assert env["PYTHONSAFEPATH"] == "1" and env["PYTHONPATH"] == "/abs/lib"
    assert env[TOKEN_ENV] == TOKEN
    settings = json.loads(env[SETTINGS_ENV])
    assert settings["pages"] == ["notebooks/A1.ipynb"] and settings["exports"] == str(tmp_path)
    assert env["JUPYTER_PATH"].split(":")[0] == str(template_root())
    command = voila_command(tmp_path, 8123)
    assert command[1:3] == ["-m", "cpc306_portfolio.notebooks.serve"]
    assert TOKEN not in " ".join(command)  # a command line is readable by every user
    assert any("CappedKernelManager.max_kernels=8" in part for part in command)


def test_a_restart_prints_a_new_address(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "cache"))

    class Stopped:
        returncode = 0

        def poll(self):
            return 0

    tokens = []

    def start_app(*args, **kwargs):
        tokens.append(kwargs["token"])
        kwargs["listening"]()  # the browser opens as soon as the server listens
        return Stopped()

    monkeypatch.setattr(app_module, "start_app", start_app)
    printed: list[str] = []
    opened: list[str] = []
    folio = open_portfolio(sample_copy)
    for _ in range(2):
        serve_app(folio, port=8123, opener=opened.append, echo=printed.append)
    urls = [line for line in printed if line.startswith("http://")]
    assert len(urls) == 2 and urls[0] != urls[1]
    assert urls == [app_url(8123, token=t) for t in tokens]
    assert all(re.fullmatch(r"[\w-]{43}", t) for t in tokens)
    # The browser gets a private local page that forwards to the address, never the key.
    assert all(uri.startswith("file://") and tokens[-1] not in uri for uri in opened)
    page = Path(opened[-1].removeprefix("file://"))
    assert page.stat().st_mode & 0o777 == 0o600
    assert f'url={urls[-1]}"' in page.read_text()


def test_a_file_over_the_limit_is_named_with_its_size():
    assert upload_problems([{"name": "a.pdf", "size": 90_000_000, "content": b"x" * 10}]) != []
    fine = {"name": "a.pdf", "size": 4, "content": memoryview(b"abcd")}
    assert upload_problems([fine]) == []
    big = {"name": "../scan.pdf", "size": 120_000_000, "content": memoryview(b"")}
    (words,) = upload_problems([big])
    assert words.startswith("scan.pdf: this file is 120 MB; the limit is 100 MB")
    short = {"name": "a.pdf", "size": 10, "content": b"abc"}
    assert "only part of it arrived" in upload_problems([short])[0]
    six = [{"name": f"{i}.pdf", "size": 90_000_000, "content": b""} for i in range(6)]
    (words,) = upload_problems(six)
    assert words.startswith("these files come to 540 MB together; the limit is 500 MB")


def test_the_apps_page_sends_no_file_over_the_forms_limit():
    index = (template_root() / "voila/templates/cpc306/index.html.j2").read_text()
    assert "var LIMIT = 100 * 1000 * 1000;" in index and MAX_FILE_BYTES == 100 * 1000 * 1000
    assert "var TOTAL = 5 * LIMIT;" in index and MAX_CHOICE_BYTES == 5 * MAX_FILE_BYTES
    assert MAX_MESSAGE_BYTES > MAX_CHOICE_BYTES  # the websocket takes what the page sends


def test_the_form_saves_nothing_while_a_file_is_over_the_limit(sample_copy):
    folio = open_portfolio(sample_copy)
    form = EvidenceForm(folio, "A2")
    before = folio.evidence_ids()
    form.title.value = "A scan of the whole file"
    form.date.value = date(2026, 3, 4)
    form.method.value = "product"
    form.description.value = "The contract file, scanned, as the provider sent it to us."
    big = {"name": "scan.pdf", "type": "application/pdf", "size": 120_000_000}
    form.upload.value = ({**big, "content": memoryview(b""), "last_modified": datetime.now(UTC)},)
    assert "this file is 120 MB; the limit is 100 MB" in form.errors.shown()["attachments"]
    form.save_button.click()
    assert folio.evidence_ids() == before and "Nothing was saved" in form.status.value
    form.remove_files.click()
    assert form.upload.value == () and "attachments" not in form.errors.shown()


def _folio_with_notebooks(sample_copy: Path) -> Path:
    folder = sample_copy / "notebooks"
    write_notebooks(folder, open_portfolio(sample_copy).standard, portfolio_path="..")
    return folder


def test_lab_names_what_the_toolkit_did_not_write_and_asks(sample_copy, monkeypatch):
    folder = _folio_with_notebooks(sample_copy)
    (folder / "cpc306_portfolio").mkdir()
    (folder / "cpc306_portfolio" / "__init__.py").write_text("boom")
    nb = nbformat.read(folder / "B3.ipynb", as_version=4)
    nb.cells[0].source = "mine"
    nbformat.write(nb, folder / "B3.ipynb")
    launched = []
    monkeypatch.setattr(
        "cpc306_portfolio.notebooks.generate.launch_lab",
        lambda folder, *, env=None, extra=(): launched.append(folder) or 0,
    )
    refused = CliRunner().invoke(main, ["lab", str(sample_copy)], input="n\n")
    assert refused.exit_code == 1 and launched == []
    assert "  B3.ipynb\n" in refused.output and "  cpc306_portfolio/\n" in refused.output
    assert "Nothing was opened." in refused.output
    agreed = CliRunner().invoke(main, ["lab", str(sample_copy)], input="y\n")
    assert agreed.exit_code == 0 and launched == [folder]
    assert CliRunner().invoke(main, ["lab", str(sample_copy), "--yes"]).exit_code == 0


def test_a_forged_hash_does_not_make_a_notebook_the_toolkits(sample_copy):
    folder = _folio_with_notebooks(sample_copy)
    standard = open_portfolio(sample_copy).standard
    assert not_generated(folder, standard) == []
    nb = nbformat.read(folder / "A1.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import os; os.remove('everything')"))
    nb.metadata.cpc306.generated_sha256 = content_hash(nb)  # anyone can recompute it
    nbformat.write(nb, folder / "A1.ipynb")
    report = write_notebooks(folder, standard, portfolio_path="..")
    assert report.skipped == [] and folder / "A1.ipynb" in report  # replaced, not kept
    assert "os.remove" not in (folder / "A1.ipynb").read_text()
    (folder / "notes.py").write_text("x = 1")
    assert not_generated(folder, standard, report.skipped) == [folder / "notes.py"]


def test_lab_runs_in_safe_path_mode(tmp_path):
    seen = {}

    def run(command, *, cwd, env):
        seen.update(env)
        return 0

    launch_lab(tmp_path, env={"X": "1"}, run=run)
    assert seen["PYTHONSAFEPATH"] == "1" and seen["X"] == "1"


def test_a_terminate_signal_stops_the_server_as_ctrl_c_does(sample_copy, tmp_path, monkeypatch):
    import os
    import signal

    monkeypatch.setenv(HOME_ENV, str(tmp_path / "cache"))
    stopped = []

    class Running:
        returncode = None

        def poll(self):
            os.kill(os.getpid(), signal.SIGTERM)  # as a closing terminal or `kill` would
            return None

    monkeypatch.setattr(app_module, "start_app", lambda *a, **k: Running())
    monkeypatch.setattr(app_module, "stop_app", stopped.append)
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    printed: list[str] = []
    folio = open_portfolio(sample_copy)
    code = serve_app(folio, port=8123, open_browser=False, echo=printed.append)
    assert {s: signal.getsignal(s) for s in saved} == saved  # put back on the way out
    assert code == 0 and len(stopped) == 1 and "Stopping…" in printed
