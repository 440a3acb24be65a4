"""Example 2: the dopamine shift.

Juice 1.5 s after a cue (the shipped ``dopamine-shift`` scenario; Schultz, Dayan & Montague
1997). Phasic dopamine, the temporal-difference error, first bursts at the juice. As the
cue comes to predict the juice, the burst moves to the cue. When the juice is omitted, the
error dips below zero at the time it was due. Early juice gives a burst at the new time and a
dip at the habitual one (Hollerman & Schultz 1998).

    python examples/02_dopamine_shift.py

Research and teaching only: the output describes virtual subjects, not people.
"""

from __future__ import annotations

import _common
import numpy as np

import addictsim


def main() -> None:
    n = _common.subjects()
    out = _common.out_dir("02_dopamine_shift")

    ds = addictsim.simulate("dopamine-shift", subjects=n, seed=1, trace=True)
    mean = ds.mean("subject")                          # cohort means, episode by episode
    phase = mean.phase.values
    trial_type = mean.trial_type.values

    print("The shift: phasic dopamine (reward units) at the cue and at the juice")
    print(f"{'trial':>6s} {'at cue':>8s} {'at juice':>9s}")
    training = np.flatnonzero(phase == "training")
    for k in [1, 5, 10, 20, 40, 80, 120, 160, 200]:
        e = training[k - 1]
        print(f"{k:6d} {float(mean.da_cue[e]):+8.3f} {float(mean.da_outcome[e]):+9.3f}")

    probes = phase == "probes"
    omitted = np.flatnonzero(probes & (trial_type == "A- test"))
    early = np.flatnonzero(probes & (trial_type == "A+ delay=1s test"))
    bin_of = {float(t): i for i, t in enumerate(ds.bin.values)}
    print("\nProbe trials (after learning)")
    print(f"omission: dopamine at the expected time (1.5 s) "
          f"{float(mean.da_outcome[omitted].mean()):+.3f}")
    print(f"early juice: at the new time (1.0 s) "
          f"{float(mean.da_phasic[early, bin_of[1.0]].mean()):+.3f}, "
          f"at the habitual time (1.5 s) {float(mean.da_phasic[early, bin_of[1.5]].mean()):+.3f}")

    # the error in every 0.5-s bin of every trial (cohort mean), for plotting elsewhere
    table = mean.da_phasic.to_pandas()
    table.index = [f"{e}: {t}" for e, t in enumerate(trial_type)]
    table.columns = [f"{t:g} s" for t in ds.bin.values[:-1]] + ["end"]
    path = out / "da_phasic_by_trial.csv"
    table.to_csv(path)
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
