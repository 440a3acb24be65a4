"""Lapses: a drug the subject's own response earns after abstinence began
(``world.schedule.abstinence_began``; ``engine.episode_step``). Abstinence begins with the
first phase without self-administration that follows one with it, and stays begun;
experimenter-given drug (a prime) is neither use nor access."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import simulate
from addictsim.pharmacology.reinforcers import N_KINDS, REINFORCER_INDEX, Reinforcer
from addictsim.world.apparatus import N_SLOTS
from addictsim.world.schedule import abstinence_began

COCAINE = REINFORCER_INDEX[Reinforcer.COCAINE]
FOOD = REINFORCER_INDEX[Reinforcer.FOOD]

SCENARIO = """schema_version = 1
[scenario]
name = "lapse"
seed = 11
contexts = ["box", "home"]
cues = ["light"]
[cohort]
subjects = 12
[[phase]]
name = "self-administration"
task = "self_administration"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
session = "1 h"
days = 3
[[phase]]
name = "extinction"
task = "self_administration"
extinction = true
context = "box"
session = "1 h"
days = 1
[[phase]]
name = "prime test"
task = "self_administration"
extinction = true
context = "box"
prime = "1 mg/kg"
session = "1 h"
days = 1
[[phase]]
name = "re-access"
task = "self_administration"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
session = "1 h"
days = 1
"""


@functools.lru_cache(maxsize=2)
def _run(record: str):
    return simulate(SCENARIO, record=record, progress=False)


def _offers(pattern: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """A schedule of phases of 3 episodes each: "drug" offers cocaine to a response,
    "food" food, "none" nothing."""
    phase = np.repeat(np.arange(len(pattern)), 3)
    amounts = np.zeros((phase.size, N_SLOTS, N_KINDS))
    for i, what in enumerate(pattern):
        if what != "none":
            amounts[phase == i, 1, COCAINE if what == "drug" else FOOD] = 1.0
    return phase, amounts


def test_abstinence_begins_with_the_first_phase_without_drug_after_one_with_it():
    began = abstinence_began(*_offers(["none", "drug", "none", "drug", "none"]))
    assert list(began) == [False] * 6 + [True] * 9
    # food is not a drug, and nothing before any access to a drug is abstinence
    assert not abstinence_began(*_offers(["food", "none", "food"])).any()
    assert not abstinence_began(*_offers(["drug", "drug"])).any()


@given(st.lists(st.sampled_from(["drug", "food", "none"]), min_size=1, max_size=8))
@settings(max_examples=80, deadline=None)
def test_abstinence_once_begun_stays_and_needs_earlier_access(pattern):
    phase, amounts = _offers(pattern)
    began = abstinence_began(phase, amounts)
    if began.any():
        first = int(np.argmax(began))
        assert began[first:].all()
        p = phase[first]
        assert pattern[p] != "drug" and "drug" in pattern[:p]
        assert phase[first - 1] != p             # it begins with a phase, not inside one
    else:
        k = pattern.index("drug") if "drug" in pattern else len(pattern)
        assert all(w == "drug" for w in pattern[k:])


def test_lapses_are_self_taken_drug_after_abstinence_only():
    ds = _run("episode")
    phase = ds.phase.values
    lapse, taken = ds.lapse.values, ds.drug_taken.values
    assert ds.lapse.dtype == bool
    assert not lapse[:, phase == "self-administration"].any()
    assert taken[:, phase == "self-administration"].any()
    # the prime is a drug delivered, not one taken: no lapse in the primed test
    prime = phase == "prime test"
    assert taken[:, prime].sum(axis=1).min() >= 1
    assert not lapse[:, prime].any()
    # every infusion earned on re-access is a lapse
    back = phase == "re-access"
    assert np.array_equal(lapse[:, back], taken[:, back])
    assert lapse[:, back].any(axis=1).all()
    assert not (lapse & ~taken).any()


def test_daily_lapse_counts_agree_with_the_episodes():
    ep, daily = _run("episode"), _run("daily")
    per_day = np.stack([ep.lapse.values[:, ep.day_index.values == d].sum(axis=1)
                        for d in np.unique(ep.day_index.values)], axis=1)
    assert np.array_equal(daily.lapse.values, per_day)


def test_report_tables_give_the_share_who_lapsed_in_every_record_mode():
    from addictsim.report import summary_tables

    shares = {}
    for record in ("episode", "daily", "summary"):
        ds = _run(record) if record != "summary" else simulate(SCENARIO, record="summary",
                                                                progress=False)
        shares[record] = {r["phase"]: r["lapsed_share"] for r in summary_tables(ds)["by_phase"]}
    assert shares["episode"] == shares["daily"] == shares["summary"]
    assert shares["episode"]["re-access"] == 1.0 and shares["episode"]["prime test"] == 0.0
    # a run in which nobody could lapse has no such column
    no_return = SCENARIO.split('[[phase]]\nname = "re-access"')[0]
    rows = summary_tables(simulate(no_return, record="summary", progress=False))["by_phase"]
    assert all("lapsed_share" not in r for r in rows)
