"""One walk of the folder answers validate's listing checks exactly as listing again does."""

from __future__ import annotations

import os
from pathlib import Path

from cpc306_portfolio.files.regular import entries_under, links_under
from cpc306_portfolio.files.walk import Walk
from cpc306_portfolio.portfolio.attachments import link_problems, orphan_problems, stray_files

from .conftest import evidence_fields


def _messy(portfolio, tmp_path: Path) -> dict[str, set[str] | None]:
    """A portfolio with links, strays, an orphan folder and unlisted files, deep down too."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Visit notes.\n", encoding="utf-8")
    first = portfolio.add_evidence(evidence_fields(), attach=[notes])
    second = portfolio.add_evidence(evidence_fields(title="Second"), attach=[notes])
    evidence = portfolio.evidence_dir
    (evidence / first.id / "extra.txt").write_text("not listed\n", encoding="utf-8")
    (evidence / first.id / "deep" / "deeper").mkdir(parents=True)
    (evidence / first.id / "deep" / "deeper" / "x.txt").write_text("x\n", encoding="utf-8")
    (evidence / first.id / ".hidden").write_text("h\n", encoding="utf-8")
    (evidence / second.id / "to-secret").symlink_to(tmp_path / "notes.txt")
    (evidence / "E900").mkdir()  # an attachment folder with no record
    (evidence / "stray.txt").write_text("?\n", encoding="utf-8")
    (evidence / "E901").symlink_to(tmp_path)  # a linked folder: never entered
    (portfolio.reflections_dir / "notes.md").write_text("?\n", encoding="utf-8")
    (portfolio.root / "link-at-top").symlink_to(tmp_path)
    return {
        first.id: {a.path for a in first.attachments},
        second.id: {a.path for a in second.attachments},
    }


def test_the_checks_find_the_same_with_one_walk(portfolio, tmp_path):
    listed = _messy(portfolio, tmp_path)
    walk = Walk(portfolio.root)
    store = portfolio.records
    assert stray_files(store, walk) == stray_files(store)
    assert link_problems(store, walk) == link_problems(store)
    assert orphan_problems(store, listed, walk) == orphan_problems(store, listed)
    found = {p.message.split(" (")[0] for p in orphan_problems(store, listed, walk)}
    assert found == {"an attachment folder with no record", "a file no record lists"}
    assert len(orphan_problems(store, listed, walk)) == 3  # E900; extra.txt; deep/deeper/x.txt
    assert len(link_problems(store, walk)) == 3
    assert walk.links() == links_under(portfolio.root)


def test_entries_under_a_folder_are_the_live_listing(portfolio, tmp_path):
    _messy(portfolio, tmp_path)
    walk = Walk(portfolio.root)
    for folder in (portfolio.root, portfolio.evidence_dir, portfolio.evidence_dir / "E001"):
        assert sorted(e.path for e in walk.entries_under(folder)) == sorted(
            e.path for e in entries_under(folder)
        )


def test_a_folder_the_walk_could_not_list_raises_as_a_listing_does(portfolio, tmp_path):
    walk = Walk(portfolio.root)
    gone = portfolio.root / "made-after-the-walk"
    try:
        walk.listing(gone)
    except FileNotFoundError:
        pass
    else:  # pragma: no cover - the test fails here
        raise AssertionError("a folder that is not there listed as empty")
    os.mkdir(gone)
    assert walk.listing(gone) == []


def _settled_at_once(monkeypatch) -> None:
    from cpc306_portfolio.files import stamps

    monkeypatch.setattr(stamps, "RACY_NS", -(10**12))  # every folder still long enough


def test_a_stamped_walk_holds_until_anything_in_any_folder_changes(
    portfolio, tmp_path, monkeypatch
):
    _settled_at_once(monkeypatch)
    _messy(portfolio, tmp_path)
    deep = portfolio.evidence_dir / "E001" / "deep" / "deeper"
    changes = [
        lambda: (deep / "new.txt").write_text("n\n", encoding="utf-8"),
        lambda: (deep / "x.txt").unlink(),
        lambda: (portfolio.evidence_dir / "E001" / "extra.txt").rename(
            portfolio.evidence_dir / "E001" / "moved.txt"
        ),
        lambda: (deep / "link").symlink_to(tmp_path),
        lambda: (portfolio.root / "exports").mkdir(exist_ok=True),
    ]
    for change in changes:
        walk = Walk(portfolio.root, stamped=True)
        assert walk.still_holds()
        change()
        assert not walk.still_holds()


def test_a_walk_of_folders_that_just_changed_is_never_trusted(portfolio):
    walk = Walk(portfolio.root, stamped=True)  # the portfolio was made a moment ago
    assert not walk.still_holds()
    assert not Walk(portfolio.root).still_holds()  # not stamped: nothing to vouch for


def test_validate_uses_the_walk_of_the_open_only_while_it_holds(portfolio, tmp_path, monkeypatch):
    from cpc306_portfolio import open_portfolio

    _settled_at_once(monkeypatch)
    assert open_portfolio(portfolio.root)._walk is None  # only kept when asked for
    opened = open_portfolio(portfolio.root, keep_listing=True)
    assert opened._walk is not None and opened._walk.still_holds()
    (portfolio.root / "sneaky").symlink_to(tmp_path)  # after the open
    problems = opened.validate()
    assert any(p.path.endswith("sneaky") and "symbolic link" in p.message for p in problems)
    assert opened._walk is None  # used (or refused) once, then let go
    again = open_portfolio(portfolio.root, keep_listing=True)
    calls = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda *a: calls.append(a) or real(*a))
    assert again.validate() == problems
    listed = {os.fspath(a[0]) for a in calls}
    assert os.fspath(portfolio.evidence_dir / "E001") not in listed  # the open's walk served


def test_temp_files_of_a_walk_are_those_of_a_live_search(portfolio, tmp_path):
    from cpc306_portfolio.files.atomic import TEMP_SUFFIX, temp_files

    _messy(portfolio, tmp_path)
    (portfolio.evidence_dir / "E001" / f".x.yaml.abc{TEMP_SUFFIX}").write_text("t")
    (portfolio.root / f".portfolio.yaml.q{TEMP_SUFFIX}").write_text("t")
    walk = Walk(portfolio.root)
    assert sorted(walk.temp_files(TEMP_SUFFIX)) == sorted(temp_files(portfolio.root))
    assert len(walk.temp_files(TEMP_SUFFIX)) == 2
