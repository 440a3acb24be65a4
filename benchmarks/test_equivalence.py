"""The yardsticks do the engine's work: the full equivalence check, as pytest.

Not collected by the project's test suite (``testpaths = ["tests"]``); run with
``python -m pytest benchmarks/test_equivalence.py``. A fast subset runs with the
suite: ``tests/test_benchmark_equivalence.py``.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import naive  # noqa: E402
from benchmarks.check_equivalence import compare, engine_summary, yardsticks  # noqa: E402
from benchmarks.workload import (SHOCK, P, bench_scenario, check_scenario,  # noqa: E402
                                 cohort_matrix, jax_uniforms, load, pit_two_step_scenario,
                                 summarise)

pytest.importorskip("numba")

CASES = {"fr1": bench_scenario(200), **{f"rich-{m}": check_scenario(model=m)
                                        for m in ("default", "td", "redish2004")},
         **{f"pit-two-step-{m}": pit_two_step_scenario(model=m)
            for m in ("default", "td", "redish2004")}}


@pytest.mark.parametrize("name", list(CASES))
def test_yardsticks_equal_the_engine_with_the_engines_random_numbers(name):
    text = CASES[name]
    n = 8
    sc, _, sched = load(text)
    ref = engine_summary(text, n)
    u = jax_uniforms(int(sc.scenario.seed), np.arange(n), sched.n_episodes)
    for impl, got in yardsticks(sched, cohort_matrix(sc, n), u).items():
        assert compare(ref, got, f"{name} [{impl}]") < 1e-9


@pytest.fixture(scope="module")
def stressed():
    """The rich scenario under ``default``: its Pavlovian phase's footshocks (0.5 mA, over
    the stress threshold) raise stress (``brain.interoception``)."""
    text = CASES["rich-default"]
    n = 6
    sc, cs, sched = load(text)
    ref = engine_summary(text, n)
    u = jax_uniforms(int(sc.scenario.seed), np.arange(n), sched.n_episodes)
    return sched, ref, u, cohort_matrix(sc, n), list(cs.phase_names)


def test_the_check_plays_stress(stressed):
    sched, ref, _, _, names = stressed
    pav = names.index("pav")
    assert (sched.us_amounts[:, SHOCK] >= 0.5).sum() == 5
    assert (ref["stress"][:, pav] > 0.3).all()
    assert (ref["stress"][:, :pav] == 0).all() and ref["memories"].max() >= 2


@pytest.mark.parametrize("name, factor", [("stress_rate", 0.0),   # no stress at all
                                          ("stress_rate", 1.0 + 1e-6),
                                          ("stress_threshold_ma", 1.0 + 1e-6),
                                          ("stress_tau_min", 1.0 + 1e-6),
                                          ("stress_dopamine", 1.0 + 1e-6)])
def test_the_comparison_sees_stress(stressed, name, factor):
    """A yardstick without stress, or with its rise, its fall or its share of the drug state
    a millionth off, fails. ``stress_dopamine`` leaves stress itself as it is: only the drug
    state (the memories' statistics and their retrieval) shows it."""
    sched, ref, u, prm, _ = stressed
    prm = prm.copy()
    prm[:, P[name]] *= factor
    got = summarise(naive.run(sched, prm, uniforms=u))
    with pytest.raises(AssertionError):
        compare(ref, got, "perturbed")
    if name == "stress_dopamine":
        np.testing.assert_allclose(got["stress"], ref["stress"], rtol=1e-9, atol=1e-11)


def test_own_random_streams_give_the_engines_behaviour():
    """With their own generators (random.Random, counter-based splitmix64) the yardsticks
    behave like the engine: cohort means within a few standard errors."""
    from benchmarks import numba_kernel

    text = bench_scenario(1000)
    sc, _, sched = load(text)
    n = 200
    ref = engine_summary(text, n)
    prm = cohort_matrix(sc, n)           # the engine's subjects
    runs = {"naive": summarise(naive.run(sched, prm, seed=3)),
            "numba": summarise(numba_kernel.run(sched, prm, seed=3))}
    for k in ("seek", "drug_taken", "craving", "da_cue"):
        m, se = ref[k].mean(), ref[k].std() / np.sqrt(n)
        for impl, got in runs.items():
            assert abs(got[k].mean() - m) < 5 * se * np.sqrt(2) + 1e-12, (impl, k)
