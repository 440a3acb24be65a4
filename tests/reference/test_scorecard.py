"""The scorecard contract: `addictsim validate --json` matches its schema and lists every
REFERENCES.md id; exit codes; quick mode says so."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from addictsim.analysis import scorecard as sc
from addictsim.analysis.references import REFERENCES
from addictsim.cli import app

REF_MD = Path(__file__).resolve().parents[2].parent / "shared" / "REFERENCES.md"


#: a cheap but representative subset for the end-to-end CLI check (every entry's full run has
#: its own reference test): pure and comparison models, learning and pharmacology entries (a
#: failing comparison row is checked below without simulating)
CLI_IDS = ("td_da_shift_omission,redish_noncompensable_drug,withdrawal_hypodopaminergic,"
           "da_surge_drug_vs_natural")


@pytest.fixture(scope="module")
def quick_json():
    res = CliRunner().invoke(app, ["validate", "--quick", "--json", "--only", CLI_IDS])
    return res


def test_validate_json_matches_schema(quick_json):
    assert quick_json.exit_code == 0, quick_json.output
    rows = json.loads(quick_json.stdout)
    jsonschema.validate(rows, sc.JSON_SCHEMA)
    assert {r["id"] for r in rows} == set(CLI_IDS.split(","))
    by = {(r["id"], r["model"]): r for r in rows}
    assert by[("td_da_shift_omission", "td")]["status"] == "pass"
    assert by[("redish_noncompensable_drug", "redish2004")]["status"] == "pass"
    for ref in CLI_IDS.split(","):
        assert by[(ref, "default")]["status"] == "pass"
    for r in rows:
        assert r["quick"] and "quick" in r["note"] and r["subjects"] > 0


def test_scorecard_lists_every_reference(monkeypatch):
    """Every REFERENCES.md id gets rows: implemented ones from their experiment (stubbed out
    here: each has its own reference test), the others as not_implemented with their issue."""
    def fake(ref_id, *, quick=False, models=None):
        return [sc.Row(id=ref_id, model="default", species="rat", status=sc.Status.PASS,
                       subjects=1, quick=quick, note="quick")]

    monkeypatch.setattr(sc, "run_entry", fake)
    rows = sc.run_scorecard(quick=True)
    jsonschema.validate(sc.as_json(rows), sc.JSON_SCHEMA)
    assert [r.id for r in rows] == [r.id for r in REFERENCES]
    by = {r.id: r for r in rows}
    for ref_id in sc.EXPERIMENTS:
        assert by[ref_id].status is sc.Status.PASS
    assert by["ketamine_reconsolidation_das"].status is sc.Status.NOT_IMPLEMENTED
    assert "issue #" in by["ketamine_reconsolidation_das"].note


def test_registry_matches_references_md():
    if not REF_MD.exists():
        pytest.skip("shared/REFERENCES.md not beside the checkout")
    ids = re.findall(r"^### \d+\. `([a-z0-9_]+)`", REF_MD.read_text(), flags=re.M)
    # the project's own entries (no number) are not in REFERENCES.md
    assert ids == [r.id for r in REFERENCES if r.number is not None]
    numbers = re.findall(r"^### (\d+)\. `", REF_MD.read_text(), flags=re.M)
    assert [int(n) for n in numbers] == [r.number for r in REFERENCES if r.number is not None]


def test_exit_code_counts_only_default_rows():
    ok = sc.Row(id="a", model="default", species="rat", status=sc.Status.PASS)
    cmp_fail = sc.Row(id="a", model="redish2004", species="rat", status=sc.Status.FAIL)
    xfail = sc.Row(id="b", model="default", species="rat", status=sc.Status.XFAIL)
    bad = sc.Row(id="c", model="default", species="rat", status=sc.Status.FAIL)
    assert sc.exit_code([ok, cmp_fail, xfail]) == 0
    assert sc.exit_code([ok, bad]) == 1
    # a comparison model's failing row is reported as such in the JSON
    named = [sc.Row(id="blocking_with_drug", model=r.model, species="rat", status=r.status)
             for r in (ok, cmp_fail)]
    rows = sc.as_json(named)
    jsonschema.validate(rows, sc.JSON_SCHEMA)
    assert [r["status"] for r in rows] == ["pass", "fail"]


def test_check_bounds():
    assert sc.Check("x", 0.5, 0.0, 1.0).passed
    assert not sc.Check("x", 1.5, None, 1.0).passed
    assert not sc.Check("x", float("nan"), None, None).passed


def test_unknown_only_id_is_bad_input():
    res = CliRunner().invoke(app, ["validate", "--only", "td_da_shift_omision"])
    assert res.exit_code == 2
    assert "did you mean 'td_da_shift_omission'" in res.stderr


def test_only_runs_the_named_entries_and_table_output():
    res = CliRunner().invoke(app, ["validate", "--quick", "--only", "redish_noncompensable_drug"])
    assert res.exit_code == 0
    assert "redish_noncompensable_drug" in res.stdout and "pass" in res.stdout
    assert "blocking_with_drug" not in res.stdout


def test_declared_xfail_checks_make_an_xfail_row_and_only_they_do():
    ok = sc.Check("a", 1.0, 0.0, 2.0)
    declared = sc.Check("b", 5.0, 0.0, 2.0, xfail="not reachable because ...")
    undeclared = sc.Check("c", 5.0, 0.0, 2.0)
    plain = sc.Expectation()
    assert sc.status_of([ok, declared], plain) is sc.Status.XFAIL
    assert sc.status_of([ok, declared, undeclared], plain) is sc.Status.FAIL
    assert sc.status_of([ok, sc.Check("b", 1.0, 0.0, 2.0, xfail="x")], plain) is sc.Status.PASS
    assert declared.to_json()["xfail"] == "not reachable because ..."
    assert "xfail" not in ok.to_json()


def test_reference_runs_are_simulated_once_per_process():
    from addictsim.analysis.experiments import _common

    a = _common.run("td_da_shift_omission", "default", quick=True, quick_subjects=2,
                    record="daily")
    assert _common.run("td_da_shift_omission", "default", quick=True, quick_subjects=2,
                       record="daily") is a
    b = _common.run("td_da_shift_omission", "default", quick=True, quick_subjects=3,
                    record="daily")
    assert b is not a and b.sizes["subject"] == 3


def test_a_value_that_is_not_finite_is_written_as_null():
    # a ratio over 0 is inf: strict JSON has no Infinity, so the check writes null and fails
    check = sc.Check("ratio", float("inf"), None, 0.6, xfail="why")
    row = sc.Row(id="retrieval_extinction_xue", model="default", species="rat",
                 status=sc.Status.XFAIL, checks=[check], subjects=1, quick=True, note="why")
    out = sc.as_json([row])
    jsonschema.validate(out, sc.JSON_SCHEMA)
    text = json.dumps(out, allow_nan=False)
    assert '"simulated": null' in text and not check.passed
