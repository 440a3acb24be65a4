"""Pavlovian-instrumental transfer: the `pit` task and the brain's outcome-specific transfer
(``brain.control.transfer``), on a whole scenario."""

from __future__ import annotations

import numpy as np
import pytest

import addictsim
from addictsim import load_scenario

from _bad_input import assert_rejected

TEXT = """schema_version = 1

[scenario]
name = "pit"
seed = 9
contexts = ["box"]
cues = ["A", "B"]

[cohort]
subjects = 60
{cohort}

[[phase]]
name = "pavlovian"
task = "pavlovian"
context = "box"
trials = ["40 x A+ food 1 pellets", "40 x B+ sucrose 1 access"]

[[phase]]
name = "food lever"
task = "self_administration"
context = "box"
reinforcer = "food"
lever = "food lever"
inactive_lever = false
timeout = "0 s"
session = "15 min"
days = 1

[[phase]]
name = "sucrose lever"
task = "self_administration"
context = "box"
reinforcer = "sucrose"
lever = "sucrose lever"
inactive_lever = false
timeout = "0 s"
session = "15 min"
days = 1

[[phase]]
name = "transfer"
task = "pit"
context = "box"
cues = ["A", "B"]
levers = ["food lever", "sucrose lever"]
presentations = 4
"""


def _rates(cohort: str = ""):
    ds = addictsim.simulate(load_scenario(TEXT.format(cohort=cohort)), record="episode",
                            progress=False)
    tt = ds.trial_type.values
    a = ds.action.values
    out = {}
    for period in ("PIT baseline", "PIT A", "PIT B"):
        m = tt == period
        out[period] = ((a[:, m] == 1).mean(), (a[:, m] == 2).mean())   # food, sucrose lever
    return out


def test_a_cue_raises_pressing_on_the_lever_whose_outcome_it_predicts():
    r = _rates()
    base_food, base_suc = r["PIT baseline"]
    a_food, a_suc = r["PIT A"]
    b_food, b_suc = r["PIT B"]
    assert a_food > base_food + 0.03 and b_suc > base_suc
    # outcome-specific: each cue favours its own outcome's lever
    assert (a_food - a_suc) > (b_food - b_suc) + 0.05


def test_no_transfer_without_the_transfer_gain():
    r = _rates("pit_gain = 0.0\nattention_narrowing = 0.0")
    a_food, a_suc = r["PIT A"]
    b_food, b_suc = r["PIT B"]
    assert abs((a_food - a_suc) - (b_food - b_suc)) < 0.05


@pytest.mark.parametrize("change, pieces", [
    (('cues = ["A", "B"]\nlevers', 'cues = ["A", "C"]\nlevers'), ["cue 'C'", "not declared"]),
    (('presentations = 4', 'presentations = 4\ncue_duration = "5 s"'),
     ["cue_duration", "shorter than one response window"]),
    (('levers = ["food lever", "sucrose lever"]', 'levers = []'), ["levers"]),
])
def test_bad_pit_input(change, pieces):
    text = TEXT.format(cohort="")
    assert change[0] in text
    assert_rejected(text.replace(change[0], change[1], 1), pieces)
