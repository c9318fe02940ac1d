"""Compiled section templates kept between runs: never stale, never in the way."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader

from cpc306_portfolio.render.sections import _QuietCache


def _render(cache_dir, templates) -> str:
    env = Environment(
        bytecode_cache=_QuietCache(str(cache_dir)), loader=FileSystemLoader(templates)
    )
    return env.get_template("t.html.j2").render(x="value")


def test_an_edited_template_is_compiled_again(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "t.html.j2").write_text("first {{ x }}")
    assert _render(cache, templates) == "first value"
    assert list(cache.iterdir())  # compiled once and kept
    (templates / "t.html.j2").write_text("other {{ x }}")  # same size
    assert _render(cache, templates) == "other value"


def test_a_cache_folder_that_cannot_be_written_or_read_is_skipped(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "t.html.j2").write_text("shown {{ x }}")
    cache.write_text("a file where the folder should be")  # unwritable even for root
    assert _render(cache, templates) == "shown value"
    cache.unlink()
    cache.mkdir()
    assert _render(cache, templates) == "shown value"
    for entry in cache.iterdir():
        entry.write_bytes(b"not bytecode")
    assert _render(cache, templates) == "shown value"
