"""The ``cpc306`` command: a thin layer over the public API.

Library errors become messages and exit codes in one place (:class:`_Group`):

====  =====================================================
code  meaning
====  =====================================================
0     success
1     an error the package raised on purpose (see message)
2     wrong usage: a missing or bad option or argument
3     not found: no such portfolio, record, unit or file
4     invalid files: every problem is listed with file, line and field
5     confidentiality findings not yet edited or acknowledged
6     the portfolio is locked by another program
7     the portfolio changed since it was declared or signed, or a signature is not
      valid or not trusted
====  =====================================================
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .assessment import (
    DEFAULT_STATEMENT,
    OUTCOMES,
    declare,
    judge_many,
    record_iqa,
    set_feedback,
    sign_off,
)
from .coverage import STATUS_LABELS, coverage_of
from .errors import PortfolioError, UsageError
from .methods import AssessmentMethod
from .models import Acknowledgement, Evidence, Reflection
from .reflection import reflection_model, reflection_models
from .signing import new_key, short_fingerprint
from .standard import Standard, available_standards, load_standard
from .store import Portfolio, create_portfolio, open_portfolio
from .verification import verify_portfolio

EXIT_CODES = {
    0: "success",
    1: "an error the package raised on purpose (see message)",
    2: "wrong usage: a missing or bad option or argument",
    3: "not found: no such portfolio, record, unit or file",
    4: "invalid files: every problem is listed with file, line and field",
    5: "confidentiality findings not yet edited or acknowledged",
    6: "the portfolio is locked by another program",
    7: "the portfolio changed since it was declared or signed, or a signature is not valid "
    "or not trusted",
    8: "a cohort batch finished but some learners failed (each is listed with the fix)",
}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err(message: str) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]error:[/] {message}", markup=True
    )


class _Group(click.Group):
    """Turns every PortfolioError into one message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PortfolioError as exc:
            _err(escape(str(exc)))
            ctx.exit(exc.exit_code)


def _split(values: Sequence[str]) -> list[str]:
    """Accept ``--criteria A1,A2 --criteria B3`` and ``--criteria "A1 A2"``."""
    out: list[str] = []
    for value in values:
        out += [v for v in value.replace(",", " ").split() if v]
    return out


def _open(ctx: click.Context, path: str) -> Portfolio:
    return open_portfolio(path, standard=_standard_option(ctx))


def _standard_option(ctx: click.Context) -> Standard | None:
    source = ctx.find_root().params.get("standard")
    return load_standard(source) if source else None


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--standard",
    envvar="CPC306_STANDARD",
    metavar="UNIT",
    help="Unit to use: a code (CPC 306) or the path of a unit YAML file. "
    "Default: the unit the portfolio names.",
)
@click.version_option(package_name="cpc306-portfolio")
def main(standard: str | None) -> None:
    """Build, check and share an evidence portfolio for a NOS unit (CPC 306 by default)."""


# init ------------------------------------------------------------------------------


def _ask(value: str | None, flag: str, question: str) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        answer: str = click.prompt(question)
        return answer
    raise UsageError(f"{flag} is needed", hint=f"pass {flag} 'VALUE' (or run in a terminal)")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--name", help="Your full name, as your centre knows you.")
@click.option("--job-title", default="", help="Your job title.")
@click.option("--organisation", default="", help="Where you work.")
@click.option("--centre", help="Your training or assessment centre.")
@click.option("--centre-number", default="", help="Your centre's number, if it has one.")
@click.option("--assessor", help="Your assessor's name.")
@click.option("--assessor-email", default="", help="Your assessor's email address.")
@click.option(
    "--keep-out",
    multiple=True,
    metavar="NAME",
    help="A person who must never be identifiable in your text (repeat for each).",
)
@click.option("--unit", default=None, help="Unit code or file (default: CPC 306).")
@click.pass_context
def init(
    ctx: click.Context,
    folder: str,
    name: str | None,
    job_title: str,
    organisation: str,
    centre: str | None,
    centre_number: str,
    assessor: str | None,
    assessor_email: str,
    keep_out: tuple[str, ...],
    unit: str | None,
) -> None:
    """Create a new portfolio in FOLDER (asks for anything not given as an option)."""
    standard = load_standard(unit) if unit else (_standard_option(ctx) or load_standard())
    profile: dict[str, Any] = {
        "unit": standard.code,
        "learner": {
            "name": _ask(name, "--name", "Your full name"),
            "job_title": job_title,
            "organisation": organisation,
        },
        "centre": {"name": _ask(centre, "--centre", "Your centre"), "number": centre_number},
        "assessor": {
            "name": _ask(assessor, "--assessor", "Your assessor"),
            "email": assessor_email,
        },
        "keep_out": list(keep_out),
    }
    portfolio = create_portfolio(folder, profile, standard=standard)
    click.echo(f"Created a {standard.code} portfolio for {name or profile['learner']['name']}")
    click.echo(f"  in {portfolio.root}")
    click.echo("Next: cpc306 evidence add FOLDER --help")


# evidence --------------------------------------------------------------------------


@main.group()
def evidence() -> None:
    """Add, list and show items of evidence."""


def _read_text(text: str | None, file: str | None, flag: str) -> str:
    if text and file:
        raise UsageError(f"give {flag} or {flag}-file, not both")
    if file:
        path = Path(file)
        if not path.is_file():
            raise UsageError(f"{path}: no such file", hint=f"check the path given to {flag}-file")
        return path.read_text(encoding="utf-8")
    return text or ""


def _acknowledgements(values: Sequence[str]) -> list[dict[str, Any]]:
    """``--acknowledge FINGERPRINT=REASON`` -> acknowledgement stubs completed on save."""
    out = []
    for raw in values:
        fingerprint, sep, reason = raw.partition("=")
        if not sep or not reason.strip():
            raise UsageError(
                f"--acknowledge {raw!r} needs the form FINGERPRINT=REASON",
                hint="the fingerprint is shown in [brackets] beside each finding",
            )
        out.append({"fingerprint": fingerprint.strip(), "reason": reason.strip()})
    return out


def _with_acknowledgements(
    folio: Portfolio,
    fields: dict[str, Any],
    stubs: list[dict[str, Any]],
    kind: str,
    attach: Sequence[str] = (),
) -> dict[str, Any]:
    """Match each acknowledged fingerprint to the finding it names in a draft record."""
    if not stubs:
        return fields
    found = {f.fingerprint: f for f in folio.preview_findings(kind, fields, attach)}
    acks = []
    for stub in stubs:
        finding = found.get(stub["fingerprint"])
        if finding is None:
            raise UsageError(
                f"no finding has the fingerprint {stub['fingerprint']!r}",
                hint=f"findings in this text: {', '.join(found) or 'none'}",
            )
        acks.append(Acknowledgement.of(finding, stub["reason"]).model_dump(mode="json"))
    return {**fields, "confidentiality": acks}


_ACK_HELP = "Acknowledge a confidentiality finding as identifying no one (repeat)."


@evidence.command("add")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--title", required=True, help="A short title for the item.")
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="Date of the activity.")
@click.option(
    "--method",
    required=True,
    type=click.Choice([m.value for m in AssessmentMethod]),
    help="How the evidence was gathered.",
)
@click.option(
    "--kind", multiple=True, help="Evidence kind(s) from the unit's scope, e.g. evidence/observed."
)
@click.option("--description", help="What happened and what it shows, in your words.")
@click.option(
    "--description-file", type=click.Path(dir_okay=False), help="Read the description from a file."
)
@click.option("--criteria", multiple=True, help="Criteria it shows, e.g. A2,A3.")
@click.option("--scope", multiple=True, help="Scope options, e.g. risks/financial_loss.")
@click.option("--knowledge", multiple=True, help="Knowledge items, e.g. K8b,K16.")
@click.option(
    "--attach", multiple=True, type=click.Path(dir_okay=False), help="A file to copy in (repeat)."
)
@click.option("--witness-name", help="Who saw the work (observation, witness testimony).")
@click.option("--witness-role", help="Their role.")
@click.option("--simulated", is_flag=True, help="The work was simulated, not real work.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=_ACK_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the new record as JSON.")
@click.pass_context
def evidence_add(
    ctx: click.Context,
    portfolio: str,
    title: str,
    date_: str,
    method: str,
    kind: tuple[str, ...],
    description: str | None,
    description_file: str | None,
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    knowledge: tuple[str, ...],
    attach: tuple[str, ...],
    witness_name: str | None,
    witness_role: str | None,
    simulated: bool,
    acknowledge: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add an item of evidence to PORTFOLIO and map it to criteria, scope and knowledge."""
    folio = _open(ctx, portfolio)
    fields: dict[str, Any] = {
        "title": title,
        "date": date_,
        "method": method,
        "evidence_kind": _split(kind),
        "description": _read_text(description, description_file, "--description"),
        "criteria": _split(criteria),
        "scope": _split(scope),
        "knowledge": _split(knowledge),
        "simulated": simulated,
    }
    if witness_name or witness_role:
        fields["witness"] = {"name": witness_name or "", "role": witness_role or ""}
    stubs = _acknowledgements(acknowledge)
    fields = _with_acknowledgements(folio, fields, stubs, "evidence", attach)
    record = folio.add_evidence(fields, attach=list(attach))
    if as_json:
        _print_json(record.to_data())
        return
    click.echo(f"Added {record.id}: {record.title}")
    click.echo(f"  {folio.relative(folio.record_path(record.id))}")


@evidence.command("list")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def evidence_list(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List the evidence in PORTFOLIO."""
    records = _open(ctx, portfolio).evidence()
    if as_json:
        _print_json([r.to_data() for r in records])
        return
    table = Table(title=f"Evidence ({len(records)})", title_justify="left")
    for column in ("id", "date", "method", "title", "criteria", "files"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(
            r.id,
            r.date.isoformat(),
            r.method.label,
            r.title,
            " ".join(r.criteria),
            str(len(r.attachments)),
        )
    _console().print(table)


def _show_record(record: Evidence | Reflection, standard: Standard) -> None:
    console = _console()
    console.print(f"[bold]{record.id}[/bold]  {escape(record.title)}")
    if isinstance(record, Evidence):
        console.print(f"date: {record.date}   method: {record.method.label}")
        if record.evidence_kind:
            kinds = [standard.scope_options[k].label for k in record.evidence_kind]
            console.print("kind: " + "; ".join(kinds))
        if record.witness:
            console.print(f"witness: {escape(record.witness.name)}, {escape(record.witness.role)}")
        console.print()
        console.print(escape(record.description))
    else:
        model = reflection_model(record.model)
        console.print(f"date: {record.date}   model: {model.name}")
        for stage in model.stages:
            console.print(f"\n[bold]{stage.title}[/bold]")
            console.print(escape(record.stages.get(stage.id, "")) or "(empty)")
    console.print()
    for crit in record.criteria:
        console.print(f"  {crit}  {escape(standard.criteria[crit].text)}")
    for option in record.scope:
        console.print(f"  {option}  {standard.scope_options[option].label}")
    for kid in record.knowledge:
        console.print(f"  {kid}  {standard.knowledge_ids[kid]}")
    if isinstance(record, Evidence):
        for att in record.attachments:
            console.print(f"  file: {att.path} ({att.size} bytes, sha256 {att.sha256[:12]}…)")


@evidence.command("show")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("evidence_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def evidence_show(ctx: click.Context, portfolio: str, evidence_id: str, as_json: bool) -> None:
    """Show one item of evidence in full."""
    folio = _open(ctx, portfolio)
    record = folio.read_evidence(evidence_id.upper())
    if as_json:
        _print_json(record.to_data())
    else:
        _show_record(record, folio.standard)


@evidence.command("attach")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("evidence_id")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--description", default="", help="What the file is.")
@click.pass_context
def evidence_attach(
    ctx: click.Context, portfolio: str, evidence_id: str, file: str, description: str
) -> None:
    """Copy FILE into an item of evidence, recording its SHA-256 and size."""
    att = _open(ctx, portfolio).attach(evidence_id.upper(), file, description)
    click.echo(f"Attached {att.path} ({att.size} bytes)")


@evidence.command("remove")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("evidence_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def evidence_remove(ctx: click.Context, portfolio: str, evidence_id: str, yes: bool) -> None:
    """Delete an item of evidence and its attachments."""
    folio = _open(ctx, portfolio)
    record = folio.read_evidence(evidence_id.upper())
    if not yes and not click.confirm(f"Delete {record.id} ({record.title}) and its files?"):
        raise UsageError("nothing was deleted", hint="pass --yes to delete without asking")
    folio.remove_evidence(record.id)
    click.echo(f"Removed {record.id}")


# reflection ------------------------------------------------------------------------


@main.group()
def reflection() -> None:
    """Write reflective accounts in a reflection model (Gibbs, Driscoll, Kolb, ...)."""


def _stage_texts(
    model_id: str, stage: tuple[str, ...], stage_file: tuple[str, ...]
) -> dict[str, str]:
    model = reflection_model(model_id)
    texts: dict[str, str] = {}
    for raw, from_file in [(s, False) for s in stage] + [(s, True) for s in stage_file]:
        key, sep, value = raw.partition("=")
        if not sep:
            flag = "--stage-file" if from_file else "--stage"
            raise UsageError(
                f"{flag} {raw!r} needs the form STAGE=TEXT",
                hint=f"stages of {model.name}: {', '.join(model.stage_ids)}",
            )
        texts[key.strip()] = _read_text(None, value, "--stage") if from_file else value
    if not texts and sys.stdin.isatty():
        for s in model.stages:
            texts[s.id] = click.edit(f"# {s.title}: {s.prompt}\n") or ""
    return texts


@reflection.command("add")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--model",
    "model_id",
    required=True,
    type=click.Choice(list(reflection_models())),
    help="Reflection model.",
)
@click.option("--title", required=True, help="A short title.")
@click.option("--date", "date_", required=True, metavar="YYYY-MM-DD", help="Date of the events.")
@click.option("--stage", multiple=True, metavar="STAGE=TEXT", help="Text of one stage (repeat).")
@click.option(
    "--stage-file", multiple=True, metavar="STAGE=FILE", help="Read a stage's text from a file."
)
@click.option("--criteria", multiple=True, help="Criteria it shows, e.g. B7.")
@click.option("--scope", multiple=True, help="Scope options.")
@click.option("--knowledge", multiple=True, help="Knowledge items, e.g. K17.")
@click.option("--acknowledge", multiple=True, metavar="FINGERPRINT=REASON", help=_ACK_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the new record as JSON.")
@click.pass_context
def reflection_add(
    ctx: click.Context,
    portfolio: str,
    model_id: str,
    title: str,
    date_: str,
    stage: tuple[str, ...],
    stage_file: tuple[str, ...],
    criteria: tuple[str, ...],
    scope: tuple[str, ...],
    knowledge: tuple[str, ...],
    acknowledge: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a reflective account to PORTFOLIO, one text per stage of the model."""
    folio = _open(ctx, portfolio)
    fields = {
        "title": title,
        "date": date_,
        "model": model_id,
        "stages": _stage_texts(model_id, stage, stage_file),
        "criteria": _split(criteria),
        "scope": _split(scope),
        "knowledge": _split(knowledge),
    }
    fields = _with_acknowledgements(folio, fields, _acknowledgements(acknowledge), "reflection")
    record = folio.add_reflection(fields)
    if as_json:
        _print_json(record.to_data())
        return
    click.echo(f"Added {record.id}: {record.title}")


@reflection.command("list")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def reflection_list(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List the reflective accounts in PORTFOLIO."""
    records = _open(ctx, portfolio).reflections()
    if as_json:
        _print_json([r.to_data() for r in records])
        return
    table = Table(title=f"Reflective accounts ({len(records)})", title_justify="left")
    for column in ("id", "date", "model", "title", "criteria"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(r.id, r.date.isoformat(), r.model, r.title, " ".join(r.criteria))
    _console().print(table)


@reflection.command("show")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("reflection_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def reflection_show(ctx: click.Context, portfolio: str, reflection_id: str, as_json: bool) -> None:
    """Show one reflective account in full."""
    folio = _open(ctx, portfolio)
    record = folio.read_reflection(reflection_id.upper())
    if as_json:
        _print_json(record.to_data())
    else:
        _show_record(record, folio.standard)


# validate --------------------------------------------------------------------------


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def validate(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """Check every file in PORTFOLIO; list every problem with file, line and field."""
    folio = _open(ctx, portfolio)
    problems = folio.validate()
    if as_json:
        _print_json({"valid": not problems, "problems": [p.as_dict() for p in problems]})
    elif problems:
        for p in problems:
            click.echo(str(p), err=True)
        click.echo(f"{len(problems)} problem(s); nothing was changed.", err=True)
    else:
        n_e, n_r = len(folio.evidence_ids()), len(folio.reflection_ids())
        click.echo(
            f"{folio.root}: valid ({n_e} evidence, {n_r} reflections, unit {folio.standard.code})"
        )
    if problems:
        ctx.exit(4)


_STATUS_STYLE = {
    "not_started": "dim",
    "in_progress": "yellow",
    "ready": "cyan",
    "met": "green",
    "not_yet_met": "red",
}


def _records(frame: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in frame.to_dict(orient="records")]


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--today", metavar="YYYY-MM-DD", help="Judge currency as of this date.")
@click.pass_context
def status(ctx: click.Context, portfolio: str, as_json: bool, today: str | None) -> None:
    """Show each criterion's status, scope and knowledge coverage, and every gap."""
    folio = _open(ctx, portfolio)
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise UsageError(
            f"--today {today!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None
    cov = coverage_of(folio, today=day)
    if as_json:
        _print_json(
            {
                "portfolio": str(folio.root),
                "unit": folio.standard.code,
                "progress": asdict(cov.progress),
                "criteria": _records(cov.criteria),
                "scope": _records(cov.scope),
                "knowledge": _records(cov.knowledge),
                "gaps": [asdict(g) for g in cov.gaps],
            }
        )
        return
    console = _console()
    p = cov.progress
    learner = folio.profile.learner
    console.print(
        f"[bold]{escape(learner.name)}[/bold] - {folio.standard.code} {folio.standard.title}"
    )
    console.print(
        f"{p.evidence_count} evidence items, {p.reflection_count} reflective accounts; "
        f"{p.criteria_ready + p.criteria_met} of {p.criteria_total} criteria ready or met "
        f"({p.percent_ready:g}%), knowledge {p.knowledge_covered}/{p.knowledge_total}, "
        f"scope options {p.scope_covered}/{p.scope_total}"
    )
    table = Table(title="Criteria", title_justify="left")
    for column in ("", "criterion", "status", "items", "reason"):
        table.add_column(column, overflow="fold")
    for row in cov.criteria.itertuples():
        style = _STATUS_STYLE.get(row.status, "")
        table.add_row(
            row.symbol,
            row.criterion,
            f"[{style}]{STATUS_LABELS[row.status]}[/]",
            row.items,
            ""
            if row.status in {"ready", "met"} and not row.reason.startswith("judged")
            else escape(row.reason),
        )
    console.print(table)
    scope = Table(title="Scope (evidence for the options that relate to your work)")
    scope.title_justify = "left"
    for column in ("category", "covered", "options with no evidence yet"):
        scope.add_column(column, overflow="fold")
    for _category, rows in cov.scope.groupby("category", sort=False):
        missing = [r.label for r in rows.itertuples() if not r.covered]
        label = rows["category_label"].iloc[0]
        scope.add_row(label, f"{int(rows['covered'].sum())}/{len(rows)}", "; ".join(missing))
    console.print(scope)
    missing_k = cov.knowledge[~cov.knowledge["covered"] & (cov.knowledge["parent"] == "")]
    console.print(
        "Knowledge: all items covered."
        if missing_k.empty
        else "Knowledge not yet covered: " + ", ".join(missing_k["id"])
    )
    if cov.gaps:
        console.print(f"\n[bold]Gaps and next steps ({len(cov.gaps)})[/bold]")
        for gap in cov.gaps:
            console.print(f"- {escape(gap.message)}\n  next: {escape(gap.next_step)}")
    else:
        console.print("\nNo gaps: every criterion is ready for assessment or judged.")


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def scan(ctx: click.Context, portfolio: str, as_json: bool) -> None:
    """List possible identifiers of people in PORTFOLIO; exit 5 if any is unacknowledged."""
    results = _open(ctx, portfolio).scan()
    open_count = sum(1 for _, ack in results if ack is None)
    if as_json:
        _print_json(
            [
                {
                    **finding.model_dump(mode="json"),
                    "label": finding.label,
                    "acknowledged": ack is not None,
                    "reason": ack.reason if ack else "",
                }
                for finding, ack in results
            ]
        )
    else:
        table = Table(title="Confidentiality scan", title_justify="left")
        for column in ("record", "field", "kind", "snippet", "fingerprint", "acknowledged"):
            table.add_column(column, overflow="fold")
        for finding, ack in results:
            table.add_row(
                finding.record,
                finding.field,
                finding.label,
                escape(finding.snippet),
                finding.fingerprint,
                escape(f"yes: {ack.reason}") if ack else "NO",
            )
        console = _console()
        if results:
            console.print(table)
        console.print(
            f"{len(results)} finding(s), {open_count} not acknowledged."
            if results
            else "No possible identifiers found."
        )
    if open_count:
        ctx.exit(5)


# keys, declaration, judgements, sign-off and verification ---------------------------


PASSPHRASE_ENV = "CPC306_KEY_PASSPHRASE"


def _passphrase(prompt: bool, *, confirm: bool) -> str | None:
    """The key's passphrase: asked for when told to, else from the environment, else none."""
    if prompt:
        answer: str = click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
        return answer
    return os.environ.get(PASSPHRASE_ENV) or None


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
    folio = _open(ctx, portfolio)
    click.echo(statement or DEFAULT_STATEMENT)
    if not yes and not click.confirm(f"Declare this as {folio.profile.learner.name}?"):
        raise UsageError("nothing was declared", hint="pass --yes to declare without asking")
    declaration = declare(folio, statement=statement)
    click.echo(
        f"Declared by {declaration.signed_by}: {len(declaration.manifest.files)} files, "
        f"fingerprint {declaration.manifest.fingerprint}"
    )


@main.command("assess")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.argument("criteria", nargs=-1)
@click.option("--outcome", type=click.Choice(OUTCOMES), help="Your judgement of the criteria.")
@click.option("--feedback", default="", help="Feedback on these criteria.")
@click.option(
    "--method",
    multiple=True,
    type=click.Choice([m.value for m in AssessmentMethod]),
    help="An assessment method you sampled (repeat).",
)
@click.option("--evidence", "records", multiple=True, help="Items relied on, e.g. E001,R002.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Date of the judgement (today).")
@click.option("--overall-feedback", help="Overall feedback to the learner.")
@click.option("--iqa-by", help="Record an internal quality assurance sample by this person.")
@click.option("--iqa-criteria", multiple=True, help="Criteria the IQA sample covered.")
@click.option("--iqa-outcome", default="", help="The IQA sample's outcome.")
@click.option("--iqa-notes", default="", help="The IQA sample's notes.")
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
) -> None:
    """Judge CRITERIA of PORTFOLIO met or not yet met; record feedback and an IQA sample."""
    folio = _open(ctx, portfolio)
    names = _split(criteria)
    if names and not outcome:
        raise UsageError("--outcome is needed", hint=f"pass --outcome {' or '.join(OUTCOMES)}")
    if not (names or overall_feedback is not None or iqa_by):
        raise UsageError(
            "nothing to record",
            hint="give CRITERIA with --outcome, or --overall-feedback, or --iqa-by",
        )
    try:
        day = date.fromisoformat(date_) if date_ else None
    except ValueError:
        raise UsageError(f"--date {date_!r} is not a date", hint="write it as YYYY-MM-DD") from None
    judged = (
        judge_many(
            folio,
            names,
            str(outcome),
            feedback=feedback,
            methods_sampled=list(method),
            evidence=_split(records),
            judged_on=day,
        )
        if names
        else {}
    )
    for name, judgement in judged.items():
        click.echo(f"{name}: {judgement.outcome.replace('_', ' ')} ({judgement.judged_on})")
    if overall_feedback is not None:
        set_feedback(folio, overall_feedback)
        click.echo("Recorded the overall feedback.")
    if iqa_by:
        record_iqa(
            folio,
            sampled_by=iqa_by,
            criteria=_split(iqa_criteria),
            outcome=iqa_outcome,
            notes=iqa_notes,
        )
        click.echo(f"Recorded the IQA sample by {iqa_by}.")
    signoff = folio.read_assessment().signoff
    if signoff and (names or overall_feedback is not None):
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
@click.option("--name", help="Your name as signer (default: the assessor the portfolio names).")
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
    folio = _open(ctx, portfolio)
    passphrase = _passphrase(passphrase_prompt, confirm=False)
    signoff = sign_off(folio, key_path, signed_by=name, passphrase=passphrase)
    click.echo(
        f"Signed off by {signoff.signed_by} with key "
        f"{short_fingerprint(signoff.key_fingerprint)}…: {len(signoff.manifest.files)} entries, "
        f"fingerprint {signoff.manifest.fingerprint}"
    )
    if folio.profile.declaration is None:
        click.echo("Note: the learner has not declared the work their own (cpc306 declare).")
    click.echo(f"Check it with: cpc306 verify {portfolio} --trust CENTRE_KEYS")


@main.command("verify")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option(
    "--trust",
    type=click.Path(),
    help="The centre's assessors' public keys: a file of .pub lines or a folder of .pub files.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def verify_command(ctx: click.Context, portfolio: str, trust: str | None, as_json: bool) -> None:
    """Say whether PORTFOLIO still matches what was declared and signed, and what changed."""
    result = verify_portfolio(_open(ctx, portfolio), trust)
    if as_json:
        _print_json(result.as_dict())
    else:
        click.echo(result.summary)
        click.echo(
            "OK: everything declared and signed still matches."
            if result.ok
            else "NOT OK: the portfolio changed since it was declared or signed, "
            "or the signature is not valid or not trusted."
        )
    if not result.ok:
        ctx.exit(7)


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
@click.option(
    "--trust",
    type=click.Path(),
    help="The centre's assessors' public keys (a file of .pub lines or a folder of .pub "
    "files), to check the sign-off's key.",
)
def render(portfolio: str, output: str, trust: str | None) -> None:
    """Write the assessor's portfolio: one HTML file that opens offline and prints."""
    from .render import render_portfolio

    click.echo(str(render_portfolio(portfolio, output, trust=trust, progress=True)))


# notebooks -------------------------------------------------------------------------


def _write_learner_notebooks(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> Path:
    from .notebooks import relative_portfolio_path, write_notebooks

    folio = _open(ctx, portfolio)
    folder = Path(output) if output else folio.root / "notebooks"
    report = write_notebooks(
        folder,
        folio.standard,
        portfolio_path=relative_portfolio_path(folder, folio.root),
        overwrite_changed=overwrite,
    )
    click.echo(
        f"{len(report)} notebook(s) written, {len(report.unchanged)} already up to date, "
        f"in {folder}"
    )
    for path in report.skipped:
        click.echo(f"  kept {path.name}: you changed it (--overwrite replaces it)")
    return folder


_NB_OUTPUT = "Folder for the notebooks (default: PORTFOLIO/notebooks)."
_NB_OVERWRITE = "Also replace notebooks you changed."


@main.command("notebooks")
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), help=_NB_OUTPUT)
@click.option("--overwrite", is_flag=True, help=_NB_OVERWRITE)
@click.pass_context
def notebooks_command(
    ctx: click.Context, portfolio: str, output: str | None, overwrite: bool
) -> None:
    """Write the notebooks for PORTFOLIO's unit: start here, one per criterion, and more."""
    _write_learner_notebooks(ctx, portfolio, output, overwrite)


@main.command()
@click.argument("portfolio", type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), help=_NB_OUTPUT)
@click.option("--overwrite", is_flag=True, help=_NB_OVERWRITE)
@click.pass_context
def lab(ctx: click.Context, portfolio: str, output: str | None, overwrite: bool) -> None:
    """Write PORTFOLIO's notebooks, then open them in JupyterLab."""
    from . import notebooks

    folder = _write_learner_notebooks(ctx, portfolio, output, overwrite)
    source = ctx.find_root().params.get("standard")
    env: dict[str, str] = {}
    if source:  # the kernels load the same unit (a file path is made absolute)
        given = Path(source)
        env[notebooks.STANDARD_ENV] = str(given.resolve()) if given.exists() else source
    ctx.exit(notebooks.launch_lab(folder, env=env))


# batch -----------------------------------------------------------------------------


@main.command()
@click.argument("cohort", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for each learner's HTML, the dashboard (index.html), CSVs and status.json.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Learners at once (default: one per core)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Time limit per learner, in seconds.",
)
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster, e.g. tcp://host:8786.")
@click.option(
    "--force", is_flag=True, help="Render every learner, even those unchanged since last time."
)
def batch(
    cohort: str,
    output: str,
    workers: int | None,
    timeout: float,
    scheduler: str | None,
    force: bool,
) -> None:
    """Render every learner's portfolio in COHORT and write a cohort dashboard and IQA sample."""
    from .batch import RichProgress, failure_lines, run_batch
    from .errors import BatchError

    report = run_batch(
        cohort,
        output,
        workers=workers,
        time_limit=timeout,
        scheduler=scheduler,
        force=force,
        progress=RichProgress(),
    )
    click.echo(
        f"{len(report.rendered)} rendered, {len(report.skipped)} unchanged, "
        f"{len(report.failed)} failed in {report.seconds:.1f} s"
    )
    click.echo(f"Dashboard: {report.dashboard_path}")
    if report.failed:
        raise BatchError(
            f"{len(report.failed)} learner(s) failed:\n" + "\n".join(failure_lines(report.results)),
            hint=f"fix each as shown, then run again (unchanged learners are skipped); "
            f"details in {report.status_path}",
            failed=[r.key for r in report.failed],
        )


# standard --------------------------------------------------------------------------


@main.group()
def standard() -> None:
    """Show the unit standards this installation knows."""


@standard.command("list")
def standard_list() -> None:
    """List the units that can be loaded by code."""
    for path in available_standards():
        unit = load_standard(path)
        click.echo(f"{unit.code:<12} {unit.title}  ({path})")


@standard.command("show")
@click.argument("unit", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole unit as JSON.")
@click.pass_context
def standard_show(ctx: click.Context, unit: str | None, as_json: bool) -> None:
    """Show a unit: its elements, criteria, scope and knowledge (default: CPC 306)."""
    loaded = load_standard(unit) if unit else (_standard_option(ctx) or load_standard())
    if as_json:
        _print_json(loaded.model_dump(mode="json", by_alias=True))
        return
    console = _console()
    console.print(f"[bold]{loaded.code} {loaded.title}[/bold]")
    for element in loaded.elements:
        console.print(f"\n[bold]{element.id}  {element.title}[/bold]")
        for crit in element.criteria:
            console.print(f"  {crit.id:<5} {crit.text}")
    if loaded.scope:
        console.print("\n[bold]Scope[/bold]")
        for cat in loaded.scope:
            console.print(f"  {cat.label}")
            for opt in cat.options:
                console.print(f"    {cat.id}/{opt.id:<28} {opt.label}")
    console.print("\n[bold]Knowledge[/bold]")
    for group in loaded.knowledge.groups:
        console.print(f"  {group.title}")
        for item in group.items:
            console.print(f"    {item.id:<5} {item.text}")
            for sub in item.sub_items:
                console.print(f"      {sub.id:<5} {sub.text}")


if __name__ == "__main__":  # pragma: no cover
    main()
