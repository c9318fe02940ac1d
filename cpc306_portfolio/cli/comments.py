"""The learner's comments on their assessor's records: a progress review, an observation.

``cpc306 review comment`` and ``cpc306 respond observation``: one library call each
(:func:`~..portfolio.reviews.comment_on_review`,
:func:`~..assessor.records.comment_on_observation`), which scan the words for identifiers
before anything is written.
"""

from __future__ import annotations

import shlex

import click

from .options import ACK_HELP, open_folio, parse_acknowledgements, read_text
from .output import say
from .respond import respond_group
from .review import review


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


@review.command("comment")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("review_id", metavar="REVIEW")
@click.option("--comments", help="Your comments on the review.")
@click.option("--comments-file", type=click.Path(dir_okay=False), help="Read them from a file.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)
@click.pass_context
def review_comment(
    ctx: click.Context,
    portfolio: str,
    review_id: str,
    comments: str | None,
    comments_file: str | None,
    acknowledge: tuple[str, ...],
) -> None:
    """Learner: write your comments on progress review REVIEW (V001 ...) without agreeing it.

    They replace any comments saved before. They are checked for anything that could
    identify a person first; if something might, nothing is written (exit 5) until you
    edit it or acknowledge it. Your comments are part of what both of you agree: an
    agreement made before them no longer matches, so agree the review again afterwards
    (cpc306 review agree). Your declaration and the sign-off cover the review with its
    comments (reviews/V001.yaml#review): comments made after either show in cpc306 verify
    as a change.
    """
    from ..portfolio.reviews import comment_on_review, review_states

    words = _words(comments, comments_file, "--comments")
    folio = open_folio(ctx, portfolio)
    saved = comment_on_review(
        folio, review_id, words, acknowledge=parse_acknowledgements(acknowledge)
    )
    say(f"Saved your comments on review {saved.id}.")
    stale = [p for p, s in review_states(saved).items() if s == "changed since agreed"]
    where = shlex.quote(portfolio)
    for party in stale:
        say(
            f"  The {party}'s agreement was to the review before these comments: "
            f"agree it again (cpc306 review agree {where} {saved.id} --as {party})."
        )


@respond_group.command("observation")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("observation_id", metavar="OBSERVATION")
@click.option("--comment", help="Your comment on the observation.")
@click.option("--comment-file", type=click.Path(dir_okay=False), help="Read it from a file.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=ACK_HELP)
@click.pass_context
def observation_comment(
    ctx: click.Context,
    portfolio: str,
    observation_id: str,
    comment: str | None,
    comment_file: str | None,
    acknowledge: tuple[str, ...],
) -> None:
    """Comment on your assessor's observation record OBSERVATION (O001 ...).

    Your comment replaces any you saved before; the assessor's account is not changed.
    It is checked for anything that could identify a person first; if something might,
    nothing is written (exit 5) until you edit it or acknowledge it. The comment is kept
    in the assessor's record (assessor/observations/), which your declaration does not
    cover and the assessor's sign-off does: a comment made after the sign-off shows there
    as a change to that file (cpc306 verify), until the assessor signs off again.
    """
    from ..assessor.records import comment_on_observation

    words = _words(comment, comment_file, "--comment")
    folio = open_folio(ctx, portfolio)
    signoff = folio.read_assessment().signoff
    saved = comment_on_observation(
        folio, observation_id, words, acknowledge=parse_acknowledgements(acknowledge)
    )
    say(f"Saved your comment on observation {saved.id}.")
    path = folio.relative(folio.record_path(saved.id))
    if signoff is not None and path in signoff.manifest.files:
        say(
            f"  Your assessor signed off this record before your comment: cpc306 verify now "
            f"shows {path} as changed since the sign-off, until they sign off again."
        )
