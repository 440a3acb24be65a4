"""REFERENCES.md entry 36, `delay_discounting` (see
addictsim/analysis/experiments/delay_discounting.py for the protocol, citations and bands).

Kirby, Petry & Bickel 1999; Madden et al. 1997; Bickel, Odum & Madden 1999; MacKillop et
al. 2011 [C]. Bands from the entry: hyperbolic beats exponential in >= 80% of agents; users'
k 1.5-3 times controls' (d 0.45-0.75); the drug discounted >= 1.5 times more steeply than
money by users; ex-users no steeper than users and within 25% of controls.
"""

from addictsim.analysis.experiments import delay_discounting as exp

from ._rows import QUICK, assert_default_row


def test_delay_discounting_default_model():
    assert_default_row("delay_discounting")


def test_the_steeper_discounting_follows_the_allostatic_load():
    m = exp.measures(quick=QUICK)      # the run the row above simulated (kept per process)
    # escalated cocaine use leaves a load (the setpoint h* = 5 (1 + load) more than doubles);
    # five years later it has returned, and so has the discount rate
    assert m["drug_setpoint_cocaine_users"] > 2 * m["drug_setpoint_control"]
    assert abs(m["drug_setpoint_ex_users"] / m["drug_setpoint_control"] - 1) < 0.05
    # the drug's own curve is hyperbolic-like too (same population of discounters)
    assert m["hyperbolic_better_share_drug"] >= 0.8
    # heroin raises dopamine less than cocaine, but occupies its own target as long: it
    # builds the load too (Ahmed, Walker & Koob 2000), and heroin users discount steeply
    assert m["drug_setpoint_heroin_users"] > 2 * m["drug_setpoint_control"]
