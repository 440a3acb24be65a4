"""`d2_monkey_longitudinal`: cocaine lowers D2 fast, the loss plateaus and recovers slowly.

Nader et al. 2006, Nat Neurosci 9:1050 [C]; Morgan et al. 2002 [C]; Czoty et al. 2010 [C].
Protocol: ``scenarios/reference/d2_monkey_longitudinal.toml`` (primate = human parameter
set): a year of daily 1-h cocaine self-administration, then a year of abstinence.

Mechanism (``brain.receptors``): D2 availability falls towards a floor only while tonic
dopamine is high, and recovers towards each subject's own baseline with a time constant
that varies between subjects (lognormal spread of ``d2_recovery_tau_d``). Low constitutive
D2 raises the homeostatic setpoint of the drug level (reward deficiency), so low-D2
subjects take more.

Checks (REFERENCES.md entry 10): D2 loss after 7 days 10-25% (15-20% +- 5 pp); loss at the
end of the year 15-25% (a plateau, no collapse); recovery slow: mean fraction recovered
after 61 days (2 months) <= 1 - 1/e (a time constant of at least 2 months); >= 20% of
subjects less than half recovered after a year; corr(baseline D2, infusions per session over
the first month) < -0.3; an enriched/dominant manipulation that raises D2 by about 10-25%
cuts drug-maintained responding to vehicle level in >= 50% of subjects.

The manipulation (Morgan et al. 2002: social housing raised D2 by about 20% in dominant
monkeys, for which cocaine then did not act as a reinforcer): the same protocol's first 30
days, once with constitutive D2 drawn 20% higher (``d2_baseline`` lognormal, median 1.2)
and once with vehicle (presses produce the light only: ``extinction``). A subject is at
vehicle level when its responses per session, over the 30 days, are at most the vehicle
group's 95th percentile. Declared xfail (``ENRICHED``): no enriched subject comes near.
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "human"
SOURCE = "Nader et al. 2006, Nat Neurosci 9:1050"
MODELS = {"default": Expectation(note="D2 down under high dopamine to a floor; slow, "
                                      "variable recovery")}


ENRICHED = ("raising D2 by 20% lowers the homeostatic setpoint of the drug level by a sixth "
            "(h* is inversely proportional to constitutive D2), so enriched subjects take "
            "cocaine almost as often as the others; nothing in the model makes cocaine stop "
            "acting as a reinforcer above a D2 level, as it did in dominant monkeys")
ENRICHED_DAYS = 30


def _first_month(model: str, n: int, **change) -> np.ndarray:
    """Responses per session over the protocol's first ``ENRICHED_DAYS`` days, per subject,
    with ``change`` (``phase`` settings and ``cohort`` overrides) applied."""
    from ...results import simulate

    phase = {"days": ENRICHED_DAYS, **change.get("phase", {})}
    sc = _common.variant("d2_monkey_longitudinal", model,
                         phases={"self-administration": phase, "abstinence": {"days": 1}},
                         cohort=change.get("cohort"))
    ds = simulate(sc, subjects=n, record="daily", progress=False)
    sa = np.flatnonzero(ds.phase.values == "self-administration")
    return ds.seek.values[:, sa].mean(axis=1)


def enriched_share_at_vehicle_level(model: str, n: int) -> float:
    """The share of enriched subjects (constitutive D2 x 1.2) whose responding over the
    first month is at most the vehicle group's 95th percentile."""
    enriched = _first_month(model, n, cohort={"d2_baseline": {"dist": "lognormal",
                                                                "mean": 1.2, "sd": 0.15}})
    vehicle = _first_month(model, n, phase={"extinction": True})
    return float(np.mean(enriched <= np.percentile(vehicle, 95)))


def run(model: str, *, quick: bool = False) -> Result:
    ds = _common.run("d2_monkey_longitudinal", model, quick=quick, quick_subjects=60,
                     record="daily")
    base = ds.param_d2_baseline.values if "param_d2_baseline" in ds else np.ones(ds.sizes["subject"])
    d2 = ds.receptor_availability.values
    sa = np.flatnonzero(ds.phase.values == "self-administration")
    ab = np.flatnonzero(ds.phase.values == "abstinence")
    loss = 1.0 - d2 / base[:, None]
    end = d2[:, sa[-1]]
    recovered = (d2[:, ab] - end[:, None]) / (base - end)[:, None]
    rate = ds.drug_taken.values[:, sa[:30]].mean(1)
    checks = [
        Check("d2_loss_after_7_days", float(loss[:, sa[6]].mean()), 0.10, 0.25),
        Check("d2_loss_after_1_year", float(loss[:, sa[-1]].mean()), 0.15, 0.25),
        Check("fraction_recovered_after_61_days", float(recovered[:, 60].mean()), None,
              1.0 - np.exp(-1.0)),
        Check("share_less_than_half_recovered_after_1_year",
              float((recovered[:, -1] < 0.5).mean()), 0.2, None),
        Check("corr_baseline_d2_self_administration_rate", float(np.corrcoef(base, rate)[0, 1]),
              None, -0.3),
        Check("enriched_share_at_vehicle_level",
              enriched_share_at_vehicle_level(model, 60 if quick else 200), 0.5, None,
              xfail=ENRICHED),
    ]
    n = ds.sizes["subject"] + 2 * (60 if quick else 200)
    return Result(checks=checks, subjects=n, seed=int(ds.attrs["seed"]))
