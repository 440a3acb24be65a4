"""Example 4: blocking with a drug, an experiment with two arms.

The shipped ``blocking-with-drug`` scenario (Panlilio, Thorndike & Schindler 2007). Rats
self-administer cocaine with a tone paired with every infusion (the ``blocking`` arm) or
with no stimulus (the ``control`` arm). Then both arms get tone + light with every infusion.
Finally the light alone is made contingent on a new lever: a conditioned-reinforcement
test. The tone already predicts the drug in the blocking arm, so the light learns little
there. It should then reinforce pressing the new lever in the control arm only.

The arms are declared in the scenario (``[[arm]]``, overriding the pretraining phase's
``cue``). Each subject's arm is the coordinate ``arm``. The same experiment under the
``redish2004`` model variant, whose drug term cannot be predicted away, shows no blocking.

    python examples/04_blocking.py

Research and teaching only: the output describes virtual subjects, not people.
"""

from __future__ import annotations

import _common
import numpy as np

import addictsim


def compare_arms(ds) -> dict[str, dict[str, float]]:
    """Per arm: the light's value at its first test presentation, and presses in the test."""
    test = ds.phase.values == "test"
    action = ds.action.values[:, test]
    light_on = ds.cue_value.values[:, test] != 0
    value = ds.cue_value.values[:, test]
    out = {}
    for arm in dict.fromkeys(ds.arm.values.tolist()):
        sel = ds.arm.values == arm
        first = [v[on][0] for v, on in zip(value[sel], light_on[sel]) if on.any()]
        out[arm] = {
            "subjects": int(sel.sum()),
            "light_value": float(np.mean(first)) if first else 0.0,
            "new_lever": float((action[sel] == 1).sum(1).mean()),
            "inactive_lever": float((action[sel] == 2).sum(1).mean()),
        }
    return out


def main() -> None:
    n = max(_common.subjects(), 2)                  # at least one rat per arm
    out = _common.out_dir("04_blocking")

    for model in ["default", "redish2004"]:
        sc = addictsim.load_scenario("blocking-with-drug")
        sc = sc.model_copy(update={"scenario": sc.scenario.model_copy(update={"model": model})})
        ds = addictsim.simulate(sc, subjects=n)
        print(f"model {model}: conditioned-reinforcement test (1 h)")
        print(f"{'arm':>10s} {'rats':>5s} {'light value':>12s} {'new lever':>10s} "
              f"{'inactive':>9s}")
        rows = compare_arms(ds)
        for arm, r in rows.items():
            print(f"{arm:>10s} {r['subjects']:5d} {r['light_value']:12.3f} "
                  f"{r['new_lever']:10.1f} {r['inactive_lever']:9.1f}")
        b, c = rows["blocking"]["light_value"], rows["control"]["light_value"]
        print(f"light value, blocking / control: {b / c if c else float('nan'):.2f}\n")
        path = out / f"arms-{model}.csv"
        path.write_text("arm,subjects,light_value,new_lever,inactive_lever\n" + "".join(
            f"{arm},{r['subjects']},{r['light_value']:.4f},{r['new_lever']:.2f},"
            f"{r['inactive_lever']:.2f}\n" for arm, r in rows.items()))
    print(f"wrote {out}/arms-*.csv; for the report with one line per arm, run "
          f"`addictsim run blocking-with-drug`")


if __name__ == "__main__":
    main()
