"""The learner's comments on their assessor's records: a progress review, an observation.

``cpc306 review comment`` and ``cpc306 respond observation``: one library call each
(:func:`~..portfolio.reviews.comment_on_review`,
:func:`~..assessor.records.comment_on_observation`), which scan the words for identifiers
before anything is written. Both commands are made by :func:`_comment_command`: they differ
only in their words and in what they say after saving.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from .options import ACK_HELP, open_folio, parse_acknowledgements, read_text
from .output import say
from .respond import respond_group
from .review import review

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio

#: Saves the comment and says what follows: (folio, record id, words, acknowledged, PORTFOLIO).
Save = Callable[["Portfolio", str, str, dict[str, str], str], None]


def _words(text: str | None, file: str | None, flag: str) -> str:
    from ..errors import UsageError

    words = read_text(text, file, flag)
    if not words.strip():
        raise UsageError(
            f"no comment given ({flag} or {flag}-file)",
            hint=f"write your comment with {flag} TEXT or put it in a file for {flag}-file; "
            "nothing was written",
        )
    return words.strip()


def _comment_command(
    group: click.Group,
    name: str,
    metavar: str,
    flag: str,
    helps: tuple[str, str],
    doc: str,
    save: Save,
) -> None:
    """Add command ``name`` to ``group``: PORTFOLIO METAVAR, ``flag`` or ``flag``-file."""

    @group.command(name, help=doc)
    @click.argument("portfolio", type=click.Path(file_okay=False))
    @click.argument("record_id", metavar=metavar)
    @click.option(flag, "text", help=helps[0])
    @click.option(f"{flag}-file", "text_file", type=click.Path(dir_okay=False), help=helps[1])
    @click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)
    @click.pass_context
    def command(
        ctx: click.Context,
        portfolio: str,
        record_id: str,
        text: str | None,
        text_file: str | None,
        acknowledge: tuple[str, ...],
    ) -> None:
        words = _words(text, text_file, flag)
        folio = open_folio(ctx, portfolio)
        save(folio, record_id, words, parse_acknowledgements(acknowledge), portfolio)


def _save_review_comments(
    folio: Portfolio, review_id: str, words: str, acknowledge: dict[str, str], where: str
) -> None:
    from ..portfolio.reviews import comment_on_review, review_states

    saved = comment_on_review(folio, review_id, words, acknowledge=acknowledge)
    say(f"Saved your comments on review {saved.id}.")
    stale = [p for p, s in review_states(saved).items() if s == "changed since agreed"]
    for party in stale:
        say(
            f"  The {party}'s agreement was to the review before these comments: "
            f"agree it again (cpc306 review agree {shlex.quote(where)} {saved.id} --as {party})."
        )


def _save_observation_comment(
    folio: Portfolio, observation_id: str, words: str, acknowledge: dict[str, str], where: str
) -> None:
    from ..assessor.records import comment_on_observation

    signoff = folio.read_assessment().signoff
    saved = comment_on_observation(folio, observation_id, words, acknowledge=acknowledge)
    say(f"Saved your comment on observation {saved.id}.")
    path = folio.relative(folio.record_path(saved.id))
    if signoff is not None and path in signoff.manifest.files:
        say(
            f"  Your assessor signed off this record before your comment: cpc306 verify now "
            f"shows {path} as changed since the sign-off, until they sign off again."
        )


_comment_command(
    review,
    "comment",
    "REVIEW",
    "--comments",
    ("Your comments on the review.", "Read them from a file."),
    """Learner: write your comments on progress review REVIEW (V001 ...) without agreeing it.

    They replace any comments saved before. They are checked for anything that could
    identify a person first; if something might, nothing is written (exit 5) until you
    edit it or acknowledge it. Your comments are part of what both of you agree: an
    agreement made before them no longer matches, so agree the review again afterwards
    (cpc306 review agree). Your declaration and the sign-off cover the review with its
    comments (reviews/V001.yaml#review): comments made after either show in cpc306 verify
    as a change.
    """,
    _save_review_comments,
)

_comment_command(
    respond_group,
    "observation",
    "OBSERVATION",
    "--comment",
    ("Your comment on the observation.", "Read it from a file."),
    """Comment on your assessor's observation record OBSERVATION (O001 ...).

    Your comment replaces any you saved before; the assessor's account is not changed.
    It is checked for anything that could identify a person first; if something might,
    nothing is written (exit 5) until you edit it or acknowledge it. The comment is kept
    in the assessor's record (assessor/observations/), which your declaration does not
    cover and the assessor's sign-off does: a comment made after the sign-off shows there
    as a change to that file (cpc306 verify), until the assessor signs off again.
    """,
    _save_observation_comment,
)
