"""`retrieval_extinction_xue`: extinction given inside the reconsolidation window opened by a
brief retrieval rewrites the drug memory, so that neither a prime, nor a return to the
drug context, nor time brings drug seeking back; 6 hours later the window has closed.

Xue et al. 2012, Science 336:241 [C]; Monfils, Cowansage, Klann & LeDoux 2009, Science
324:951 [C]. Protocols (``scenarios/reference/retrieval_extinction_xue.toml`` and
``retrieval_extinction_xue_human.toml``):

* rats: intravenous cocaine (0.75 mg/kg per infusion, FR1, 20-s time-out, a light with
  each infusion) 2 h a day for 10 days in context A; 4 daily 1-h extinction sessions
  (presses produce the light, no cocaine), each after a retrieval (one non-contingent
  presentation of the light) 10 min, 1 h or 6 h before, or after none; 10-min tests 1 day
  later in the extinction context (the post-extinction level), in A after a cocaine prime,
  in A after extinction in B (renewal; its post-extinction level is the test in B), or 21
  days later in A (spontaneous recovery);
* humans (the human parameter set): 300 uses of heroin, each after its cue; 30 days of
  abstinence; on 2 days a retrieval (one presentation of the cue; the control arm sees a
  neutral cue) 10 min or 6 h before 60 unreinforced presentations of the cue; cue-induced
  craving 1, 30 and 180 days later.

Measures: active-lever presses per 20-s response window (the model's undirected responding,
about 0.2 a window, is the floor under every arm); craving (0-10) on the cue's test trials.

Checks (REFERENCES.md entry 28): in rats the 10-min and 1-h arms show no return (the prime,
renewal and spontaneous-recovery tests each <= 1.3x their post-extinction level) while
extinction alone and the 6-h arm show a prime and renewal return (>= 1.5x) and spontaneous
recovery (>= 1.5x: declared xfail, ``COCAINE_STATE``); in humans, cue-induced craving in
the 10-min arm <= 60% of the 6-h and no-retrieval arms at days 1, 30 and 180. The
context-free TD variant (one memory: extinction unlearns whatever the gap) has nothing to
return in any arm, so its control arms fail.

Mechanism under test (``brain.memory``): a retrieval whose expected outcome is withheld
starts to destabilise the memory it retrieved; about 10 minutes later the memory is labile
and stays so for hours. An omission under a labile memory revises it (faster learning, and
no call for a new memory), so extinction inside the window unlearns the original memory;
extinction without the window, or 6 h after it, opens a second memory beside the first,
and the first returns with the drug state, its context or time.
"""

from __future__ import annotations

import functools

from ..scorecard import Check, Expectation, Result, Status
from . import _common

SPECIES = "rat"
SOURCE = "Xue et al. 2012; Monfils et al. 2009"
MODELS = {
    "default": Expectation(note="a retrieval with a prediction error opens a window in which "
                                "extinction revises the original memory (brain.memory)"),
    "td": Expectation(outcome=Status.FAIL,
                      note="one context-free memory: extinction unlearns it in every arm, so "
                           "nothing returns after extinction alone either"),
}
NAME = "retrieval_extinction_xue"
HUMAN = "retrieval_extinction_xue_human"
QUICK_SUBJECTS = 320
QUICK_HUMAN = 60
#: presses are counted per 20-s response window (``self_administration``)
WINDOW_S = 20.0
GAPS = ("extinction only", "retrieval 10 min", "retrieval 1 h", "retrieval 6 h")
TESTS = ("test", "spontaneous recovery", "prime", "test in B", "renewal")
#: each return test against its post-extinction level (the test 1 day later in the
#: extinction context)
RETURNS = {"prime": "test", "spontaneous recovery": "test", "renewal": "test in B"}
HUMAN_ARMS = ("retrieval 10 min", "retrieval 6 h", "no retrieval")
HUMAN_TESTS = ("test day 1", "test day 30", "test day 180")
COCAINE_STATE = ("a cocaine memory is retrieved by the drug state it was formed in "
                 "(brain.memory): in a drug-free test 21 days after extinction alone the "
                 "first memory is hardly retrieved, so spontaneous recovery is small "
                 "(as in renewal_spontaneous_recovery_latent_cause's cocaine arms)")
CONTEXT_RESIDUE = ("extinction in B revises the first memory in B fully and in A only as far "
                   "as learning generalises across contexts (context_generalization 0.9), so "
                   "a tenth of the trained lever value is left in A: renewal after "
                   "retrieval-extinction is halved, not abolished")
HUMAN_FAST = ("the human parameter set learns cue -> outcome expectations at 0.5 a trial "
              "(alpha_id), so in every arm the cue's expectation is gone within two "
              "omissions, before the running surprise reaches the threshold for a second "
              "memory: extinction unlearns the first memory whatever the gap, craving stays "
              "at 0 in all arms, and the ratio is undefined (at the rat's 0.1 the 6-h and "
              "no-retrieval arms recover to craving 0.8-1.0 at 30 and 180 days and the "
              "10-min arm stays at 0, but the go/no-go deficit of prefrontal_inhibitory_"
              "control's methamphetamine users falls to the level of its noise)")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    """The row's measures; one run per process for each ``(model, quick)``."""
    return dict(_measures(model, quick))


@functools.lru_cache(maxsize=2)
def _measures(model: str, quick: bool) -> dict[str, float]:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS, record="summary")
    out: dict[str, float] = {}
    hours = {"last training session": 2.0, "last extinction session": 1.0, "test": 1 / 6}
    p_test = list(ds.phase.values).index("test")
    for g in GAPS:
        for t in TESTS:
            arm = f"{g}, {t}"
            for phase, h in hours.items():
                out[f"{arm}|{phase}"] = _common.per_window(ds, "seek", arm, phase, h,
                                                           WINDOW_S)
            sel = ds.arm.values == arm
            out[f"{arm}|test_retrieval_first_memory"] = float(
                ds.memory_original.values[sel, p_test].mean())
            out[f"{arm}|memories"] = float(ds.memories.values[sel, p_test].mean())
        out[f"{g}|lability"] = float(
            ds.memory_labile.values[ds.arm.values == f"{g}, test",
                                    list(ds.phase.values).index("extinction")].mean())
        for t, ref in RETURNS.items():
            out[f"{g}|{t}_over_post_extinction"] = _common.ratio(
                out[f"{g}, {t}|test"], out[f"{g}, {ref}|test"])
    out["extinction_over_training"] = _common.ratio(
        out["extinction only, test|last extinction session"],
        out["extinction only, test|last training session"])
    out["rat_subjects"] = int(ds.sizes["subject"])
    out["seed"] = int(ds.attrs["seed"])

    hs = _common.run(HUMAN, model, quick=quick, quick_subjects=QUICK_HUMAN, record="summary")
    phases = list(hs.phase.values)
    for a in HUMAN_ARMS:
        sel = hs.arm.values == a
        for t in HUMAN_TESTS:
            out[f"human {a}|{t}"] = float(hs.craving.values[sel, phases.index(t)].mean())
    for t in HUMAN_TESTS:
        for other in ("retrieval 6 h", "no retrieval"):
            out[f"human|{t}|10 min over {other}"] = _common.ratio(
                out[f"human retrieval 10 min|{t}"], out[f"human {other}|{t}"])
    out["human_subjects"] = int(hs.sizes["subject"])
    return out


#: short names of the arms and tests in the checks' names
_SHORT = {"retrieval 10 min": "10min", "retrieval 1 h": "1h", "retrieval 6 h": "6h",
          "extinction only": "ext_only", "no retrieval": "no_retrieval",
          "spontaneous recovery": "recovery", "prime": "prime", "renewal": "renewal"}


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = []
    for g in ("retrieval 10 min", "retrieval 1 h"):
        for t in RETURNS:
            checks.append(Check(f"{_SHORT[g]}_{_SHORT[t]}_over_post_extinction",
                                m[f"{g}|{t}_over_post_extinction"], None, 1.3,
                                xfail=CONTEXT_RESIDUE if t == "renewal" else ""))
    for g in ("extinction only", "retrieval 6 h"):
        for t in RETURNS:
            checks.append(Check(f"{_SHORT[g]}_{_SHORT[t]}_over_post_extinction",
                                m[f"{g}|{t}_over_post_extinction"], 1.5, None,
                                xfail=COCAINE_STATE if t == "spontaneous recovery" else ""))
    for t in HUMAN_TESTS:
        for other in ("retrieval 6 h", "no retrieval"):
            day = t.split()[-1]
            checks.append(Check(f"human_day{day}_10min_over_{_SHORT[other]}",
                                m[f"human|{t}|10 min over {other}"], None, 0.6,
                                xfail=HUMAN_FAST))
    return Result(checks=checks, subjects=int(m["rat_subjects"] + m["human_subjects"]),
                  seed=int(m["seed"]))
