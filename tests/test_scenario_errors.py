"""Bad scenario input: ``addictsim.load_scenario`` raises ``ScenarioError`` with one line
that names the source, the field and the offending value (DESIGN.md, "Scenario file").

Every case below is a small change to a valid scenario, so a failure points at one
mistake. The Python API's own argument checks (``simulate(subjects=0)``) are at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import addictsim
from addictsim import ScenarioError, load_scenario

HEADER = """schema_version = 1

[scenario]
name = "tiny"
cues = ["A", "light"]
contexts = ["home", "lab"]

[cohort]
subjects = 3
"""

PAVLOVIAN = """
[[phase]]
name = "train"
task = "pavlovian"
iti = "20 s"
trials = ["10 x A+"]
"""

SELF_ADMIN = """
[[phase]]
name = "sa"
task = "self_administration"
days = 1
session = "10 min"
dose = "0.75 mg/kg"
cue = "light"
"""

VALID_PAV = HEADER + PAVLOVIAN
VALID_SA = HEADER + SELF_ADMIN


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, f"test bug: {old!r} not in the base scenario"
    return text.replace(old, new, 1)


def _cohort(extra: str) -> str:
    return _sub(VALID_PAV, "subjects = 3\n", f"subjects = 3\n{extra}\n")


def _meta(extra: str) -> str:
    return _sub(VALID_PAV, 'name = "tiny"\n', f'name = "tiny"\n{extra}\n')


# (id, scenario text, substrings the message must contain)
CASES: list[tuple[str, str, list[str]]] = [
    # -- the file itself
    ("malformed-toml", "schema_version = 1\n[scenario\nname = 'x'\n",
     ["malformed TOML", "line 2"]),
    ("schema-version-missing", _sub(VALID_PAV, "schema_version = 1\n", ""),
     ["schema_version", "missing", "schema_version = 1"]),
    ("schema-version-3", _sub(VALID_PAV, "schema_version = 1", "schema_version = 3"),
     ["schema_version", "3"]),
    ("schema-version-string", _sub(VALID_PAV, "schema_version = 1", 'schema_version = "1"'),
     ["schema_version", "'1'"]),
    # -- unknown keys, with "did you mean"
    ("unknown-top-level-key", 'colour = "red"\n' + VALID_PAV,
     ["unknown key 'colour'", "allowed", "scenario", "phase"]),
    ("typo-top-level-key", _sub(VALID_PAV, "[cohort]", "[cohrt]"),
     ["unknown key 'cohrt'", "did you mean 'cohort'"]),
    ("typo-scenario-key", _meta("seeed = 3"),
     ["scenario", "unknown key 'seeed'", "did you mean 'seed'"]),
    ("typo-phase-key", VALID_PAV + 'itti = "30 s"\n',
     ["phase[0]", "unknown key 'itti'", "did you mean 'iti'"]),
    ("typo-cohort-key", _cohort("alpah = 0.2"),
     ["cohort", "unknown key 'alpah'", "did you mean 'alpha'"]),
    ("typo-arm-key", VALID_PAV + '\n[[arm]]\nname = "x"\nphse = 1\n',
     ["arm[0]", "unknown key 'phse'", "did you mean 'phases'"]),
    ("typo-key-in-arm-override", VALID_PAV + '\n[[arm]]\nname = "x"\n'
     'phases = {train = {itti = "30 s"}}\n',
     ["arm 'x'", "train", "unknown key 'itti'", "did you mean 'iti'"]),
    ("typo-key-in-distribution", _cohort('alpha = {dist = "normal", mean = 0.1, sdd = 0.01}'),
     ["cohort", "alpha", "unknown key 'sdd'", "did you mean 'sd'"]),
    # -- tasks
    ("unknown-task", _sub(VALID_PAV, '"pavlovian"', '"pavlovain"'),
     ["phase[0]", "unknown task 'pavlovain'", "did you mean 'pavlovian'"]),
    ("missing-task", _sub(VALID_PAV, 'task = "pavlovian"\n', ""),
     ["phase[0]", "task"]),
    ("missing-phases", HEADER, ["phase", "missing"]),
    # -- durations: zero, negative, no unit, unknown unit, not finite
    ("zero-duration", _sub(VALID_PAV, '"20 s"', '"0 s"'),
     ["phase[0].iti", "'0 s'", "zero"]),
    ("negative-duration", _sub(VALID_PAV, '"20 s"', '"-5 s"'),
     ["phase[0].iti", "'-5 s'", "negative"]),
    ("negative-session", _sub(VALID_SA, '"10 min"', '"-10 min"'),
     ["phase[0].session", "'-10 min'", "negative"]),
    ("negative-rest-before", VALID_PAV + 'rest_before = "-1 d"\n',
     ["phase[0].rest_before", "'-1 d'", "negative"]),
    ("zero-days", _sub(VALID_SA, "days = 1", "days = 0"),
     ["phase[0].days", "0"]),
    ("negative-days", _sub(VALID_SA, "days = 1", "days = -2"),
     ["phase[0].days", "-2"]),
    ("duration-without-unit", _sub(VALID_PAV, '"20 s"', "20"),
     ["phase[0].iti", "20", "no unit"]),
    ("unknown-unit", _sub(VALID_PAV, '"20 s"', '"20 parsecs"'),
     ["phase[0].iti", "unknown unit 'parsecs'", "'20 parsecs'", "min"]),
    ("misspelt-unit", _sub(VALID_PAV, '"20 s"', '"20 secnds"'),
     ["phase[0].iti", "'secnds'", "did you mean 'seconds'"]),
    ("unknown-unit-in-table", _sub(VALID_PAV, '"20 s"', '{value = 20, unit = "parsec"}'),
     ["phase[0].iti", "unknown unit 'parsec'"]),
    ("nan-duration", _sub(VALID_PAV, '"20 s"', '"nan s"'),
     ["phase[0].iti", "'nan s'", "not a finite number"]),
    ("delay-out-of-window", VALID_PAV + 'delay = "1 h"\n',
     ["phase[0].delay", "3600 s"]),
    ("response-window-longer-than-session", VALID_SA + 'response_window = "20 min"\n',
     ["phase[0]", "response_window", "1200 s", "600 s"]),
    ("sessions-do-not-fit-in-a-day",
     _sub(VALID_SA, 'session = "10 min"', 'session = "2 h"\nsessions_per_day = 24'),
     ["phase[0]", "24 sessions", "2 h"]),
    # -- wrong types
    ("wrong-type-subjects-string", _sub(VALID_PAV, "subjects = 3", 'subjects = "many"'),
     ["cohort.subjects", "'many'"]),
    ("wrong-type-subjects-bool", _sub(VALID_PAV, "subjects = 3", "subjects = true"),
     ["cohort.subjects", "True"]),
    ("wrong-type-days-string", _sub(VALID_SA, "days = 1", 'days = "two"'),
     ["phase[0].days", "'two'"]),
    ("wrong-type-days-bool", _sub(VALID_SA, "days = 1", "days = true"),
     ["phase[0].days", "True"]),
    ("wrong-type-duration-list", _sub(VALID_PAV, '"20 s"', "[1]"),
     ["phase[0].iti", "list", "[1]"]),
    ("wrong-type-trials-string", _sub(VALID_PAV, '["10 x A+"]', '"10 x A+"'),
     ["phase[0].trials", "'10 x A+'"]),
    ("wrong-type-shuffle-string", VALID_PAV + 'shuffle = "yes"\n',
     ["phase[0].shuffle", "'yes'"]),
    ("wrong-type-seed-float", _meta("seed = 1.5"), ["scenario.seed", "1.5"]),
    ("wrong-type-name", _sub(VALID_PAV, 'name = "tiny"', "name = 5"), ["scenario.name", "5"]),
    ("wrong-type-cue", _sub(VALID_SA, 'cue = "light"', "cue = 5"), ["phase[0]", "cue", "5"]),
    ("wrong-type-cohort-parameter", _cohort('alpha = "high"'), ["cohort", "alpha", "'high'"]),
    ("wrong-type-cohort-parameter-bool", _cohort("alpha = true"), ["cohort", "alpha", "True"]),
    ("scenario-not-a-table", 'schema_version = 1\nscenario = "x"\n' + PAVLOVIAN,
     ["scenario", "'x'"]),
    # -- enumerations
    ("unknown-species", _meta('species = "mose"'), ["scenario.species", "'mose'", "rat"]),
    ("unknown-model", _meta('model = "redsh"'),
     ["scenario.model", "'redsh'", "did you mean 'redish2004'"]),
    ("unknown-reinforcer-pavlovian", VALID_PAV + 'reinforcer = "chocolate"\n',
     ["phase[0].reinforcer", "'chocolate'", "cocaine"]),
    ("unknown-reinforcer-self-administration",
     _sub(VALID_SA, 'dose = "0.75 mg/kg"', 'reinforcer = "cocaina"'),
     ["phase[0].reinforcer", "'cocaina'", "did you mean 'cocaine'"]),
    ("unknown-reinforcer-in-trial", _sub(VALID_PAV, '"10 x A+"', '"10 x A+ chocolate"'),
     ["phase[0]", "'10 x A+ chocolate'", "'chocolate'"]),
    # -- doses
    ("negative-dose", _sub(VALID_SA, '"0.75 mg/kg"', '"-0.5 mg/kg"'),
     ["phase[0]", "dose", "'-0.5 mg/kg'", "negative"]),
    ("zero-dose", _sub(VALID_SA, '"0.75 mg/kg"', '"0 mg/kg"'),
     ["phase[0]", "dose", "'0 mg/kg'", "zero"]),
    ("dose-without-unit", _sub(VALID_SA, '"0.75 mg/kg"', '"0.75"'),
     ["phase[0]", "dose", "'0.75'", "no unit", "mg/kg"]),
    ("dose-unknown-unit", _sub(VALID_SA, '"0.75 mg/kg"', '"0.75 mg/lb"'),
     ["phase[0]", "dose", "'mg/lb'", "did you mean 'mg/kg'"]),
    ("dose-unit-of-another-drug", _sub(VALID_SA, '"0.75 mg/kg"', '"0.5 g/kg"'),
     ["phase[0]", "dose", "'g/kg'", "mg/kg"]),
    # -- trial strings
    ("trial-without-sign", _sub(VALID_PAV, '"10 x A+"', '"10 x A"'),
     ["phase[0] 'train'", "'10 x A'", "'+' or '-'"]),
    ("trial-count-zero", _sub(VALID_PAV, '"10 x A+"', '"0 x A+"'),
     ["phase[0] 'train'", "'0 x A+'", "count"]),
    ("trial-count-without-x", _sub(VALID_PAV, '"10 x A+"', '"10 A+"'),
     ["phase[0] 'train'", "'10 A+'", "'10'"]),
    ("trial-probability-above-one", _sub(VALID_PAV, '"10 x A+"', '"10 x A+ p=1.5"'),
     ["phase[0] 'train'", "'10 x A+ p=1.5'", "1.5"]),
    ("trial-bad-rest-unit", _sub(VALID_PAV, '"10 x A+"', '"rest 2 parsecs"'),
     ["phase[0] 'train'", "'rest 2 parsecs'", "'parsecs'"]),
    ("trial-empty", _sub(VALID_PAV, '"10 x A+"', '""'),
     ["phase[0] 'train'", "empty"]),
    ("trials-empty-list", _sub(VALID_PAV, '["10 x A+"]', "[]"), ["phase[0].trials"]),
    # -- names used but not declared
    ("undeclared-cue-in-trial", _sub(VALID_PAV, '"10 x A+"', '"10 x B+"'),
     ["phase[0] 'train'", "'10 x B+'", "unknown cue 'B'", "A, light"]),
    ("undeclared-cue-in-phase", _sub(VALID_SA, 'cue = "light"', 'cue = "tone"'),
     ["phase[0] 'sa'", "cue 'tone'", "not declared", "cues"]),
    ("misspelt-cue-in-phase", _sub(VALID_SA, 'cue = "light"', 'cue = "lihgt"'),
     ["phase[0] 'sa'", "cue 'lihgt'", "did you mean 'light'"]),
    ("undeclared-context-in-phase", VALID_PAV + 'context = "clinic"\n',
     ["phase[0] 'train'", "context 'clinic'", "not declared", "[scenario] contexts"]),
    ("misspelt-context-in-phase", VALID_PAV + 'context = "hme"\n',
     ["phase[0] 'train'", "context 'hme'", "did you mean 'home'"]),
    ("undeclared-context-in-trial", _sub(VALID_PAV, '"10 x A+"', '"10 x A+ @clinic"'),
     ["phase[0] 'train'", "'10 x A+ @clinic'", "unknown context 'clinic'", "home, lab"]),
    ("context-without-declarations",
     _sub(VALID_PAV, 'contexts = ["home", "lab"]\n', "") + 'context = "clinic"\n',
     ["phase[0] 'train'", "context 'clinic'", "not declared"]),
    ("undeclared-context-in-arm-override",
     VALID_PAV + '\n[[arm]]\nname = "x"\nphases = {train = {context = "clinic"}}\n',
     ["arm 'x'", "train", "context 'clinic'", "not declared"]),
    ("conditioned-reinforcement-without-cue",
     HEADER + '\n[[phase]]\nname = "cr"\ntask = "conditioned_reinforcement"\ndays = 1\n'
     'session = "10 min"\ncue = "none"\n',
     ["phase[0].cue", "needs a cue"]),
    # -- declarations themselves
    ("repeated-cue", _sub(VALID_PAV, 'cues = ["A", "light"]', 'cues = ["A", "A", "light"]'),
     ["scenario.cues", "'A'", "unique"]),
    ("cue-name-with-space", _sub(VALID_PAV, 'cues = ["A", "light"]', 'cues = ["A", "a b"]'),
     ["scenario.cues", "'a b'"]),
    ("empty-name", _sub(VALID_PAV, 'name = "tiny"', 'name = ""'), ["scenario.name", "''"]),
    ("repeated-phase-name", VALID_PAV + PAVLOVIAN, ["phase", "unique", "'train'"]),
    # -- cohort
    ("zero-subjects", _sub(VALID_PAV, "subjects = 3", "subjects = 0"),
     ["cohort.subjects", "0"]),
    ("negative-subjects", _sub(VALID_PAV, "subjects = 3", "subjects = -4"),
     ["cohort.subjects", "-4"]),
    ("parameter-out-of-range", _cohort("alpha = -0.1"),
     ["cohort", "'alpha'", "-0.1", "[0.0, 1.0]"]),
    ("parameter-far-out-of-range", _cohort("alpha = 1e9"),
     ["cohort", "'alpha'", "1000000000", "1.0]"]),
    ("distribution-without-sd", _cohort('alpha = {dist = "normal", mean = 0.1}'),
     ["cohort", "alpha", "sd"]),
    ("distribution-unknown-kind", _cohort('alpha = {dist = "gauss", mean = 0.1, sd = 0.01}'),
     ["cohort", "alpha", "'gauss'", "normal"]),
    ("distribution-negative-sd", _cohort('alpha = {dist = "normal", mean = 0.1, sd = -1.0}'),
     ["cohort", "alpha", "-1"]),
    # -- arms
    ("arm-overrides-unknown-phase",
     VALID_PAV + '\n[[arm]]\nname = "x"\nphases = {trian = {iti = "30 s"}}\n',
     ["arm 'x'", "'trian'", "did you mean 'train'"]),
    ("arm-override-negative-duration",
     VALID_PAV + '\n[[arm]]\nname = "x"\nphases = {train = {iti = "-3 s"}}\n',
     ["arm 'x'", "train", "iti", "'-3 s'", "negative"]),
    ("arm-changes-task",
     VALID_PAV + '\n[[arm]]\nname = "x"\nphases = {train = {task = "abstinence"}}\n',
     ["arm 'x'", "task"]),
]


@pytest.mark.parametrize("text", [VALID_PAV, VALID_SA], ids=["pavlovian", "self-admin"])
def test_base_scenarios_are_valid(text: str) -> None:
    """The fixtures the error cases are derived from load cleanly."""
    sc = load_scenario(text)
    assert sc.name == "tiny"


@pytest.mark.parametrize("text, pieces", [(t, p) for _, t, p in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_scenario_text(text: str, pieces: list[str]) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(text)
    msg = str(info.value)
    assert "\n" not in msg.strip(), f"message is not one line: {msg!r}"
    assert msg.startswith("<text>"), f"message does not name the source: {msg!r}"
    for piece in pieces:
        assert piece in msg, f"{piece!r} not in {msg!r}"


def test_scenario_error_is_a_value_error() -> None:
    assert issubclass(ScenarioError, ValueError)
    assert addictsim.ScenarioError is ScenarioError


@pytest.mark.parametrize("name", ["typo-phase-key", "unknown-unit", "undeclared-context-in-phase",
                                  "negative-dose", "malformed-toml"])
def test_bad_scenario_file_names_the_file(tmp_path: Path, name: str) -> None:
    text, pieces = next((t, p) for n, t, p in CASES if n == name)
    path = tmp_path / "my scenario.toml"
    path.write_text(text, encoding="utf-8")
    for source in (path, str(path)):
        with pytest.raises(ScenarioError) as info:
            load_scenario(source)
        msg = str(info.value)
        assert msg.startswith(str(path)), msg
        assert "\n" not in msg.strip(), msg
        for piece in pieces:
            assert piece in msg, f"{piece!r} not in {msg!r}"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    msg = str(info.value)
    assert str(path) in msg and "no such file" in msg, msg
    assert "\n" not in msg


def test_missing_file_given_as_path_object(tmp_path: Path) -> None:
    path = tmp_path / "nope"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(path) in str(info.value) and "no such file" in str(info.value)


def test_misspelt_shipped_scenario_name() -> None:
    """A bare name that is not a shipped scenario is a missing file, not TOML text."""
    with pytest.raises(ScenarioError) as info:
        load_scenario("dopamine-shfit")
    msg = str(info.value)
    assert "dopamine-shfit" in msg, msg
    assert "no such file or shipped scenario" in msg, msg
    assert "did you mean 'dopamine-shift'" in msg, msg


def test_directory_is_not_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(tmp_path))
    assert str(tmp_path) in str(info.value) and "directory" in str(info.value)


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID_PAV.replace('"tiny"', '"caf\xe9"').encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_shipped_scenarios_all_load() -> None:
    shipped = addictsim.shipped_scenarios()
    assert "addiction-cycle" in shipped
    for name in shipped:
        assert load_scenario(name).name


# ---------------------------------------------------------------- Python API arguments

@pytest.mark.parametrize("subjects", [0, -1])
def test_simulate_rejects_non_positive_subjects(subjects: int) -> None:
    with pytest.raises(ValueError, match="subjects"):
        addictsim.simulate(VALID_PAV, subjects=subjects)


def test_simulate_rejects_unknown_record() -> None:
    with pytest.raises(ValueError, match="bogus"):
        addictsim.simulate(VALID_PAV, subjects=1, record="bogus")


def test_simulate_rejects_unknown_precision() -> None:
    with pytest.raises(ValueError, match="float16"):
        addictsim.simulate(VALID_PAV, subjects=1, precision="float16")


def test_simulate_raises_scenario_error_for_bad_text() -> None:
    with pytest.raises(ScenarioError, match="itti"):
        addictsim.simulate(VALID_PAV + 'itti = "30 s"\n', subjects=1)
