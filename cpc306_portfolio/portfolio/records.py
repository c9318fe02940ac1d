"""Reading, validating and building records: every problem, never a silent drop."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from ..errors import (
    ConflictError,
    NotFoundError,
    PortfolioInvalidError,
    Problem,
    RecordError,
)
from ..files.atomic import (
    atomic_write_text,
)
from ..files.stamps import FileMemo
from ..files.yamlio import (
    MAX_YAML_BYTES,
    dump_yaml,
    load_model,
    locate,
    read_yaml,
    validate_tree,
    validation_problems,
)
from .folder import PortfolioFolder, _schema_problem
from .models import (
    Assessment,
    Evidence,
    Reflection,
    check_assessment,
    check_mappings,
    check_record,
)

R = TypeVar("R", Evidence, Reflection)


class PortfolioRecords(PortfolioFolder):
    """Reads records and builds new ones, validated against the unit."""

    @cached_property
    def _memo(self) -> FileMemo[_Parsed]:
        """What reading each record file gave (see :meth:`_read`)."""
        return FileMemo()

    def _read(self, model: type[R], record_id: str) -> tuple[R | None, list[Problem]]:
        """A record and its problems, reading the file only when its stamp changed.

        ``validate`` then ``scan``, or a render, ask for every record more than once. What
        a file gave is reused only while its stamp (size, both times, inode, device) is the
        one taken before it was read, and only when it had been still for
        :data:`~cpc306_portfolio.files.stamps.RACY_NS` by then. What is kept is the parsed
        file, not the record: each caller gets a record of its own, built afresh from it,
        so a change one caller makes to its record never reaches the next.
        """
        path = self.record_path(record_id)
        if self.__dict__.get("_memo_unit") is not self.standard:  # checked against another
            self._memo.clear()
            self.__dict__["_memo_unit"] = self.standard
        parsed = self._memo.get(path, lambda: self._parse(model, record_id, path), key=model)
        return parsed.answer(path)

    def _parse(self, model: type[R], record_id: str, path: Path) -> _Parsed:
        record, problems, tree = self._read_file(model, record_id, path)
        return _Parsed(model, tree, problems, record)

    def _read_file(
        self, model: type[R], record_id: str, path: Path
    ) -> tuple[R | None, list[Problem], Any]:
        """The record, its problems, and the parsed file it was built from.

        The parsed file is None when the file does not make a record.
        """
        if not path.exists() and not path.is_symlink():
            return None, [Problem(str(path), "no such record")], None
        tree, problems = read_yaml(path, self.root)
        if problems:
            return None, problems, None
        problems = _schema_problem(tree, path)
        if problems:
            return None, problems, None
        record, problems = validate_tree(model, tree, path)
        if record is None:
            return None, problems, None
        if record.id != record_id:
            return (
                None,
                locate(
                    [
                        Problem(
                            str(path),
                            f"the file is named {record_id} but its id is {record.id}",
                            field="id",
                            hint=f"set id to {record_id}, or rename the file to {record.id}.yaml",
                        )
                    ],
                    tree,
                ),
                None,
            )
        return record, locate(check_record(record, self.standard, str(path)), tree), tree

    def _get(self, model: type[R], record_id: str) -> R:
        path = self.record_path(record_id)
        if not path.is_file():
            known = self.evidence_ids() if model is Evidence else self.reflection_ids()
            raise NotFoundError(
                f"{path}: no such record {record_id}",
                hint=f"existing records: {', '.join(known) or 'none yet'}",
            )
        record, problems = self._read(model, record_id)
        if problems or record is None:
            raise RecordError(problems, hint="fix the file by hand; it was not changed")
        return record

    def read_evidence(self, evidence_id: str) -> Evidence:
        """One evidence record, validated against the unit; raises with every problem."""
        return self._get(Evidence, evidence_id)

    def read_reflection(self, reflection_id: str) -> Reflection:
        return self._get(Reflection, reflection_id)

    def _all(self, model: type[R], ids: list[str]) -> list[R]:
        records, problems = [], []
        for record_id in ids:
            record, found = self._read(model, record_id)
            problems += found
            if record is not None and not found:
                records.append(record)
        if problems:
            raise PortfolioInvalidError(
                problems, hint="fix these files by hand (cpc306 validate lists them all)"
            )
        return records

    def evidence(self) -> list[Evidence]:
        """Every evidence record; raises listing every bad file rather than skip one."""
        return self._all(Evidence, self.evidence_ids())

    def reflections(self) -> list[Reflection]:
        return self._all(Reflection, self.reflection_ids())

    def read_assessment(self) -> Assessment:
        """The assessor's file, or an empty assessment when there is none yet."""
        path = self.assessment_path
        if not path.is_file():
            return Assessment()
        assessment, problems = load_model(Assessment, path, self.root)
        if assessment is not None:
            tree, _ = read_yaml(path, self.root)
            problems = locate(check_assessment(assessment, self.standard, str(path)), tree)
        if problems or assessment is None:
            raise RecordError(problems, hint="fix assessment.yaml by hand; it was not changed")
        return assessment

    def _write(self, path: Path, data: Mapping[str, Any]) -> None:
        atomic_write_text(path, dump_yaml(data))

    def _conflict(self, mine: R, theirs: R) -> ConflictError:
        changed = [
            k
            for k, v in mine.to_data().items()
            if k not in {"modified", "revision"} and theirs.to_data().get(k) != v
        ]
        return ConflictError(
            f"{self.relative(self.record_path(mine.id))} was changed by another program "
            f"since you read it (revision {mine.revision or 0} then, "
            f"{theirs.revision or 0} now), so your copy was not written over it; "
            f"fields that differ: {', '.join(changed) or 'none'}",
            hint="read the record again, make your change to that, and save; your version "
            "is kept in the error (.mine) and the one on disk was not touched",
            mine=mine,
            theirs=theirs,
        )

    def _check_size(self, path: Path, data: Mapping[str, Any]) -> None:
        if len(dump_yaml(data).encode("utf-8")) > MAX_YAML_BYTES:
            raise RecordError(
                [
                    Problem(
                        str(path),
                        f"the record would be larger than {MAX_YAML_BYTES // 1_000_000} MB",
                        hint="put long text in an attached file and summarise it here; "
                        "nothing was written",
                    )
                ]
            )

    def _next_id(self, prefix: str) -> str:
        folder = self.evidence_dir if prefix == "E" else self.reflections_dir
        taken = [int(i[1:]) for i in self._ids(folder, prefix)]
        if prefix == "E" and folder.is_dir():
            taken += [int(p.name[1:]) for p in folder.glob("E*") if re.fullmatch(r"E\d+", p.name)]
        return f"{prefix}{max(taken, default=0) + 1:03d}"

    def _build(self, model: type[R], fields: Mapping[str, Any], path: Path) -> R:
        try:
            record = model.model_validate(dict(fields))
        except ValidationError as exc:
            problems = validation_problems(exc, None, path)
            problems += check_mappings(fields, self.standard, str(path))
            raise RecordError(problems, hint="nothing was written; correct it") from None
        problems = check_record(record, self.standard, str(path))
        if problems:
            raise RecordError(problems, hint="nothing was written; correct it")
        return record

    def draft(self, kind: str, fields: Mapping[str, Any]) -> Evidence | Reflection:
        """A validated record that is not saved (id ``E000``/``R000``): to preview findings."""
        clean = {k: v for k, v in fields.items() if k not in {"id", "created", "modified"}}
        if kind == "evidence":
            path = self.record_path("E000")
            return self._build(Evidence, {**clean, "id": "E000"}, path)
        return self._build(Reflection, {**clean, "id": "R000"}, self.record_path("R000"))


def _same(a: Any, b: Any) -> bool:
    """Equal apart from the modified time: a save that changes nothing writes nothing."""
    left, right = a.to_data(), b.to_data()
    left.pop("modified", None)
    right.pop("modified", None)
    return bool(left == right)


class _Parsed:
    """What one read of a record file gave: its parsed tree and its problems.

    The record built on that read goes to the first caller; each later one gets a record
    built afresh from the tree (valid when it was read, so it validates again).
    """

    __slots__ = ("first", "model", "problems", "tree")

    def __init__(self, model: type[Any], tree: Any, problems: list[Problem], record: Any) -> None:
        self.model, self.tree, self.problems = model, tree, tuple(problems)
        self.first = record if tree is not None else None

    def answer(self, path: Path) -> tuple[Any, list[Problem]]:
        if self.tree is None:
            return None, list(self.problems)
        record, self.first = self.first, None
        if record is None:
            record, _ = validate_tree(self.model, self.tree, path)
        return record, list(self.problems)
