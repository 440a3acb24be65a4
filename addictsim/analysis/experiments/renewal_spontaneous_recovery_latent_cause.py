"""`renewal_spontaneous_recovery_latent_cause`: extinction is new learning bound to its context.

Bouton 2004, Learn Mem 11:485 [R]; Bernal-Gamboa, Carrasco-Lopez & Nieto 2014 (free-operant
ABA > AAB, ABC) [C]; the second-order cocaine study of REFERENCES.md entry 24 (spontaneous
recovery 21 days after extinction) [C]; Gershman, Jones, Norman, Monfils & Niv 2013 (gradual
extinction) [C title]; Redish et al. 2007 and Gershman, Blei & Niv 2010 (latent causes).

Protocols:

* ``scenarios/reference/renewal_spontaneous_recovery_latent_cause.toml``: lever pressing for
  sucrose (FR1, a light with each delivery), 10 daily 1-h sessions in A; 4 daily 1-h
  extinction sessions in A or B; a 10-min extinction test one day later in A, B or C (AAA,
  ABA, ABC, AAB), or 21 days later in A (spontaneous recovery). Cocaine: 7 extinction
  sessions in A, test 1 or 21 days later.
* ``scenarios/reference/renewal_spontaneous_recovery_pavlovian.toml``: 100 tone -> sucrose
  pairings, 90 extinction trials (abrupt, or reinforcement stepped down 2/3, 1/3, 0),
  5 test tones 1 or 21 days later; reacquisition: 30 pairings one day after abrupt
  extinction.

Measures. Operant responding is presses per 20-s response window on the active lever minus
the inactive lever (the lever discrimination, as in ``incubation_of_craving``: the model's
undirected pressing, about 0.2 per window on each lever, is a floor common to every
group); raw active presses are reported too. Levels are relative to the last acquisition
session. Pavlovian responding is the value the subject predicts at the tone (the
conditioned response), at the first test trial (as Gershman et al. report their
simulations: the test itself is extinction). Recovery is the first test trial minus the
end of extinction (the mean of its last 5 trials). Trials to criterion: the first trial at
which the tone's value reaches half of the subject's value at the end of acquisition.

Checks (REFERENCES.md entry 24): extinction to <= 20% of acquisition; ABA >= 40% of
acquisition; ABC and AAB each above AAA and below ABA; spontaneous recovery (21 d / 1 d)
>= 1.5x, for sucrose and for cocaine (declared xfail: ``COCAINE_STATE``); reacquisition in <= 50% of the acquisition trials; gradual extinction
recovers >= 30% less than abrupt extinction; the context-free TD variant fails.

Mechanism under test (``brain.memory``): extinction opens a second memory bound to its
context and to its time; the first memory transfers across contexts and regains ground as
the second ages; an omission after a long rest is assigned to the extinction memory only
as far as it is retrieved, and stepped-down reinforcement updates the first memory instead
of opening a second.
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result, Status
from . import _common

SPECIES = "rat"
SOURCE = "Bouton 2004; Bernal-Gamboa et al. 2014; Gershman et al. 2010, 2013; Redish et al. 2007"
MODELS = {
    "default": Expectation(note="latent-cause memories: context- and time-bound extinction "
                                "(brain.memory)"),
    "td": Expectation(outcome=Status.FAIL,
                      note="one context-free memory: extinction unlearns what was learned, "
                           "so nothing returns with context or time"),
}
NAME = "renewal_spontaneous_recovery_latent_cause"
PAVLOVIAN = "renewal_spontaneous_recovery_pavlovian"
QUICK_SUBJECTS = 280
QUICK_PAVLOVIAN = 100
#: presses are counted per 20-s response window (``self_administration``)
WINDOW_S = 20.0
OPERANT_ARMS = ("AAA", "ABA", "ABC", "AAB", "AAA 21 d", "cocaine 1 d", "cocaine 21 d")
COCAINE_STATE = ("a cocaine memory is retrieved by the drug state it was formed in "
                 "(brain.memory): in a drug-free test after 7 extinction sessions the first "
                 "memory's retrieval is about 2% at 21 days (sucrose after 4 sessions: "
                 "about 34%), so active presses rise only about 1.2x, and that rise comes "
                 "from the incubated incentive value of the light rather than from the "
                 "first memory's return")
PAVLOVIAN_ARMS = ("abrupt 1 d", "abrupt 21 d", "gradual 1 d", "gradual 21 d", "reacquisition")


def _per_window(ds, var: str, phase: str, hours: float) -> dict[str, float]:
    return {a: _common.per_window(ds, var, a, phase, hours, WINDOW_S) for a in OPERANT_ARMS}


def operant(model: str, *, quick: bool) -> dict[str, float]:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS, record="summary")
    out: dict[str, float] = {}
    hours = {"last acquisition session": 1.0, "last extinction session": 1.0, "test": 1 / 6}
    for phase, h in hours.items():
        act = _per_window(ds, "seek", phase, h)
        alt = _per_window(ds, "alternative", phase, h)
        key = phase.split()[-2] if phase != "test" else "test"
        for a in OPERANT_ARMS:
            out[f"{a}|{key}_net"] = act[a] - alt[a]
            out[f"{a}|{key}_active"] = act[a]
    p = list(ds.phase.values).index("test")
    for a in OPERANT_ARMS:
        sel = ds.arm.values == a
        out[f"{a}|test_retrieval_first_memory"] = float(ds.memory_original.values[sel, p].mean())
        out[f"{a}|test_relative"] = _common.ratio(out[f"{a}|test_net"],
                                                  out[f"{a}|acquisition_net"])
        out[f"{a}|extinction_relative"] = _common.ratio(out[f"{a}|extinction_net"],
                                                        out[f"{a}|acquisition_net"])
    out["operant_subjects"] = int(ds.sizes["subject"])
    out["seed"] = int(ds.attrs["seed"])
    return out


def _pavlovian_arm(model: str, arm: str, n: int):
    from ...results import simulate

    sc = _common.variant(PAVLOVIAN, model, arms=[arm])
    return simulate(sc, subjects=n, record="episode", progress=False)


def _to_criterion(values: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Per subject, the number of trials until the value first reaches ``level``."""
    hit = values >= level[:, None]
    return np.where(hit.any(axis=1), np.argmax(hit, axis=1) + 1.0, values.shape[1] + 1.0)


def pavlovian(model: str, *, quick: bool) -> dict[str, float]:
    n_total = QUICK_PAVLOVIAN * len(PAVLOVIAN_ARMS) if quick else \
        _common.scenario(PAVLOVIAN, model).total_subjects()
    n = max(n_total // len(PAVLOVIAN_ARMS), 1)
    out: dict[str, float] = {}
    for arm in PAVLOVIAN_ARMS:
        ds = _pavlovian_arm(model, arm, n)
        ph = ds.phase.values
        cv = ds.cue_value.values
        acq, ext, test = (np.where(ph == k)[0] for k in ("acquisition", "extinction", "test"))
        end_acq = cv[:, acq[-5:]].mean(axis=1)
        end_ext = cv[:, ext[-5:]].mean(axis=1)
        out[f"{arm}|acquisition_end"] = float(end_acq.mean())
        out[f"{arm}|extinction_end"] = float(end_ext.mean())
        out[f"{arm}|test_first"] = float(cv[:, test[0]].mean())
        out[f"{arm}|recovery"] = float((cv[:, test[0]] - end_ext).mean())
        out[f"{arm}|second_memory"] = float((ds.memories.values[:, ext[-1]] > 1).mean())
        if arm == "reacquisition":
            # the value shown at a trial is the value before its outcome: trial k's value
            # is what the first k - 1 pairings taught
            crit = 0.5 * end_acq
            out["trials_to_criterion_acquisition"] = float(
                _to_criterion(cv[:, acq[:30]], crit).mean())
            out["trials_to_criterion_reacquisition"] = float(
                _to_criterion(cv[:, test], crit).mean())
    out["reacquisition_over_acquisition_trials"] = _common.ratio(
        out["trials_to_criterion_reacquisition"], out["trials_to_criterion_acquisition"])
    out["gradual_less_recovery"] = 1.0 - _common.ratio(out["gradual 21 d|recovery"],
                                                       out["abrupt 21 d|recovery"])
    out["pavlovian_spontaneous_recovery"] = _common.ratio(out["abrupt 21 d|test_first"],
                                                          out["abrupt 1 d|test_first"])
    out["pavlovian_subjects"] = n * len(PAVLOVIAN_ARMS)
    return out


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    m = operant(model, quick=quick)
    m.update(pavlovian(model, quick=quick))
    m["extinction_relative"] = max(m[f"{a}|extinction_relative"] for a in OPERANT_ARMS)
    m["aba_relative"] = m["ABA|test_relative"]
    m["abc_minus_aaa"] = m["ABC|test_net"] - m["AAA|test_net"]
    m["aab_minus_aaa"] = m["AAB|test_net"] - m["AAA|test_net"]
    m["aba_minus_abc"] = m["ABA|test_net"] - m["ABC|test_net"]
    m["aba_minus_aab"] = m["ABA|test_net"] - m["AAB|test_net"]
    # cocaine: raw active presses (in cocaine sessions the model presses the inactive
    # lever as often as the active one, so the lever discrimination measures nothing)
    m["cocaine_spontaneous_recovery"] = _common.ratio(m["cocaine 21 d|test_active"],
                                                      m["cocaine 1 d|test_active"])
    m["sucrose_spontaneous_recovery"] = _common.ratio(m["AAA 21 d|test_net"],
                                                      m["AAA|test_net"])
    m["subjects"] = m["operant_subjects"] + m["pavlovian_subjects"]
    return m


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("extinction_relative_to_acquisition", m["extinction_relative"], None, 0.20),
        Check("aba_relative_to_acquisition", m["aba_relative"], 0.40, None),
        Check("abc_minus_aaa", m["abc_minus_aaa"], 0.0, None),
        Check("aab_minus_aaa", m["aab_minus_aaa"], 0.0, None),
        Check("aba_minus_abc", m["aba_minus_abc"], 0.0, None),
        Check("aba_minus_aab", m["aba_minus_aab"], 0.0, None),
        Check("spontaneous_recovery_21d_over_1d", m["sucrose_spontaneous_recovery"], 1.5, None),
        Check("cocaine_spontaneous_recovery_21d_over_1d", m["cocaine_spontaneous_recovery"],
              1.5, None, xfail=COCAINE_STATE),
        Check("reacquisition_over_acquisition_trials",
              m["reacquisition_over_acquisition_trials"], None, 0.5),
        Check("gradual_less_recovery_than_abrupt", m["gradual_less_recovery"], 0.30, None),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
