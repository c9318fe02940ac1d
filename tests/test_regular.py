"""Regular files only: no link followed, no pipe or device read, a size cap that holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cpc306_portfolio.errors import UnsafeFileError
from cpc306_portfolio.files.regular import (
    is_link,
    is_regular,
    links_between,
    links_under,
    open_regular,
    read_bytes,
    read_chunks,
)


@pytest.fixture
def folio(tmp_path: Path) -> Path:
    root = tmp_path / "folio"
    (root / "evidence" / "E001").mkdir(parents=True)
    (root / "evidence" / "E001" / "minutes.txt").write_bytes(b"0123456789")
    return root


def test_a_link_is_refused_and_the_message_names_where_it_points(folio: Path, tmp_path: Path):
    secret = tmp_path / "id_ed25519"
    secret.write_text("PRIVATE")
    link = folio / "evidence" / "E001" / "notes.txt"
    link.symlink_to(secret)
    with pytest.raises(UnsafeFileError) as caught:
        read_bytes(link, folio)
    problem = caught.value.problems[0]
    assert problem.path == str(link)
    assert str(secret) in problem.message
    assert "never followed" in problem.message
    assert "copy of the file" in problem.hint


def test_a_linked_folder_between_the_portfolio_and_the_file_is_refused(
    folio: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "passwd").write_text("root:x:0:0\n")
    (folio / "evidence" / "E002").symlink_to(elsewhere)
    target = folio / "evidence" / "E002" / "passwd"
    assert links_between(folio, target) == folio / "evidence" / "E002"
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        open_regular(target, folio)
    # Without the portfolio's root the last component is still checked, but not the folders.
    with open_regular(target) as handle:
        assert handle.read() == b"root:x:0:0\n"


def test_links_between_ignores_a_path_outside_the_root(folio: Path, tmp_path: Path) -> None:
    assert links_between(folio, tmp_path / "other" / "file.txt") is None
    assert links_between(folio, folio / "evidence" / "E001" / "minutes.txt") is None
    # A root spelled with a trailing separator finds the same link.
    (folio / "linked").symlink_to(folio / "evidence")
    spelled = Path(str(folio) + os.sep)
    assert links_between(spelled, folio / "linked" / "E001" / "minutes.txt") == folio / "linked"


def test_a_folder_or_a_pipe_is_not_read(folio: Path) -> None:
    with pytest.raises(UnsafeFileError, match="not a regular file"):
        read_bytes(folio / "evidence")
    fifo = folio / "evidence" / "E001" / "pipe.txt"
    os.mkfifo(fifo)
    # Opened non-blocking and checked before a byte is read: this returns, it never hangs.
    with pytest.raises(UnsafeFileError, match="pipe"):
        read_bytes(fifo, folio)


def test_a_missing_file_raises_file_not_found_as_open_does(folio: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_bytes(folio / "evidence" / "E001" / "gone.txt", folio)


def test_read_bytes_limit_reads_one_byte_more_so_the_caller_can_tell(folio: Path) -> None:
    path = folio / "evidence" / "E001" / "minutes.txt"
    assert read_bytes(path, folio, limit=4) == b"01234"
    assert read_bytes(path, folio, limit=10) == b"0123456789"
    assert read_bytes(path, folio) == b"0123456789"


def test_read_chunks_gives_the_whole_file_in_pieces(folio: Path) -> None:
    path = folio / "evidence" / "E001" / "minutes.txt"
    assert list(read_chunks(path, folio, size=4)) == [b"0123", b"4567", b"89"]


def test_is_link_and_is_regular_look_at_the_path_itself(folio: Path) -> None:
    path = folio / "evidence" / "E001" / "minutes.txt"
    link = folio / "link.txt"
    link.symlink_to(path)
    assert is_regular(path) and not is_link(path)
    assert is_link(link) and not is_regular(link)
    assert not is_regular(folio / "evidence")
    assert not is_link(folio / "missing") and not is_regular(folio / "missing")


def test_links_under_lists_every_link_without_following_any(folio: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    (outside / "deeper").mkdir(parents=True)
    (outside / "deeper" / "hidden.lnk").symlink_to(tmp_path)
    a = folio / "evidence" / "E001" / "a.txt"
    a.symlink_to(tmp_path / "nowhere")  # dangling links are listed too
    b = folio / "evidence" / "b"
    b.symlink_to(outside)
    assert links_under(folio) == [a, b]  # sorted; hidden.lnk lies beyond b, never walked
