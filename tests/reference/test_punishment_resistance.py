"""REFERENCES.md entry 16, `punishment_resistance` (see
addictsim/analysis/experiments/punishment_resistance.py for the protocol, citations and bands).

Vanderschuren & Everitt 2004; Pelloux, Everitt & Dickinson 2007; Chen et al. 2013 [C]. Bands
from the entry: after limited cocaine >= 90% of agents reduce seeking by >= 70% under
punishment; after extended cocaine 15-30% reduce it by <= 30%; after as much sucrose >= 90%
still reduce it by >= 70%; the resistant agents still fear the shock-paired cue.
"""

import numpy as np

from addictsim.analysis.experiments import punishment_resistance as exp

from ._rows import QUICK, assert_default_row


def test_punishment_resistance_default_model():
    assert_default_row("punishment_resistance")


def test_the_resistant_minority_lost_its_prefrontal_control_and_the_others_did_not():
    ds = exp.run_dataset(quick=QUICK)      # the row above simulated it (kept per process)
    ext = exp.arm_measures(ds, "extended cocaine")
    suc = exp.arm_measures(ds, "extended sucrose")
    res = ext["suppression"] <= exp.RESISTED
    # the habit controls seeking in every extended rat: what separates them is the veto
    assert np.mean(ext["habit"]) > 0.9 and np.mean(suc["habit"]) > 0.9
    assert np.median(ext["pfc_baseline"][res]) < 0.5 * np.median(ext["pfc_baseline"][~res])
    # sucrose does not erode the prefrontal cortex; cocaine lowers D2 availability
    np.testing.assert_allclose(suc["pfc_baseline"], suc["pfc_naive"], rtol=1e-5)
    assert np.mean(ext["d2"]) < 0.9 * np.mean(suc["d2"])
    # the shock-paired tone suppresses seeking after limited use, not in the resistant rats
    m = exp.measures(quick=QUICK)
    assert m["limited_cs_suppression"] > m["resistant_cs_suppression"] + 0.1
    # fear learning is intact: the resistant rats fear the tone as much as the others
    assert m["resistant_over_others_tone_fear"] > 0.9
