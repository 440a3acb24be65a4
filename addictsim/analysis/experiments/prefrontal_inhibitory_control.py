"""`prefrontal_inhibitory_control`: prefrontal control weakens with use, most in the compulsive,
and restoring it curbs compulsive seeking.

Chen et al. 2013, Nature 496:359 [C]; Smith, Mattick, Jamadar & Iredale 2014, Drug Alcohol
Depend 145:1 [C]. The rat checks read the run of ``punishment_resistance``
(``scenarios/reference/punishment_resistance.toml``, see that module): the prefrontal
control of each subject (``pfc_control``, ``brain.prefrontal``) before any drug and at the
baseline sessions, and seeking in four more punished sessions during which two further
extended-cocaine arms have their prefrontal cortex stimulated (gain 10: control restored, as
optogenetic prelimbic stimulation restored firing in Chen et al. 2013) or silenced (gain 0).
A manipulation's effect is the change of seeking from the punished sessions before it, over
the same change in the unmanipulated extended arm (time-matched sham), for the agents
classified resistant (suppression <= 30%) or borderline (30-70%) before it.

Checks (REFERENCES.md entry 20):

* prefrontal control falls with cumulative exposure: extended over limited cocaine, at the
  baseline sessions, < 1;
* it falls more in the agents that become punishment-resistant: their loss minus the other
  extended agents' > 0;
* stimulation cuts the shocked seeking of resistant agents by >= 50% (ratio to sham <= 0.5);
* silencing raises the shocked seeking of borderline agents by >= 50% (ratio to sham >= 1.5);
* the human go/no-go and stop-signal checks (SSRT or commission-error deficit d 0.2-0.6 for
  stimulant, alcohol and tobacco profiles, |d| < 0.15 for opioid and cannabis profiles) are
  declared xfail: no human inhibition task is built yet (see ``_NO_TASK``).
"""

from __future__ import annotations

import math

from ..scorecard import Check, Expectation, Result
from . import punishment_resistance as pr

SPECIES = "rat"
SOURCE = "Chen et al. 2013; Smith, Mattick, Jamadar & Iredale 2014"
MODELS = {"default": Expectation(note="prefrontal veto eroded by drug exposure, steeply in the "
                                      "vulnerable; the scenario's gain stands for optogenetics")}

_NO_TASK = ("no go/no-go or stop-signal task for people yet (issue #7 continues): the no-go "
            "stimulus can set its own context now that the action-outcome model is per "
            "context, but the task and its calibration to human commission errors are not "
            "built")


def run(model: str, *, quick: bool = False) -> Result:
    m = pr.measures(model, quick=quick)
    nan = math.nan
    checks = [
        Check("pfc_extended_over_limited", m["pfc_extended"] / m["pfc_limited"], None, 1.0),
        Check("pfc_loss_resistant_minus_others",
              m["pfc_drop_resistant"] - m["pfc_drop_others"], 0.0, None),
        Check("resistant_seeking_stimulation_over_sham",
              m["resistant_stimulation_over_sham"], None, 0.5),
        Check("borderline_seeking_inhibition_over_sham",
              m["borderline_inhibition_over_sham"], 1.5, None),
        Check("inhibition_deficit_d_stimulant_alcohol_tobacco", nan, 0.2, 0.6, xfail=_NO_TASK),
        Check("inhibition_deficit_abs_d_opioid_cannabis", nan, None, 0.15, xfail=_NO_TASK),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
