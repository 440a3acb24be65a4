"""REFERENCES.md entry 13, `incentive_salience_kappa` (see
addictsim/analysis/experiments/incentive_salience_kappa.py for the protocol, citations and
bands).

Zhang, Berridge et al. 2009 [C abstract]; Robinson & Berridge 2013 [R]; Wyvell & Berridge
2001 [R]. Bands from the entry: clamping the gain from 1 to 2 doubles the target cue's
wanting (+-10%) and leaves another cue within 5%; a salt cue turns from repulsive to
attractive on its first presentation in sodium appetite; sensitisation raises wanting and
does not raise liking by more than 10%.
"""

import numpy as np

from addictsim.analysis.experiments import incentive_salience_kappa as exp

from ._rows import QUICK, assert_default_row


def test_incentive_salience_kappa_default_model():
    assert_default_row("incentive_salience_kappa")


def test_salt_cue_turns_attractive_in_almost_every_subject_and_only_the_salt_cue():
    m = exp.measures(quick=QUICK)      # the run the row above simulated (kept per process)
    assert m["salt_cs_attractive_share_appetite"] > 0.95
    # the sucrose and food cues do not change with sodium appetite
    assert np.isclose(m["wanting_B_sodium_appetite"], m["wanting_B_control"], rtol=0.05)
    # the gain acts at once, before the salt is tasted again, and liking of sucrose is as
    # in control (the appetite is specific)
    assert np.isclose(m["liking_sucrose_sodium_appetite"], m["liking_sucrose_control"],
                      rtol=0.02)
