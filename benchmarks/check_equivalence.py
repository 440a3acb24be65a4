"""Equivalence check: the two yardsticks do the engine's work, number for number.

All three implementations are driven with THE SAME uniform random numbers, the engine's own
(``jax.random.uniform(jax.random.fold_in(subject_key, e), (2,))`` with
``engine.subject_keys``, in float64), and the same subjects (the engine's own cohort draw,
``workload.cohort_matrix``: some parameters vary between subjects by default), and their
per-subject aggregates are compared with ``addictsim.simulate(..., record="summary",
precision="float64")``: every variable the engine aggregates (sums of seek, alternative,
drug_taken, dose and natural_taken, first-hour intake, seeking in signalled no-drug periods,
presses on no-go trials (commission errors) and lapses (a drug earned after abstinence
began); event means of da_cue, da_outcome,
da_cue_dorsal, cue_value and wanting (cue episodes), craving (craving probes: a cue shown,
or a body state that alone triggers craving) and liking (delivery episodes);
maxima of the extracellular dopamine readouts and the drug level; means of the average
reward rate, the habit share, the attentional bias, sensitisation, incubation, prefrontal
control and the body readouts: receptor availability, withdrawal, mood, set points, reward
threshold; the event mean of conditioned fear on cue episodes; the memory layer's mean
retrieval of the first memory, the most memories held and the most lability of the memories
retrieved; the most stress) and the episode / cue / outcome / delivery / craving-probe
counts, per subject and phase.

Three scenarios: the benchmark's (FR1 cocaine, shortened), a richer one that plays every
branch of the step (two contexts learned largely apart and tasks' own, three cues, FR2 with
a time-out, Pavlovian trials with partial reinforcement, food, shock (over the stress
threshold: stress, and through it the drug state the memories record and are retrieved by)
and salt, a conditioned reinforcement test under a clamp of the incentive gain, outcome
devaluation by lithium chloride, extinction, intermittent amphetamine, three weeks of
abstinence, a primed extinction session, sodium appetite, self-administration in the second
context, signalled unavailability, go/no-go trials whose cached values and habit are keyed
to another context than the trial's and whose learning generalises at a per-context scale;
cocaine earned after abstinence began (lapses) beside cocaine the experimenter gives (not
lapses); striatal inactivations), under each model variant, and one with cues at the moment
of choice and sequential trials (self-administration, Pavlovian training, a
Pavlovian-instrumental transfer test with the gain of food cues clamped, then the two-step
task: forced choices, transitions, outcome probabilities, eligibility traces), under each
model variant. Under
``default`` the latter two open a second memory (``brain.memory``), so the retrieval's cue
evidence (cues on at choice; after acting, every cue the episode showed, weighted by its
incentive salience), the recognised situation fading over rests and, in the third, trials
that go on (cues held over windows, two-step first steps: no evidence for the memories) and
transfer from the strongest open memory are played; the benchmark's scenario and the ``td``
and ``redish2004`` variants keep one memory. Under ``default`` the rich scenario's Pavlovian
trials withhold expected rewards, which destabilises the memory retrieved: it turns labile,
and the surprise moves by the square of its stability while it is (reconsolidation); no
scenario gives an NMDA-receptor blocker, which the yardsticks do not implement.

    python benchmarks/check_equivalence.py [--subjects 8] [--episodes 200]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import naive  # noqa: E402
from benchmarks.workload import (AGG_VARS, COUNT_VARS, bench_scenario, check_scenario,  # noqa: E402
                                 cohort_matrix, jax_uniforms, load,
                                 pit_two_step_scenario, summarise)

RTOL = 1e-9
ATOL = 1e-11


def engine_summary(text: str, n: int) -> dict[str, np.ndarray]:
    """The engine's per-subject, per-phase results in float64, via the public API."""
    import addictsim

    ds = addictsim.simulate(text, subjects=n, record="summary", precision="float64",
                            progress=False)
    return {k: np.asarray(ds[k].values, np.float64) for k in [*AGG_VARS, *COUNT_VARS]}


def compare(ref: dict, got: dict, label: str, rtol: float = RTOL, atol: float = ATOL) -> float:
    """Raise ``AssertionError`` naming the variable if ``got`` differs from ``ref``;
    return the largest relative difference seen."""
    worst = 0.0
    for k in [*AGG_VARS, *COUNT_VARS]:
        a, b = ref[k], got[k]
        if a.shape != b.shape:
            raise AssertionError(f"{label}: {k} has shape {b.shape}, the engine {a.shape}")
        if not np.allclose(b, a, rtol=rtol, atol=atol):
            i = np.unravel_index(np.argmax(np.abs(b - a) - rtol * np.abs(a)), a.shape)
            raise AssertionError(f"{label}: {k} differs from the engine at {i}: "
                                 f"{b[i]!r} vs {a[i]!r}")
        scale = np.maximum(np.abs(a), atol / rtol)
        worst = max(worst, float(np.max(np.abs(b - a) / scale)))
    return worst


def yardsticks(sched, prm, u, impls=("naive", "numba")) -> dict[str, dict[str, np.ndarray]]:
    """The yardsticks' summaries, driven by the uniforms ``u`` (``(n, E, 2)``)."""
    out = {}
    if "naive" in impls:
        out["naive"] = summarise(naive.run(sched, prm, uniforms=u))
    if "numba" in impls:
        from benchmarks import numba_kernel

        out["numba"] = summarise(numba_kernel.run(sched, prm, uniforms=u, block=3))
    return out


def check(n: int = 8, episodes: int = 200, *, scenarios=None, impls=("naive", "numba"),
          verbose: bool = True) -> dict:
    """Run the check; returns ``{label: worst relative difference}``; raises on mismatch."""
    if scenarios is None:
        scenarios = [("benchmark FR1", bench_scenario(episodes))]
        scenarios += [(f"rich/{m}", check_scenario(model=m))
                      for m in ("default", "td", "redish2004")]
        scenarios += [(f"pit+two-step/{m}", pit_two_step_scenario(model=m))
                      for m in ("default", "td", "redish2004")]
    report = {}
    for name, text in scenarios:
        sc, cs, sched = load(text)
        ref = engine_summary(text, n)
        u = jax_uniforms(int(sc.scenario.seed), np.arange(n), sched.n_episodes)
        prm = cohort_matrix(sc, n)
        for impl, got in yardsticks(sched, prm, u, impls).items():
            label = f"{name} [{impl}]"
            report[label] = compare(ref, got, label)
            if verbose:
                print(f"{label:32s} {n} subjects x {sched.n_episodes} episodes: "
                      f"max rel. diff {report[label]:.2e}  (seek total "
                      f"{got['seek'].sum():.0f}, drugs {got['drug_taken'].sum():.0f})")
        # the check must exercise the step: somebody responded and got something
        assert ref["seek"].sum() > 0 and (ref["drug_taken"].sum() + ref["natural_taken"].sum()) > 0
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--subjects", type=int, default=8)
    ap.add_argument("--episodes", type=int, default=200)
    a = ap.parse_args(argv)
    check(a.subjects, a.episodes)
    print(f"OK: naive and Numba agree with the engine to {RTOL:g} relative")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
