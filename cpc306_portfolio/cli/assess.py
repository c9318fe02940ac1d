"""``cpc306 assess``: the assessor's judgements, typed in or imported from a page."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError
from .choices import METHODS, OUTCOMES, RULES
from .main import main
from .options import key_passphrase, open_folio, split_ids

if TYPE_CHECKING:
    from ..portfolio.evidence_rules import RuleCheck


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
        iqa_passphrase=key_passphrase(False, confirm=False) if iqa_key else None,
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
