"""Recall and precision of the confidentiality scan over a labelled corpus.

``python -m tests.test_privacy_eval [CORPUS.yaml ...]`` prints the figures for any corpus in
the format of ``tests/data/privacy_corpus.yaml``; the test below holds ours to a bar.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from cpc306_portfolio.confidentiality.scan import scan_text

CORPUS = Path(__file__).parent / "data" / "privacy_corpus.yaml"


def _norm(text: str) -> str:
    return re.sub(r"[\s\-.]+", "", text).casefold()


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        found = self.true_positive + self.false_negative
        return self.true_positive / found if found else 1.0

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0


def evaluate(corpus: Path) -> Score:
    """Score every case: a finding counts when its kind and text match an expected one."""
    score = Score()
    for case in YAML(typ="safe").load(corpus.read_text(encoding="utf-8"))["cases"]:
        text = case["text"]
        found = scan_text(text, keep_out=case.get("keep_out", []))
        wanted = [(e["kind"], _norm(e["value"])) for e in case.get("expect", [])]
        got = [(str(f.kind), _norm(text[f.start : f.end])) for f in found]
        for item in got:
            if item in wanted:
                score.true_positive += 1
                wanted.remove(item)
            else:
                score.false_positive += 1
                score.misses.append(f"false alarm {item[0]} in: {text}")
        score.false_negative += len(wanted)
        score.misses += [f"missed {kind} in: {text}" for kind, _ in wanted]
    return score


def report(corpus: Path) -> Score:
    score = evaluate(corpus)
    print(
        f"{corpus.name}: recall {score.recall:.3f}, precision {score.precision:.3f} "
        f"({score.true_positive} found, {score.false_negative} missed, "
        f"{score.false_positive} false alarms)"
    )
    for line in score.misses:
        print("  " + line)
    return score


def test_recall_and_precision_on_the_labelled_corpus():
    score = report(CORPUS)
    assert score.true_positive >= 15
    assert score.recall >= 0.95, score.misses
    assert score.precision >= 0.95, score.misses


if __name__ == "__main__":
    for name in sys.argv[1:] or [str(CORPUS)]:
        report(Path(name))
