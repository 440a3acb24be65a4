"""Correlated individual differences: ``[cohort] correlations`` (a Gaussian copula over
each subject's own normal scores), its invariants and its bad input."""

from __future__ import annotations

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import ScenarioError, load_scenario
from addictsim.cohort import cohort_params

BASE = """schema_version = 1
[scenario]
name = "cohort"
seed = 7
[cohort]
subjects = 10
d2_baseline = {dist = "lognormal", mean = 1.0, sd = 0.2}
habit_half = {dist = "lognormal", mean = 20.0, sd = 0.5}
alpha = {dist = "uniform", low = 0.05, high = 0.3}
EXTRA
[[phase]]
name = "p"
task = "abstinence"
days = 1
"""
KEY = jax.random.key(7)


def _params(extra: str, n: int = 4000, ids=None):
    sc = load_scenario(BASE.replace("EXTRA", extra))
    ids = np.arange(n) if ids is None else ids
    values, varying = cohort_params(sc, ids, KEY, np.float32)
    return values, varying


def test_correlated_draws_have_the_asked_correlation_and_keep_their_margins():
    free, _ = _params("")
    corr, _ = _params('correlations = [{between = ["d2_baseline", "habit_half"], r = -0.6}]')
    r = np.corrcoef(np.log(corr["d2_baseline"]), np.log(corr["habit_half"]))[0, 1]
    assert r == pytest.approx(-0.6, abs=0.03)
    assert abs(np.corrcoef(np.log(free["d2_baseline"]), np.log(free["habit_half"]))[0, 1]) < 0.05
    # the first parameter named keeps its own draw; the second keeps its distribution
    np.testing.assert_array_equal(corr["d2_baseline"], free["d2_baseline"])
    assert np.std(np.log(corr["habit_half"])) == pytest.approx(0.5, rel=0.05)
    assert np.median(corr["habit_half"]) == pytest.approx(20.0, rel=0.05)
    # parameters outside the correlations are untouched
    np.testing.assert_array_equal(corr["alpha"], free["alpha"])


def test_a_uniform_parameter_can_be_correlated_through_its_rank():
    from scipy.stats import spearmanr

    v, _ = _params('correlations = [{between = ["alpha", "d2_baseline"], r = 0.8}]')
    assert 0.05 <= v["alpha"].min() and v["alpha"].max() <= 0.3
    assert spearmanr(v["alpha"], v["d2_baseline"]).statistic > 0.7


def test_a_subject_draws_the_same_whatever_the_cohort_it_is_in():
    extra = 'correlations = [{between = ["d2_baseline", "habit_half"], r = 0.5}]'
    whole, _ = _params(extra, n=50)
    part, _ = _params(extra, ids=np.arange(20, 30))
    for k in ("d2_baseline", "habit_half", "alpha"):
        np.testing.assert_array_equal(part[k], whole[k][20:30])


@settings(max_examples=25, deadline=None)
@given(r=st.floats(-0.95, 0.95))
def test_correlated_draws_stay_finite_and_in_range(r):
    from addictsim.brain.params import BrainParams

    v, _ = _params(f'correlations = [{{between = ["habit_half", "d2_baseline"], r = {r}}}]',
                   n=200)
    specs = BrainParams.specs()
    for k in ("d2_baseline", "habit_half"):
        assert np.all(np.isfinite(v[k]))
        assert np.all((v[k] >= specs[k].low) & (v[k] <= specs[k].high))


BAD = [
    ("unknown-parameter", 'correlations = [{between = ["d2_baselin", "habit_half"], r = 0.3}]',
     ["correlations[0].between", "d2_baselin", "did you mean 'd2_baseline'"]),
    ("r-out-of-range", 'correlations = [{between = ["d2_baseline", "habit_half"], r = 1.5}]',
     ["correlations[0]", "r", "1.5"]),
    ("not-varying", 'correlations = [{between = ["d2_baseline", "gamma"], r = 0.3}]',
     ["cohort", "'gamma' does not vary", "distribution"]),
    ("twice", 'correlations = [{between = ["d2_baseline", "habit_half"], r = 0.3}, '
              '{between = ["habit_half", "d2_baseline"], r = 0.2}]',
     ["correlations[1]", "correlated twice"]),
    ("itself", 'correlations = [{between = ["alpha", "alpha"], r = 0.3}]',
     ["correlations[0].between", "itself"]),
    ("impossible", 'correlations = [{between = ["alpha", "d2_baseline"], r = 0.9}, '
                   '{between = ["alpha", "habit_half"], r = 0.9}, '
                   '{between = ["d2_baseline", "habit_half"], r = -0.9}]',
     ["cohort", "not positive definite"]),
    ("not-a-list", 'correlations = 0.3', ["correlations", "list of tables"]),
]


@pytest.mark.parametrize("extra, pieces", [(e, p) for _, e, p in BAD], ids=[b[0] for b in BAD])
def test_bad_correlations_are_one_clear_line(extra, pieces):
    with pytest.raises(ScenarioError) as info:
        load_scenario(BASE.replace("EXTRA", extra))
    msg = str(info.value)
    assert "\n" not in msg.strip(), msg
    for piece in pieces:
        assert piece in msg, f"{piece!r} not in {msg!r}"


def test_bad_correlation_exits_2_on_the_command_line(refused_run):
    refused_run(BASE.replace("EXTRA", BAD[2][1]), ["does not vary"], name="c.toml")


# A subject's draw of a parameter is keyed by the parameter's position in BrainParams, so a
# parameter inserted among these would give every later one new draws, and every default
# cohort (and every scorecard row) a new sample. New parameters go after these, in order.
DECLARED = (
    "alpha gamma alpha_q alpha_id beta other_value response_cost context_generalization "
    "da_to_reward drug_sensitivity avg_reward_tau_h avg_reward_weight craving_half "
    "memory_threshold memory_surprise_rate memory_noise memory_context_share memory_drift_d "
    "d2_baseline d2_max_loss d2_down_tau_h d2_recovery_tau_d high_da_pct drug_setpoint "
    "drive_exponent homeostatic_weight allostasis_onset_h allostasis_rate "
    "allostasis_recovery_tau_d hedonic_shift rho_allostatic opponent_tau_h satiety_gain "
    "satiety_capacity withdrawal_depth eligibility_tau_s alpha_incentive habit_half "
    "habit_sharpness habit_drug_gain attention_floor attention_narrowing pit_gain "
    "incentive_attribution intoxication_gain sensitization_rate sensitization_interval_h "
    "sensitization_tau_d sensitization_gain incubation_rate incubation_gain discount_rate "
    "discount_load_gain allostasis_occupancy pfc_baseline pfc_insult_half_h pfc_max_loss "
    "pfc_recovery_tau_d d2_nogo_exponent pfc_insult_sharpness alpha_aversive insula_gain "
    "stress_threshold_ma stress_slope_ma stress_rate stress_tau_min stress_dopamine"
).split()


def test_parameters_keep_their_positions_so_cohorts_keep_their_draws():
    from addictsim.brain.params import BrainParams

    names = list(BrainParams.specs())
    assert names[:len(DECLARED)] == DECLARED, (
        "a parameter was inserted or moved among the declared ones: declare new parameters "
        "after them (the draws of the ones after it would change)")
    s = load_scenario(BASE.replace("EXTRA", ""))
    ids = np.arange(10)
    v, _ = cohort_params(s, ids, KEY)
    # the key of a parameter's draw folds in its position: the same position, the same draw
    from addictsim.cohort import COHORT_STREAM, _draw

    key = jax.random.fold_in(KEY, COHORT_STREAM)
    d = s.cohort.overrides()["habit_half"]
    spec = BrainParams.specs()["habit_half"]
    again = _draw(d, key, ids, DECLARED.index("habit_half"), np.float32)
    np.testing.assert_allclose(v["habit_half"], np.clip(again, spec.low, spec.high), rtol=1e-6)
