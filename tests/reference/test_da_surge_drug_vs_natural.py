"""REFERENCES.md entry 5, `da_surge_drug_vs_natural`.

Di Chiara & Imperato 1988, PNAS 85:5274 [C]; Fiorino, Coury & Phillips 1997, J Neurosci
17:4849 [C]. Checks: peak accumbens dopamine of each stimulus at its standard dose in its band;
amphetamine > cocaine > {morphine, nicotine, ethanol} >= sex >= food; ventral > dorsal for drugs;
natural-reward dopamine <= 120% at satiety and recovered with a different (novel) reward; < 20%
tolerance over 12 days of daily cocaine; a non-decreasing cocaine dose-response.
"""

from addictsim.analysis.experiments import da_surge_drug_vs_natural

from ._rows import assert_default_row


def test_da_surge_drug_vs_natural_default_model():
    assert_default_row("da_surge_drug_vs_natural")


def test_dopamine_by_drug_table():
    df = da_surge_drug_vs_natural.dopamine_by_drug(quick=True)
    assert list(df.columns) == ["reinforcer", "kind", "peak_pct", "dorsal_pct", "band_low",
                                "band_high"]
    assert set(df.kind) == {"drug", "natural"}
    drugs = df[df.kind == "drug"]
    assert (drugs.peak_pct > drugs.dorsal_pct).all()
