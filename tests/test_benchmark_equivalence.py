"""The benchmark yardsticks (``benchmarks/naive.py``, ``benchmarks/numba_kernel.py``) do the
engine's work: driven by the engine's own uniform random numbers, their per-subject
aggregates equal ``simulate(..., record="summary", precision="float64")`` to 1e-9.

A fast version of ``benchmarks/test_equivalence.py`` (one scenario that plays every
branch of the step: FR2 with a time-out, long access (D2 loss, allostatic load),
partial Pavlovian reinforcement, food, shock, withdrawal, three cues, two contexts learned
largely apart and three tasks add, conditioned reinforcement under a clamp of the
incentive gain, extinction, a salt-paired cue, intermittent amphetamine (sensitisation),
weeks of abstinence (incubation), a primed extinction session, sodium appetite,
self-administration in the second context with the dorsomedial striatum intact, signalled
unavailability: seeking while a no-drug signal, the task's own context, is on, go/no-go
trials: cached values and habit keyed to another context than the trial's, generalisation
scaled per context, commission errors; abstinence from the first drug-free phase after
drug could be earned: cocaine earned since is a lapse, cocaine the experimenter gives is
not; the memory layer: a cue's reward withheld opens a
second memory, retrieved by context, time and drug state, and destabilises the memory
retrieved, which turns labile over minutes and, while it is, passes on less of the surprise
(reconsolidation)),
on the engine's own heterogeneous cohort."""

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.check_equivalence import compare, engine_summary, yardsticks  # noqa: E402
from benchmarks.workload import (PARAM_NAMES, check_scenario, cohort_matrix,  # noqa: E402
                                 jax_uniforms, load)

N = 6


@pytest.fixture(scope="module")
def case():
    text = check_scenario()
    sc, cs, sched = load(text)
    ref = engine_summary(text, N)
    u = jax_uniforms(int(sc.scenario.seed), np.arange(N), sched.n_episodes)
    prm = cohort_matrix(sc, N)           # the engine's subjects (heterogeneous by default)
    return sched, ref, u, prm, list(cs.phase_names)


def test_the_check_plays_every_branch(case):
    sched, ref, _, prm, names = case
    ph = {name: i for i, name in enumerate(names)}
    assert ref["drug_taken"].sum() > 0 and ref["natural_taken"].sum() > 0
    assert (sched.us_prob == 0.5).any() and (sched.slot_ratio > 1).any()
    # two contexts of the scenario's, the one the signalled-unavailability task adds and the
    # go/no-go task's two stimuli (contexts and cues)
    assert (sched.timeout_ep > 0).any() and sched.n_contexts == 5 and sched.n_cues == 5
    # the body moves: drug in the brain, receptor loss, withdrawal, allostatic load, and
    # subjects that differ in their receptors
    assert ref["drug_level"].max() > 0 and ref["da_extracellular_pct"].max() > 250.0
    assert ref["withdrawal"].max() > 0 and ref["hedonic_setpoint"].max() > 0
    # long access: intake after the first hour of the session too
    assert 0 < ref["first_hour_intake"].sum() < ref["drug_taken"].sum()
    d2 = prm[:, PARAM_NAMES.index("d2_baseline")]
    assert np.ptp(d2) > 0 and (ref["receptor_availability"][:, -1] < d2).all()
    # the inactive lever is pressed; the primed session's only delivery is its prime
    assert ref["alternative"].sum() > 0 and (ref["n_deliveries"][:, ph["primed"]] == 1).all()
    # incentive salience: intermittent amphetamine doses sensitise, weeks of abstinence
    # incubate the drug cues' gain, and a phase clamps the gain of cocaine and food cues
    assert (ref["sensitization"][:, ph["primed"]] > ref["sensitization"][:, ph["ext"]] + 0.1).all()
    assert (ref["incubation"][:, ph["primed"]] > 10 * ref["incubation"][:, ph["long_access"]]).all()
    assert (sched.kappa == 1.5).any() and (sched.kappa == 2.0).any()
    # the salt-paired cue is repulsive and salt disliked, until sodium appetite makes the
    # cue wanted and the salt liked
    assert (ref["wanting"][:, ph["salt"]] < 0).all() and (ref["liking"][:, ph["salt"]] < 0).all()
    assert (sched.need > 0).any()
    assert (ref["wanting"][:, ph["sodium_appetite"]] > 0).all()
    assert (ref["liking"][:, ph["sodium_appetite"]] > 0).all()
    # responding in a second context with the dorsomedial striatum intact: the action ->
    # outcome model learned there (and, little, generalised from the box) is the one
    # consulted; contexts learned largely apart, so that this matters
    assert (prm[:, PARAM_NAMES.index("context_generalization")] <= 0.5).all()
    home = sched.group == ph["home_sa"]
    assert (sched.context[home] == 1).all() and (sched.intact[home, 1] == 1).all()
    assert ref["seek"][:, ph["home_sa"]].sum() > 0
    # signalled unavailability: presses while the no-drug signal (its own context) is on
    off = sched.no_drug
    assert off.any() and (sched.group[off] == ph["signalled"]).all()
    assert (sched.context[off] == 2).all() and (sched.intact[off, 1] == 1).all()
    assert ref["seek_no_drug"][:, ph["signalled"]].sum() > 0
    assert ref["seek_no_drug"].sum() == ref["seek_no_drug"][:, ph["signalled"]].sum()
    # go/no-go: trials in the stimuli's own contexts, their cached values and habit keyed to
    # the box, learning carried between the stimuli at a share of the generalisation; presses
    # on no-go trials are commission errors
    gng = sched.group == ph["go_nogo"]
    assert sched.nogo.any() and (sched.group[sched.nogo] == ph["go_nogo"]).all()
    assert (sched.context[gng] >= 3).all() and (sched.habit_context[gng] == 0).all()
    assert (sched.habit_context[~gng] == sched.context[~gng]).all()
    assert (sched.gen_scale[gng] == 0.3).any() and (sched.gen_scale[~gng] == 1).all()
    assert ref["commission"][:, ph["go_nogo"]].sum() > 0
    assert ref["commission"].sum() == ref["commission"][:, ph["go_nogo"]].sum()
    # abstinence begins with the Pavlovian trials (the first phase with no drug to earn, after
    # phases with one): cocaine earned since, in the second context and in the signalled drug
    # periods, is a lapse, every infusion of it; the cocaine the experimenter gives since (the
    # lithium pairings, the injections, the prime) is not
    assert not sched.abstinent[sched.group < ph["pav"]].any()
    assert sched.abstinent[sched.group >= ph["pav"]].all()
    earned = [ph["home_sa"], ph["signalled"]]
    given = [ph["deval"], ph["injections"], ph["primed"]]
    assert ref["lapse"][:, earned].sum() > 0 and ref["lapse"].sum() == ref["lapse"][:, earned].sum()
    np.testing.assert_array_equal(ref["lapse"][:, earned], ref["drug_taken"][:, earned])
    assert (ref["drug_taken"][:, given] > 0).all()
    # the memory layer (brain.memory): one memory through self-administration; the light's
    # cocaine withheld on Pavlovian trials opens a second, and which of them is retrieved
    # varies between phases (context, time since use, drug state)
    assert (ref["memories"][:, ph["sa"]] == 1).all() and (ref["memory_original"][:, 0] == 1).all()
    assert (ref["memories"][:, -1] >= 2).all()
    assert (ref["memory_original"] < 0.1).any() and (ref["memory_original"][:, 2:] > 0.9).any()
    # reconsolidation: self-administration, with every infusion delivered, leaves the memory
    # stable; the rewards withheld on Pavlovian trials make it labile, which closes over hours
    assert (ref["memory_labile"][:, ph["sa"]] == 0).all()
    assert (ref["memory_labile"][:, ph["pav"]] > 0.5).all()


def test_naive_loop_equals_the_engine(case):
    sched, ref, u, prm, _ = case
    assert compare(ref, yardsticks(sched, prm, u, ("naive",))["naive"], "naive") < 1e-9


@pytest.mark.parametrize("name", ["alpha", "d2_baseline", "withdrawal_depth",
                                  "intoxication_gain", "sensitization_rate", "incubation_gain",
                                  "memory_noise", "memory_context_share", "memory_drift_d",
                                  "destabilisation_min", "reconsolidation_window_h"])
def test_the_comparison_is_sensitive(case, name):
    sched, ref, u, prm, _ = case
    prm = prm.copy()
    prm[:, PARAM_NAMES.index(name)] *= 1.0 + 1e-6          # a millionth off
    with pytest.raises(AssertionError):
        compare(ref, yardsticks(sched, prm, u, ("naive",))["naive"], "perturbed")


def test_the_comparison_sees_lapses(case):
    """A yardstick that counted no lapse, or counted drug earned before abstinence began as
    lapses, fails on ``lapse`` (and on nothing else: abstinence changes no other record)."""
    sched, ref, u, prm, _ = case
    for abstinent in (np.zeros_like(sched.abstinent), np.ones_like(sched.abstinent)):
        wrong = dataclasses.replace(sched, abstinent=abstinent)
        with pytest.raises(AssertionError, match="lapse differs"):
            compare(ref, yardsticks(wrong, prm, u, ("naive",))["naive"], "perturbed")


@pytest.mark.parametrize("name, factor", [("memory_threshold", 1.5),
                                          ("memory_surprise_rate", 0.7)])
def test_the_comparison_sees_when_a_memory_opens(case, name, factor):
    """The threshold and the surprise's rate decide only when a new memory opens (a
    millionth moves no opening): a yardstick that opened memories at other times fails."""
    sched, ref, u, prm, _ = case
    prm = prm.copy()
    prm[:, PARAM_NAMES.index(name)] *= factor
    with pytest.raises(AssertionError):
        compare(ref, yardsticks(sched, prm, u, ("naive",))["naive"], "perturbed")


@pytest.mark.full          # Numba compiles the kernel for about a minute: runs with --full
def test_numba_kernel_equals_the_engine(case):
    pytest.importorskip("numba")
    sched, ref, u, prm, _ = case
    assert compare(ref, yardsticks(sched, prm, u, ("numba",))["numba"], "numba") < 1e-9
