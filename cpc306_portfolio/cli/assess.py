"""``cpc306 assess``: the assessor's judgements, typed in or imported from a page."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError
from .choices import METHODS, OUTCOMES, RULES
from .main import main
from .options import PASSPHRASE_ENV, key_passphrase, open_folio, split_ids, trust_option

if TYPE_CHECKING:
    from ..portfolio.evidence_rules import RuleCheck
    from ..portfolio.store import Portfolio


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
@trust_option
@click.option(
    "--unsigned",
    is_flag=True,
    help="Record an unsigned draft; its judgements read 'recorded, not signed' everywhere.",
)
@click.option(
    "--html",
    "page",
    type=click.Path(dir_okay=False),
    help="The page the assessor signed beside: if it is not what the folder renders now, "
    "the refusal names the first section and item that differ.",
)
@click.pass_context
def assess_import(
    ctx: click.Context,
    portfolio: str,
    file: str,
    trust: str | None,
    unsigned: bool,
    page: str | None,
) -> None:
    """Import an assessor's file: signed beside the page (checked), or a draft (--unsigned).

    A signed file is checked against its signature, the centre's list (--trust), the
    portfolio's fingerprint, the assessment it was based on, and the page it was signed
    beside, which must be what the folder renders now.
    """
    from ..assessor.assessment_file import import_assessment
    from ..assessor.signing import load_trust_names, short_fingerprint
    from ..render.page_check import rendered_digests

    folio = open_folio(ctx, portfolio)
    names = load_trust_names(trust) if trust else None
    if page is not None:
        _refuse_an_edited_page(folio, file, page, trust)
    result = import_assessment(
        folio,
        file,
        trust=names,
        unsigned=unsigned,
        rendered_digests=lambda: rendered_digests(folio, trust),
    )
    click.echo(f"Imported judgements of {', '.join(result.judged) or 'no criterion'}.")
    if result.signoff is None:
        click.echo(
            "They are recorded, NOT signed: every page shows them as 'recorded, not signed' "
            "until the assessor signs a draft beside the page (cpc306 assess sign)."
        )
        return
    kind = "an INTERIM sign-off" if result.interim else "the sign-off"
    listed = (names or {}).get(result.signoff.public_key) or result.signoff.signed_by
    click.echo(
        f"Recorded {kind} by {listed} (as the centre's list names key "
        f"{short_fingerprint(result.signoff.key_fingerprint)}…), made beside the page "
        f"{short_fingerprint(result.signoff.page_sha256)}…, which the folder renders now."
    )


def _refuse_an_edited_page(folio: Portfolio, file: str, page: str, trust: str | None) -> None:
    """Name where the page signed beside departs from the folder (the import refuses it)."""
    from ..assessor.drafts import read_draft
    from ..errors import VerificationError
    from ..render.page_check import check_page, page_digest

    signoff = read_draft(file).get("signoff")
    signed = signoff.get("page_sha256") if isinstance(signoff, dict) else None
    if not signed or page_digest(page) != signed:
        raise VerificationError(
            f"{page} is not the page {file} was signed beside",
            hint="give the page the assessor signed beside, or leave out --html",
        )
    check = check_page(folio, page, trust)
    if not check.matches:
        raise VerificationError(
            f"{file} was signed beside a page that is not what {folio.root} renders now; "
            f"first difference: {check.difference}",
            hint="the assessor judged on an edited page: nothing was imported",
        )


@assess_group.command("sign")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option(
    "--page",
    required=True,
    type=click.Path(dir_okay=False),
    help="The portfolio page you judged in (its digest is computed here, from the file).",
)
@click.option(
    "--key",
    "key_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Your private key file (made by cpc306 keys new). Never load it into a page.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The signed file."
)
@click.option("--name", help="Your name as signer (default: the name in your key's .pub file).")
@click.option(
    "--passphrase-prompt",
    is_flag=True,
    help=f"Ask for the key's passphrase (asked anyway when the key has one and {PASSPHRASE_ENV} "
    "is not set).",
)
def assess_sign(
    draft: str,
    page: str,
    key_path: str,
    output: str,
    name: str | None,
    passphrase_prompt: bool,
) -> None:
    """Sign DRAFT (saved by the portfolio page) beside PAGE, on your own machine.

    The signature covers the judgements, the portfolio's fingerprint, the assessment the
    draft was based on and the digest of PAGE, computed here from the file.
    """
    from pathlib import Path

    from ..assessor.drafts import read_draft, sign_draft
    from ..assessor.signing import short_fingerprint
    from ..files.atomic import atomic_write_text
    from ..render.page_check import page_digest, page_panel_data

    data = read_draft(draft)
    panel = page_panel_data(page)
    digest = page_digest(page)
    encrypted = Path(key_path).expanduser().is_file() and b"ENCRYPTED" in (
        Path(key_path).expanduser().read_bytes()
    )
    passphrase = key_passphrase(passphrase_prompt, confirm=False)
    if encrypted and passphrase is None:
        passphrase = key_passphrase(True, confirm=False)
    target = Path(output).expanduser()
    if target.exists():
        raise UsageError(f"{target} already exists; it was not overwritten", hint="give a new -o")
    signed = sign_draft(
        data, panel, digest, key_path, signed_by=name, passphrase=passphrase, source=Path(draft)
    )
    atomic_write_text(target, json.dumps(signed.data, indent=1, ensure_ascii=False) + "\n")
    signoff = signed.signoff
    # Said in full: the draft came through a page, so the assessor checks what they sign.
    for criterion, judgement in data["assessment"]["judgements"].items():
        click.echo(f"  {criterion} {str(judgement.get('outcome')).replace('_', ' ')}")
    click.echo(
        f"Signed {len(data['assessment']['judgements'])} judgement(s) as {signoff.signed_by} "
        f"with key {short_fingerprint(signoff.key_fingerprint)}…, beside the page "
        f"{short_fingerprint(digest)}… ({page}); wrote {target}"
    )
    click.echo(
        "Send it to the centre: cpc306 assess import PORTFOLIO "
        f"{target.name} --trust CENTRE_KEYS (it is refused if the page was not what the "
        "folder renders)."
    )


def iso_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None


def paired_actions(texts: tuple[str, ...], dates: tuple[str, ...]) -> list[tuple[str, date | None]]:
    """Each ``--action`` with the ``--by`` in the same position (``None`` when it has none)."""
    if len(dates) > len(texts):
        raise UsageError(
            f"{len(dates)} --by dates for {len(texts)} --action",
            hint="give one --by after each --action",
        )
    days = [iso_day(d, "--by") for d in dates]
    return [(text, days[i] if i < len(days) else None) for i, text in enumerate(texts)]


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
@click.option(
    "--action",
    "action_texts",
    multiple=True,
    metavar="TEXT",
    help="Not yet met: an action point for the learner (repeat; each with its own --by).",
)
@click.option(
    "--by",
    "action_dates",
    multiple=True,
    metavar="YYYY-MM-DD",
    help="The date the action point given in the same position is due (repeat).",
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
    action_texts: tuple[str, ...],
    action_dates: tuple[str, ...],
    **rule_flags: bool,
) -> None:
    """Judge CRITERIA of PORTFOLIO met or not yet met; record feedback and an IQA sample.

    Tick the rules of evidence with --valid --authentic --current --sufficient --reliable.
    """
    from ..assessor.assessment import assess

    actions = paired_actions(action_texts, action_dates)
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
    was_met = folio.read_assessment().outcome == "met"
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
        actions=actions,
    )
    for name in dict.fromkeys(n.strip().upper() for n in names):
        judgement = saved.judgements[name]
        click.echo(f"{name}: {judgement.outcome.replace('_', ' ')} ({judgement.judged_on})")
        for point in judgement.actions:
            if not point.closed:
                click.echo(f"  {point.id} by {point.by}: {point.text}")
    if overall_feedback is not None:
        click.echo("Recorded the overall feedback.")
    if unit_outcome:
        click.echo(f"Recorded the unit outcome: {unit_outcome.replace('_', ' ')}.")
    elif was_met and saved.outcome is None:
        click.echo(
            "The unit outcome 'met' no longer holds and is cleared: record it again with "
            "--unit-outcome once every criterion is judged."
        )
    if iqa_by:
        click.echo(f"Recorded the IQA sample by {iqa_by}.")
    signoff = saved.signoff
    if signoff and (names or overall_feedback is not None or unit_outcome):
        click.echo(
            f"Note: {signoff.signed_by} signed this portfolio off on {signoff.signed_at:%Y-%m-%d}; "
            "verify will report this change until it is signed again (cpc306 sign)."
        )
