"""Special case: with the drug term, the average-reward term and satiety off (and receptor
availability at its population baseline), the default model is
textbook TD(0) over a complete serial compound, checked against an independent plain-Python
loop (Sutton & Barto 1990; Schultz, Dayan & Montague 1997)."""

import numpy as np
import pytest

import addictsim
from addictsim._params import defaults_of
from addictsim.brain.params import BIN_S, N_BINS, BrainParams
from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer
from addictsim.world.schedule import compile_schedule

SCENARIO = """
schema_version = 1
[scenario]
name = "td-check"
species = "rat"
seed = 3
model = "{model}"
contexts = ["A", "B"]
cues = ["X", "Y", "Z"]
[cohort]
subjects = 4
avg_reward_weight = 0.0
satiety_gain = 0.0
d2_baseline = 1.0
incentive_attribution = 1.0
context_generalization = {gen}
[[phase]]
name = "train"
task = "pavlovian"
context = "A"
reinforcer = "food"
trials = ["30 x X+ p=0.7", "20 x XY+ delay=2 s", "10 x Z- @ B", "rest 1 d", "15 x Y+ food 2 pellets @ B", "5 x X- test"]
"""


def textbook_td(cs, natural_amounts, alpha, gamma, gen):
    """Plain TD(0) over a complete serial compound, one trial at a time, element by element."""
    n_ctx, n_cues = len(cs.contexts), len(cs.cues)
    w = [[[0.0] * N_BINS for _ in range(n_cues)] for _ in range(n_ctx)]
    deltas = []
    for e in range(cs.n_episodes):
        ctx = int(cs.arrays["context"][e])
        onset = [int(o) for o in cs.arrays["cs_onset"][e]]
        us_bin = int(cs.arrays["us_bin"][e])
        r = [0.0] * N_BINS
        if natural_amounts[e] > 0:
            r[us_bin] = float(natural_amounts[e])  # food: 1 reward unit per pellet

        def feats(t):
            return [(c, t - onset[c]) for c in range(n_cues) if onset[c] >= 0 and t >= onset[c]]

        def value(t):
            if t < 0 or t >= N_BINS:
                return 0.0
            return sum(w[ctx][c][j] for c, j in feats(t))

        d_ep = []
        updates = []
        for t in range(N_BINS + 1):
            rt = r[t] if t < N_BINS else 0.0
            delta = rt + gamma * value(t) - value(t - 1)
            d_ep.append(delta)
            updates.append((t - 1, delta))
        for t_prev, delta in updates:      # online TD(0): each element is active once per trial
            if t_prev < 0:
                continue
            for c, j in feats(t_prev):
                for k in range(n_ctx):
                    w[k][c][j] += alpha * (1.0 if k == ctx else gen) * delta
        deltas.append(d_ep)
    return np.array(deltas), np.array(w)


@pytest.mark.parametrize("model,gen", [("default", 1.0), ("td", 0.5), ("default", 0.0)])
def test_default_without_drug_and_average_reward_is_textbook_td0(model, gen):
    sc = addictsim.load_scenario(SCENARIO.format(model=model, gen=gen))
    ds = addictsim.simulate(sc, precision="float64", record="episode", trace=True, progress=False)
    cs = compile_schedule(sc)
    p = defaults_of(BrainParams, "rat")
    for s in range(ds.sizes["subject"]):
        food = ds.natural_taken.values[s] * cs.arrays["us_amounts"][:, REINFORCER_INDEX[Reinforcer.FOOD]]
        want, _ = textbook_td(cs, food, p["alpha"], p["gamma"], gen)
        got = ds.da_phasic.values[s]
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_partial_reinforcement_draws_differ_between_subjects():
    sc = addictsim.load_scenario(SCENARIO.format(model="default", gen=1.0))
    ds = addictsim.simulate(sc, record="episode", progress=False)
    first = ds.trial_type.values == "X+ p=0.7"
    taken = ds.natural_taken.values[:, first]
    assert 0.5 < taken.mean() < 0.9
    assert not all((taken[0] == taken[i]).all() for i in range(1, taken.shape[0]))


def test_bin_width_and_window():
    assert N_BINS * BIN_S == pytest.approx(4.0)
