"""Keys, the learner's declaration, judgements, sign-off, verification and rendering."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError, VerificationError
from .choices import METHODS, OUTCOMES, RULES
from .main import (
    main,
    open_folio,
    print_json,
    split_ids,
)

if TYPE_CHECKING:
    from ..portfolio.evidence_rules import RuleCheck

# keys, declaration, judgements, sign-off and verification ---------------------------


PASSPHRASE_ENV = "CPC306_KEY_PASSPHRASE"


def _passphrase(prompt: bool, *, confirm: bool) -> str | None:
    """The key's passphrase: asked for when told to, else from the environment, else none."""
    if prompt:
        answer: str = click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
        return answer
    return os.environ.get(PASSPHRASE_ENV) or None


#: The centre's trust list, shared by verify and render so both read keys the same way.
_trust_option = click.option(
    "--trust",
    type=click.Path(),
    help="The centre's assessors' public keys: a file of .pub lines or a folder of .pub files.",
)


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

    info = new_key(path, passphrase=_passphrase(passphrase_prompt, confirm=True), comment=comment)
    click.echo(f"Made a signing key, fingerprint {info.fingerprint}")
    click.echo(f"  private key: {info.private_path}  (yours alone: never put it in a portfolio)")
    click.echo(f"  public key:  {info.public_path}  (send it to your centre for its trust list)")


@main.command("declare")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--statement", help="Your own words of declaration (default: the usual statement).")
@click.option("--yes", is_flag=True, help="Declare without asking for confirmation.")
@click.pass_context
def declare_command(ctx: click.Context, portfolio: str, statement: str | None, yes: bool) -> None:
    """Declare the evidence in PORTFOLIO your own work; records the SHA-256 of every file."""
    from ..assessor.assessment import declare

    folio = open_folio(ctx, portfolio)
    click.echo(statement or folio.standard.terms.declaration_statement)
    if not yes and not click.confirm(f"Declare this as {folio.profile.learner.name}?"):
        raise UsageError("nothing was declared", hint="pass --yes to declare without asking")
    declaration = declare(folio, statement=statement)
    click.echo(
        f"Declared by {declaration.signed_by}: {len(declaration.manifest.files)} files, "
        f"fingerprint {declaration.manifest.fingerprint}"
    )


class _AssessGroup(click.Group):
    """``cpc306 assess PORTFOLIO CRITERIA ...`` judges; ``cpc306 assess import ...`` imports."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["judge", *args]
        return super().parse_args(ctx, args)


@main.group("assess", cls=_AssessGroup)
def assess_group() -> None:
    """Judge criteria (assess PORTFOLIO CRITERIA --outcome ...) or import a judgement file."""


_RULE_HELP = {
    "valid": "relevant to the criterion",
    "authentic": "the learner's own work",
    "current": "recent enough",
    "sufficient": "enough of it",
    "reliable": "consistent; another assessor would agree",
}


def _rule_options(func: Any) -> Any:
    for rule in reversed(RULES):
        func = click.option(
            f"--{rule}",
            f"rule_{rule}",
            is_flag=True,
            help=f"The evidence is {rule.capitalize()}: {_RULE_HELP[rule]}.",
        )(func)
    return click.option(
        "--rule-note",
        "rule_notes",
        multiple=True,
        metavar="RULE=NOTE",
        help="A note on one rule of evidence, e.g. current='within two years' (repeat).",
    )(func)


def _rules(flags: dict[str, bool], notes: tuple[str, ...]) -> dict[str, RuleCheck]:
    from ..portfolio.evidence_rules import RULES_OF_EVIDENCE, RuleCheck

    out = {rule: RuleCheck(met=True) for rule in RULES_OF_EVIDENCE if flags.get(f"rule_{rule}")}
    for item in notes:
        rule, sep, note = item.partition("=")
        rule = rule.strip().lower()
        if not sep or rule not in RULES_OF_EVIDENCE:
            raise UsageError(
                f"--rule-note {item!r} is not RULE=NOTE",
                hint=f"RULE is one of: {', '.join(RULES_OF_EVIDENCE)}",
            )
        out[rule] = RuleCheck(met=rule in out, note=note.strip())
    return out


@assess_group.command("import")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def assess_import(ctx: click.Context, portfolio: str, file: str) -> None:
    """Import the assessment file the portfolio's HTML saved; record its sign-off if signed."""
    from ..assessor.assessment_file import import_assessment
    from ..assessor.signing import short_fingerprint

    folio = open_folio(ctx, portfolio)
    result = import_assessment(folio, file)
    click.echo(f"Imported judgements of {', '.join(result.judged) or 'no criterion'}.")
    if result.signoff is not None:
        kind = "an INTERIM sign-off" if result.interim else "the sign-off"
        click.echo(
            f"Recorded {kind} signed in the browser with key "
            f"{short_fingerprint(result.signoff.key_fingerprint)}…, "
            f"fingerprint {result.signoff.manifest.fingerprint}"
        )
        click.echo(f"Check who signed it with: cpc306 verify {portfolio} --trust CENTRE_KEYS")


@assess_group.command("judge")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("criteria", nargs=-1)
@click.option("--outcome", type=click.Choice(OUTCOMES), help="Your judgement of the criteria.")
@click.option("--feedback", default="", help="Feedback on these criteria.")
@click.option(
    "--method",
    multiple=True,
    type=click.Choice(METHODS),
    help="An assessment method you sampled (repeat).",
)
@click.option("--evidence", "records", multiple=True, help="Items relied on, e.g. E001,R002.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Date of the judgement (today).")
@click.option("--overall-feedback", help="Overall feedback to the learner.")
@click.option("--iqa-by", help="Record an internal quality assurance sample by this person.")
@click.option("--iqa-criteria", multiple=True, help="Criteria the IQA sample covered.")
@click.option("--iqa-outcome", default="", help="The IQA sample's outcome.")
@click.option("--iqa-notes", default="", help="The IQA sample's notes.")
@click.option(
    "--iqa-key",
    type=click.Path(dir_okay=False),
    help="Sign the IQA sample with the quality assurer's key (else it carries a hash only).",
)
@click.option(
    "--unit-outcome",
    type=click.Choice(OUTCOMES),
    help="Your judgement of the whole unit (met only when every criterion is met).",
)
@_rule_options
@click.pass_context
def assess_command(
    ctx: click.Context,
    portfolio: str,
    criteria: tuple[str, ...],
    outcome: str | None,
    feedback: str,
    method: tuple[str, ...],
    records: tuple[str, ...],
    date_: str | None,
    overall_feedback: str | None,
    iqa_by: str | None,
    iqa_criteria: tuple[str, ...],
    iqa_outcome: str,
    iqa_notes: str,
    iqa_key: str | None,
    unit_outcome: str | None,
    rule_notes: tuple[str, ...],
    **rule_flags: bool,
) -> None:
    """Judge CRITERIA of PORTFOLIO met or not yet met; record feedback and an IQA sample.

    Tick the rules of evidence with --valid --authentic --current --sufficient --reliable.
    """
    from ..assessor.assessment import assess

    folio = open_folio(ctx, portfolio)
    names = split_ids(criteria)
    rules = _rules(rule_flags, rule_notes)
    if names and not outcome:
        raise UsageError("--outcome is needed", hint=f"pass --outcome {' or '.join(OUTCOMES)}")
    if rules and not names:
        raise UsageError("the rules of evidence belong to criteria", hint="name CRITERIA too")
    if not (names or overall_feedback is not None or iqa_by or unit_outcome):
        raise UsageError(
            "nothing to record",
            hint="give CRITERIA with --outcome, or --overall-feedback, --unit-outcome or --iqa-by",
        )
    try:
        day = date.fromisoformat(date_) if date_ else None
    except ValueError:
        raise UsageError(f"--date {date_!r} is not a date", hint="write it as YYYY-MM-DD") from None
    saved = assess(
        folio,
        names,
        outcome,
        feedback=feedback,
        methods_sampled=list(method),
        evidence=split_ids(records),
        judged_on=day,
        overall_feedback=overall_feedback,
        iqa_by=iqa_by,
        iqa_criteria=split_ids(iqa_criteria),
        iqa_outcome=iqa_outcome,
        iqa_notes=iqa_notes,
        rules=rules,
        unit_outcome=unit_outcome,
        iqa_key=iqa_key,
        iqa_passphrase=_passphrase(False, confirm=False) if iqa_key else None,
    )
    for name in dict.fromkeys(n.strip().upper() for n in names):
        judgement = saved.judgements[name]
        click.echo(f"{name}: {judgement.outcome.replace('_', ' ')} ({judgement.judged_on})")
    if overall_feedback is not None:
        click.echo("Recorded the overall feedback.")
    if unit_outcome:
        click.echo(f"Recorded the unit outcome: {unit_outcome.replace('_', ' ')}.")
    if iqa_by:
        click.echo(f"Recorded the IQA sample by {iqa_by}.")
    signoff = saved.signoff
    if signoff and (names or overall_feedback is not None or unit_outcome):
        click.echo(
            f"Note: {signoff.signed_by} signed this portfolio off on {signoff.signed_at:%Y-%m-%d}; "
            "verify will report this change until it is signed again (cpc306 sign)."
        )


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
    passphrase = _passphrase(passphrase_prompt, confirm=False)
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
@_trust_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def verify_command(ctx: click.Context, portfolio: str, trust: str | None, as_json: bool) -> None:
    """Say whether PORTFOLIO still matches what was declared and signed, and what changed."""
    from ..assessor.verification import verify_portfolio

    result = verify_portfolio(open_folio(ctx, portfolio), trust)
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


# render ----------------------------------------------------------------------------


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write (outside the portfolio folder).",
)
@_trust_option
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Longest a step of the build may take (default: scaled with the attachments' size).",
)
@click.pass_context
def render(
    ctx: click.Context, portfolio: str, output: str, trust: str | None, timeout: int | None
) -> None:
    """Write the assessor's portfolio: one HTML file that opens offline and prints."""
    from ..render import render_portfolio

    folio = open_folio(ctx, portfolio, readonly=True)
    options: dict[str, Any] = {} if timeout is None else {"execution_timeout": timeout}
    # A bar over the report's cells only where someone watches a terminal.
    progress = sys.stderr.isatty()
    click.echo(str(render_portfolio(folio, output, trust=trust, progress=progress, **options)))
