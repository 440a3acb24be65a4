"""Discrete-trial choice between a drug and a natural reward (Lenoir et al. 2007): sampling
trials of each option alone, then mutually exclusive choice trials; preferences per phase and
arm (``analysis.choice``); a choice with a single option is refused (exit 2)."""

from __future__ import annotations

import numpy as np
import pytest

from addictsim import load_scenario, simulate
from addictsim.analysis.choice import choice_summary
from addictsim.world.schedule import compile_schedule

CHOICE = """schema_version = 1
[scenario]
name = "choice"
cues = ["light", "tone"]
[cohort]
subjects = 12
[[phase]]
name = "sa"
task = "self_administration"
dose = "0.75 mg/kg"
cue = "light"
days = 2
[[phase]]
name = "choice"
task = "choice"
dose = "0.75 mg/kg"
cue = "light"
alternative_cue = "tone"
days = 2
EXTRA
"""


def test_sampling_trials_offer_one_option_and_are_taken_then_both_are_offered():
    cs = compile_schedule(load_scenario(CHOICE.replace("EXTRA", "")))
    ch = cs.phase_index == 1
    kinds = list(cs.trial_type[ch][:16])
    assert kinds == ["sample drug"] * 2 + ["sample alternative"] * 2 + ["choice"] * 12
    ops = cs.arrays["slot_operandum"][ch][:16]
    assert np.all(ops[:2, 2] < 0) and np.all(ops[2:4, 1] < 0) and np.all(ops[4:, 1:] >= 0)
    assert np.all(cs.arrays["forced"][ch][:4]) and not np.any(cs.arrays["forced"][ch][4:16])
    tone = cs.cues.index("tone")
    assert np.all(cs.arrays["slot_cues"][ch][4:16, 2, tone])


def test_a_choice_delivers_only_what_was_chosen_and_the_summary_counts_choices():
    ds = simulate(CHOICE.replace("EXTRA", ""), record="episode", progress=False)
    choice = ds.trial_type.values == "choice"
    a = ds.action.values[:, choice]
    drug = ds.drug_taken.values[:, choice]
    nat = ds.natural_taken.values[:, choice]
    assert np.all(drug == (a == 1)) and np.all(nat == (a == 2))
    sample = np.isin(ds.trial_type.values, ["sample drug", "sample alternative"])
    assert np.all(ds.action.values[:, sample] > 0)          # sampling trials are taken
    daily = simulate(CHOICE.replace("EXTRA", ""), record="daily", progress=False)
    (row,) = choice_summary(daily, last_days=2)
    share = (a == 1).sum(1) / np.maximum((a > 0).sum(1), 1)
    assert row["drug_choice_share"] == pytest.approx(share.mean())
    assert row["prefer_drug"] == pytest.approx(np.mean(share > 0.5))
    assert row["prefer_drug"] + row["prefer_alternative"] + row["indifferent"] == \
        pytest.approx(1.0)


@pytest.mark.parametrize("extra, pieces", [
    ('alternative = "none"', ["phase[1]", "alternative", "two options"]),
    ('alternative = "cocaine"', ["phase[1]", "two different options"]),
    ('alternative = "shock"', ["phase[1]", "alternative", "'shock'"]),
    ("BELL", ["cue 'bell' is used but not declared"]),
    ("choices = 0", ["phase[1].choices"]),
    ('delay = "0.1 s"', ["phase[1].delay", "delay must be between"]),
    ('alternative_amount = "-1 access"',
     ["phase[1]", "alternative_amount: '-1 access' is negative"]),
])
def test_bad_choice_input_is_one_line_and_exit_2(refused_run, extra, pieces):
    text = CHOICE.replace('alternative_cue = "tone"', 'alternative_cue = "bell"') \
        if extra == "BELL" else CHOICE
    refused_run(text.replace("EXTRA", "" if extra == "BELL" else extra), pieces)
