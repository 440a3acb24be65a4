"""REFERENCES.md entry 23, `reinstatement_triggers` (see
addictsim/analysis/experiments/reinstatement_triggers.py for the protocol, citations and
measures).

Shaham & Stewart 1995; Shalev et al. 2000; Buffalari & See 2009; Ahmed & Koob 1997 [C].
After extinction: a prime, a contingent cue and stress each restore >= 2x extinction
responding; stress has a threshold (0.25 mA ineffective, <= 1.3x); stress + cue >= the sum
of each; stress given in a novel context, before a test in the drug context, <= 1.3x;
stress does not reinstate food seeking (<= 1.3x); an aversive withdrawal state alone
<= 1.3x. A context-free TD baseline fails.
"""

from addictsim.analysis.experiments import reinstatement_triggers as exp
from addictsim.analysis.scorecard import Status, run_entry

from ._rows import QUICK, assert_default_row


def test_reinstatement_triggers_default_model():
    row = assert_default_row("reinstatement_triggers")
    by = {c.name: c for c in row.checks}
    # the prime and stress above threshold reinstate; below threshold, or for food, it does not
    for name in ("prime_over_extinction", "stress_0.5mA_over_extinction",
                 "stress_0.75mA_over_extinction", "stress_0.25mA_over_extinction",
                 "food_stress_over_food_extinction"):
        assert by[name].passed and not by[name].xfail, name


def test_stress_retrieves_the_memory_formed_in_the_drug_state():
    m = exp.measures("default", quick=QUICK)     # the row above simulated it (kept per process)
    base = m["extinction|test_retrieval_first_memory"]
    assert m["stress 0.5 mA|test_stress"] > 0.5 > m["stress 0.25 mA|test_stress"]
    assert m["stress 0.5 mA|test_retrieval_first_memory"] > 5 * max(base, 0.01)
    assert m["prime|test_retrieval_first_memory"] > 5 * max(base, 0.01)
    # the food memory was not formed in a drug state: stress leaves it where it was
    assert (m["food stress 0.5 mA|test_retrieval_first_memory"]
            <= m["food extinction|test_retrieval_first_memory"] + 0.05)
    # the body state is an internal cue: stress and a prime make craving with no cue shown,
    # below the threshold stress does not, and stress makes none for food (brain.interoception)
    assert m["extinction|test_craving"] < 0.5
    assert m["stress 0.5 mA|test_craving"] > 2.0 and m["prime|test_craving"] > 1.0
    assert m["stress 0.25 mA|test_craving"] < 0.5
    assert m["food stress 0.5 mA|test_craving"] == 0.0


def test_context_free_td_fails():
    (row,) = run_entry("reinstatement_triggers", models=["td"], quick=True)
    assert row.status is Status.FAIL
    by = {c.name: c for c in row.checks}
    assert not by["stress_0.5mA_over_extinction"].passed
