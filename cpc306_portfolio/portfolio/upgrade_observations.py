"""The schema 4 upgrade step: the learner's own "observation" records become the assessor's.

From schema 4 an observation is the assessor's own record (``assessor/observations/``); a
learner's evidence record says "observed by my assessor" and links to it. For each evidence
record a learner made with the method ``observation`` and no such link, this step writes an
assessor's observation made from it: the statement the learner recorded from the person who
observed (or, with none, the learner's description), the same date and mappings, and a note
saying it was migrated, from which record, and that the assessor has not written it. The
learner's record is never rewritten (so the declaration still verifies), and nothing is
dropped: the observation names it (``learner_record``) and views link the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Problem, RecordError
from ..files.atomic import atomic_write_text
from ..files.yamlio import dump_yaml, plain_data, read_yaml, validate_tree
from .assessor_models import Observation
from .layout import EVIDENCE_DIR, OBSERVATIONS_DIR
from .models import now


def _tree(path: Path, root: Path) -> Mapping[str, Any]:
    tree, problems = read_yaml(path, root)
    if not problems and not isinstance(tree, Mapping):
        problems = [Problem(str(path), "expected a mapping of fields at the top level", line=1)]
    if problems:
        raise RecordError(problems, hint="fix the file by hand (cpc306 validate); nothing changed")
    data: Mapping[str, Any] = plain_data(tree)
    return data


def learner_observations(root: Path) -> list[tuple[str, Mapping[str, Any]]]:
    """Evidence records of the method ``observation`` with no link to an assessor's record."""
    out = []
    for path in sorted((root / EVIDENCE_DIR).glob("E*.yaml")):
        data = _tree(path, root)
        if data.get("method") == "observation" and not data.get("observation"):
            out.append((str(data.get("id") or path.stem), data))
    return out


def _existing(root: Path) -> dict[str, str]:
    """The assessor's observations there already: learner record id -> observation id."""
    out: dict[str, str] = {}
    folder = root / OBSERVATIONS_DIR
    if folder.is_dir():
        for path in sorted(folder.glob("O*.yaml")):
            data = _tree(path, root)
            if data.get("learner_record"):
                out[str(data["learner_record"])] = path.stem
    return out


def _next_number(root: Path) -> int:
    folder = root / OBSERVATIONS_DIR
    numbers = (
        [int(p.stem[1:]) for p in folder.glob("O*.yaml") if p.stem[1:].isdigit()]
        if folder.is_dir()
        else []
    )
    return max(numbers, default=0) + 1


def migrated_observation(
    evidence_id: str, data: Mapping[str, Any], observation_id: str, assessor: str
) -> Observation:
    """The assessor's observation made from a learner's record of one (see the module)."""
    witness = data.get("witness") if isinstance(data.get("witness"), Mapping) else None
    statement = str((witness or {}).get("statement") or "").strip()
    who = str((witness or {}).get("name") or "").strip() or assessor
    files = [str(a.get("path")) for a in data.get("attachments") or [] if isinstance(a, Mapping)]
    source = (
        f"the statement {evidence_id} records from {who}"
        if statement
        else f"the learner's description in {evidence_id}"
    )
    note = (
        f"Made by cpc306 upgrade on {date.today().isoformat()} from the learner's evidence "
        f"record {evidence_id}, which recorded this observation before observations became "
        f"the assessor's own records. The account is {source}; the assessor has not written "
        f"or confirmed it here. {evidence_id} is unchanged"
        + (f" and keeps its files ({', '.join(files)})." if files else ".")
    )
    fields = {
        "id": observation_id,
        "date": data.get("date"),
        "assessor": who,
        "narrative": statement or str(data.get("description") or "").strip(),
        "learner_record": evidence_id,
        "migrated": note,
        "criteria": list(data.get("criteria") or []),
        "scope": list(data.get("scope") or []),
        "knowledge": list(data.get("knowledge") or []),
        "created": now(),
        "modified": now(),
        "revision": 1,
    }
    path = f"{OBSERVATIONS_DIR}/{observation_id}.yaml"
    record, problems = validate_tree(Observation, fields, path)
    if record is None:
        raise RecordError(
            problems,
            hint=f"{evidence_id} could not be made into an assessor's observation: fix "
            f"{EVIDENCE_DIR}/{evidence_id}.yaml by hand; nothing was written",
        )
    return record


def observations_needed(root: Path) -> bool:
    done = _existing(root)
    return any(eid not in done for eid, _ in learner_observations(root))


def migrate_observations(root: Path, profile: Mapping[str, Any]) -> list[str]:
    """Write an assessor's observation for each learner's observation record; return ids."""
    done = _existing(root)
    assessor = str((profile.get("assessor") or {}).get("name") or "the assessor")
    number = _next_number(root)
    written = []
    for evidence_id, data in learner_observations(root):
        if evidence_id in done:
            continue
        observation_id = f"O{number:03d}"
        record = migrated_observation(evidence_id, data, observation_id, assessor)
        folder = root / OBSERVATIONS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(folder / f"{observation_id}.yaml", dump_yaml(record.to_data()))
        written.append(f"{observation_id} from {evidence_id}")
        number += 1
    return written
