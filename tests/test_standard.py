"""The unit as data: CPC 306 checked word for word against its source, a second unit,
and the loader's errors.

The source text is read from ``tests/data/cpc306_source.txt`` (a verbatim copy of the
shared source), parsed here independently of the YAML, and every source field of the
bundled ``cpc306.yaml`` is compared with it. The checks are functions that return the
differences they find, so a test can also prove that they catch a drifted copy.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cpc306_portfolio.errors import NotFoundError, StandardError
from cpc306_portfolio.standard import Standard, available_standards, load_standard
from cpc306_portfolio.standard.loader import BUNDLED_DIR, STANDARD_PATH_ENV
from cpc306_portfolio.standard.methods import AssessmentMethod

from .conftest import run_cli

DATA = Path(__file__).parent / "data"
SOURCE_FILE = DATA / "cpc306_source.txt"
UNITS_DIR = DATA / "units"
BROKEN_DIR = DATA / "units_broken"
CPC306_YAML = BUNDLED_DIR / "cpc306.yaml"

EXPECTED_CRITERIA = (
    [f"A{i}" for i in range(1, 9)] + [f"B{i}" for i in range(1, 8)] + [f"C{i}" for i in range(1, 7)]
)
EXPECTED_KNOWLEDGE = {
    "K1", "K2", "K4", "K5", "K6", "K7", "K8", "K10",
    *(f"K{i}" for i in range(11, 19)),
    "K8a", "K8b", "K8c", "K8d", "K8e", "K15a", "K15b",
}  # fmt: skip


def norm(text: str | None) -> str:
    """Whitespace-normalised text with the source's bold markers removed."""
    return " ".join((text or "").replace("**", "").split())


def option_key(text: str) -> str:
    """An option as a comparable key: no list punctuation, no joining "or", no full stop."""
    text = norm(text).strip(" ,;")
    text = re.sub(r"^or\s+", "", text)
    return text.rstrip(".").strip()


# --------------------------------------------------------------------------- the source


@dataclass
class Source:
    """What the parser reads out of the source text."""

    key_purpose: str = ""
    about: str = ""
    scope_intro: str = ""
    values: str = ""
    key_words_intro: str = ""
    knowledge_intro: list[str] = field(default_factory=list)
    element_titles: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, str] = field(default_factory=dict)
    bold: dict[str, list[str]] = field(default_factory=dict)
    # heading (None for the unheaded paragraph) -> option keys, in order
    scope: dict[str | None, list[str]] = field(default_factory=dict)
    scope_paragraphs: dict[str | None, str] = field(default_factory=dict)
    key_words: dict[str, str] = field(default_factory=dict)
    knowledge_groups: list[tuple[str, list[str]]] = field(default_factory=list)
    knowledge: dict[str, str] = field(default_factory=dict)


def _paragraphs(block: str) -> list[str]:
    return [norm(p) for p in re.split(r"\n\s*\n", block) if p.strip()]


def _between(text: str, start: str, end: str, from_pos: int = 0) -> str:
    begin = text.index(start, from_pos) + len(start)
    return text[begin : text.index(end, begin)]


def parse_source(path: Path = SOURCE_FILE) -> Source:
    text = path.read_text(encoding="utf-8")
    src = Source()

    src.key_purpose = norm(re.search(r'"([^"]+)"', text).group(1))
    src.about = _paragraphs(_between(text, "\nAbout this unit\n", "\nScope\n"))[0]

    for code, title in re.findall(r"^CPC 306 ([A-Z]) (.+)$", text, re.M):
        assert src.element_titles.setdefault(code, norm(title)) == norm(title)

    scope = _paragraphs(_between(text, "\nScope\n", "\nValues\n"))
    src.scope_intro = scope[0]
    for para in scope[1:]:
        match = re.match(r"^([A-Z][A-Za-z -]*): (.*)$", para)
        heading, options = (match.group(1), match.group(2)) if match else (None, para)
        assert heading not in src.scope, f"two scope paragraphs under {heading!r}"
        src.scope_paragraphs[heading] = para
        src.scope[heading] = [option_key(o) for o in options.split(";") if option_key(o)]

    src.values = _paragraphs(_between(text, "\nValues\n", "\nKey words and concepts\n"))[0]

    key_start = text.index("\nKey words and concepts\n")
    key_block = _between(text, "\nKey words and concepts\n", "\nCPC 306 A ", key_start)
    key_paras = _paragraphs(key_block)
    src.key_words_intro = key_paras[0]
    for para in key_paras[1:]:
        term, definition = para.split(": ", 1)
        src.key_words[term] = definition

    # Performance criteria: from the first element heading after the key words to the
    # knowledge specification.
    crit_start = text.index("\nCPC 306 A ", key_start)
    crit_block = text[crit_start : text.index("\nKnowledge specification", crit_start)]
    element = None
    for line in crit_block.splitlines():
        heading = re.match(r"^CPC 306 ([A-Z]) ", line)
        item = re.match(r"^(\d+)\. (.+)$", line.strip())
        if heading:
            element = heading.group(1)
        elif item:
            cid = f"{element}{item.group(1)}"
            assert cid not in src.criteria, f"{cid} printed twice"
            src.criteria[cid] = norm(item.group(2))
            src.bold[cid] = [norm(b) for b in re.findall(r"\*\*(.+?)\*\*", item.group(2))]

    know_block = text[text.index("\nKnowledge specification") :]
    head, items = know_block.split("You need to show that you know", 1)
    intro_end = "You need to show that you know" + items.split("\n", 1)[0]
    src.knowledge_intro = [*_paragraphs(head.split("\n", 2)[2]), norm(intro_end)]
    last_item = None
    for raw in items.split("\n")[1:]:
        line = raw.strip()
        sub = re.match(r"^- ([a-z])\. (.+)$", line) if raw.startswith(" ") else None
        item = re.match(r"^(?:- )?(\d+)\. (.+)$", line)
        if not line:
            continue
        if sub:
            src.knowledge[f"{last_item}{sub.group(1)}"] = norm(sub.group(2))
        elif item:
            last_item = f"K{item.group(1)}"
            src.knowledge[last_item] = norm(item.group(2))
            src.knowledge_groups[-1][1].append(last_item)
        elif line.startswith("- "):
            # a formatting artefact: the rest of the previous item printed as a bullet
            src.knowledge[last_item] = norm(src.knowledge[last_item] + " " + line[2:])
        else:
            src.knowledge_groups.append((norm(line), []))
    return src


@pytest.fixture(scope="module")
def source() -> Source:
    return parse_source()


@pytest.fixture(scope="module")
def cpc306() -> Standard:
    return load_standard("CPC 306")


# ------------------------------------------------------------- checks: return differences


def check_criteria(std: Standard, src: Source) -> list[str]:
    out = []
    if list(std.criteria) != list(src.criteria):
        out.append(f"criterion ids {list(std.criteria)} != source {list(src.criteria)}")
    for cid, text in src.criteria.items():
        crit = std.criteria.get(cid)
        if crit is None:
            out.append(f"{cid} missing")
        elif norm(crit.text) != text:
            out.append(f"{cid} text differs:\n  yaml:   {norm(crit.text)}\n  source: {text}")
    for element in std.elements:
        if norm(element.title) != src.element_titles.get(element.id):
            out.append(f"element {element.id} title differs")
        for crit in element.criteria:
            if not crit.id.startswith(element.id):
                out.append(f"{crit.id} sits under element {element.id}")
    if [e.id for e in std.elements] != list(src.element_titles):
        out.append("element ids differ")
    return out


def check_bold_terms(std: Standard, src: Source) -> list[str]:
    out = []
    for cid, terms in src.bold.items():
        crit = std.criteria.get(cid)
        ours = [norm(t.term) for t in crit.bold_terms] if crit else []
        if ours != terms:
            out.append(f"{cid} bold terms {ours} != source {terms}")
    return out


def check_scope(std: Standard, src: Source) -> list[str]:
    out = []
    headings = [c.heading for c in std.scope]
    if sorted(map(str, headings)) != sorted(map(str, src.scope)):
        out.append(f"scope headings {headings} != source {list(src.scope)}")
    for cat in std.scope:
        if cat.heading not in src.scope:
            continue
        paragraph = src.scope_paragraphs[cat.heading]
        labels = [option_key(o.label) for o in cat.options]
        if labels != src.scope[cat.heading]:
            out.append(f"scope {cat.id} options {labels} != source {src.scope[cat.heading]}")
        out.extend(
            f"scope {cat.id}/{o.id} label {o.label!r} not in its source paragraph"
            for o in cat.options
            if norm(o.label) not in paragraph
        )
    return out


def check_key_words(std: Standard, src: Source) -> list[str]:
    ours = {norm(k.term): norm(k.definition) for k in std.key_words}
    return [] if ours == src.key_words else [f"key words {ours} != source {src.key_words}"]


def check_knowledge(std: Standard, src: Source) -> list[str]:
    out = []
    if std.knowledge_ids.keys() != src.knowledge.keys():
        out.append(f"knowledge ids {list(std.knowledge_ids)} != source {list(src.knowledge)}")
    out.extend(
        f"{kid} text differs: {norm(std.knowledge_ids.get(kid))!r} != {text!r}"
        for kid, text in src.knowledge.items()
        if norm(std.knowledge_ids.get(kid)) != text
    )
    groups = [(norm(g.title), [i.id for i in g.items]) for g in std.knowledge.groups]
    if groups != src.knowledge_groups:
        out.append(f"knowledge groups {groups} != source {src.knowledge_groups}")
    if _paragraphs(std.knowledge.intro) != src.knowledge_intro:
        out.append("knowledge intro differs")
    return out


def check_texts(std: Standard, src: Source) -> list[str]:
    pairs = {
        "code": (std.code, "CPC 306"),
        "title": (std.title, "Take action to secure contract compliance"),
        "suite": (std.suite, "Commissioning, Procurement and Contracting"),
        "key_purpose": (std.key_purpose, src.key_purpose),
        "about": (std.about, src.about),
        "scope_intro": (std.scope_intro, src.scope_intro),
        "values": (std.values, src.values),
        "key_words_intro": (std.key_words_intro, src.key_words_intro),
    }
    return [f"{name} differs" for name, (ours, theirs) in pairs.items() if norm(ours) != theirs]


ALL_CHECKS: list[Callable[[Standard, Source], list[str]]] = [
    check_texts,
    check_criteria,
    check_bold_terms,
    check_scope,
    check_key_words,
    check_knowledge,
]


# ---------------------------------------------------------------- the parser itself


def test_source_parser_reads_the_whole_unit(source: Source) -> None:
    # Guards the parser, so that an empty parse cannot make the checks pass vacuously.
    assert list(source.criteria) == EXPECTED_CRITERIA
    assert set(source.knowledge) == EXPECTED_KNOWLEDGE
    assert list(source.element_titles) == ["A", "B", "C"]
    assert len(source.scope) == 7 and None in source.scope
    assert sum(len(v) for v in source.scope.values()) == 34
    assert list(source.key_words) == [
        "Non-compliance",
        "Relevant people",
        "Corrective action",
        "Self-directed support",
    ]
    assert source.knowledge["K1"].endswith("when ensuring compliance with contracts")
    assert sum(len(b) for b in source.bold.values()) == 9


# ------------------------------------------------------------ CPC 306 against the source


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_cpc306_matches_source(cpc306: Standard, source: Source, check) -> None:
    differences = check(cpc306, source)
    assert differences == [], "\n".join(differences)


def test_criterion_ids_are_exactly_the_21(cpc306: Standard) -> None:
    assert list(cpc306.criteria) == EXPECTED_CRITERIA
    assert [e.id for e in cpc306.elements] == ["A", "B", "C"]
    assert [len(e.criteria) for e in cpc306.elements] == [8, 7, 6]


def test_knowledge_keeps_the_source_numbering(cpc306: Standard) -> None:
    assert set(cpc306.knowledge_ids) == EXPECTED_KNOWLEDGE
    assert "K3" not in cpc306.knowledge_ids and "K9" not in cpc306.knowledge_ids
    assert [s.id for s in cpc306.knowledge_items["K8"].sub_items] == [
        "K8a", "K8b", "K8c", "K8d", "K8e",
    ]  # fmt: skip
    assert [s.id for s in cpc306.knowledge_items["K15"].sub_items] == ["K15a", "K15b"]
    assert [g.title for g in cpc306.knowledge.groups] == [
        "Values",
        "Legislation and organisational policy and procedures",
        "Theory and practice",
    ]
    assert cpc306.knowledge_items["K1"].text == (
        "Legal and organisational requirements on equality, diversity, discrimination, "
        "rights, confidentiality and sharing of information when ensuring compliance with "
        "contracts"
    )


def test_the_numbers_the_unit_skips_are_named_for_any_prefix(cpc306: Standard) -> None:
    assert cpc306.skipped_knowledge_numbers() == ["K3", "K9"]
    data = cpc306.model_dump()
    for group in data["knowledge"]["groups"]:
        for item in group["items"]:
            item["id"] = "KU" + item["id"].removeprefix("K")
    renamed = Standard.model_validate(data)
    assert renamed.skipped_knowledge_numbers() == ["KU3", "KU9"]
    data["knowledge"]["groups"][0]["items"][0]["id"] = "X1"  # two prefixes: no numbering
    assert Standard.model_validate(data).skipped_knowledge_numbers() == []


def test_bold_terms_point_where_the_design_says(cpc306: Standard) -> None:
    pointers = {
        (cid, t.term): (t.scope, t.key_word)
        for cid, crit in cpc306.criteria.items()
        for t in crit.bold_terms
    }
    assert pointers == {
        ("A2", "risks"): (["risks"], None),
        ("A3", "explanation"): (["explanation"], None),
        ("A3", "non-compliance"): (["non_compliance"], "non_compliance"),
        ("A3", "relevant people"): (["reaching_relevant_people"], "relevant_people"),
        ("A4", "implications"): (["implications"], None),
        ("A6", "corrective action"): ([], "corrective_action"),
        ("A7", "information"): (["information"], None),
        ("B4", "evidence"): (["evidence"], None),
        ("C2", "directing their own support"): ([], "self_directed_support"),
    }
    assert cpc306.criteria["A3"].scope_categories == [
        "explanation",
        "non_compliance",
        "reaching_relevant_people",
    ]
    # every scope category is reached by some bold term
    reached = {c for crit in cpc306.criteria.values() for c in crit.scope_categories}
    assert reached == set(cpc306.scope_categories)


def test_scope_ids_and_the_unheaded_category(cpc306: Standard) -> None:
    assert list(cpc306.scope_categories) == [
        "risks",
        "explanation",
        "reaching_relevant_people",
        "non_compliance",
        "implications",
        "information",
        "evidence",
    ]
    unheaded = cpc306.scope_categories["reaching_relevant_people"]
    assert unheaded.heading is None
    assert cpc306.scope_categories["explanation"].heading == "Provide an explanation"
    options = cpc306.scope_options
    assert len(options) == 34
    assert options["risks/financial_loss"].label == "risk of financial loss"
    assert options["risks/people"].label == "risks to people"
    assert options["non_compliance/milestones"].label == "with meeting milestones"
    assert (
        options["evidence/inspectors_or_regulators"].label
        == "evidence from inspectors or regulators"
    )
    assert options["explanation/written"].label == "written (electronic or paper)"
    for full_id in options:
        assert re.fullmatch(r"[a-z][a-z0-9_]*/[a-z][a-z0-9_]*", full_id), full_id


def test_key_word_ids(cpc306: Standard) -> None:
    assert list(cpc306.key_word_map) == [
        "non_compliance",
        "relevant_people",
        "corrective_action",
        "self_directed_support",
    ]


def test_yaml_comments_explain_the_gaps_and_the_unheaded_paragraph() -> None:
    raw = CPC306_YAML.read_text(encoding="utf-8")
    comments = " ".join(line.split("#", 1)[1] for line in raw.splitlines() if "#" in line)
    assert "NO item 3 and NO item 9" in comments
    assert "do not renumber" in comments
    assert "gives this paragraph NO heading" in comments
    assert "our reading" in comments
    assert "OURS" in comments


def test_our_additions_are_present_and_sane(cpc306: Standard) -> None:
    for cid, crit in cpc306.criteria.items():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", norm(crit.explanation)) if s]
        # Plain English: short sentences, one duty each (the reading age is checked in
        # test_guidance.py), and an explanation a learner reads in a minute or two.
        assert len(sentences) >= 2, (cid, sentences)
        assert max(len(s.split()) for s in sentences) <= 33, (cid, sentences)
        assert len(norm(crit.explanation).split()) <= 260, cid
        assert 2 <= len(crit.prompts) <= 4, cid
        assert all(p.endswith("?") for p in crit.prompts), cid
        assert 3 <= len(crit.typical_evidence) <= 5, cid
        assert crit.knowledge, cid
        assert set(crit.knowledge) <= set(cpc306.knowledge_ids), cid
    flagged = [cid for cid, c in cpc306.criteria.items() if c.self_directed_support]
    assert flagged == ["A1", "C2"]


def test_assessment_strategy(cpc306: Standard) -> None:
    strategy = cpc306.assessment_strategy
    assert set(strategy.performance_methods) == {
        AssessmentMethod.OBSERVATION,
        AssessmentMethod.WITNESS_TESTIMONY,
        AssessmentMethod.EXPERT_WITNESS,
        AssessmentMethod.PRODUCT,
    }
    assert AssessmentMethod.INSPECTOR_REPORT not in strategy.performance_methods
    assert strategy.simulation_allowed is False
    assert strategy.currency_months == 24
    assert strategy.min_items_per_criterion == 1
    assert strategy.reflective_account_required == ["B7"]
    assert len(strategy.notes) >= 4
    assert cpc306.evidence_kind_category == "evidence"
    assert list(cpc306.evidence_kinds) == [
        "evidence/observed",
        "evidence/documentary",
        "evidence/reported_by_others",
        "evidence/inspectors_or_regulators",
    ]


# ------------------------------------------------- the checks catch a drifted unit file

DRIFTS = {
    "criterion word": (
        "Immediately alert any individuals",
        "Promptly alert any individuals",
        check_criteria,
    ),
    "criterion punctuation": (
        "the service, based on",
        "the service based on",
        check_criteria,
    ),
    "missing scope option": (
        "      - {id: milestones, label: with meeting milestones}\n",
        "",
        check_scope,
    ),
    "scope label": ("label: risk of financial loss}", "label: risks of financial loss}", None),
    "dropped bold term": (
        "        bold_terms:\n          - term: implications\n            scope: [implications]\n",
        "        bold_terms: []\n",
        check_bold_terms,
    ),
    "key word definition": (
        "steps to improve on areas",
        "steps to improve areas",
        check_key_words,
    ),
    "knowledge sub-item": (
        "{id: K8d, text: transfer of undertakings}",
        "{id: K8d, text: transfer of undertaking}",
        check_knowledge,
    ),
    "about": ("may have to take further", "may take further", check_texts),
}


@pytest.mark.parametrize("name", list(DRIFTS))
def test_checks_catch_drift(tmp_path: Path, source: Source, name: str) -> None:
    old, new, check = DRIFTS[name]
    raw = CPC306_YAML.read_text(encoding="utf-8")
    assert raw.count(old) == 1, f"drift fixture {name!r} no longer matches the YAML"
    drifted = tmp_path / "cpc306.yaml"
    drifted.write_text(raw.replace(old, new), encoding="utf-8")
    std = load_standard(drifted)
    checks = [check] if check else ALL_CHECKS
    assert any(c(std, source) for c in checks), f"{name!r} drift went unnoticed"


# ------------------------------------------------------------------ finding units


@pytest.mark.parametrize("code", ["CPC 306", "cpc306", "CPC306", "cpc 306"])
def test_load_by_code(code: str) -> None:
    assert load_standard(code).code == "CPC 306"


def test_default_unit_is_cpc306() -> None:
    assert load_standard().code == "CPC 306"
    assert load_standard(CPC306_YAML).slug == "cpc306"


def test_unknown_code_lists_known_units(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STANDARD_PATH_ENV, raising=False)
    with pytest.raises(NotFoundError) as caught:
        load_standard("XYZ 999")
    assert "XYZ 999" in caught.value.message
    assert "CPC 306" in caught.value.hint


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_standard(tmp_path / "nowhere.yaml")


# ------------------------------------------------------------------ a second unit

SECOND = UNITS_DIR / "sgx035.yaml"


def _assert_second_unit(std: Standard) -> None:
    assert std.code == "SGX 035"
    assert [e.id for e in std.elements] == ["S1", "S2"]
    assert [len(e.criteria) for e in std.elements] == [5, 4]
    assert list(std.criteria) == [
        *(f"S1P{i}" for i in range(1, 6)),
        *(f"S2P{i}" for i in range(1, 5)),
    ]
    assert list(std.scope_categories) == ["indicators", "people_to_inform"]
    assert std.evidence_kind_category is None and std.evidence_kinds == {}
    assert list(std.knowledge_ids) == [f"K{i}" for i in range(1, 11)]
    assert all(not item.sub_items for item in std.knowledge_items.values())
    assert list(std.key_word_map) == ["adult_at_risk"]
    strategy = std.assessment_strategy
    assert strategy.reflective_account_required == ["S2P4"]
    assert strategy.currency_months == 36
    assert strategy.min_items_per_criterion == 2
    assert not any(c.self_directed_support for c in std.criteria.values())


def test_second_unit_loads_by_path() -> None:
    std = load_standard(SECOND)
    _assert_second_unit(std)
    assert std.slug == SECOND.stem


def test_second_unit_is_not_cpc306_renamed(cpc306: Standard) -> None:
    other = load_standard(SECOND)
    assert not set(other.criteria) & set(cpc306.criteria)
    assert not set(other.scope_options) & set(cpc306.scope_options)
    cpc_texts = {norm(c.text) for c in cpc306.criteria.values()}
    assert not {norm(c.text) for c in other.criteria.values()} & cpc_texts


def test_second_unit_loads_by_code_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STANDARD_PATH_ENV, raising=False)
    with pytest.raises(NotFoundError):
        load_standard("SGX 035")
    monkeypatch.setenv(STANDARD_PATH_ENV, str(UNITS_DIR))
    _assert_second_unit(load_standard("SGX 035"))
    _assert_second_unit(load_standard("sgx035"))
    assert load_standard("CPC 306").code == "CPC 306"  # the bundled unit is still found
    assert SECOND.resolve() in [p.resolve() for p in available_standards()]


def test_second_unit_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "centre units"
    folder.mkdir()
    shutil.copy(SECOND, folder / "sgx035.yaml")
    monkeypatch.setenv(STANDARD_PATH_ENV, str(folder))
    _assert_second_unit(load_standard("SGX 035"))


# ------------------------------------------------------------------ broken unit files


BROKEN = {
    # file: (line, field fragment, message fragment, hint fragment)
    "malformed_yaml.yaml": (9, None, "not valid YAML", "YAML syntax"),
    "unknown_scope_category.yaml": (
        22,
        "elements[0].criteria[1].bold_terms[0].scope[0]",
        "unknown scope category 'hazards'",
        "settings",
    ),
    "duplicate_criterion_id.yaml": (14, "elements[0].criteria[1].id", "'Q2'", ""),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_unit_is_reported_with_place(tmp_path: Path, name: str) -> None:
    line, field_part, message, hint = BROKEN[name]
    copy = tmp_path / name
    shutil.copy(BROKEN_DIR / name, copy)
    with pytest.raises(StandardError) as caught:
        load_standard(copy)
    problems = caught.value.problems
    assert problems, "a StandardError must carry its problems"
    first = problems[0]
    assert all(p.path == str(copy.resolve()) for p in problems)
    assert isinstance(first.line, int) and first.line == line
    assert message in first.message
    assert hint in first.hint
    if field_part is None:
        assert first.field == ""  # a syntax error has no field to name
    else:
        assert field_part in first.field
    assert str(copy.resolve()) in str(caught.value)


def test_unknown_scope_category_names_bold_terms_and_valid_ids() -> None:
    with pytest.raises(StandardError) as caught:
        load_standard(BROKEN_DIR / "unknown_scope_category.yaml")
    (problem,) = caught.value.problems
    assert "bold_terms" in problem.field
    assert problem.hint == "use one of: settings"


def test_duplicate_criterion_names_both_places() -> None:
    with pytest.raises(StandardError) as caught:
        load_standard(BROKEN_DIR / "duplicate_criterion_id.yaml")
    places = [(p.field, p.line) for p in caught.value.problems]
    assert places == [("elements[0].criteria[1].id", 14), ("elements[0].criteria[2].id", 19)]


def test_broken_files_are_never_found_by_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STANDARD_PATH_ENV, str(UNITS_DIR))
    stems = {p.stem for p in available_standards()}
    assert {"cpc306", "sgx035"} <= stems
    assert not stems & {p.stem for p in BROKEN_DIR.glob("*.yaml")}


# ------------------------------------------------------------- found by the code inside


def test_a_unit_is_found_by_the_code_inside_not_its_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    shutil.copy(SECOND, folder / "safeguarding-v2-final.yaml")
    monkeypatch.setenv(STANDARD_PATH_ENV, str(folder))
    _assert_second_unit(load_standard("SGX 035"))
    with pytest.raises(NotFoundError):
        load_standard("safeguarding-v2-final")  # a file name is not a code


def test_two_files_with_one_code_is_an_error_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    shutil.copy(SECOND, folder / "a.yaml")
    shutil.copy(SECOND, folder / "b.yaml")
    monkeypatch.setenv(STANDARD_PATH_ENV, str(folder))
    with pytest.raises(StandardError) as caught:
        load_standard("sgx035")
    text = str(caught.value)
    assert str((folder / "a.yaml").resolve()) in text
    assert str((folder / "b.yaml").resolve()) in text
    assert [p.field for p in caught.value.problems] == ["code", "code"]
    assert load_standard("CPC 306").code == "CPC 306"  # other codes are unaffected


def test_standard_list_shows_codes_titles_and_where_each_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "centre"
    folder.mkdir()
    shutil.copy(SECOND, folder / "x.yaml")
    shutil.copy(SECOND, folder / "y.yaml")
    (folder / "notes.yaml").write_text("shopping: [milk]\n")
    monkeypatch.setenv(STANDARD_PATH_ENV, str(folder))
    out = run_cli("standard", "list")
    assert "CPC 306      Take action to secure contract compliance" in out
    assert f"bundled with cpc306-portfolio: {CPC306_YAML.resolve()}" in out
    assert f"from {STANDARD_PATH_ENV}: {(folder / 'x.yaml').resolve()}" in out
    assert out.count("[error: another file has this code]") == 2
    assert "not a unit" in out and "notes.yaml" in out
