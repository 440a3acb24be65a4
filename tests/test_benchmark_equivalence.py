"""The benchmark yardsticks (``benchmarks/naive.py``, ``benchmarks/numba_kernel.py``) do the
engine's work: driven by the engine's own uniform random numbers, their per-subject
aggregates equal ``simulate(..., record="summary", precision="float64")`` to 1e-9.

A fast version of ``benchmarks/test_equivalence.py`` (one scenario that plays every
branch of the step: FR2 with a time-out, partial Pavlovian reinforcement, food, shock,
two cues, two contexts, conditioned reinforcement, extinction)."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.check_equivalence import compare, engine_summary, yardsticks  # noqa: E402
from benchmarks.workload import check_scenario, jax_uniforms, load, param_matrix  # noqa: E402

N = 6


@pytest.fixture(scope="module")
def case():
    text = check_scenario()
    sc, _, sched = load(text)
    ref = engine_summary(text, N)
    u = jax_uniforms(int(sc.scenario.seed), np.arange(N), sched.n_episodes)
    return sched, ref, u


def test_the_check_plays_every_branch(case):
    sched, ref, _ = case
    assert ref["drug_taken"].sum() > 0 and ref["natural_taken"].sum() > 0
    assert (sched.us_prob == 0.5).any() and (sched.slot_ratio > 1).any()
    assert (sched.timeout_ep > 0).any() and sched.n_contexts == 2 and sched.n_cues == 2


def test_naive_loop_equals_the_engine(case):
    sched, ref, u = case
    assert compare(ref, yardsticks(sched, param_matrix(N), u, ("naive",))["naive"], "naive") < 1e-9


def test_the_comparison_is_sensitive(case):
    sched, ref, u = case
    prm = param_matrix(N)
    prm[:, 0] *= 1.0 + 1e-6          # alpha, a millionth off
    with pytest.raises(AssertionError):
        compare(ref, yardsticks(sched, prm, u, ("naive",))["naive"], "perturbed")


def test_numba_kernel_equals_the_engine(case):
    pytest.importorskip("numba")
    sched, ref, u = case
    assert compare(ref, yardsticks(sched, param_matrix(N), u, ("numba",))["numba"], "numba") < 1e-9
