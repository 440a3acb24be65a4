"""REFERENCES.md entry 24, `renewal_spontaneous_recovery_latent_cause` (see
addictsim/analysis/experiments/renewal_spontaneous_recovery_latent_cause.py for the
protocols, citations and measures).

Bouton 2004 [R]; Bernal-Gamboa, Carrasco-Lopez & Nieto 2014 [C]; Gershman, Blei & Niv 2010
and Redish et al. 2007 [C]; Gershman et al. 2013 [C title]. After extinction to <= 20% of
acquisition: ABA >= 40% of acquisition; ABC and AAB above AAA and below ABA; responding 21
days after extinction >= 1.5x one day after; reacquisition in <= 50% of the acquisition
trials; gradual extinction >= 30% less recovery than abrupt. A context-free TD baseline
fails these.
"""

from addictsim.analysis.experiments import renewal_spontaneous_recovery_latent_cause as exp
from addictsim.analysis.scorecard import Status, run_entry

from ._rows import assert_default_row


def test_renewal_spontaneous_recovery_default_model():
    row = assert_default_row("renewal_spontaneous_recovery_latent_cause")
    by = {c.name: c for c in row.checks}
    # the renewal order of Bernal-Gamboa et al.: ABA > ABC, AAB > AAA
    assert by["aba_minus_abc"].passed and by["aab_minus_aaa"].passed
    assert by["reacquisition_over_acquisition_trials"].passed


def test_the_extinction_memory_is_what_the_test_context_and_time_retrieve():
    m = exp.measures("default", quick=True)
    # one day after extinction in A, the test in A retrieves the extinction memory; a
    # return to A after extinction in B, or 21 days, brings the first memory back
    aaa = m["AAA|test_retrieval_first_memory"]
    assert aaa < 0.2
    assert m["ABA|test_retrieval_first_memory"] > 2 * aaa
    assert m["AAA 21 d|test_retrieval_first_memory"] > 2 * aaa
    # abrupt extinction opens a second memory in every subject
    assert m["abrupt 1 d|second_memory"] == 1.0


def test_context_free_td_fails():
    (row,) = run_entry("renewal_spontaneous_recovery_latent_cause", models=["td"], quick=True)
    assert row.status is Status.FAIL
    by = {c.name: c for c in row.checks}
    assert not by["aba_relative_to_acquisition"].passed
    assert not by["reacquisition_over_acquisition_trials"].passed
    assert not by["gradual_less_recovery_than_abrupt"].passed
