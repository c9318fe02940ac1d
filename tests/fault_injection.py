"""Kill adds, updates, attaches, detaches, removes, declarations and sign-offs at random moments.

``python -m tests.fault_injection [TRIALS] [SEED]`` runs the trials and prints how many ran,
how many were killed part-way and how many failed; it exits 1 on any failure. Each trial
forks a child that runs one operation on a shared portfolio and reports through a pipe when
the operation returned (what the store has acknowledged); the parent SIGKILLs it after a
random delay. Then the parent opens the portfolio (which tidies killed writes) and checks:
it validates with no problem (no orphan folder or file, no half-written record), every
operation that was acknowledged is on disk, and nothing saved before is lost or changed.
An operation that raises instead is a failure too: the portfolio is set up (one record,
declared, one criterion judged) so that every operation, the sign-off included, can run.
Bounded: the default 120 trials take about 90 s on two shared cores.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cpc306_portfolio import create_portfolio, open_portfolio
from cpc306_portfolio.assessor.assessment import judge, sign_off
from cpc306_portfolio.assessor.signing import new_key
from cpc306_portfolio.portfolio.declaration import declare

OPERATIONS = ("add", "add_files", "update", "attach", "detach", "remove", "declare", "sign")


@dataclass
class Outcome:
    trials: int = 0
    #: Children killed before their operation returned.
    killed: int = 0
    #: Operations that returned (acknowledged) before the kill, by operation.
    acknowledged: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _fields(n: int) -> dict[str, object]:
    return {
        "title": f"Review meeting {n}",
        "date": "2025-06-12",
        "method": "product",
        "evidence_kind": ["evidence/documentary"],
        "description": f"Minutes of review meeting {n} about the missed milestones. " * 20,
        "criteria": ["A3", "A5"],
        "scope": ["non_compliance/milestones"],
        "knowledge": ["K8b"],
    }


def _operate(root: Path, op: str, files: list[Path], key: Path, rng: random.Random) -> str:
    """Run one operation; return what it did, as the parent will check it."""
    folio = open_portfolio(root)
    ids = folio.evidence_ids()
    if op in {"update", "attach", "detach", "remove"} and not ids:
        op = "add"
    if op == "add":
        return f"add {folio.add_evidence(_fields(rng.randrange(10**6))).id}"
    if op == "add_files":
        record = folio.add_evidence(_fields(rng.randrange(10**6)), attach=files)
        return f"add {record.id}"
    if op == "declare":
        declare(folio)
        return "declare"
    if op == "sign":
        sign_off(folio, key)
        return "sign"
    target = rng.choice(ids)
    if op == "update":
        record = folio.read_evidence(target)
        record.title = f"Retitled {rng.randrange(10**6)}"
        folio.update_evidence(record)
        return f"update {target} {record.title}"
    if op == "attach":
        return f"attach {target} {folio.attach(target, rng.choice(files)).path}"
    if op == "detach":
        record = folio.read_evidence(target)
        if not record.attachments:
            return "nothing"
        name = record.attachments[0].path.split("/", 1)[1]
        folio.detach(target, name)
        return f"detach {target} {record.attachments[0].path}"
    folio.remove_evidence(target)
    return f"remove {target}"


def _state(root: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    folio = open_portfolio(root, readonly=True)
    return {r.id: (r.title, tuple(a.path for a in r.attachments)) for r in folio.evidence()}


def _check(root: Path, before: dict, done: str | None, op: str) -> list[str]:
    problems = [str(p) for p in open_portfolio(root).validate()]
    if problems:
        return problems
    after = _state(root)
    words = (done or "").split(" ")
    kind = words[0]
    touched = words[1] if len(words) > 1 and kind != "declare" else None
    out = []
    for rid, value in before.items():
        if rid == touched or (done is None and op not in {"add", "add_files", "declare", "sign"}):
            continue  # a killed update/attach/detach/remove may or may not have happened
        if after.get(rid) != value:
            out.append(f"{rid} was lost or changed by an operation on another record")
    if kind == "add" and touched not in after:
        out.append(f"{touched} was acknowledged but is not on disk")
    if kind == "update" and after.get(touched, ("",))[0] != " ".join(words[2:]):
        out.append(f"the acknowledged update of {touched} is not on disk")
    if kind == "attach" and words[2] not in after.get(touched, ("", ()))[1]:
        out.append(f"the acknowledged attachment {words[2]} is not on disk")
    if kind == "detach" and words[2] in after.get(touched, ("", ()))[1]:
        out.append(f"the acknowledged detach of {words[2]} is not on disk")
    if kind == "remove" and touched in after:
        out.append(f"{touched} was acknowledged as removed but is still there")
    if kind == "declare" and open_portfolio(root).profile.declaration is None:
        out.append("the acknowledged declaration is not on disk")
    if kind == "sign" and open_portfolio(root).read_assessment().signoff is None:
        out.append("the acknowledged sign-off is not on disk")
    return out


def run(trials: int = 120, seed: int = 15, max_delay: float = 0.15) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="cpc306-faults-") as tmp:
        base = Path(tmp)
        os.environ.setdefault("CPC306_CONFIG_DIR", str(base / "config"))
        root = base / "folio"
        create_portfolio(
            root,
            {
                "unit": "CPC 306",
                "learner": {"name": "Robin Testperson"},
                "centre": {"name": "Fictional Training Centre"},
                "assessor": {"name": "Alex Assessor"},
                "keep_out": ["Mrs Ivy Example"],
            },
        )
        files = []
        for i in range(3):
            path = base / f"notes-{i}.txt"
            path.write_text("Notes of the monitoring visit.\n" * (2000 * (i + 1)))
            files.append(path)
        key = base / "assessor.key"
        new_key(key)
        # What a sign-off needs, so that "sign" is exercised and not refused every time.
        folio = open_portfolio(root)
        folio.add_evidence(_fields(0))
        declare(folio)
        judge(folio, "A3", "not_yet_met", feedback="Show the agreed timescales.")
        for _ in range(trials):
            op = rng.choice(OPERATIONS)
            before = _state(root)
            read, write = os.pipe()
            child_seed = rng.randrange(10**9)
            pid = os.fork()
            if pid == 0:  # the child: one operation, then say what was acknowledged
                os.close(read)
                try:
                    done = _operate(root, op, files, key, random.Random(child_seed))
                    os.write(write, f"done {done}".encode())
                    code = 0
                except BaseException as exc:
                    os.write(write, f"raised {type(exc).__name__}: {exc}"[:4000].encode())
                    code = 1
                os._exit(code)
            os.close(write)
            time.sleep(rng.uniform(0, max_delay))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            message = os.read(read, 4096).decode()
            os.close(read)
            outcome.trials += 1
            if os.WIFSIGNALED(status) and not message:
                outcome.killed += 1
            done = message.removeprefix("done ") or None
            if message.startswith("raised "):
                outcome.failures.append(f"trial {outcome.trials} ({op}) {message}")
                done = None  # it did nothing it says it did; what it left is checked below
            elif done is not None:
                kind = done.split(" ")[0]  # "add", "sign"... or "nothing" (detach, no file)
                outcome.acknowledged[kind] = outcome.acknowledged.get(kind, 0) + 1
            for problem in _check(root, before, done, op):
                outcome.failures.append(f"trial {outcome.trials} ({op}): {problem}")
    return outcome


def main(argv: list[str]) -> int:
    trials = int(argv[0]) if argv else 120
    seed = int(argv[1]) if len(argv) > 1 else 15
    started = time.monotonic()
    outcome = run(trials, seed)
    print(
        f"{outcome.trials} trials, {outcome.killed} killed part-way, "
        f"{sum(outcome.acknowledged.values())} acknowledged, "
        f"{len(outcome.failures)} failures ({time.monotonic() - started:.0f} s)"
    )
    for failure in outcome.failures[:20]:
        print("  " + failure)
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
