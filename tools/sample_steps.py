"""The steps of the sample's story that are not the learner's records: each a ``cpc306`` command.

Used by tools/make_sample.py; every step is one entry of ``tools/sample/story.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sample"
ASSESSOR_KEY = HERE.parent / "demo-keys" / "demo-assessor.key"
IQA_KEY = HERE.parent / "demo-keys" / "demo-iqa.key"
TRUST = HERE.parent / "demo-keys" / "demo-trust-list.txt"
RULES = ("valid", "authentic", "current", "sufficient", "reliable")


def _csv(values: list[str] | None) -> list[str]:
    return [",".join(values)] if values else []


def witness(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["witness", "add", b.folder]
    for option in ("name", "role", "organisation", "relationship", "email", "phone", "status"):
        args += [f"--{option}", step[option]]
    for met in step.get("meets", []):
        args += ["--meets", met]
    out = b.run(*args)
    b.witnesses[step["name"]] = next(w for w in out.split() if w.startswith("W"))[:4]


def witness_check(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "witness", "check", b.folder, b.witnesses[step["witness"]], "--how", step["how"],
        "--date", step["when"][:10], "--notes", step["notes"],
    )  # fmt: skip


def plan_add(b: Any, step: dict[str, Any]) -> None:
    for item in step["activities"]:
        args: list[Any] = ["plan", "add", b.folder, "--activity", item["activity"]]
        args += ["--method", item["method"], "--date", item["date"]]
        args += ["--criteria", *_csv(item.get("criteria"))] if item.get("criteria") else []
        args += ["--knowledge", *_csv(item.get("knowledge"))] if item.get("knowledge") else []
        if item.get("with"):
            args += ["--with", item["with"]]
        b.run(*args)


def plan_agree(b: Any, step: dict[str, Any]) -> None:
    if step.get("learner", True):
        b.run("plan", "agree", b.folder, "--as", "learner")
    if step.get("assessor", True):
        b.run("plan", "agree", b.folder, "--as", "assessor", "--key", ASSESSOR_KEY)


def plan_done(b: Any, step: dict[str, Any]) -> None:
    b.run("plan", "done", b.folder, step["activity"], "--record", step["record"])


def plan_move(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "plan", "move", b.folder, step["activity"], "--reason", step["reason"], "--to", step["to"]
    )


def observe(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["assess", "observe", b.folder, "--date", step["when"][:10]]
    args += ["--criteria", ",".join(step["criteria"])]
    if step.get("knowledge"):
        args += ["--knowledge", ",".join(step["knowledge"])]
    if step.get("scope"):
        args += ["--scope", ",".join(step["scope"])]
    text = step.get("narrative") or (SOURCE / "files" / step["narrative_file"]).read_text()
    # The record is plain text: the written-up form's headings become plain lines.
    text = re.sub(r"^#+ ", "", text.replace("**", ""), flags=re.MULTILINE)
    args += ["--narrative-file", b.text_file(text), "--location", step["location"]]
    b.run(*args)


def review(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["review", "add", b.folder, "--date", step["when"][:10]]
    args += ["--progress-file", b.text_file(step["progress"])]
    for target, by in step["targets"].items():
        args += ["--target", f"{target}={by}"]
    if step.get("next"):
        args += ["--next-review", step["next"]]
    out = b.run(*args)
    review_id = next(w for w in out.replace(":", " ").split() if w.startswith("V0"))
    b.run("review", "agree", b.folder, review_id, "--as", "learner", "--comments", step["comments"])
    b.run("review", "agree", b.folder, review_id, "--as", "assessor", "--key", ASSESSOR_KEY)


def discuss(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["assess", "discuss", b.folder, "--date", step["when"][:10]]
    args += ["--knowledge", ",".join(step["knowledge"])]
    for topic in step["topics"]:
        args += ["--topic", topic]
    args += ["--notes-file", b.text_file(step["notes"]), "--showed", step["showed"]]
    b.run(*args)


def questions(b: Any, step: dict[str, Any]) -> None:
    """Ask every bank question the unit holds that ``questions.yaml`` answers."""
    from cpc306_portfolio import open_portfolio

    bank = {q.id for q in open_portfolio(b.folder, readonly=True).standard.question_bank}
    answers = yaml.safe_load((SOURCE / "questions.yaml").read_text(encoding="utf-8"))
    for qid, item in answers.items():
        if qid not in bank:
            continue
        # An answer short of a must-include point is marked not yet met; the supplementary
        # question and the fuller answer follow in the same session (a later record).
        for attempt in [item["first_attempt"]] if "first_attempt" in item else []:
            b.run(
                "assess", "question", b.folder, "--question", qid,
                "--answer-file", b.text_file(attempt["answer"]), "--outcome", "not_yet_met",
                "--note", attempt["note"], "--date", step["when"][:10],
            )  # fmt: skip
        b.run(
            "assess", "question", b.folder, "--question", qid,
            "--answer-file", b.text_file(item["answer"]), "--outcome", item.get("outcome", "met"),
            "--note", item["note"], "--date", step["when"][:10],
        )  # fmt: skip


def declare(b: Any, step: dict[str, Any]) -> None:
    b.run("declare", b.folder, "--yes")


def judge(b: Any, step: dict[str, Any]) -> None:
    """Judge each criterion as ``judgements.yaml`` says (``first``: its first judgement)."""
    judgements = yaml.safe_load((SOURCE / "judgements.yaml").read_text(encoding="utf-8"))
    for crit in step.get("criteria", []):
        j = judgements[f"{crit} first" if crit in step.get("first", []) else crit]
        outcome = j.get("outcome", "met")
        args: list[Any] = ["assess", "judge", b.folder, crit, "--outcome", outcome]
        args += ["--feedback", j["feedback"].strip(), "--date", step["when"][:10]]
        for method in j["methods"]:
            args += ["--method", method]
        args += ["--evidence", ",".join(j["evidence"])]
        args += [f"--{rule}" for rule in RULES] if outcome == "met" else []
        for rule, note in (j.get("notes") or {}).items():
            args += ["--rule-note", f"{rule}={note}"]
        for text, by in (j.get("actions") or {}).items():
            args += ["--action", text, "--by", by]
        b.run(*args)
    if step.get("unit_outcome"):
        b.run(
            "assess", "judge", b.folder, "--unit-outcome", step["unit_outcome"],
            "--overall-feedback", " ".join(step["overall"].split()), "--date", step["when"][:10],
        )  # fmt: skip


def acknowledge(b: Any, step: dict[str, Any]) -> None:
    """The learner acknowledges each decision they have read (responses.yaml)."""
    for crit in step["criteria"]:
        b.run("respond", "acknowledge", b.folder, crit)


def reply(b: Any, step: dict[str, Any]) -> None:
    """The learner replies to an action point, and says it is done when it is."""
    b.run("respond", "reply", b.folder, step["criterion"], step["action"], step["text"].strip())
    if step.get("done"):
        b.run("respond", "done", b.folder, step["criterion"], step["action"])


def action_close(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "assess", "action", "close", b.folder, step["criterion"], step["action"],
        "--note", step["note"].strip(), "--date", step["when"][:10],
    )  # fmt: skip


def target_met(b: Any, step: dict[str, Any]) -> None:
    """Mark targets of a review met, each on its own day: ``met: {number: day}``."""
    for number, day in step["met"].items():
        b.run("review", "met", b.folder, step["review"], number, "--on", day)


def sign(b: Any, step: dict[str, Any]) -> None:
    """The trust flow: the centre renders the page, the assessor signs the draft beside it.

    The draft is what the page's panel saves (its own data block, with the judgements the
    assessor recorded as the programme went); ``cpc306 assess sign`` computes the page's
    digest from the file and signs with the demo key; the centre imports the signed file
    against its demo trust list, which checks the page is what the folder renders now.
    """
    import json

    from cpc306_portfolio import render_portfolio
    from cpc306_portfolio.execute.engines import InProcess
    from cpc306_portfolio.render.page_check import page_panel_data

    page = render_portfolio(b.folder, b.scratch / "portfolio.html", trust=TRUST, engine=InProcess())
    data = page_panel_data(page)
    fields = ("format", "unit", "learner", "portfolio_fingerprint", "portfolio_files", "base")
    draft = {name: data[name] for name in fields}
    draft["assessment"] = {
        "judgements": data["judgements"],
        "feedback": data["feedback"],
        "outcome": data["outcome"],
    }
    draft["signoff"] = None
    draft_path = b.scratch / "assessment-draft.json"
    draft_path.write_text(json.dumps(draft), encoding="utf-8")
    signed = b.scratch / "assessment-signed.json"
    b.run("assess", "sign", draft_path, "--page", page, "--key", ASSESSOR_KEY, "-o", signed)
    b.run("assess", "import", b.folder, signed, "--trust", TRUST, "--html", page)


def iqa(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "assess", "judge", b.folder, "--iqa-by", step["by"],
        "--iqa-criteria", ",".join(step["criteria"]), "--iqa-outcome", step["outcome"],
        "--iqa-notes", " ".join(step["notes"].split()), "--iqa-key", IQA_KEY,
    )  # fmt: skip


def development_plan(b: Any, step: dict[str, Any]) -> None:
    """The learner's development plan, agreed at supervision (as the app's plan page saves it)."""
    from cpc306_portfolio import open_portfolio
    from cpc306_portfolio.portfolio.plan import save_plan

    save_plan(open_portfolio(b.folder), step["actions"])


# -- the centre's own records, in demo-centre/ beside the sample (never inside it) -------------
def centre_info(b: Any, step: dict[str, Any]) -> None:
    """The centre's name and appeals wording in centre.yaml (no command sets them yet)."""
    from cpc306_portfolio.centre.folder import CENTRE_FILE, open_centre
    from cpc306_portfolio.centre.models import CentreInfo

    centre = open_centre(b.centre, create=True)
    info = CentreInfo(name=step["name"], appeals=" ".join(step["appeals"].split()))
    with centre.locked():
        centre.write(CENTRE_FILE, info)


def centre_person(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["centre", "assessor", "add", b.centre, "--name", step["name"]]
    args += ["--role", step["role"], "--status", "qualified", "--key", HERE.parent / step["key"]]
    for qualification in step["qualifications"]:
        args += ["--qualification", qualification]
    b.run(*args)
    b.run("centre", "trust", b.centre)


def centre_cpd(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "centre", "assessor", "cpd", b.centre, "--name", step["name"],
        "--date", step["when"][:10], "--activity", step["activity"], "--hours", step["hours"],
    )  # fmt: skip


def iqa_plan(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "iqa", "plan", b.cohort, "--centre", b.centre, "--interim", step["interim"],
        "--summative", step["summative"], "--rate", "100", "--seed", "306",
    )  # fmt: skip


def iqa_observe(b: Any, step: dict[str, Any]) -> None:
    b.run(
        "iqa", "observe", b.centre, "--assessor", step["assessor"], "--by", step["by"],
        "--date", step["when"][:10], "--activity", step["activity"],
        "--learner", b.folder.name, "--notes-file", b.text_file(step["notes"]),
    )  # fmt: skip


def standardise(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["centre", "standardise", b.centre, "--date", step["when"][:10]]
    args += ["--topic", step["topic"], "--notes-file", b.text_file(step["notes"])]
    for person in step["attendees"]:
        args += ["--attendee", person]
    for text, by in step.get("actions", {}).items():
        args += ["--action", f"{text}={by}"]
    b.run(*args)


def iqa_report(b: Any, step: dict[str, Any]) -> None:
    args: list[Any] = ["iqa", "report", b.folder, "--centre", b.centre, "--by", step["by"]]
    args += ["--decision", step["decision"], "--feedback-file", b.text_file(step["feedback"])]
    for text, by in step.get("actions", {}).items():
        args += ["--action", f"{text}={by}"]
    b.run(*args, "--key", IQA_KEY)


def iqa_action_done(b: Any, step: dict[str, Any]) -> None:
    b.run("iqa", "action", b.centre, step["action"], "--done")


STEP_KINDS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "development_plan": development_plan,
    "centre_info": centre_info,
    "centre_person": centre_person,
    "centre_cpd": centre_cpd,
    "iqa_plan": iqa_plan,
    "iqa_observe": iqa_observe,
    "standardise": standardise,
    "iqa_report": iqa_report,
    "iqa_action_done": iqa_action_done,
    "witness": witness,
    "witness_check": witness_check,
    "plan_add": plan_add,
    "plan_agree": plan_agree,
    "plan_done": plan_done,
    "plan_move": plan_move,
    "observe": observe,
    "review": review,
    "discuss": discuss,
    "questions": questions,
    "declare": declare,
    "judge": judge,
    "sign": sign,
    "acknowledge": acknowledge,
    "reply": reply,
    "action_close": action_close,
    "target_met": target_met,
    "iqa": iqa,
}
