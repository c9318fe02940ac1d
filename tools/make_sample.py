"""Build the sample portfolio ``evidence/`` from the learner's texts in ``tools/sample/``.

Run with the project's venv: ``.venv/bin/python tools/make_sample.py`` (``--out DIR`` to
build elsewhere; by default it replaces ``evidence/``). Every step goes through the ``cpc306``
commands a learner, an assessor and an IQA would use, each at the date it happened in the
story (a clock set here only, see ``tools/sample_clock.py``): the plan agreed in January,
the evidence as it happened, the assessor's observations, reviews, questioning and
discussion, the declaration, judgements on three dates, the sign-off with the demo key and
the IQA's sample sealed with the demo IQA key. Everything in it is fictional.

The questioning asks every bank question the unit file holds that ``questions.yaml``
answers: when the unit's bank gains questions, run this again and they are asked too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = HERE / "sample"
DEMO = ROOT / "demo-keys"
ASSESSOR_KEY = DEMO / "demo-assessor.key"
IQA_KEY = DEMO / "demo-iqa.key"
sys.path.insert(0, str(HERE))

import sample_clock  # noqa: E402
from sample_clock import set_clock  # noqa: E402


def _load(name: str) -> Any:
    return yaml.safe_load((SOURCE / name).read_text(encoding="utf-8"))


class Builder:
    """Runs the commands in order against one portfolio folder."""

    def __init__(self, folder: Path, scratch: Path) -> None:
        from click.testing import CliRunner

        from cpc306_portfolio.cli import main

        self.folder = folder
        self.cohort = folder.parent
        self.centre = folder.parent.parent / "centre"
        self.scratch = scratch
        self.main = main
        self.runner = CliRunner()
        self.witnesses: dict[str, str] = {}
        self.files = 0

    def run(self, *args: Any) -> str:
        argv = [str(a) for a in args]
        result = self.runner.invoke(self.main, argv, catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(f"cpc306 {' '.join(argv[:3])} ... failed:\n{result.output}")
        return result.output

    def text_file(self, text: str) -> Path:
        """A file of ``text`` for an option ``--...-file``, each paragraph on one line.

        The texts are wrapped in tools/sample/ for reading; the page keeps line breaks.
        """
        self.files += 1
        path = self.scratch / f"text-{self.files:03}.txt"
        paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        return path

    # -- the learner ------------------------------------------------------------------
    def init(self, profile: dict[str, Any]) -> None:
        args: list[Any] = ["init", self.folder]
        for option in ("name", "job-title", "organisation", "centre", "centre-number"):
            args += [f"--{option}", profile[option]]
        args += ["--assessor", profile["assessor"], "--assessor-email", profile["assessor-email"]]
        for name in profile["keep_out"]:
            args += ["--keep-out", name]
        self.run(*args)
        from cpc306_portfolio import open_portfolio

        folio = open_portfolio(self.folder)  # init asks for no email: the profile form does
        mine = folio.profile
        learner = mine.learner.model_copy(update={"email": profile["email"]})
        folio.save_profile(mine.model_copy(update={"learner": learner}))

    def record(self, record_id: str, source: dict[str, Any]) -> None:
        """Add one of the learner's records through the public API, as the app does."""
        from cpc306_portfolio import open_portfolio
        from cpc306_portfolio.portfolio.witnesses import testimony

        folio = open_portfolio(self.folder)
        fields = {k: v for k, v in source.items() if k in _RECORD_FIELDS}
        if record_id.startswith("R"):
            added: Any = folio.add_reflection(fields)
        else:
            witness = source.get("witness")
            if witness:
                wid = self.witnesses[witness["name"]]
                fields["witness"] = testimony(folio, wid, witness["statement"], source["date"])
            added = folio.add_evidence(fields)
            for attachment in source.get("attachments", []):
                path = SOURCE / "files" / attachment["file"]
                folio.attach(added.id, path, attachment["description"])
        assert added.id == record_id, (added.id, record_id)


_RECORD_FIELDS = frozenset(
    {
        "title", "date", "method", "model", "evidence_kind", "description", "stages",
        "criteria", "scope", "knowledge", "observation", "self_directed_support",
        "simulated",
    }
)  # fmt: skip


def _steps() -> list[tuple[str, str, dict[str, Any]]]:
    """Every step of the story as (when, kind, data), in the order they happened."""
    story = _load("story.yaml")
    steps: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted((SOURCE / "records").glob("*.yaml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        when = source.get("logged", f"{source['date']} 18:00")
        steps.append((when, "record", {"id": path.stem, **source}))
    for step in story["steps"]:
        steps.append((step["when"], step["kind"], step))
    # Stable: steps at the same minute keep the order written (records first).
    return sorted(steps, key=lambda s: s[0])


def build(folder: Path) -> None:
    story = _load("story.yaml")
    with tempfile.TemporaryDirectory() as scratch:
        builder = Builder(folder, Path(scratch))
        set_clock(story["profile"]["when"])
        builder.init(story["profile"])
        from sample_steps import STEP_KINDS

        for when, kind, data in _steps():
            set_clock(when)
            if kind == "record":
                builder.record(data["id"], data)
            else:
                STEP_KINDS[kind](builder, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "evidence")
    parser.add_argument("--centre", type=Path, default=ROOT / "demo-centre")
    args = parser.parse_args()
    # The learner's own config folder (the keep-out list's key and names): a DEMO one, kept
    # beside the sample (never in it) so that validate and scan can check the hashed names.
    config = DEMO / "learner-config"
    shutil.rmtree(config, ignore_errors=True)
    config.mkdir()
    os.environ["CPC306_CONFIG_DIR"] = str(config)
    if True:
        os.environ.setdefault("CPC306_KEY_PASSPHRASE", "")
        sample_clock.install()
        work = Path(tempfile.mkdtemp(prefix="cpc306-sample-"))
        # A cohort of one (the learner's folder is named as in the repository) and the
        # centre's folder beside it, as a centre keeps them.
        learner = work / "cohort" / args.out.name
        build(learner)
        for built, target in ((learner, args.out), (work / "centre", args.centre)):
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(built, target, ignore=shutil.ignore_patterns(".cpc306*.lock"))
        shutil.rmtree(work)
    print(f"Built the sample in {args.out} and the demo centre in {args.centre}")


if __name__ == "__main__":
    main()
