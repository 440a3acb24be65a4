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

MICRODIALYSIS = """
[[phase]]
name = "md"
task = "microdialysis"
reinforcer = "cocaine"
dose = "1 mg/kg"
"""

CHALLENGE = """
[[phase]]
name = "pet"
task = "challenge"
dose = "0.5 mg/kg"
"""

DOSE_RESPONSE = """
[[phase]]
name = "dr"
task = "dose_response"
doses = ["0.125 mg/kg", "0.25 mg/kg", "0.5 mg/kg"]
session = "10 min"
cue = "light"
"""

THRESHOLD = """
[[phase]]
name = "icss"
task = "reward_threshold"
magnitudes = [0.25, 0.5, 1, 2]
trials_per_magnitude = 5
"""

VALID_PAV = HEADER + PAVLOVIAN
VALID_SA = HEADER + SELF_ADMIN
VALID_MD = HEADER + MICRODIALYSIS
VALID_CH = HEADER + CHALLENGE
DEMAND = """
[[phase]]
name = "dm"
task = "demand"
prices = [1, 3, 10, 32]
session = "10 min"
response_window = "2 s"
cue = "light"
"""

VALID_DR = HEADER + DOSE_RESPONSE
VALID_RT = HEADER + THRESHOLD
VALID_DM = HEADER + DEMAND


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
    ("dose-out-of-range", _sub(VALID_SA, '"0.75 mg/kg"', '"50 mg/kg"'),
     ["phase[0]", "dose", "'50 mg/kg'", "outside the modelled range for cocaine",
      "0 to 30 mg/kg"]),
    ("dose-per-infusion-out-of-range", _sub(VALID_SA, '"0.75 mg/kg"', '"10 mg/infusion"'),
     ["phase[0]", "dose", "'10 mg/infusion'", "30.3 mg/kg", "0.33 kg", "0 to 30 mg/kg"]),
    ("dose-per-subject-human-out-of-range",
     _meta('species = "human"').replace(PAVLOVIAN, SELF_ADMIN)
     .replace('"0.75 mg/kg"', '"2.5 g"'),
     ["phase[0]", "dose", "'2.5 g'", "35.71 mg/kg", "70 kg", "0 to 30 mg/kg"]),
    ("alcohol-dose-in-mg-per-kg",
     _sub(VALID_SA, 'dose = "0.75 mg/kg"', 'reinforcer = "alcohol"\ndose = "0.75 mg/kg"'),
     ["phase[0]", "dose", "'0.75 mg/kg'", "alcohol", "g/kg", "standard drink"]),
    ("cocaine-dose-in-g-per-kg", _sub(VALID_SA, '"0.75 mg/kg"', '"2 g/kg"'),
     ["phase[0]", "dose", "'2 g/kg'", "cocaine", "accepts mg/kg", "mg/infusion"]),
    ("cigarettes-of-cocaine", _sub(VALID_SA, '"0.75 mg/kg"', '"1 cigarette"'),
     ["phase[0]", "dose", "'1 cigarette'", "cannot be an amount of cocaine"]),
    ("too-many-drinks",
     _sub(VALID_SA, 'dose = "0.75 mg/kg"', 'reinforcer = "alcohol"\ndose = "3 drinks"'),
     ["phase[0]", "dose", "'3 drinks'", "127.3 g/kg", "0 to 6 g/kg"]),
    ("unknown-alternative",
     _sub(VALID_SA, 'dose = "0.75 mg/kg"', 'dose = "0.75 mg/kg"\nalternative = "fod"'),
     ["phase[0].alternative", "unknown reinforcer 'fod'", "did you mean 'food'",
      "known reinforcers", "cocaine"]),
    ("alternative-amount-out-of-range",
     _sub(VALID_SA, 'dose = "0.75 mg/kg"',
          'dose = "0.75 mg/kg"\nalternative = "food"\nalternative_amount = "500 pellets"'),
     ["phase[0]", "alternative_amount", "'500 pellets'", "food", "0 to 100 pellets"]),
    ("punishment-out-of-range", VALID_SA + 'punishment = "10 mA"\n',
     ["phase[0].punishment", "'10 mA'", "shock", "0 to 5 mA"]),
    ("trial-dose-out-of-range", _sub(VALID_PAV, '"10 x A+"', '"10 x A+ cocaine 50 mg/kg"'),
     ["phase[0] 'train'", "'10 x A+ cocaine 50 mg/kg'", "outside the modelled range",
      "0 to 30 mg/kg"]),
    ("trial-alcohol-in-mg-per-kg",
     _sub(VALID_PAV, '"10 x A+"', '"10 x A+ alcohol 0.75 mg/kg"'),
     ["phase[0] 'train'", "cannot be an amount of alcohol", "g/kg", "standard drink"]),
    ("trial-unknown-drug", _sub(VALID_PAV, '"10 x A+"', '"10 x A+ cocain 0.75 mg/kg"'),
     ["phase[0] 'train'", "'cocain'", "did you mean 'cocaine'", "heroin"]),
    # -- microdialysis
    ("microdialysis-unknown-drug", _sub(VALID_MD, '"cocaine"', '"cocane"'),
     ["phase[0].reinforcer", "'cocane'", "did you mean 'cocaine'", "known reinforcers"]),
    ("microdialysis-dose-out-of-range", _sub(VALID_MD, '"1 mg/kg"', '"40 mg/kg"'),
     ["phase[0]", "dose", "'40 mg/kg'", "0 to 30 mg/kg"]),
    ("microdialysis-negative-dose", _sub(VALID_MD, '"1 mg/kg"', '"-1 mg/kg"'),
     ["phase[0]", "dose", "'-1 mg/kg'", "negative"]),
    ("microdialysis-wrong-unit",
     _sub(VALID_MD, '"cocaine"\ndose = "1 mg/kg"', '"alcohol"\ndose = "1 mg/kg"'),
     ["phase[0]", "dose", "alcohol", "accepts g/kg"]),
    ("microdialysis-sample-longer-than-duration",
     VALID_MD + 'sample_interval = "2 h"\nduration = "1 h"\n',
     ["phase[0]", "sample_interval (2 h)", "duration (1 h)"]),
    ("microdialysis-day-does-not-fit",
     VALID_MD + 'doses_per_day = 4\ndose_interval = "8 h"\n',
     ["phase[0]", "4 dose(s) 8 h apart", "< 24 h"]),
    ("microdialysis-zero-interval", VALID_MD + 'sample_interval = "0 min"\n',
     ["phase[0].sample_interval", "zero"]),
    # -- challenge
    ("challenge-unknown-drug", VALID_CH + 'reinforcer = "amfetamine"\n',
     ["phase[0].reinforcer", "'amfetamine'", "did you mean 'amphetamine'"]),
    ("challenge-dose-out-of-range", _sub(VALID_CH, '"0.5 mg/kg"', '"25 mg/kg"'),
     ["phase[0]", "dose", "'25 mg/kg'", "amphetamine", "0 to 20 mg/kg"]),
    ("challenge-scan-after-zero", VALID_CH + 'scan_after = "0 min"\n',
     ["phase[0].scan_after", "zero"]),
    # -- dose-response
    ("dose-response-not-increasing",
     _sub(VALID_DR, '"0.125 mg/kg", "0.25 mg/kg"', '"0.25 mg/kg", "0.125 mg/kg"'),
     ["phase[0]", "doses", "strictly increasing", "doses[1] = '0.125 mg/kg'", "doses[0]"]),
    ("dose-response-repeated-dose",
     _sub(VALID_DR, '"0.125 mg/kg", "0.25 mg/kg"', '"0.25 mg/kg", "0.25 mg/kg"'),
     ["phase[0]", "doses", "strictly increasing"]),
    ("dose-response-empty", _sub(VALID_DR, '["0.125 mg/kg", "0.25 mg/kg", "0.5 mg/kg"]', "[]"),
     ["phase[0]", "doses", "empty"]),
    ("dose-response-not-a-list", _sub(VALID_DR, '["0.125 mg/kg", "0.25 mg/kg", "0.5 mg/kg"]',
                                      '"0.25 mg/kg"'),
     ["phase[0]", "doses", "a list"]),
    ("dose-response-missing-doses",
     _sub(VALID_DR, 'doses = ["0.125 mg/kg", "0.25 mg/kg", "0.5 mg/kg"]\n', ""),
     ["phase[0].doses", "missing"]),
    ("dose-response-out-of-range", _sub(VALID_DR, '"0.5 mg/kg"', '"35 mg/kg"'),
     ["phase[0]", "doses[2]", "'35 mg/kg'", "0 to 30 mg/kg"]),
    ("dose-response-negative", _sub(VALID_DR, '"0.125 mg/kg"', '"-0.125 mg/kg"'),
     ["phase[0]", "doses[0]", "negative"]),
    ("dose-response-wrong-unit", _sub(VALID_DR, '"0.5 mg/kg"', '"0.5 g/kg"'),
     ["phase[0]", "doses[2]", "cocaine", "accepts mg/kg"]),
    ("dose-response-unknown-drug", VALID_DR + 'reinforcer = "herion"\n',
     ["phase[0].reinforcer", "'herion'", "did you mean 'heroin'"]),
    ("dose-response-days-key", VALID_DR + "days = 3\n",
     ["phase[0]", "unknown key 'days'", "sessions_per_dose"]),
    # -- demand
    ("demand-not-increasing", _sub(VALID_DM, "[1, 3, 10, 32]", "[1, 10, 3, 32]"),
     ["phase[0]", "prices", "strictly increasing", "prices[2] = 3", "prices[1] = 10"]),
    ("demand-repeated-price", _sub(VALID_DM, "[1, 3, 10, 32]", "[1, 3, 3, 32]"),
     ["phase[0]", "prices", "strictly increasing", "prices[2] = 3", "prices[1] = 3"]),
    ("demand-non-integer-price", _sub(VALID_DM, "[1, 3, 10, 32]", "[1, 2.5, 10, 32]"),
     ["phase[0]", "prices[1] = 2.5", "whole number of responses"]),
    ("demand-price-as-string", _sub(VALID_DM, "[1, 3, 10, 32]", '[1, "3", 10, 32]'),
     ["phase[0]", "prices[1] = '3'", "whole number of responses"]),
    ("demand-zero-price", _sub(VALID_DM, "[1, 3, 10, 32]", "[0, 3, 10, 32]"),
     ["phase[0]", "prices[0] = 0", "between 1 and 10000"]),
    ("demand-negative-price", _sub(VALID_DM, "[1, 3, 10, 32]", "[-1, 3, 10, 32]"),
     ["phase[0]", "prices[0] = -1", "between 1 and 10000"]),
    ("demand-price-too-high", _sub(VALID_DM, "[1, 3, 10, 32]", "[1, 3, 10, 20000]"),
     ["phase[0]", "prices[3] = 20000", "between 1 and 10000"]),
    ("demand-empty", _sub(VALID_DM, "[1, 3, 10, 32]", "[]"),
     ["phase[0]", "prices", "empty"]),
    ("demand-not-a-list", _sub(VALID_DM, "[1, 3, 10, 32]", "10"),
     ["phase[0]", "prices", "a list of fixed ratios", "got 10"]),
    ("demand-missing-prices", _sub(VALID_DM, "prices = [1, 3, 10, 32]\n", ""),
     ["phase[0].prices", "missing"]),
    ("demand-days-key", VALID_DM + "days = 3\n",
     ["phase[0]", "unknown key 'days'", "sessions_per_price", "sessions_per_day"]),
    ("demand-ratio-key", VALID_DM + "ratio = 5\n",
     ["phase[0]", "unknown key 'ratio'", "price", "prices"]),
    ("demand-aversive-reinforcer", VALID_DM + 'reinforcer = "shock"\n',
     ["phase[0]", "reinforcer", "drug or a natural reward", "'shock'"]),
    ("demand-dose-out-of-range", VALID_DM + 'dose = "35 mg/kg"\n',
     ["phase[0]", "dose", "'35 mg/kg'", "0 to 30 mg/kg"]),
    ("demand-zero-sessions-per-price", VALID_DM + "sessions_per_price = 0\n",
     ["phase[0].sessions_per_price", "0"]),
    # -- reward threshold
    ("threshold-not-increasing", _sub(VALID_RT, "[0.25, 0.5, 1, 2]", "[0.25, 1, 0.5, 2]"),
     ["phase[0]", "magnitudes", "strictly increasing", "magnitudes[2] = 0.5"]),
    ("threshold-empty", _sub(VALID_RT, "[0.25, 0.5, 1, 2]", "[]"),
     ["phase[0]", "magnitudes", "empty"]),
    ("threshold-zero-magnitude", _sub(VALID_RT, "[0.25, 0.5, 1, 2]", "[0, 0.5, 1, 2]"),
     ["phase[0]", "magnitudes[0]", "zero"]),
    ("threshold-out-of-range", _sub(VALID_RT, "[0.25, 0.5, 1, 2]", "[0.5, 1, 200]"),
     ["phase[0]", "magnitudes[2]", "200", "0 to 100"]),
    ("threshold-drug-reinforcer", VALID_RT + 'reinforcer = "cocaine"\n',
     ["phase[0]", "reinforcer", "natural reinforcer", "'cocaine'"]),
    ("threshold-unknown-reinforcer", VALID_RT + 'reinforcer = "sucrse"\n',
     ["phase[0].reinforcer", "'sucrse'", "did you mean 'sucrose'"]),
    ("threshold-does-not-fit-in-a-day",
     _sub(VALID_RT, "trials_per_magnitude = 5", "trials_per_magnitude = 2000"),
     ["phase[0]", "8000 trials", "do not fit in a day"]),
    ("threshold-zero-trials", _sub(VALID_RT, "trials_per_magnitude = 5",
                                   "trials_per_magnitude = 0"),
     ["phase[0].trials_per_magnitude", "0"]),
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
    # -- incentive salience and primes (issue 5)
    ("kappa-negative", VALID_PAV + "kappa = { food = -1.0 }\n",
     ["phase[0]", "kappa", "'food'", "between 0 and 100", "-1"]),
    ("kappa-unknown-outcome", VALID_PAV + "kappa = { sucrsoe = 2.0 }\n",
     ["phase[0]", "kappa", "sucrsoe", "sucrose"]),
    ("kappa-not-a-table", VALID_PAV + "kappa = 2.0\n", ["phase[0]", "kappa"]),
    ("sodium-depletion-not-bool", VALID_PAV + 'sodium_depletion = "yes"\n',
     ["phase[0]", "sodium_depletion", "yes"]),
    ("prime-negative", VALID_SA + 'prime = "-10 mg/kg"\n',
     ["phase[0]", "prime", "-10 mg/kg"]),
    ("prime-wrong-unit", VALID_SA + 'prime = "10 mA"\n', ["phase[0]", "prime", "mA"]),
    ("prime-unknown-drug", VALID_SA + 'prime = "10 mg/kg"\nprime_reinforcer = "cocane"\n',
     ["phase[0]", "prime_reinforcer", "cocane", "cocaine"]),
    ("prime-before-too-long", VALID_SA + 'prime = "10 mg/kg"\nprime_before = "2 h"\n',
     ["phase[0]", "prime_before", "at most 1 h"]),
    # -- footshock stress (issue 8)
    ("stress-negative", VALID_SA + 'stress = "-0.5 mA"\n', ["phase[0]", "stress", "-0.5 mA"]),
    ("stress-wrong-unit", VALID_SA + 'stress = "0.5 mg/kg"\n', ["phase[0]", "stress", "mg/kg"]),
    ("stress-for-no-unit", VALID_SA + 'stress = "0.5 mA"\nstress_for = "10"\n',
     ["phase[0]", "stress_for", "10"]),
    ("stress-for-too-long", VALID_SA + 'stress = "0.5 mA"\nstress_for = "2 h"\n',
     ["phase[0]", "stress_for", "1 h"]),
    ("stress-context-undeclared", VALID_SA + 'stress = "0.5 mA"\nstress_context = "hmoe"\n',
     ["stress_context", "hmoe", "home"]),
    ("arm-changes-task",
     VALID_PAV + '\n[[arm]]\nname = "x"\nphases = {train = {task = "abstinence"}}\n',
     ["arm 'x'", "task"]),
]


@pytest.mark.parametrize("text", [VALID_PAV, VALID_SA, VALID_MD, VALID_CH, VALID_DR, VALID_RT,
                                  VALID_DM],
                         ids=["pavlovian", "self-admin", "microdialysis", "challenge",
                              "dose-response", "reward-threshold", "demand"])
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
                                  "negative-dose", "malformed-toml", "dose-out-of-range",
                                  "alcohol-dose-in-mg-per-kg", "trial-dose-out-of-range",
                                  "dose-response-not-increasing", "threshold-empty",
                                  "microdialysis-sample-longer-than-duration"])
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


@pytest.mark.parametrize("name", ["dose-out-of-range", "dose-per-infusion-out-of-range",
                                  "cocaine-dose-in-g-per-kg", "unknown-alternative",
                                  "trial-dose-out-of-range", "microdialysis-unknown-drug",
                                  "challenge-dose-out-of-range", "dose-response-not-increasing",
                                  "threshold-not-increasing", "demand-not-increasing",
                                  "demand-non-integer-price", "demand-zero-price", "demand-empty",
                                  "demand-days-key", "stress-negative",
                                  "stress-context-undeclared"])
def test_bad_dose_is_exit_2_on_the_command_line(refused_run, name: str) -> None:
    """``addictsim run bad.toml``: exit code 2, one ``error:`` line naming the file, and
    nothing written."""
    text, pieces = next((t, p) for n, t, p in CASES if n == name)
    refused_run(text, pieces)


def test_doses_per_subject_are_converted_with_the_species_body_weight() -> None:
    """mg/infusion, mg, drinks and cigarettes become doses per kg (units.DOSE_CONSTANTS)."""
    def dose(species: str, reinforcer: str, value: str) -> float:
        text = _sub(VALID_SA, 'dose = "0.75 mg/kg"',
                    f'reinforcer = "{reinforcer}"\ndose = "{value}"')
        text = _sub(text, 'name = "tiny"', f'name = "tiny"\nspecies = "{species}"')
        return load_scenario(text).phase[0].dose

    # Ahmed & Koob 1998: 0.25 mg/infusion is about 0.75 mg/kg for a rat
    assert dose("rat", "cocaine", "0.25 mg/infusion") == pytest.approx(0.25 / 0.33)
    assert dose("rat", "cocaine", "0.25 mg/inf") == pytest.approx(0.7576, abs=1e-4)
    assert dose("rat", "cocaine", "0.25 mg") == pytest.approx(0.25 / 0.33)
    assert dose("human", "cocaine", "35 mg") == pytest.approx(0.5)
    assert dose("human", "alcohol", "1 standard drink") == pytest.approx(0.2)
    assert dose("human", "alcohol", "3 drinks") == pytest.approx(0.6)
    assert dose("human", "nicotine", "1 cigarette") == pytest.approx(1.0 / 70.0)
    assert dose("rat", "nicotine", "30 ug/kg") == pytest.approx(0.03)
    # the arm override is converted with the same body weight
    text = _sub(VALID_SA, 'name = "tiny"', 'name = "tiny"\nspecies = "human"')
    text += '\n[[arm]]\nname = "x"\nphases = {sa = {dose = "35 mg"}}\n'
    sc = load_scenario(text)
    assert sc.phases_for("x")[0].dose == pytest.approx(0.5)


def test_pavlovian_trial_doses_are_converted() -> None:
    from addictsim.scenario import parse_trials

    sc = load_scenario(_sub(VALID_PAV, '"10 x A+"', '"10 x A+ cocaine 0.25 mg/infusion"'))
    (block,) = parse_trials(sc, sc.phase[0])
    assert block[0].amount == pytest.approx(0.25 / 0.33)
    assert block[0].label.endswith("mg/kg")


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
