"""`escalation_long_access`: long daily access escalates cocaine intake; short access does not.

Ahmed & Koob 1998, Science 282:298 [C]; Ahmed & Koob 1999 (dose-response) [C]. Protocol
(``scenarios/reference/escalation_long_access.toml``): 5 acquisition sessions of 1 h, then
22 sessions of 1 h (ShA) or 6 h (LgA) of FR1 cocaine 0.75 mg/kg per infusion with a 20 s
time-out, 30 days of abstinence, 3 re-access sessions and a dose sweep (0.25, 0.5,
1.0 mg/kg; one 1-h session each).

Mechanism under test (``brain.receptors``): the allostatic load is recruited only after
dopamine has stayed high for longer than ``allostasis_onset_h`` without a break, so 1-h
sessions never recruit it and 6-h sessions do; the load raises the homeostatic setpoint
of the drug level, and intake titrates to that setpoint.

Checks (REFERENCES.md entry 7): LgA first-hour intake, mean of access sessions 18-22, is
>= 1.5x session 1; LgA first hour exceeds ShA (by more than 2 standard errors of the
difference) from a session <= 8; ShA first hour in sessions 18-22 within +-20% of
session 1; LgA total intake has a positive slope over the 22 sessions; after 30 days of
abstinence the best of 3 re-access sessions is >= the mean of the last 3 sessions before
(per-session totals); in the dose sweep the LgA/ShA intake ratio is 1.5-2.5 at each dose.
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result
from ._access import access_run, arm, phase_days, sem

SPECIES = "rat"
SOURCE = "Ahmed & Koob 1998, Science 282:298; Ahmed & Koob 1999"
MODELS = {"default": Expectation(note="allostatic setpoint recruited by uninterrupted "
                                      "long exposure")}


def measures(quick: bool) -> dict[str, float]:
    ds = access_run(quick)
    sha, lga = arm(ds, "ShA"), arm(ds, "LgA")
    acc = phase_days(ds, "access")
    fh_s = sha.first_hour_intake.values[:, acc]
    fh_l = lga.first_hour_intake.values[:, acc]
    tot_l = lga.drug_taken.values[:, acc]
    out = {
        "lga_first_hour_18_22_over_session_1": fh_l[:, 17:22].mean() / fh_l[:, 0].mean(),
        "sha_first_hour_18_22_over_session_1": fh_s[:, 17:22].mean() / fh_s[:, 0].mean(),
        "lga_total_slope_per_session": float(np.polyfit(np.arange(22), tot_l.mean(0), 1)[0]),
    }
    diff = fh_l.mean(0) - fh_s.mean(0)
    se = np.sqrt(fh_l.var(0, ddof=1) / fh_l.shape[0] + fh_s.var(0, ddof=1) / fh_s.shape[0])
    above = np.flatnonzero(diff > 2 * se)
    out["first_session_lga_above_sha"] = float(above[0] + 1) if above.size else float("inf")
    re = phase_days(ds, "re-access")
    out["lga_reaccess_best_over_pre_abstinence"] = (lga.drug_taken.values[:, re].mean(0).max()
                                                    / tot_l[:, -3:].mean())
    for dose in ("0.25", "0.5", "1.0"):
        d = phase_days(ds, f"dose {dose}")
        out[f"lga_over_sha_intake_dose_{dose}"] = (lga.drug_taken.values[:, d].mean()
                                                  / sha.drug_taken.values[:, d].mean())
    out["subjects"] = ds.sizes["subject"]
    out["seed"] = int(ds.attrs["seed"])
    out["sem_lga_first_hour_last"] = sem(fh_l[:, 17:22].mean(1))
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(quick)
    checks = [
        Check("lga_first_hour_18_22_over_session_1", m["lga_first_hour_18_22_over_session_1"],
              1.5, None),
        Check("first_session_lga_above_sha", m["first_session_lga_above_sha"], None, 8),
        Check("sha_first_hour_18_22_over_session_1", m["sha_first_hour_18_22_over_session_1"],
              0.8, 1.2),
        Check("lga_total_slope_per_session", m["lga_total_slope_per_session"], 0.0, None),
        Check("lga_reaccess_best_over_pre_abstinence", m["lga_reaccess_best_over_pre_abstinence"],
              1.0, None),
    ] + [Check(f"lga_over_sha_intake_dose_{d}", m[f"lga_over_sha_intake_dose_{d}"], 1.5, 2.5)
         for d in ("0.25", "0.5", "1.0")]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=m["seed"])
