"""Every reader, fed malformed YAML, wrong types, huge and deeply nested documents and odd
bytes, answers with a clean message (a located problem or a PortfolioError), in bounded
time: a case that hangs is stopped by an alarm and fails."""

from __future__ import annotations

import random
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cpc306_portfolio import open_portfolio
from cpc306_portfolio.confidentiality.extract import extract_text
from cpc306_portfolio.confidentiality.scan import scan_file
from cpc306_portfolio.errors import PortfolioError, Problem
from cpc306_portfolio.files.yamlio import parse_yaml, read_yaml
from cpc306_portfolio.portfolio.keepout import key_path, load_local
from cpc306_portfolio.standard import load_standard

from .conftest import evidence_fields

#: Seconds any one case may take before it counts as a hang (far above what any takes).
LIMIT = 20

VALID_RECORD = (
    "schema: cpc306-portfolio/2\nid: E001\ntitle: A review\ndate: '2025-06-12'\n"
    "method: product\ndescription: Minutes.\ncriteria: [A3]\n"
)


def _cases() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(306)
    yield "empty", b""
    yield "nul", b"title: a\x00b\n"
    yield "not utf-8", b"title: caf\xe9\n"
    yield "bom", b"\xef\xbb\xbf" + VALID_RECORD.encode()
    yield "utf-16", VALID_RECORD.encode("utf-16")
    yield "tab indent", b"a:\n\tb: 1\n"
    yield "unclosed", b"id: [E001\n"
    yield "bad timestamp", b"date: 2025-13-45\ncreated: 2025-02-30T25:61:00\n"
    yield "huge int", b"date: " + b"9" * 5000 + b"\n"
    yield "alias", b"a: &x [1]\nb: *x\n"
    bomb = ['a0: &a0 ["lol"]'] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)
    ]
    yield "alias bomb", (VALID_RECORD + "\n".join(bomb)).encode()
    yield "deep flow", b"[" * 20_000
    yield "deep block", ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 500))).encode()
    yield "deep maps", b"a: " + b"{x: " * 5000 + b"1" + b"}" * 5000
    yield "huge", b"description: " + b"x" * 3_000_000
    yield "python tag", b"title: !!python/object/apply:os.system ['true']\n"
    yield "unknown tag", b"title: !secret x\n"
    yield "binary tag", b"title: !!binary AAAA\n"
    yield "list top", b"- a\n- b\n"
    yield "scalar top", b"just text\n"
    yield (
        "wrong types",
        (
            b"schema: cpc306-portfolio/2\nid: 5\ntitle: [1, 2]\ndate: 12345\nmethod: {a: 1}\n"
            b"description: null\ncriteria: A1\nattachments: [{path: ../../etc/passwd, sha256: x, "
            b"size: -1, media_type: 'no'}]\nconfidentiality: 3\n"
        ),
    )
    yield "duplicate keys", b"title: a\ntitle: b\n"
    yield "control chars", b"title: a\x1b[2Jb\x07\n"
    yield "surrogates", b"title: \xed\xa0\x80\n"
    yield "directives", b"%YAML 9.9\n---\ntitle: a\n...\n---\ntitle: b\n"
    yield "merge key", b"a: &a {x: 1}\nb:\n  <<: *a\n"
    for i in range(10):
        n = rng.randint(1, 400)
        yield f"random bytes {i}", bytes(rng.randrange(256) for _ in range(n))
    base = VALID_RECORD.encode()
    for i in range(12):
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            data[at] = rng.choice(b"[]{}:-&*!|>'\"#%@`\t\n \x00\xff")
        yield f"mutated record {i}", bytes(data)


CASES = list(_cases())


@contextmanager
def bounded(seconds: int = LIMIT) -> Iterator[None]:
    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _clean(problems: list[Problem], path: Path) -> None:
    for p in problems:
        assert isinstance(p, Problem) and p.path == str(path) and p.message
        assert len(str(p)) < 2000  # a message a person can read, not a dump


def _readers(folder: Path) -> list[tuple[str, Callable[[Path], object]]]:
    folio = open_portfolio(folder)
    return [
        ("read_yaml", lambda p: _clean(read_yaml(p)[1], p)),
        ("evidence", lambda p: folio.validate()),
        ("assessment", lambda p: folio.validate()),
        ("profile", lambda p: open_portfolio(folder)),
        ("unit", lambda p: load_standard(p)),
    ]


TARGETS = {
    "evidence": "evidence/E001.yaml",
    "assessment": "assessment.yaml",
    "profile": "portfolio.yaml",
    "unit": "unit.yaml",
    "read_yaml": "other.yaml",
}


@pytest.mark.parametrize("name,data", CASES, ids=[c[0] for c in CASES])
def test_every_yaml_reader_gives_a_clean_message(portfolio, name, data):
    portfolio.add_evidence(evidence_fields())
    originals = {
        t: (portfolio.root / t).read_bytes()
        for t in TARGETS.values()
        if (portfolio.root / t).exists()
    }
    for reader, call in _readers(portfolio.root):
        path = portfolio.root / TARGETS[reader]
        path.write_bytes(data)
        with bounded():
            try:
                result = call(path)
            except PortfolioError as exc:
                assert str(exc) and "Traceback" not in str(exc)
            else:
                if isinstance(result, list):
                    _clean([p for p in result if p.path == str(path)], path)
        if TARGETS[reader] in originals:
            path.write_bytes(originals[TARGETS[reader]])
        else:
            path.unlink()


PARSE_ONLY = [*CASES[:12], ("many values", "".join(f"k{i}: {i}\n" for i in range(14_000)).encode())]


@pytest.mark.parametrize("name,data", PARSE_ONLY, ids=[c[0] for c in PARSE_ONLY])
def test_parse_yaml_never_raises(name, data):
    with bounded():
        tree, problems = parse_yaml(data.decode("utf-8", errors="replace"), "t.yaml")
    assert tree is not None or problems or not data.strip()


ATTACHMENT_CASES = [
    ("pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40),
    ("pdf truncated", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n"),
    ("docx not a zip", b"PK\x03\x04 not really"),
    ("txt odd bytes", bytes(range(256)) * 100),
    ("csv", b'a,b\n"unclosed,1\n' * 1000),
    ("md", b"**" * 50_000 + b"&nbsp;" * 10_000 + b"<b>" * 10_000),
    ("json", b"{" * 100_000),
]


@pytest.mark.parametrize("suffix,data", ATTACHMENT_CASES, ids=[c[0] for c in ATTACHMENT_CASES])
def test_attachment_readers_give_a_clean_message(tmp_path, suffix, data):
    ext = suffix.split()[0]
    path = tmp_path / f"file.{ext}"
    path.write_bytes(data)
    with bounded():
        for reader in (extract_text, lambda p: scan_file(p, keep_out=["Edith Marlowe"])):
            try:
                reader(path)
            except PortfolioError as exc:
                assert "file." in str(exc)


def test_a_docx_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    with bounded(), pytest.raises(PortfolioError, match="too large"):
        extract_text(path)


@pytest.mark.parametrize("name,data", CASES[:10], ids=[c[0] for c in CASES[:10]])
def test_a_broken_keep_out_key_file_is_a_clean_message(name, data):
    path = key_path("0123456789abcdef")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with bounded():
        try:
            load_local("0123456789abcdef")
        except PortfolioError as exc:
            assert str(path) in str(exc)
