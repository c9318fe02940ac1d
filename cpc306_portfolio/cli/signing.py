"""``cpc306 keys``, ``sign`` and ``verify``: assessors' keys, their sign-off, and checking it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..errors import VerificationError
from .main import main
from .options import PASSPHRASE_ENV, key_passphrase, open_folio, trust_option
from .output import print_json

if TYPE_CHECKING:
    from ..portfolio.store import Portfolio


@main.group()
def keys() -> None:
    """Make an assessor's signing key (kept outside every portfolio)."""


@keys.command("new")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--name", "comment", default="", help="Whose key it is, written in the public key.")
@click.option(
    "--passphrase-prompt",
    is_flag=True,
    help=f"Protect the key with a passphrase, asked twice (or set {PASSPHRASE_ENV}).",
)
def keys_new(path: str, comment: str, passphrase_prompt: bool) -> None:
    """Make an Ed25519 key pair: the private key at PATH, the public key at PATH.pub."""
    from ..assessor.signing import new_key

    info = new_key(
        path, passphrase=key_passphrase(passphrase_prompt, confirm=True), comment=comment
    )
    click.echo(f"Made a signing key, fingerprint {info.fingerprint}")
    click.echo(f"  private key: {info.private_path}  (yours alone: never put it in a portfolio)")
    click.echo(f"  public key:  {info.public_path}  (send it to your centre for its trust list)")


@main.command("sign")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--key",
    "key_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Your private key file (made by cpc306 keys new).",
)
@click.option(
    "--name",
    help="Your name as signer (default: the name in your key's .pub file, else the assessor "
    "the portfolio names). A page shows the name the centre's trust list gives your key.",
)
@click.option(
    "--passphrase-prompt",
    is_flag=True,
    help=f"Ask for the key's passphrase (or set {PASSPHRASE_ENV}).",
)
@click.pass_context
def sign_command(
    ctx: click.Context, portfolio: str, key_path: str, name: str | None, passphrase_prompt: bool
) -> None:
    """Sign off PORTFOLIO: sign the SHA-256 of every file and every judgement with your key."""
    from ..assessor.assessment import sign_off
    from ..assessor.signing import short_fingerprint

    folio = open_folio(ctx, portfolio)
    passphrase = key_passphrase(passphrase_prompt, confirm=False)
    signoff = sign_off(folio, key_path, signed_by=name, passphrase=passphrase)
    click.echo(
        f"Signed off by {signoff.signed_by} with key "
        f"{short_fingerprint(signoff.key_fingerprint)}…: {len(signoff.manifest.files)} entries, "
        f"fingerprint {signoff.manifest.fingerprint}"
    )
    if signoff.interim:
        judged = len(folio.read_assessment().judgements)
        click.echo(
            f"This is an INTERIM sign-off: {judged} of {len(folio.standard.criteria)} criteria "
            "judged. Sign again once every criterion is judged."
        )
    click.echo(f"Check it with: cpc306 verify {portfolio} --trust CENTRE_KEYS")


@main.command("verify")
@click.argument("portfolio", type=click.Path(file_okay=False))
@trust_option
@click.option(
    "--html",
    "page",
    type=click.Path(dir_okay=False),
    help="Also check that this page is what the toolkit renders from PORTFOLIO now.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def verify_command(
    ctx: click.Context, portfolio: str, trust: str | None, page: str | None, as_json: bool
) -> None:
    """Say whether PORTFOLIO still matches what was declared and signed, and what changed.

    With --html PAGE, say whether PAGE is what the toolkit renders from PORTFOLIO now (the
    render time excepted), naming the first section and item that differ.
    """
    from ..assessor.verification import verify_portfolio

    folio = open_folio(ctx, portfolio)
    if page is not None:
        _verify_page(ctx, folio, page, trust, as_json)
        return
    result = verify_portfolio(folio, trust)
    if as_json:
        print_json(result.as_dict())
    else:
        click.echo(result.summary)
        if result.ok:
            click.echo("OK: everything declared and signed still matches.")
        elif result.signoff is not None and not result.trust_checked:
            click.echo(
                "NOT VERIFIED: without the centre's list of its assessors' keys nobody can "
                "say who signed. Run again with --trust CENTRE_KEYS."
            )
        else:
            click.echo(
                "NOT OK: the portfolio changed since it was declared or signed, "
                "or the signature is not valid or not trusted."
            )
    if not result.ok:
        ctx.exit(VerificationError.exit_code)


def _verify_page(
    ctx: click.Context, folio: Portfolio, page: str, trust: str | None, as_json: bool
) -> None:
    from ..render.page_check import check_page

    check = check_page(folio, page, trust)
    if as_json:
        print_json(
            {
                "page": page,
                "page_sha256": check.digest,
                "matches": check.matches,
                "difference": check.difference,
                "rendered_sha256": list(check.rendered_digests),
            }
        )
    elif check.matches:
        click.echo(
            f"OK: {page} is what the toolkit renders from {folio.root} now "
            "(its render time excepted)."
        )
    else:
        click.echo(f"NOT OK: {page} is not what the toolkit renders from {folio.root} now.")
        click.echo(f"First difference: {check.difference}")
    if not check.matches:
        ctx.exit(VerificationError.exit_code)
