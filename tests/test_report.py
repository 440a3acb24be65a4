"""Tests for addictsim.report: figures, summary tables and the HTML report.

The Datasets here are synthetic (numpy only), built to mimic the three
recording modes of ``simulate()``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import xarray as xr

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REPORT_DIR = Path(__file__).resolve().parents[1] / "addictsim" / "report"
ALL_FIGURES = {
    "dopamine_shift.png",
    "cue_value.png",
    "seeking.png",
    "craving.png",
    "dopamine_extracellular.png",
}


def _load_report() -> ModuleType:
    """Import addictsim.report, or load it by file path if the package import fails."""
    try:
        return importlib.import_module("addictsim.report")
    except Exception:  # the top-level package may be mid-rewrite by others
        name = "_addictsim_report_standalone"
        spec = importlib.util.spec_from_file_location(
            name, REPORT_DIR / "__init__.py", submodule_search_locations=[str(REPORT_DIR)]
        )
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
        return mod


report = _load_report()
make_figures = report.make_figures
write_report = report.write_report
summary_tables = report.summary_tables
FigureInfo = report.FigureInfo

SCENARIO_TEXT = (
    '[scenario]\nname = "toy"\ndescription = "a <script>alert(1)</script> & friends"\n'
    "[[phases]]\nname = \"acquisition\"\n"
)


def _attrs(record: str, n_sub: int) -> dict:
    return {
        "scenario_name": "Toy cocaine self-administration",
        "scenario_description": "Synthetic data for tests.\n\nSecond paragraph.",
        "scenario_text": SCENARIO_TEXT,
        "seed": 7,
        "model": "td-lambda",
        "species": "rat",
        "subjects": n_sub,
        "addictsim_version": "0.0.test",
        "jax_version": "0.0",
        "platform": "cpu",
        "created_utc": "2024-01-01T00:00:00Z",
        "record": record,
    }


def _var(data: np.ndarray, dims: tuple[str, ...], units: str, long_name: str, **extra) -> xr.DataArray:
    return xr.DataArray(data, dims=dims, attrs={"units": units, "long_name": long_name, **extra})


def make_episode_ds(n_sub: int = 5, n_ep: int = 400, seed: int = 0, phasic: bool = True) -> xr.Dataset:
    """Episode-mode Dataset: acquisition (300 episodes) then extinction (100)."""
    rng = np.random.default_rng(seed)
    per_day = 20
    ep = np.arange(n_ep)
    n_acq = int(n_ep * 0.75)
    phase = np.where(ep < n_acq, "acquisition", "extinction").astype(object)
    trial_type = np.where(ep < n_acq, "A+", "A- test").astype(object)
    trial_type[ep % 4 == 3] = ""  # intertrial episodes: no cue, no outcome
    has_trial = trial_type != ""
    reinforced = (phase == "acquisition") & has_trial

    k = np.cumsum(has_trial)  # event count
    learn = 1 - np.exp(-k / 40.0)
    noise = lambda: 0.05 * rng.standard_normal((n_sub, n_ep))  # noqa: E731
    cue = np.where(has_trial, learn + noise(), 0.0)
    ext = np.where(phase == "extinction", np.exp(-(ep - n_acq).clip(0) / 30.0), 1.0)
    cue = cue * ext
    outcome = np.where(reinforced, 1 - learn + noise(), 0.0)
    outcome = np.where((phase == "extinction") & has_trial, -learn * ext + noise(), outcome)
    drug = np.broadcast_to(reinforced, (n_sub, n_ep)) & (rng.random((n_sub, n_ep)) < 0.9)
    seek = np.where(has_trial, rng.random((n_sub, n_ep)) < 0.3 + 0.6 * learn * ext, False)
    cue_shown = np.broadcast_to(has_trial, (n_sub, n_ep)).copy()
    # like simulate(): cue_value and craving are defined on cue episodes and 0 elsewhere
    cue_value = np.where(cue_shown, learn * ext + noise(), 0.0)
    craving = np.where(cue_shown, np.clip(8 * learn * ext + noise(), 0, 10), 0.0)

    dims = ("subject", "episode")
    data_vars = {
        "action": _var(np.where(seek, 1, 0), dims, "1", "action",
                       legend="0=withhold, 1=active lever, 2=inactive lever"),
        "seek": _var(seek, dims, "1", "drug seeking"),
        "drug_taken": _var(drug, dims, "1", "drug infusion"),
        "natural_taken": _var(np.zeros((n_sub, n_ep), bool), dims, "1", "natural reward"),
        "dose": _var(drug * 0.75, dims, "mg/kg", "dose"),
        "da_cue": _var(cue, dims, "reward units", "phasic dopamine at cue onset"),
        "da_outcome": _var(outcome, dims, "reward units", "phasic dopamine at outcome"),
        "da_extracellular_pct": _var(np.where(drug, 350 + 20 * rng.standard_normal((n_sub, n_ep)), 100.0),
                                     dims, "% baseline", "peak accumbens dopamine"),
        "cue_value": _var(cue_value, dims, "reward units", "learned value of the strongest cue present"),
        "craving": _var(craving, dims, "0-10", "craving"),
        "average_reward": _var(np.full((n_sub, n_ep), 0.1), dims, "reward units/s", "average reward"),
        "cue_shown": _var(cue_shown, dims, "bool", "a cue was present in the episode"),
    }
    if phasic:
        bins = np.arange(0, 4.0, 0.5)
        ph = np.zeros((n_sub, n_ep, bins.size))
        ph[:, :, 0] = cue
        ph[:, :, 4] = outcome
        data_vars["da_phasic"] = _var(ph, ("subject", "episode", "bin"), "reward units",
                                      "phasic dopamine")
    arms = np.array(["drug", "drug", "drug", "saline", "saline", "drug"] * n_sub)[:n_sub]
    coords = {
        "episode": ep,
        "day": ("episode", ep / per_day + 0.01),
        "day_index": ("episode", ep // per_day),
        "phase": ("episode", phase.astype(str)),
        "trial_type": ("episode", trial_type.astype(str)),
        "subject": np.arange(n_sub),
        "arm": ("subject", arms),
        "dose_scale": ("subject", np.linspace(0.5, 1.5, n_sub)),
    }
    if phasic:
        coords["bin"] = np.arange(0, 4.0, 0.5)
    return xr.Dataset(data_vars, coords=coords, attrs=_attrs("episode", n_sub))


def make_daily_ds(n_sub: int = 5, n_day: int = 20, seed: int = 1) -> xr.Dataset:
    """Daily-mode Dataset with event counts."""
    rng = np.random.default_rng(seed)
    d = np.arange(n_day)
    phase = np.where(d < 15, "acquisition", "extinction")
    learn = 1 - np.exp(-d / 4.0)
    noise = lambda: 0.05 * rng.standard_normal((n_sub, n_day))  # noqa: E731
    dims = ("subject", "day")
    n_out = np.where(phase == "acquisition", 15, 15) * np.ones((n_sub, n_day), int)
    n_out[:, 3] = 0  # a day without outcomes
    data_vars = {
        "seek": _var(rng.poisson(10 + 20 * learn, (n_sub, n_day)), dims, "count", "seeking responses",
                     aggregation="sum"),
        "drug_taken": _var(np.where(phase == "acquisition", rng.poisson(15, (n_sub, n_day)), 0), dims,
                           "infusions", "infusions", aggregation="sum"),
        "da_cue": _var(learn + noise(), dims, "reward units", "phasic DA at cue", aggregation="event_mean"),
        "da_outcome": _var(np.where(phase == "acquisition", 1 - learn, -0.5) + noise(), dims,
                           "reward units", "phasic DA at outcome", aggregation="event_mean"),
        "n_cue_events": _var(np.full((n_sub, n_day), 15), dims, "count", "cue events", aggregation="sum"),
        "n_outcome_events": _var(n_out, dims, "count", "outcome events", aggregation="sum"),
        "da_extracellular_pct": _var(300 + 10 * rng.standard_normal((n_sub, n_day)), dims, "% baseline",
                                     "peak accumbens dopamine", aggregation="max"),
        "cue_value": _var(learn + noise(), dims, "reward units", "cue value", aggregation="event_mean"),
        "craving": _var(np.clip(6 * learn + noise(), 0, 10), dims, "0-10", "craving",
                        aggregation="event_mean"),
    }
    coords = {"day": d, "phase": ("day", phase), "subject": np.arange(n_sub),
              "arm": ("subject", np.array(["a", "b"] * n_sub)[:n_sub])}
    return xr.Dataset(data_vars, coords=coords, attrs=_attrs("daily", n_sub))


def make_summary_ds(n_sub: int = 5, seed: int = 2) -> xr.Dataset:
    """Summary-mode Dataset over three phases."""
    rng = np.random.default_rng(seed)
    phases = ["acquisition", "extinction", "reinstatement"]
    dims = ("subject", "phase")
    r = lambda loc: loc + 0.05 * rng.standard_normal((n_sub, 3))  # noqa: E731
    data_vars = {
        "seek": _var(rng.poisson(50, (n_sub, 3)), dims, "count", "seeking", aggregation="sum"),
        "drug_taken": _var(rng.poisson(100, (n_sub, 3)), dims, "infusions", "infusions", aggregation="sum"),
        "da_cue": _var(r(np.array([0.6, 0.2, 0.5])), dims, "reward units", "DA at cue", aggregation="event_mean"),
        "da_outcome": _var(r(np.array([0.3, -0.4, 0.0])), dims, "reward units", "DA at outcome",
                           aggregation="event_mean"),
        "cue_value": _var(r(np.array([0.8, 0.2, 0.5])), dims, "reward units", "cue value",
                          aggregation="event_mean"),
        "craving": _var(r(np.array([6.0, 2.0, 5.0])), dims, "0-10", "craving", aggregation="event_mean"),
        "da_extracellular_pct": _var(r(np.array([350.0, 110.0, 300.0])), dims, "% baseline", "peak DA",
                                     aggregation="max"),
    }
    coords = {"phase": phases, "subject": np.arange(n_sub),
              "arm": ("subject", np.array(["a", "b"] * n_sub)[:n_sub])}
    return xr.Dataset(data_vars, coords=coords, attrs=_attrs("summary", n_sub))


@pytest.fixture(params=["episode", "daily", "summary"])
def any_ds(request) -> xr.Dataset:
    return {"episode": make_episode_ds, "daily": make_daily_ds, "summary": make_summary_ds}[request.param]()


def _assert_pngs(infos, outdir: Path) -> set[str]:
    names = set()
    for info in infos:
        assert isinstance(info, FigureInfo)
        assert info.path.parent == outdir
        data = info.path.read_bytes()
        assert data[:8] == PNG_MAGIC
        assert len(data) > 1000
        assert info.title and info.caption
        names.add(info.path.name)
    assert not [p for p in outdir.iterdir() if p.name.endswith(".tmp")], "temp files left behind"
    return names


def test_figures_all_modes(any_ds: xr.Dataset, tmp_path: Path) -> None:
    infos = make_figures(any_ds, tmp_path)
    assert _assert_pngs(infos, tmp_path) == ALL_FIGURES


def test_episode_without_phasic_and_without_arms(tmp_path: Path) -> None:
    ds = make_episode_ds(phasic=False).drop_vars("arm")
    assert _assert_pngs(make_figures(ds, tmp_path), tmp_path) == ALL_FIGURES


def test_missing_vars_are_skipped(tmp_path: Path) -> None:
    ds = make_episode_ds()
    only_craving = ds[["craving"]]
    assert _assert_pngs(make_figures(only_craving, tmp_path / "a"), tmp_path / "a") == {"craving.png"}
    only_outcome = ds[["da_outcome"]]
    assert _assert_pngs(make_figures(only_outcome, tmp_path / "b"), tmp_path / "b") == {"dopamine_shift.png"}
    empty = ds.drop_vars(list(ds.data_vars))
    assert make_figures(empty, tmp_path / "c") == []
    no_days = ds.drop_vars(["day_index", "day"])
    names = _assert_pngs(make_figures(no_days, tmp_path / "d"), tmp_path / "d")
    assert {"dopamine_shift.png", "cue_value.png"} <= names


@pytest.mark.parametrize("maker", [make_episode_ds, make_daily_ds, make_summary_ds])
def test_single_subject(maker, tmp_path: Path) -> None:
    ds = maker().isel(subject=[0])
    assert _assert_pngs(make_figures(ds, tmp_path), tmp_path) == ALL_FIGURES
    json.dumps(summary_tables(ds), allow_nan=False)


@pytest.mark.parametrize("maker", [make_episode_ds, make_daily_ds, make_summary_ds])
def test_all_zeros(maker, tmp_path: Path) -> None:
    ds = maker()
    ds = ds.map(lambda v: xr.zeros_like(v), keep_attrs=True)
    infos = make_figures(ds, tmp_path)
    names = _assert_pngs(infos, tmp_path)
    assert "seeking.png" in names
    # Daily mode with zero event counts has no event means to plot: skipped, not crashed.
    assert ("dopamine_shift.png" in names) == (maker is not make_daily_ds)
    # No trial had a cue (cue_shown / n_cue_events all 0): nothing to average, so the cue
    # figures are skipped, not drawn as zeros. The summary fixture carries no counts.
    assert ({"cue_value.png", "craving.png"} <= names) == (maker is make_summary_ds)
    tables = summary_tables(ds)
    json.dumps(tables, allow_nan=False)
    if maker is not make_summary_ds:
        assert all(r["cue_value"] is None and r["craving"] is None for r in tables["by_phase"])


@pytest.mark.parametrize("maker", [make_episode_ds, make_daily_ds])
def test_all_zero_values_on_cue_trials_are_drawn(maker, tmp_path: Path) -> None:
    ds = maker()
    keep = {"cue_shown", "n_cue_events", "n_outcome_events"}
    ds = ds.map(lambda v: v if v.name in keep else xr.zeros_like(v), keep_attrs=True)
    names = _assert_pngs(make_figures(ds, tmp_path), tmp_path)
    assert {"cue_value.png", "seeking.png", "craving.png", "dopamine_shift.png"} <= names
    for row in summary_tables(ds)["by_phase"]:
        assert row["cue_value"] == 0 and row["craving"] == 0


def test_all_nan_does_not_crash(tmp_path: Path) -> None:
    ds = make_episode_ds().map(lambda v: v.astype(float) * np.nan, keep_attrs=True)
    make_figures(ds, tmp_path)
    json.dumps(summary_tables(ds), allow_nan=False)


def test_summary_tables(any_ds: xr.Dataset) -> None:
    tables = summary_tables(any_ds)
    text = json.dumps(tables, allow_nan=False)
    assert json.loads(text) == tables
    rows = tables["by_phase"]
    assert [r["phase"] for r in rows][:2] == ["acquisition", "extinction"]
    assert "by_arm_and_phase" in tables
    for row in rows:
        assert row["n_subjects"] == any_ds.sizes["subject"]
        for key in ("da_cue", "da_outcome", "cue_value", "craving"):
            assert key in row
        for v in row.values():
            assert v is None or isinstance(v, (str, int, float))
            if isinstance(v, float):
                assert float(f"{v:.4g}") == v


def test_summary_tables_episode_values() -> None:
    ds = make_episode_ds()
    rows = {r["phase"]: r for r in summary_tables(ds)["by_phase"]}
    acq, ext = rows["acquisition"], rows["extinction"]
    # 15 trials/day are cued in acquisition, ~90% of them with an infusion.
    assert 12 < acq["infusions_per_day"] < 15
    assert ext["infusions_per_day"] == 0
    assert 0 <= acq["seeking_rate"] <= 1
    assert ext["da_outcome"] < 0 < acq["da_outcome"]


def test_write_report(tmp_path: Path) -> None:
    ds = make_episode_ds()
    infos = make_figures(ds, tmp_path / "fig")
    out = write_report(ds, infos, tmp_path / "out" / "report.html")
    assert out == tmp_path / "out" / "report.html"
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "not medical advice" in text
    assert "says nothing about any real person" in text
    assert "How to read this report" in text
    assert text.count('src="data:image/png;base64,') == len(infos) == 5
    for info in infos:
        assert info.caption[:40].replace("'", "&#x27;") in text
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in text
    assert "http://" not in text and "https://" not in text
    assert "<link" not in text.lower() and "@import" not in text
    for value in ("td-lambda", "rat", "0.0.test", "2024-01-01T00:00:00Z", "episode"):
        assert value in text
    assert "Toy cocaine self-administration" in text


def test_write_report_with_given_summary_and_no_figures(tmp_path: Path) -> None:
    ds = make_summary_ds()
    ds.attrs.pop("scenario_text")
    summary = {"by_phase": [{"phase": "x<y", "n_subjects": 2, "craving": 1.5, "da_cue": None}]}
    out = write_report(ds, [], tmp_path / "r.html", summary=summary)
    text = out.read_text(encoding="utf-8")
    assert "x&lt;y" in text and "1.5" in text
    assert "data:image/png" not in text


# ---------------------------------------------------------------------------
# Cue-trial means agree between record modes
# ---------------------------------------------------------------------------

figures_mod = report.figures
CUE_VARS = ("cue_value", "craving", "da_cue")


def _episode_ds_with_cueless_days() -> xr.Dataset:
    """Episode Dataset in which two days (4 and 17) have no cue episode at all."""
    ds = make_episode_ds(n_sub=4, seed=3)
    no_cue = np.isin(ds["day_index"].values, [4, 17])
    shown = ds["cue_shown"].values & ~no_cue[None, :]
    ds["cue_shown"].values = shown
    for name in CUE_VARS:
        ds[name].values = np.where(shown, ds[name].values, 0.0)
    return ds


def _aggregate(ds: xr.Dataset, by: str) -> xr.Dataset:
    """Aggregate an episode Dataset per day or per phase the way the engine does:
    sums for counts, event means over cue episodes (0 where there are none)."""
    key = ds["day_index"].values if by == "day" else ds["phase"].values
    groups = list(dict.fromkeys(key.tolist()))
    shown = ds["cue_shown"].values.astype(float)
    dim = by if by == "day" else "phase"
    data = {}
    for name in ("seek", "drug_taken"):
        v = ds[name].values.astype(float)
        data[name] = _var(np.stack([v[:, key == g].sum(1) for g in groups], 1), ("subject", dim),
                          "count", name, aggregation="sum")
    n_cue = np.stack([shown[:, key == g].sum(1) for g in groups], 1)
    for name in CUE_VARS:
        v = ds[name].values.astype(float) * shown
        tot = np.stack([v[:, key == g].sum(1) for g in groups], 1)
        data[name] = _var(np.where(n_cue > 0, tot / np.maximum(n_cue, 1), 0.0), ("subject", dim),
                          ds[name].attrs["units"], name, aggregation="event_mean")
    data["n_cue_events"] = _var(n_cue, ("subject", dim), "count", "episodes with a cue")
    coords = {"subject": ds["subject"].values, "arm": ("subject", ds["arm"].values)}
    if by == "day":
        first = [int(np.argmax(key == g)) for g in groups]
        coords.update(day=np.asarray(groups), phase=("day", ds["phase"].values[first]))
    else:
        coords["phase"] = np.asarray(groups)
    record = "daily" if by == "day" else "summary"
    return xr.Dataset(data, coords=coords, attrs={**ds.attrs, "record": record})


def _assert_same_series(a, b) -> None:
    assert a is not None and b is not None
    np.testing.assert_array_equal(a[0].x, b[0].x)
    np.testing.assert_array_equal(np.isnan(a[0].values), np.isnan(b[0].values))
    np.testing.assert_allclose(a[0].values, b[0].values, rtol=1e-4, atol=1e-5, equal_nan=True)


def _assert_same_tables(a: dict, b: dict, keys=("cue_value", "craving", "da_cue")) -> None:
    rows_a = {r["phase"]: r for r in a["by_phase"]}
    rows_b = {r["phase"]: r for r in b["by_phase"]}
    assert rows_a.keys() == rows_b.keys()
    for phase, ra in rows_a.items():
        for k in keys:
            assert (ra[k] is None) == (rows_b[phase][k] is None), (phase, k)
            if ra[k] is not None:
                assert ra[k] == pytest.approx(rows_b[phase][k], rel=2e-3, abs=1e-5), (phase, k)


def test_cue_means_agree_between_episode_daily_and_summary() -> None:
    ds_e = _episode_ds_with_cueless_days()
    ds_d = _aggregate(ds_e, "day")
    ds_s = _aggregate(ds_e, "phase")
    for name in ("cue_value", "craving"):
        se, sd = figures_mod._cue_series(ds_e, name), figures_mod._cue_series(ds_d, name)
        _assert_same_series(se, sd)
        # days without a cue episode are gaps, not zeros
        gaps = np.isnan(se[0].values).all(axis=0)
        assert gaps[[4, 17]].all() and gaps.sum() == 2
    tables_e = summary_tables(ds_e)
    _assert_same_tables(tables_e, summary_tables(ds_d))
    _assert_same_tables(tables_e, summary_tables(ds_s))
    # ...and they are means over cue episodes, not over every episode (the old bug)
    acq = tables_e["by_phase"][0]
    sel = ds_e["phase"].values == "acquisition"
    shown = ds_e["cue_shown"].values[:, sel]
    v = ds_e["cue_value"].values[:, sel]
    expected = np.mean([v[i][shown[i]].mean() for i in range(v.shape[0])])
    assert acq["cue_value"] == pytest.approx(expected, rel=1e-3)
    assert acq["cue_value"] > 1.2 * v.mean()


def test_phase_without_cue_trials_is_none_not_zero() -> None:
    ds_e = make_episode_ds(n_sub=3)
    ext = ds_e["phase"].values == "extinction"
    ds_e["cue_shown"].values = ds_e["cue_shown"].values & ~ext[None, :]
    for name in CUE_VARS:
        ds_e[name].values = np.where(ds_e["cue_shown"].values, ds_e[name].values, 0.0)
    for ds in (ds_e, _aggregate(ds_e, "day"), _aggregate(ds_e, "phase")):
        rows = {r["phase"]: r for r in summary_tables(ds)["by_phase"]}
        assert rows["extinction"]["cue_value"] is None and rows["extinction"]["craving"] is None
        assert rows["acquisition"]["cue_value"] is not None


def test_without_cue_shown_falls_back_to_plain_means(tmp_path: Path) -> None:
    ds = make_episode_ds(n_sub=3).drop_vars("cue_shown")
    rows = {r["phase"]: r for r in summary_tables(ds)["by_phase"]}
    sel = ds["phase"].values == "acquisition"
    plain = ds["cue_value"].values[:, sel].mean(axis=1).mean()
    assert rows["acquisition"]["cue_value"] == pytest.approx(plain, rel=1e-3)
    assert {"cue_value.png", "craving.png"} <= _assert_pngs(make_figures(ds, tmp_path), tmp_path)


def test_short_episode_run_plots_cue_trials(tmp_path: Path) -> None:
    ds = make_episode_ds(n_sub=3, n_ep=60)  # 3 days: per cue trial rather than per day
    got = figures_mod._cue_series(ds, "cue_value")
    assert got is not None
    series, note = got
    n_cue = int(ds["cue_shown"].values[0].sum())
    assert series.values.shape == (3, n_cue) and np.isfinite(series.values).all()
    assert "cue" in series.xlabel.lower() and "cue" in note
    assert _assert_pngs(make_figures(ds, tmp_path), tmp_path) == ALL_FIGURES


def test_simulated_episode_and_daily_agree() -> None:
    """The real simulator: episode and daily recording give the same cue-trial means."""
    try:
        import addictsim
    except Exception as exc:  # the top-level package may be mid-rewrite by others
        pytest.skip(f"addictsim does not import: {exc}")
    kw = dict(subjects=5, seed=11, progress=False)
    ds_e = addictsim.simulate("self-administration", record="episode", trace=False, **kw)
    ds_d = addictsim.simulate("self-administration", record="daily", **kw)
    assert "cue_shown" in ds_e
    for name in ("cue_value", "craving"):
        _assert_same_series(figures_mod._cue_series(ds_e, name), figures_mod._cue_series(ds_d, name))
    _assert_same_tables(summary_tables(ds_e), summary_tables(ds_d))


# ---------------------------------------------------------------------------
# The text claims only what the model does
# ---------------------------------------------------------------------------


def test_text_claims_only_what_the_model_does(tmp_path: Path) -> None:
    ds = make_episode_ds()
    infos = {i.path.name: i for i in make_figures(ds, tmp_path / "fig")}
    assert "drug cue" not in infos["cue_value.png"].title.lower()
    assert "strongest cue present" in infos["cue_value.png"].caption
    seeking = infos["seeking.png"].caption.lower()
    assert "reinstatement test" not in seeking and "stress" not in seeking
    assert "cue-maintained responding" in seeking
    assert "does not feed into choice" in infos["craving.png"].caption
    assert "conditioned reinforcer" in infos["craving.png"].caption
    assert "time the outcome was due" in infos["dopamine_shift.png"].caption
    text = write_report(ds, list(infos.values()), tmp_path / "r.html").read_text(encoding="utf-8")
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert "Not modelled yet" in how
    for missing in ("relapse", "reinstatement", "habit", "attention", "withdrawal",
                    "receptor adaptation", "drug kinetics"):
        assert missing in how
    assert "acts on choice through conditioned reinforcement" in how
    assert "drive craving and drug seeking" not in text
    assert "trigger relapse" not in text


# ---------------------------------------------------------------------------
# The addiction cycle: escalation, receptors, withdrawal, allostasis, dopamine by drug
# ---------------------------------------------------------------------------

CYCLE_FIGURES = {
    "escalation.png",
    "receptor_availability.png",
    "withdrawal_mood.png",
    "reward_threshold.png",
}
#: (phase, days) of the synthetic addiction-cycle timeline
CYCLE_PHASES = (("acquisition", 3), ("access", 10), ("abstinence", 8), ("cue test", 2))
EPISODES_PER_DAY = 8          # 15 min apart: the first 4 are in the session's first hour
STATE_METRICS = ("receptor_availability", "withdrawal", "mood", "hedonic_setpoint",
                 "reward_threshold", "drug_setpoint")
BODY_METRICS = ("first_hour_infusions_per_day", *STATE_METRICS, "withdrawal_peak",
                "drug_level_peak", "da_accumbens_peak_pct", "da_dorsal_peak_pct")


def make_cycle_episode_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    """Episode Dataset of a ShA/LgA addiction cycle with the body-model variables.

    LgA subjects (odd indices) take more drug during access, lose more D2, and
    have more withdrawal, lower mood and raised set points; ShA stays stable.
    """
    rng = np.random.default_rng(seed)
    phase_of_day = np.concatenate([[p] * d for p, d in CYCLE_PHASES]).astype(object)
    n_day = phase_of_day.size
    k = EPISODES_PER_DAY
    day_index = np.repeat(np.arange(n_day), k)
    day = day_index + 0.4 + np.tile(np.arange(k), n_day) * (15 / 1440)
    phase = phase_of_day[day_index]
    n_ep = day.size
    lga = (np.arange(n_sub) % 2 == 1)[:, None]
    access_day = np.cumsum(phase == "access") / k * (phase == "access")   # 0..10 within access
    drug_phase = np.isin(phase, ["acquisition", "access"])
    p_take = np.where(drug_phase, np.where(lga, 0.5 + 0.04 * access_day, 0.5), 0.0)
    drug = rng.random((n_sub, n_ep)) < np.broadcast_to(p_take, (n_sub, n_ep))
    # abstinence clock (days since the last drug day), 0 outside abstinence
    abst_start = day_index[np.argmax(phase == "abstinence")]
    since = np.where(phase == "abstinence", day - abst_start + 0.1, 0.0)
    load = np.where(lga, 0.04 * np.where(phase == "access", access_day, 0.0), 0.0)
    load = np.maximum.accumulate(load, axis=1) * np.where(phase == "abstinence", np.exp(-since / 60), 1.0)
    noise = lambda s=0.01: s * rng.standard_normal((n_sub, n_ep))  # noqa: E731
    d2_base = 1.0 + 0.1 * rng.standard_normal(n_sub)
    exposed = np.cumsum(drug_phase) > 0
    d2 = d2_base[:, None] * np.where(exposed, np.where(lga, 0.72, 0.8), 1.0)
    d2 = d2 + np.where(phase == "abstinence", 0.005 * since, 0.0)
    withdrawal = np.where(phase == "abstinence", np.where(lga, 0.6, 0.15) * np.exp(-since / 3), 0.0)
    withdrawal = np.clip(withdrawal + np.abs(noise()), 0, 1)
    mood = np.clip(0.4 - load * 3 - withdrawal - np.where(phase == "abstinence", 0.3, 0.0) + noise(),
                   -1, 1)
    level = np.where(drug, 3.0 + noise(0.2), 0.0)
    da = np.where(drug, 500 + noise(10), 100 - 20 * withdrawal)
    dims = ("subject", "episode")
    data_vars = {
        "seek": _var(drug | (rng.random((n_sub, n_ep)) < 0.1), dims, "bool", "seek"),
        "drug_taken": _var(drug, dims, "bool", "a drug was delivered"),
        "dose": _var(drug * 0.75, dims, "mg/kg", "drug delivered"),
        "da_extracellular_pct": _var(da, dims, "% of baseline", "accumbens dopamine"),
        "da_dorsal_pct": _var(100 + 0.5 * (da - 100), dims, "% of baseline", "dorsal dopamine"),
        "drug_level": _var(level, dims, "dose units (e.g. mg/kg)", "drug in the body"),
        "receptor_availability": _var(d2 + noise(0.005), dims, "1 (population baseline 1)",
                                      "striatal D2 receptor availability"),
        "withdrawal": _var(withdrawal, dims, "0-1", "unrelieved withdrawal"),
        "mood": _var(mood, dims, "-1..1", "hedonic tone"),
        "hedonic_setpoint": _var(load, dims, "reward units", "rise of the hedonic set point"),
        "reward_threshold": _var(0.36 + load / np.where(lga, 0.72, 0.8), dims, "pellets",
                                 "ICSS-threshold analogue"),
        "drug_setpoint": _var(5.0 * (1 + load), dims, "drug level / ed50", "drug setpoint"),
    }
    coords = {
        "episode": np.arange(n_ep),
        "day": ("episode", day),
        "day_index": ("episode", day_index),
        "phase": ("episode", phase.astype(str)),
        "trial_type": ("episode", np.where(drug_phase, "SA", "").astype(str)),
        "subject": np.arange(n_sub),
        "arm": ("subject", np.where(lga[:, 0], "LgA", "ShA")),
        "param_d2_baseline": ("subject", d2_base),
    }
    attrs = {**_attrs("episode", n_sub), "scenario_name": "Toy addiction cycle"}
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def cycle_daily_from_episodes(ds: xr.Dataset) -> xr.Dataset:
    """Aggregate the episode cycle per day as the engine does (sum / mean / max, plus
    ``first_hour_intake`` = deliveries in the first hour of the day's session)."""
    how = {"seek": "sum", "drug_taken": "sum", "dose": "sum", "da_extracellular_pct": "max",
           "da_dorsal_pct": "max", "drug_level": "max", "receptor_availability": "mean",
           "withdrawal": "mean", "mood": "mean", "hedonic_setpoint": "mean",
           "reward_threshold": "mean", "drug_setpoint": "mean"}
    di = ds["day_index"].values
    days = np.unique(di)
    t = ds["day"].values
    first_hour = np.zeros(t.shape, bool)
    for d in days:
        sel = di == d
        first_hour[sel] = (t[sel] - t[sel].min()) * 24 < 1 - 1e-6
    fn = {"sum": np.sum, "mean": np.mean, "max": np.max}
    data = {}
    for name, h in how.items():
        v = ds[name].values.astype(float)
        agg = np.stack([fn[h](v[:, di == d], axis=1) for d in days], 1)
        data[name] = _var(agg, ("subject", "day"), ds[name].attrs["units"],
                          ds[name].attrs["long_name"], aggregation=h)
    fh = ds["drug_taken"].values.astype(float) * first_hour
    data["first_hour_intake"] = _var(np.stack([fh[:, di == d].sum(1) for d in days], 1),
                                     ("subject", "day"), "count", "first-hour deliveries",
                                     aggregation="sum")
    data["n_episodes"] = _var(np.full((ds.sizes["subject"], days.size), EPISODES_PER_DAY),
                              ("subject", "day"), "count", "episodes aggregated", aggregation="sum")
    first = [int(np.argmax(di == d)) for d in days]
    coords = {"day": days, "phase": ("day", ds["phase"].values[first]),
              "subject": ds["subject"].values, "arm": ("subject", ds["arm"].values),
              "param_d2_baseline": ("subject", ds["param_d2_baseline"].values)}
    return xr.Dataset(data, coords=coords, attrs={**ds.attrs, "record": "daily"})


def make_cycle_daily_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    return cycle_daily_from_episodes(make_cycle_episode_ds(n_sub, seed))


def dopamine_table():
    import pandas as pd

    return pd.DataFrame({
        "reinforcer": ["cocaine", "amphetamine", "morphine", "food"],
        "kind": ["drug", "drug", "drug", "natural"],
        "peak_pct": [450.0, 900.0, 210.0, 140.0],
        "dorsal_pct": [250.0, 480.0, np.nan, 115.0],
        "band_low": [300.0, 500.0, 150.0, np.nan],
        "band_high": [500.0, 1500.0, 300.0, np.nan],
    })


@pytest.fixture(params=["episode", "daily"])
def cycle_ds(request) -> xr.Dataset:
    return {"episode": make_cycle_episode_ds, "daily": make_cycle_daily_ds}[request.param]()


def test_cycle_figures_and_report(cycle_ds: xr.Dataset, tmp_path: Path) -> None:
    ds = cycle_ds.copy()
    ds.attrs["dopamine_by_drug"] = dopamine_table().to_json(orient="records")
    infos = make_figures(ds, tmp_path / "fig")
    names = _assert_pngs(infos, tmp_path / "fig")
    assert CYCLE_FIGURES | {"dopamine_by_drug.png", "seeking.png",
                            "dopamine_extracellular.png"} <= names
    by_name = {i.path.name: i for i in infos}
    for name in CYCLE_FIGURES | {"dopamine_by_drug.png"}:
        caption = by_name[name].caption
        one = caption.replace("et al.", "et al")
        assert one.endswith(".") and one.count(". ") == 0, caption  # one sentence
    assert "Ahmed & Koob 1998" in by_name["escalation.png"].caption
    assert "ShA" in by_name["escalation.png"].caption and "LgA" in by_name["escalation.png"].caption
    out = write_report(ds, infos, tmp_path / "report.html")
    text = out.read_text(encoding="utf-8")
    assert text.count('src="data:image/png;base64,') == len(infos)
    for info in infos:
        assert html_escape(info.title) in text
        assert html_escape(info.caption) in text
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert "Body and slow adaptation" in how and "standard error" in how
    assert "drug kinetics" not in how    # now modelled: not listed as missing
    assert "relapse" in how              # still missing
    for label in ("First-hour infusions / day", "D2 receptor availability", "Withdrawal (0–1)",
                  "Mood", "Reward threshold (pellets)", "Hedonic set point rise"):
        assert label in text
    assert "http://" not in text and "https://" not in text and "<script" not in text.lower()


def html_escape(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def test_old_results_have_no_cycle_figures(any_ds: xr.Dataset, tmp_path: Path) -> None:
    names = {i.path.name for i in make_figures(any_ds, tmp_path)}
    assert not names & (CYCLE_FIGURES | {"dopamine_by_drug.png"})
    rows = summary_tables(any_ds)["by_phase"]
    assert not set(rows[0]) & set(BODY_METRICS)


def test_cycle_figures_skip_missing_variables(tmp_path: Path) -> None:
    ds = make_cycle_daily_ds()
    only_d2 = ds[["receptor_availability"]]
    assert _assert_pngs(make_figures(only_d2, tmp_path / "a"), tmp_path / "a") == {
        "receptor_availability.png"}
    only_mood = ds[["mood", "drug_taken"]]
    names = _assert_pngs(make_figures(only_mood, tmp_path / "b"), tmp_path / "b")
    assert {"withdrawal_mood.png", "escalation.png"} <= names
    assert "reward_threshold.png" not in names and "receptor_availability.png" not in names
    # without the phase coordinate: no shading or window, still drawn
    no_phase = ds.drop_vars("phase")
    assert CYCLE_FIGURES <= _assert_pngs(make_figures(no_phase, tmp_path / "c"), tmp_path / "c")


@pytest.mark.parametrize("maker", [make_cycle_episode_ds, make_cycle_daily_ds])
def test_cycle_edge_cases(maker, tmp_path: Path) -> None:
    one = maker().isel(subject=[1])  # a single (LgA) subject: one arm, no s.e.m.
    assert CYCLE_FIGURES <= _assert_pngs(make_figures(one, tmp_path / "one"), tmp_path / "one")
    json.dumps(summary_tables(one), allow_nan=False)
    no_arm = maker().drop_vars(["arm", "param_d2_baseline"])
    assert CYCLE_FIGURES <= _assert_pngs(make_figures(no_arm, tmp_path / "na"), tmp_path / "na")
    zeros = maker().map(lambda v: xr.zeros_like(v), keep_attrs=True)
    names = _assert_pngs(make_figures(zeros, tmp_path / "z"), tmp_path / "z")
    assert "escalation.png" not in names  # nothing was ever taken: no escalation to show
    json.dumps(summary_tables(zeros), allow_nan=False)
    nans = maker().map(lambda v: v.astype(float) * np.nan, keep_attrs=True)
    make_figures(nans, tmp_path / "n")
    json.dumps(summary_tables(nans), allow_nan=False)


def test_cycle_summary_tables(cycle_ds: xr.Dataset) -> None:
    tables = summary_tables(cycle_ds)
    assert json.loads(json.dumps(tables, allow_nan=False)) == tables
    rows = {(r["arm"], r["phase"]): r for r in tables["by_arm_and_phase"]}
    assert {p for _, p in rows} == {p for p, _ in CYCLE_PHASES}
    for row in rows.values():
        for key in BODY_METRICS:
            assert key in row
    sha, lga = rows[("ShA", "access")], rows[("LgA", "access")]
    assert lga["infusions_per_day"] > sha["infusions_per_day"]
    assert lga["first_hour_infusions_per_day"] <= 4 and sha["first_hour_infusions_per_day"] <= 4
    assert lga["hedonic_setpoint"] > sha["hedonic_setpoint"] == 0
    assert rows[("LgA", "abstinence")]["withdrawal_peak"] > rows[("ShA", "abstinence")]["withdrawal_peak"]
    assert rows[("LgA", "abstinence")]["withdrawal_peak"] >= rows[("LgA", "abstinence")]["withdrawal"]
    assert rows[("ShA", "abstinence")]["infusions_per_day"] == 0
    assert rows[("ShA", "abstinence")]["drug_level_peak"] == 0


def test_cycle_summary_agrees_between_episode_and_daily() -> None:
    ds_e = make_cycle_episode_ds()
    t_e, t_d = summary_tables(ds_e), summary_tables(cycle_daily_from_episodes(ds_e))
    for key in ("by_phase", "by_arm_and_phase"):
        for ra, rb in zip(t_e[key], t_d[key], strict=True):
            assert (ra["phase"], ra.get("arm")) == (rb["phase"], rb.get("arm"))
            for m in (*BODY_METRICS, "infusions_per_day"):
                assert ra[m] == pytest.approx(rb[m], rel=2e-3, abs=1e-6), (ra["phase"], m)


def test_escalation_first_hour_from_episode_times() -> None:
    ds = make_cycle_episode_ds()
    s, note = figures_mod._first_hour_series(ds)
    daily = cycle_daily_from_episodes(ds)
    np.testing.assert_allclose(s.values, daily["first_hour_intake"].values)
    assert "first" in note


def test_cycle_figures_summary_mode(tmp_path: Path) -> None:
    daily = make_cycle_daily_ds()
    phases = list(dict.fromkeys(daily["phase"].values.tolist()))
    data = {}
    for name in ("receptor_availability", "withdrawal", "mood", "hedonic_setpoint",
                 "reward_threshold", "first_hour_intake", "drug_taken"):
        v = np.stack([daily[name].values[:, daily["phase"].values == p].mean(1) for p in phases], 1)
        agg = "sum" if name in ("first_hour_intake", "drug_taken") else "mean"
        data[name] = _var(v, ("subject", "phase"), daily[name].attrs["units"], name, aggregation=agg)
    ds = xr.Dataset(data, coords={"phase": phases, "subject": daily["subject"].values,
                                  "arm": ("subject", daily["arm"].values)},
                    attrs={**daily.attrs, "record": "summary"})
    names = _assert_pngs(make_figures(ds, tmp_path), tmp_path)
    assert {"receptor_availability.png", "withdrawal_mood.png", "reward_threshold.png"} <= names
    assert "escalation.png" not in names  # needs per-session data
    row = summary_tables(ds)["by_arm_and_phase"][0]
    assert "first_hour_infusions_total" in row and "mood" in row


def test_arm_colours_are_consistent() -> None:
    groups = [("LgA", np.array([0])), ("ShA", np.array([1]))]
    assert figures_mod._arm_colours(groups) == [figures_mod.ARM_COLOURS["lga"],
                                                figures_mod.ARM_COLOURS["sha"]]
    mixed = figures_mod._arm_colours([("x", None), ("LgA", None), ("y", None)])
    assert len(set(mixed)) == 3 and mixed[1] == figures_mod.ARM_COLOURS["lga"]


def test_fig_dopamine_by_drug(tmp_path: Path) -> None:
    info = report.fig_dopamine_by_drug(dopamine_table(), tmp_path / "sub" / "da.png")
    assert info is not None and info.path == tmp_path / "sub" / "da.png"
    assert info.path.read_bytes()[:8] == PNG_MAGIC
    assert "Di Chiara" in info.caption
    # records and JSON strings work too; an all-NaN table draws nothing
    table = dopamine_table()
    assert report.fig_dopamine_by_drug(table.to_dict("records"), tmp_path / "b.png") is not None
    empty = table.assign(peak_pct=np.nan, dorsal_pct=np.nan)
    assert report.fig_dopamine_by_drug(empty, tmp_path / "c.png") is None
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_dopamine_by_drug_from_attrs(tmp_path: Path) -> None:
    ds = make_episode_ds()
    ds.attrs["dopamine_by_drug"] = json.dumps(dopamine_table().to_dict("records"))  # NaN tokens
    names = _assert_pngs(make_figures(ds, tmp_path / "a"), tmp_path / "a")
    assert names == ALL_FIGURES | {"dopamine_by_drug.png"}
    ds.attrs["dopamine_by_drug"] = "not json"
    assert "dopamine_by_drug.png" not in {i.path.name for i in make_figures(ds, tmp_path / "b")}


# ---------------------------------------------------------------------------
# Habit, attention and the ventral-to-dorsal shift of cue dopamine
# ---------------------------------------------------------------------------

CONTROL_FIGURES = {"habit_attention.png", "cue_dopamine_by_week.png"}
CONTROL_METRICS = ("habit_weight", "attentional_bias", "da_cue_dorsal")
#: (subject, day) on which that subject had no cue trial although the others had
CUELESS_SUBJECT_DAY = (0, 5)


def add_control_vars(ds: xr.Dataset, seed: int = 5) -> xr.Dataset:
    """The episode cycle with the control-model variables, as ``simulate()`` records them.

    A light comes with each infusion and with every other trial of the cue tests; none in
    abstinence, and none on day 5 for subject 0. ``da_cue`` and ``da_cue_dorsal`` are
    defined on the cue trials and 0 elsewhere; the dorsal signal is the ventral one times
    the habit weight, which grows faster under LgA.
    """
    rng = np.random.default_rng(seed)
    ds = ds.copy()
    drug = ds["drug_taken"].values.astype(bool)
    phase = ds["phase"].values
    di = ds["day_index"].values
    n_sub, n_ep = drug.shape
    test = np.broadcast_to((phase == "cue test") & (np.arange(n_ep) % 2 == 0), drug.shape)
    shown = drug | test
    s0, d0 = CUELESS_SUBJECT_DAY
    shown[s0, di == d0] = False
    lga = (ds["arm"].values == "LgA")[:, None]
    experience = np.cumsum(drug, axis=1) * np.where(lga, 3.0, 1.0)
    habit = experience**2 / (experience**2 + 20.0**2)
    k = np.cumsum(shown, axis=1)
    operant = phase != "abstinence"
    bias = np.where(operant, 0.6 * (1 - np.exp(-k / 10.0)), 0.1)
    cue = np.where(shown, 0.8 * (1 - np.exp(-k / 10.0)) + 0.05 * rng.standard_normal(drug.shape),
                   0.0)
    dims = ("subject", "episode")
    ds["cue_shown"] = _var(shown, dims, "bool", "a cue was present in the episode")
    ds["habit_weight"] = _var(habit, dims, "0-1", "habit share of control")
    ds["attentional_bias"] = _var(bias, dims, "0-1", "share of attention captured by drug cues")
    ds["da_cue"] = _var(cue, dims, "reward units", "phasic dopamine at cue onset, ventral")
    ds["da_cue_dorsal"] = _var(cue * habit, dims, "reward units",
                               "phasic dopamine at cue onset relayed to the dorsal striatum")
    return ds


def control_daily_from_episodes(ds: xr.Dataset) -> xr.Dataset:
    """:func:`cycle_daily_from_episodes` plus the control variables, aggregated as the
    engine does: daily means, event means over cue trials (0 without any), cue counts."""
    daily = cycle_daily_from_episodes(ds)
    di = ds["day_index"].values
    days = np.unique(di)
    shown = ds["cue_shown"].values.astype(float)
    n_cue = np.stack([shown[:, di == d].sum(1) for d in days], 1)
    dims = ("subject", "day")
    for name in ("habit_weight", "attentional_bias"):
        v = ds[name].values
        daily[name] = _var(np.stack([v[:, di == d].mean(1) for d in days], 1), dims,
                           ds[name].attrs["units"], ds[name].attrs["long_name"],
                           aggregation="mean")
    for name in ("da_cue", "da_cue_dorsal"):
        v = ds[name].values * shown
        tot = np.stack([v[:, di == d].sum(1) for d in days], 1)
        daily[name] = _var(np.where(n_cue > 0, tot / np.maximum(n_cue, 1), 0.0), dims,
                           ds[name].attrs["units"], ds[name].attrs["long_name"],
                           aggregation="event_mean")
    daily["n_cue_events"] = _var(n_cue, dims, "count", "episodes with a cue", aggregation="sum")
    return daily


def make_control_episode_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    return add_control_vars(make_cycle_episode_ds(n_sub, seed))


def make_control_daily_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    return control_daily_from_episodes(make_control_episode_ds(n_sub, seed))


@pytest.fixture(params=["episode", "daily"])
def control_ds(request) -> xr.Dataset:
    return {"episode": make_control_episode_ds, "daily": make_control_daily_ds}[request.param]()


def expected_weekly(ds_e: xr.Dataset, name: str) -> np.ndarray:
    """Weekly means computed by hand from the episodes: per subject, the mean over each
    day's cue trials, then the mean over the week's days (from day 0) that had one."""
    di = ds_e["day_index"].values
    shown = ds_e["cue_shown"].values
    v = ds_e[name].values
    n_weeks = di.max() // 7 + 1
    out = np.full((v.shape[0], n_weeks), np.nan)
    for s in range(v.shape[0]):
        for w in range(n_weeks):
            means = [v[s, (di == d) & shown[s]].mean() for d in range(7 * w, 7 * w + 7)
                     if ((di == d) & shown[s]).any()]
            if means:
                out[s, w] = np.mean(means)
    return out


def test_control_figures_and_report(control_ds: xr.Dataset, tmp_path: Path) -> None:
    infos = make_figures(control_ds, tmp_path / "fig")
    names = _assert_pngs(infos, tmp_path / "fig")
    assert CONTROL_FIGURES | CYCLE_FIGURES <= names
    by_name = {i.path.name: i for i in infos}
    habit = by_name["habit_attention.png"]
    assert "habit" in habit.title.lower() and "attention" in habit.title.lower()
    assert "Habit weight" in habit.caption and "Attentional bias" in habit.caption
    assert "LgA" in habit.caption  # the ShA/LgA cycle is named
    weekly = by_name["cue_dopamine_by_week.png"]
    assert "Willuhn" in weekly.caption and "ventral" in weekly.caption
    assert "dorsolateral" in weekly.caption and "week" in weekly.caption.lower()
    for info in (habit, weekly):  # one or two sentences
        assert 1 <= info.caption.replace("et al.", "et al").count(". ") + 1 <= 2, info.caption
    text = write_report(control_ds, infos, tmp_path / "report.html").read_text(encoding="utf-8")
    assert text.count('src="data:image/png;base64,') == len(infos)
    for info in (habit, weekly):
        assert html_escape(info.title) in text and html_escape(info.caption) in text
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert "Habit and attention" in how and "Willuhn" in how
    not_modelled = how[how.index("Not modelled yet"):]
    not_modelled = not_modelled[:not_modelled.index("</p>")]
    assert "habit" not in not_modelled and "attention" not in not_modelled
    assert "relapse" in not_modelled  # still missing
    for label in ("Habit weight (0 = goal-directed, 1 = habitual)",
                  "Attentional bias to drug cues (0–1)",
                  "Phasic DA at cue, dorsolateral striatum"):
        assert label in text


def test_control_figures_skipped_without_their_variables(any_ds: xr.Dataset,
                                                         tmp_path: Path) -> None:
    assert not {i.path.name for i in make_figures(any_ds, tmp_path / "old")} & CONTROL_FIGURES
    cycle = make_cycle_daily_ds()  # body model, no control model
    assert not {i.path.name for i in make_figures(cycle, tmp_path / "cycle")} & CONTROL_FIGURES
    for ds in (any_ds, cycle):
        assert not set(summary_tables(ds)["by_phase"][0]) & set(CONTROL_METRICS)
        text = write_report(ds, [], tmp_path / "r.html").read_text(encoding="utf-8")
        assert "Habit and attention" not in text


@pytest.mark.parametrize("maker", [make_control_episode_ds, make_control_daily_ds])
def test_control_figures_need_their_own_variables(maker, tmp_path: Path) -> None:
    ds = maker()
    only_habit = ds[["habit_weight"]]
    assert _assert_pngs(make_figures(only_habit, tmp_path / "h"), tmp_path / "h") == {
        "habit_attention.png"}
    only_bias = ds[["attentional_bias"]]
    assert _assert_pngs(make_figures(only_bias, tmp_path / "b"), tmp_path / "b") == {
        "habit_attention.png"}
    cue_vars = ["da_cue_dorsal", "cue_shown" if "episode" in ds.dims else "n_cue_events"]
    names = _assert_pngs(make_figures(ds[cue_vars], tmp_path / "d"), tmp_path / "d")
    assert names == {"cue_dopamine_by_week.png"}
    # the ventral line alone is not the figure: it needs the dorsal signal
    no_dorsal = ds.drop_vars("da_cue_dorsal")
    names = _assert_pngs(make_figures(no_dorsal, tmp_path / "v"), tmp_path / "v")
    assert "cue_dopamine_by_week.png" not in names and "habit_attention.png" in names
    # no trial with a cue at all: no week to average, so no weekly figure
    shown = "cue_shown" if "episode" in ds.dims else "n_cue_events"
    none = ds.assign({shown: xr.zeros_like(ds[shown])})
    assert "cue_dopamine_by_week.png" not in {i.path.name
                                              for i in make_figures(none, tmp_path / "n")}


@pytest.mark.parametrize("maker", [make_control_episode_ds, make_control_daily_ds])
def test_control_figures_edge_cases(maker, tmp_path: Path) -> None:
    one = maker().isel(subject=[1])  # a single subject: one arm, no s.e.m.
    assert CONTROL_FIGURES <= _assert_pngs(make_figures(one, tmp_path / "one"), tmp_path / "one")
    no_arm = maker().drop_vars(["arm", "param_d2_baseline"])
    assert CONTROL_FIGURES <= _assert_pngs(make_figures(no_arm, tmp_path / "na"), tmp_path / "na")
    no_phase = maker().drop_vars("phase")
    assert CONTROL_FIGURES <= _assert_pngs(make_figures(no_phase, tmp_path / "np"),
                                           tmp_path / "np")
    nans = maker().map(lambda v: v.astype(float) * np.nan, keep_attrs=True)
    names = {i.path.name for i in make_figures(nans, tmp_path / "n")}
    assert not names & CONTROL_FIGURES
    json.dumps(summary_tables(nans), allow_nan=False)


def test_habit_attention_series_are_daily_means(control_ds: xr.Dataset) -> None:
    ds_e = make_control_episode_ds()
    di = ds_e["day_index"].values
    for name in ("habit_weight", "attentional_bias"):
        s = figures_mod._series_for(control_ds, name, "mean")
        expected = np.stack([ds_e[name].values[:, di == d].mean(1) for d in np.unique(di)], 1)
        np.testing.assert_array_equal(s.x, np.unique(di))
        np.testing.assert_allclose(s.values, expected, rtol=1e-6)
        assert list(s.phases[[0, 3, 13, 21]]) == ["acquisition", "access", "abstinence",
                                                  "cue test"]


def test_weekly_cue_dopamine_means(control_ds: xr.Dataset) -> None:
    ds_e = make_control_episode_ds()
    got = figures_mod._weekly_cue_dopamine(control_ds)
    assert got is not None
    np.testing.assert_array_equal(got["weeks"], [1, 2, 3, 4])
    assert list(got["phases"]) == ["access", "access", "abstinence", "cue test"]
    for key, name in (("ventral", "da_cue"), ("dorsal", "da_cue_dorsal")):
        expected = expected_weekly(ds_e, name)
        np.testing.assert_allclose(got[key], expected, rtol=1e-6, equal_nan=True)
        # week 3 is all abstinence: no cue trial, a gap rather than a 0
        assert np.isnan(got[key][:, 2]).all() and np.isfinite(got[key][:, [0, 1, 3]]).all()
    # the cue-less days count for nothing: not the mean over every day of the week
    di = ds_e["day_index"].values
    days = np.unique(di)
    per_day = np.stack([np.where(ds_e["cue_shown"].values[:, di == d],
                                 ds_e["da_cue"].values[:, di == d], 0.0).sum(1)
                        / np.maximum(ds_e["cue_shown"].values[:, di == d].sum(1), 1)
                        for d in days], 1)
    assert not np.allclose(got["ventral"][:, 1], per_day[:, 7:14].mean(1))
    s, d = CUELESS_SUBJECT_DAY
    assert got["ventral"][s, 0] == pytest.approx(np.mean(per_day[s, [0, 1, 2, 3, 4, 6]]),
                                                 rel=1e-6)
    # the dorsal share of the signal grows with the habit weight, faster under LgA
    arm = control_ds["arm"].values
    share = got["dorsal"] / got["ventral"]
    lga, sha = share[arm == "LgA"].mean(0), share[arm == "ShA"].mean(0)
    assert lga[1] > lga[0] and sha[1] > sha[0] and lga[1] > sha[1]


def test_weekly_cue_dopamine_daily_without_counts_uses_nan() -> None:
    ds_e = make_control_episode_ds()
    daily = control_daily_from_episodes(ds_e)
    no_cue = daily["n_cue_events"].values == 0
    for name in ("da_cue", "da_cue_dorsal"):
        daily[name] = daily[name].where(~no_cue)
    got = figures_mod._weekly_cue_dopamine(daily.drop_vars("n_cue_events"))
    np.testing.assert_allclose(got["dorsal"], expected_weekly(ds_e, "da_cue_dorsal"),
                               rtol=1e-6, equal_nan=True)


def test_weekly_cue_dopamine_skips_summary_records() -> None:
    daily = make_control_daily_ds()
    phases = list(dict.fromkeys(daily["phase"].values.tolist()))
    data = {name: _var(np.stack([daily[name].values[:, daily["phase"].values == p].mean(1)
                                 for p in phases], 1), ("subject", "phase"), "u", name,
                       aggregation="mean")
            for name in ("habit_weight", "attentional_bias", "da_cue", "da_cue_dorsal")}
    ds = xr.Dataset(data, coords={"phase": phases, "subject": daily["subject"].values,
                                  "arm": ("subject", daily["arm"].values)},
                    attrs={**daily.attrs, "record": "summary"})
    assert figures_mod._weekly_cue_dopamine(ds) is None
    assert report.fig_cue_dopamine_by_week(ds, Path("/nonexistent")) is None


def test_weekly_figure_draws_the_arm_means(monkeypatch, tmp_path: Path) -> None:
    """The lines drawn are each arm's mean of the subjects' weekly means."""
    ds = make_control_daily_ds()
    saved = []
    real_save = figures_mod._save
    monkeypatch.setattr(figures_mod, "_save",
                        lambda fig, outdir, name: saved.append(fig) or real_save(fig, outdir, name))
    info = report.fig_cue_dopamine_by_week(ds, tmp_path)
    assert info is not None and info.path == tmp_path / "cue_dopamine_by_week.png"
    ax = saved[0].axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()
             if not line.get_label().startswith("_")}
    got = figures_mod._weekly_cue_dopamine(ds)
    arm = ds["arm"].values
    for a in ("ShA", "LgA"):
        for key, what, style in (("ventral", "ventral (accumbens)", "-"),
                                 ("dorsal", "dorsolateral", "--")):
            line = lines[f"{what}, {a}"]
            assert line.get_linestyle() == style
            np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
            np.testing.assert_allclose(line.get_ydata(), np.mean(got[key][arm == a], axis=0),
                                       rtol=1e-6, equal_nan=True)
    assert lines["dorsolateral, LgA"].get_color() == figures_mod.ARM_COLOURS["lga"]
    legend = saved[0].legends[0]
    assert {t.get_text() for t in legend.get_texts()} >= {
        "ventral (accumbens), ShA", "dorsolateral, LgA", "no drug delivered"}


def test_control_summary_tables(control_ds: xr.Dataset) -> None:
    tables = summary_tables(control_ds)
    assert json.loads(json.dumps(tables, allow_nan=False)) == tables
    rows = {(r["arm"], r["phase"]): r for r in tables["by_arm_and_phase"]}
    for row in rows.values():
        for key in CONTROL_METRICS:
            assert key in row
    assert rows[("LgA", "access")]["habit_weight"] > rows[("ShA", "access")]["habit_weight"]
    assert rows[("ShA", "abstinence")]["da_cue_dorsal"] is None   # no cue trial
    assert rows[("ShA", "abstinence")]["attentional_bias"] == pytest.approx(0.1)


def test_control_summary_agrees_between_episode_and_daily() -> None:
    ds_e = make_control_episode_ds()
    t_e, t_d = summary_tables(ds_e), summary_tables(control_daily_from_episodes(ds_e))
    for ra, rb in zip(t_e["by_arm_and_phase"], t_d["by_arm_and_phase"], strict=True):
        for m in CONTROL_METRICS:
            assert (ra[m] is None) == (rb[m] is None), (ra["phase"], m)
            if ra[m] is not None:
                assert ra[m] == pytest.approx(rb[m], rel=2e-3, abs=1e-6), (ra["phase"], m)
    # da_cue_dorsal is a mean over the phase's cue trials, not over every trial
    sel = ds_e["phase"].values == "access"
    shown = ds_e["cue_shown"].values[:, sel]
    v = ds_e["da_cue_dorsal"].values[:, sel]
    expected = np.mean([v[i][shown[i]].mean() for i in range(v.shape[0])])
    assert t_e["by_phase"][1]["da_cue_dorsal"] == pytest.approx(expected, rel=1e-3)


# ---------------------------------------------------------------------------
# Pavlovian conditioned approach: sign- and goal-tracking
# ---------------------------------------------------------------------------

#: Two arms; a 1-s response window in training (8 windows a trial) and the task default of
#: 2 s (4 windows) in the test, so the figure must keep to the first phase.
PCA_TEXT = """schema_version = 1
[scenario]
name = "pca"
seed = 3
contexts = ["box"]
cues = ["lever"]
[cohort]
subjects = 16
[[arm]]
name = "control"
[[arm]]
name = "critic blocked in training"
[arm.phases.training]
inactivate = ["vs"]
[[phase]]
name = "training"
task = "conditioned_approach"
context = "box"
cue = "lever"
days = 3
trials = 10
response_window = "1 s"
[[phase]]
name = "test"
task = "conditioned_approach"
context = "box"
cue = "lever"
days = 1
trials = 5
"""


@pytest.fixture(scope="module")
def pca_ds() -> xr.Dataset:
    try:
        import addictsim
    except Exception as exc:  # the top-level package may be mid-rewrite by others
        pytest.skip(f"addictsim does not import: {exc}")
    return addictsim.simulate(PCA_TEXT, record="episode", progress=False)


def test_sign_goal_tracking_figure(pca_ds: xr.Dataset, tmp_path: Path) -> None:
    assert figures_mod.has_conditioned_approach(pca_ds)
    assert figures_mod._pca_window_s(pca_ds) == 1.0  # the training phase's, from the text
    infos = make_figures(pca_ds, tmp_path / "fig")
    names = _assert_pngs(infos, tmp_path / "fig")
    assert "sign_goal_tracking.png" in names
    info = next(i for i in infos if i.path.name == "sign_goal_tracking.png")
    assert (tmp_path / "fig" / "sign_goal_tracking.png").read_bytes()[:8] == PNG_MAGIC
    for needed in ("Flagel et al. (2011", "Meyer et al. (2012)", "+0.5", "\u22120.5",
                   "sessions 2\u20133", "\u201ctraining\u201d", "8 \u00d7 1-s", "per arm",
                   "arm \u201ccontrol\u201d"):
        assert needed in info.caption, needed
    text = write_report(pca_ds, infos, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html_escape(info.caption) in text
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert "sign- and goal-tracking figure" in how and "Meyer et al. 2012" in how


def test_sign_goal_tracking_single_arm_and_one_session(pca_ds: xr.Dataset,
                                                       tmp_path: Path) -> None:
    day0 = pca_ds.isel(subject=np.flatnonzero(pca_ds.arm.values == "control"),
                       episode=np.flatnonzero(pca_ds.day_index.values == 0))
    day0 = day0.assign_coords(arm=("subject", np.full(day0.sizes["subject"], "all")))
    info = figures_mod.fig_sign_goal_tracking(day0, tmp_path)
    assert info is not None and info.path.read_bytes()[:8] == PNG_MAGIC
    assert "session 1 " in info.caption and "all subjects" in info.caption
    # without dopamine the approach panels are still drawn
    no_da = day0.drop_vars(["da_cue", "da_outcome"])
    assert figures_mod.fig_sign_goal_tracking(no_da, tmp_path) is not None


def test_sign_goal_tracking_needs_conditioned_approach_episodes(any_ds: xr.Dataset,
                                                                tmp_path: Path) -> None:
    assert not figures_mod.has_conditioned_approach(any_ds)
    assert figures_mod.fig_sign_goal_tracking(any_ds, tmp_path) is None
    assert not list(tmp_path.iterdir())
    assert "sign- and goal-tracking" not in report.html.how_to_read(any_ds)


def test_sign_goal_tracking_needs_episode_records(pca_ds: xr.Dataset, tmp_path: Path) -> None:
    no_action = pca_ds.drop_vars("action")
    assert figures_mod.fig_sign_goal_tracking(no_action, tmp_path) is None
    daily_like = pca_ds.assign_attrs(record="daily")
    assert figures_mod.fig_sign_goal_tracking(daily_like, tmp_path) is None


def test_pca_window_from_the_scenario_text(pca_ds: xr.Dataset) -> None:
    for text in (None, "", "not a scenario", "[scenario]\nname = 1\n"):
        ds = pca_ds.assign_attrs(scenario_text=text)
        assert figures_mod._pca_window_s(ds) == figures_mod.PCA_DEFAULT_WINDOW_S == 2.0
    default = PCA_TEXT.replace('response_window = "1 s"\n', "")
    assert figures_mod._pca_window_s(pca_ds.assign_attrs(scenario_text=default)) == 2.0


# ---------------------------------------------------------------------------
# Incentive salience: wanting vs liking, incubation of craving
# ---------------------------------------------------------------------------

WANTING_FIGURE = "wanting_liking.png"
WANTING_READING_MARK = "The wanting-and-liking figure"


def add_incentive_vars(ds: xr.Dataset, seed: int = 6) -> xr.Dataset:
    """The episode cycle with the incentive-salience variables, as ``simulate()`` records
    them: a light with each infusion and on every other trial of the cue tests (none in
    abstinence); ``wanting`` and ``craving`` on those cue trials, ``liking`` on the
    deliveries, 0 elsewhere. Sensitisation grows with drug taking, wanting with it, liking
    falls with D2 loss, and incubation rises from 0 through abstinence."""
    rng = np.random.default_rng(seed)
    ds = ds.copy()
    drug = ds["drug_taken"].values.astype(bool)
    phase = ds["phase"].values
    n_sub, n_ep = drug.shape
    test = np.broadcast_to((phase == "cue test") & (np.arange(n_ep) % 2 == 0), drug.shape)
    shown = drug | test
    sens = 1 - np.exp(-np.cumsum(drug, axis=1) / 40.0)
    since = np.cumsum(phase == "abstinence") / EPISODES_PER_DAY
    incubation = np.broadcast_to(np.where(phase == "acquisition", 0.0,
                                          0.1 * since * (phase != "access")), drug.shape)
    noise = 0.02 * rng.standard_normal(drug.shape)
    wanting = np.where(shown, (1 + sens) * (1 + incubation) + noise, 0.0)
    liking = np.where(drug, 0.5 * ds["receptor_availability"].values + noise, 0.0)
    dims = ("subject", "episode")
    ds["cue_shown"] = _var(shown, dims, "bool", "a cue was present in the episode")
    ds["delivered"] = _var(drug, dims, "bool", "something was delivered in the episode")
    ds["wanting"] = _var(wanting, dims, "reward units", "incentive value of the most wanted cue")
    ds["liking"] = _var(liking, dims, "reward units", "hedonic value of the outcome delivered")
    ds["craving"] = _var(np.clip(2.5 * wanting, 0, 10), dims, "0-10",
                         "cue-triggered wanting for the drug")
    ds["sensitization"] = _var(sens, dims, "0-1", "incentive sensitisation")
    ds["incubation"] = _var(incubation.copy(), dims, "1", "incubated rise of the incentive gain")
    return ds


def incentive_daily_from_episodes(ds: xr.Dataset) -> xr.Dataset:
    """:func:`cycle_daily_from_episodes` plus the incentive variables, aggregated as the
    engine does: event means over cue trials (wanting, craving) or deliveries (liking), 0
    without any; daily means (sensitisation, incubation); the event counts."""
    daily = cycle_daily_from_episodes(ds)
    di = ds["day_index"].values
    days = np.unique(di)
    dims = ("subject", "day")
    counts = {}
    for flag, count in (("cue_shown", "n_cue_events"), ("delivered", "n_deliveries")):
        f = ds[flag].values.astype(float)
        counts[flag] = np.stack([f[:, di == d].sum(1) for d in days], 1)
        daily[count] = _var(counts[flag], dims, "count", count, aggregation="sum")
    for name, flag in (("wanting", "cue_shown"), ("craving", "cue_shown"),
                       ("liking", "delivered")):
        v = ds[name].values * ds[flag].values
        tot = np.stack([v[:, di == d].sum(1) for d in days], 1)
        n = counts[flag]
        daily[name] = _var(np.where(n > 0, tot / np.maximum(n, 1), 0.0), dims,
                           ds[name].attrs["units"], ds[name].attrs["long_name"],
                           aggregation="event_mean")
    for name in ("sensitization", "incubation"):
        v = ds[name].values
        daily[name] = _var(np.stack([v[:, di == d].mean(1) for d in days], 1), dims,
                           ds[name].attrs["units"], ds[name].attrs["long_name"],
                           aggregation="mean")
    return daily


def incentive_summary_from_daily(daily: xr.Dataset) -> xr.Dataset:
    """Per-phase records: event means weighted by their daily counts, means of the rest."""
    phases = list(dict.fromkeys(daily["phase"].values.tolist()))
    ph = daily["phase"].values
    data = {}
    for name, count in (("wanting", "n_cue_events"), ("craving", "n_cue_events"),
                        ("liking", "n_deliveries"), ("incubation", None),
                        ("drug_taken", None), ("n_cue_events", None), ("n_deliveries", None)):
        v = daily[name].values
        cols = []
        for p in phases:
            sel = ph == p
            if count is None:
                agg = v[:, sel].sum(1) if name.startswith(("n_", "drug")) else v[:, sel].mean(1)
            else:
                w = daily[count].values[:, sel]
                agg = np.where(w.sum(1) > 0, (v[:, sel] * w).sum(1) / np.maximum(w.sum(1), 1),
                               0.0)
            cols.append(agg)
        data[name] = _var(np.stack(cols, 1), ("subject", "phase"), daily[name].attrs["units"],
                          name, aggregation=daily[name].attrs["aggregation"])
    return xr.Dataset(data, coords={"phase": phases, "subject": daily["subject"].values,
                                    "arm": ("subject", daily["arm"].values)},
                      attrs={**daily.attrs, "record": "summary"})


def make_incentive_episode_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    return add_incentive_vars(make_cycle_episode_ds(n_sub, seed))


def make_incentive_daily_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    return incentive_daily_from_episodes(make_incentive_episode_ds(n_sub, seed))


def make_incentive_summary_ds(n_sub: int = 6, seed: int = 4) -> xr.Dataset:
    return incentive_summary_from_daily(make_incentive_daily_ds(n_sub, seed))


@pytest.fixture(params=["episode", "daily", "summary"])
def incentive_ds(request) -> xr.Dataset:
    return {"episode": make_incentive_episode_ds, "daily": make_incentive_daily_ds,
            "summary": make_incentive_summary_ds}[request.param]()


def test_wanting_liking_figure_and_report(incentive_ds: xr.Dataset, tmp_path: Path) -> None:
    ds = incentive_ds.assign_attrs(scenario_name="addiction-cycle")
    infos = make_figures(ds, tmp_path / "fig")
    names = [i.path.name for i in infos]
    assert WANTING_FIGURE in _assert_pngs(infos, tmp_path / "fig")
    if "withdrawal_mood.png" in names:  # registered right after the withdrawal figure
        assert names.index(WANTING_FIGURE) == names.index("withdrawal_mood.png") + 1
    info = infos[names.index(WANTING_FIGURE)]
    assert "wanting" in info.title.lower() and "liking" in info.title.lower()
    for needed in ("Berridge & Robinson 1998", "Robinson & Berridge 1993",
                   "Grimm et al. 2001", "day-30 cue test above the day-1 test", "ShA", "LgA",
                   "after the last drug delivery", "incubation"):
        assert needed in info.caption, needed
    text = write_report(ds, infos, tmp_path / "report.html").read_text(encoding="utf-8")
    assert html_escape(info.title) in text and html_escape(info.caption) in text
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert WANTING_READING_MARK in how and "Grimm et al. 2001" in how
    if "sensitization" in ds.data_vars:  # modelled now: no longer listed as missing
        not_modelled = how[how.index("Not modelled yet"):]
        assert "sensitisation" not in not_modelled[:not_modelled.index("</p>")]


def test_wanting_liking_series_are_event_means() -> None:
    ds_e = make_incentive_episode_ds()
    ds_d = incentive_daily_from_episodes(ds_e)
    got_e = figures_mod._wanting_liking_data(ds_e)
    got_d = figures_mod._wanting_liking_data(ds_d)
    for name in ("wanting", "liking", "craving", "incubation"):
        np.testing.assert_allclose(got_e[name].values, got_d[name].values, rtol=1e-6,
                                   err_msg=name)
    phase = ds_d["phase"].values
    wanting, liking = got_d["wanting"].values, got_d["liking"].values
    assert np.isnan(wanting[:, phase == "abstinence"]).all()      # no cue: a gap, not 0
    assert np.isfinite(wanting[:, phase == "cue test"]).all()
    assert np.isnan(liking[:, np.isin(phase, ["abstinence", "cue test"])]).all()
    assert np.isfinite(liking[:, phase == "access"]).all()
    # the cue tests are the days with a cue after the last drug delivery
    np.testing.assert_array_equal(got_d["tests"], phase == "cue test")
    assert got_d["after_drug"] and got_e["after_drug"]
    got_s = figures_mod._wanting_liking_data(incentive_summary_from_daily(ds_d))
    assert got_s["wanting"].categorical
    np.testing.assert_array_equal(got_s["tests"], np.array([p == "cue test" for p in
                                                            dict.fromkeys(phase)]))


def test_wanting_liking_skipped_without_its_data(any_ds: xr.Dataset, tmp_path: Path) -> None:
    # older results (no wanting) draw no such figure and no reading paragraph
    figs = tmp_path / "fig"
    figs.mkdir()
    assert not figures_mod.has_wanting_liking(any_ds)
    assert figures_mod.fig_wanting_liking(any_ds, figs) is None
    assert not list(figs.iterdir())
    assert WANTING_READING_MARK not in report.html.how_to_read(any_ds)
    full = make_incentive_daily_ds()
    assert WANTING_READING_MARK in report.html.how_to_read(full)
    for drop in (["wanting"], ["liking"]):
        ds = full.drop_vars(drop)
        assert not figures_mod.has_wanting_liking(ds)
        assert figures_mod.fig_wanting_liking(ds, figs) is None
        assert not list(figs.iterdir())
        text = write_report(ds, [], tmp_path / "r.html").read_text(encoding="utf-8")
        assert WANTING_READING_MARK not in text
    # no trial with a cue and none with a delivery: nothing to average
    ds = make_incentive_daily_ds()
    ds["n_cue_events"] = ds["n_cue_events"] * 0
    ds["n_deliveries"] = ds["n_deliveries"] * 0
    assert not figures_mod.has_wanting_liking(ds)
    assert figures_mod.fig_wanting_liking(ds, figs) is None
    assert not list(figs.iterdir())


@pytest.mark.parametrize("maker", [make_incentive_episode_ds, make_incentive_daily_ds,
                                   make_incentive_summary_ds])
def test_wanting_liking_edge_cases(maker, tmp_path: Path) -> None:
    for sub in ("one", "na", "a", "nd", "n"):
        (tmp_path / sub).mkdir()
    one = maker().isel(subject=[1])  # a single subject: one arm, no s.e.m.
    assert figures_mod.fig_wanting_liking(one, tmp_path / "one") is not None
    no_arm = maker().drop_vars("arm")
    assert figures_mod.fig_wanting_liking(no_arm, tmp_path / "na") is not None
    only_a = maker().drop_vars(["craving", "incubation"])  # panel A alone
    info = figures_mod.fig_wanting_liking(only_a, tmp_path / "a")
    assert info is not None and "B:" not in info.caption and "B, " not in info.caption
    assert "Grimm" not in info.caption
    no_drug = maker().drop_vars([v for v in ("drug_taken", "dose") if v in maker().data_vars])
    info = figures_mod.fig_wanting_liking(no_drug, tmp_path / "nd")
    assert info is not None and "every" in info.caption  # no drug record: every cue day
    nans = maker().map(lambda v: v.astype(float) * np.nan, keep_attrs=True)
    assert figures_mod.fig_wanting_liking(nans, tmp_path / "n") is None
    for sub in ("one", "na", "a", "nd"):
        assert (tmp_path / sub / WANTING_FIGURE).read_bytes()[:8] == PNG_MAGIC
        assert not [p for p in (tmp_path / sub).iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------
# Behavioural economics: the demand figure and table
# ---------------------------------------------------------------------------

#: Two arms whose access sessions differ in length (so the run is recorded daily), then a
#: demand phase at four prices with 2-s response windows.
DEMAND_TEXT = """schema_version = 1
[scenario]
name = "demand report"
seed = 11
cues = ["light"]
[cohort]
subjects = 6
[[arm]]
name = "ShA"
[[arm]]
name = "LgA"
[arm.phases.access]
session = "1 h"
[[phase]]
name = "access"
task = "self_administration"
dose = "0.75 mg/kg"
cue = "light"
session = "20 min"
days = 2
[[phase]]
name = "demand"
task = "demand"
dose = "0.75 mg/kg"
cue = "light"
prices = [1, 4, 16, 64]
session = "20 min"
response_window = "2 s"
"""
DEMAND_FIGURE = "demand.png"
DEMAND_READING_MARK = "The demand figure and table"


@pytest.fixture(scope="module")
def demand_ds() -> xr.Dataset:
    try:
        import addictsim
    except Exception as exc:  # the top-level package may be mid-rewrite by others
        pytest.skip(f"addictsim does not import: {exc}")
    return addictsim.simulate(DEMAND_TEXT, progress=False)


def test_demand_figure_and_table(demand_ds: xr.Dataset, tmp_path: Path) -> None:
    assert demand_ds.attrs["record"] == "daily"
    assert figures_mod.has_demand(demand_ds)
    infos = make_figures(demand_ds, tmp_path / "fig")
    names = _assert_pngs(infos, tmp_path / "fig")
    assert DEMAND_FIGURE in names
    info = next(i for i in infos if i.path.name == DEMAND_FIGURE)
    for needed in ("Hursh & Silberberg (2008)", "cocaine", "ShA:", "LgA:", "Q0", "alpha",
                   "Pmax", "apparatus", "k = "):
        assert needed in info.caption, needed
    text = write_report(demand_ds, infos, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html_escape(info.caption) in text
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert DEMAND_READING_MARK in how and "Christensen et al. (2008)" in how
    table = text[text.index("<h2>Demand curve fits"):]
    table = table[:table.index("</section>")]
    for needed in ("Q0 (deliveries / session)", "Alpha (1 / responses)",
                   "Pmax (responses / delivery)", "of 3", "Q0 (demand intensity)",
                   "interquartile range", "range parameter k"):
        assert needed in table, needed
    assert table.index(">ShA<") < table.index(">LgA<")


def test_demand_table_cells(demand_ds: xr.Dataset, tmp_path: Path) -> None:
    """The table shows each arm's median (IQR) of the per-subject fits; given rows are used
    as they are."""
    from addictsim.analysis.demand import demand_summary

    rows = demand_summary(demand_ds)
    assert [r["arm"] for r in rows] == ["ShA", "LgA"]
    fake = [dict(rows[0], q0={"median": 12.3456, "q25": 11.0, "q75": 13.5},
                 alpha={"median": 4.3e-05, "q25": 4.1e-05, "q75": 4.6e-05},
                 pmax={"median": 1016.4, "q25": 978.2, "q75": 1100.3},
                 r2={"median": None, "q25": None, "q75": None}, n_fitted=2, n_subjects=3)]
    text = write_report(demand_ds, [], tmp_path / "r.html", demand=fake).read_text(
        encoding="utf-8")
    section = text[text.index("<h2>Demand curve fits"):text.index("<h2>Summary")]
    for needed in ("12.3 (11–13.5)", "4.3e-05 (4.1e-05–4.6e-05)", "1016 (978–1100)",
                   "2 of 3", '<td class="num">–</td>'):   # R² not estimated: a dash
        assert needed in section, needed
    assert ">LgA<" not in section


def test_demand_in_summary_json(demand_ds: xr.Dataset, tmp_path: Path) -> None:
    import addictsim

    out = addictsim.write_run(demand_ds, tmp_path / "run")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = summary["demand"]
    assert [(r["phase"], r["arm"]) for r in rows] == [("demand", "ShA"), ("demand", "LgA")]
    for r in rows:
        assert r["prices"] == [1.0, 4.0, 16.0, 64.0] and r["n_subjects"] == 3
        assert len(r["mean_consumption"]) == 4 and r["k"] > 0
        assert set(r["alpha"]) == {"median", "q25", "q75"}
    assert (out / "figures" / DEMAND_FIGURE).exists()
    assert "Demand curve fits" in (out / "report.html").read_text(encoding="utf-8")


def test_no_demand_figure_or_table_without_a_demand_phase(any_ds: xr.Dataset,
                                                         tmp_path: Path) -> None:
    assert not figures_mod.has_demand(any_ds)
    assert figures_mod.fig_demand(any_ds, tmp_path) is None
    assert not list(tmp_path.iterdir())
    text = write_report(any_ds, [], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Demand curve fits" not in text and DEMAND_READING_MARK not in text


def test_no_demand_figure_from_per_phase_records(demand_ds: xr.Dataset,
                                                 tmp_path: Path) -> None:
    """Per-phase (summary) records cannot be split by price: no figure, no table."""
    per_phase = xr.Dataset(
        {"drug_taken": demand_ds.drug_taken.groupby("phase").sum("day")},
        coords={"arm": demand_ds.arm}, attrs={**demand_ds.attrs, "record": "summary"})
    assert not figures_mod.has_demand(per_phase)
    assert figures_mod.fig_demand(per_phase, tmp_path) is None
    text = write_report(per_phase, [], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Demand curve fits" not in text and DEMAND_READING_MARK not in text


# ----------------------------------------------------------------------------------------
# Delay discounting: the indifference-point figure and the table of k

DISCOUNTING_TEXT = """schema_version = 1
[scenario]
name = "discounting report"
species = "human"
contexts = ["lab"]
[[arm]]
name = "patient"
[[arm]]
name = "steady"
[[phase]]
name = "money"
task = "self_administration"
context = "lab"
reinforcer = "money"
session = "10 min"
days = 1
[[phase]]
name = "choices"
task = "delay_discounting"
context = "lab"
amount = 100
delays = ["1 week", "1 year", "10 years"]
trials_per_delay = 4
"""
DISCOUNTING_READING_MARK = "The delay-discounting figure and table"


@pytest.fixture(scope="module")
def discounting_ds() -> xr.Dataset:
    import addictsim

    return addictsim.simulate(DISCOUNTING_TEXT, subjects=8, record="episode", progress=False)


def test_discounting_figure_table_and_summary(discounting_ds: xr.Dataset,
                                              tmp_path: Path) -> None:
    import addictsim

    assert figures_mod.has_discounting(discounting_ds)
    out = addictsim.write_run(discounting_ds, tmp_path / "run")
    assert (out / "figures" / "discounting.png").exists()
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["discounting"]
    assert [(r["phase"], r["arm"]) for r in rows] == [("choices", "patient"),
                                                      ("choices", "steady")]
    for r in rows:
        assert r["n_subjects"] == 4 and len(r["points_median"]) == 3
        assert r["delays_d"] == [7.0, 365.25, 3652.5]
        assert 0 < r["k"]["median"] and 0 <= r["hyperbolic_better_share"] <= 1
    text = (out / "report.html").read_text(encoding="utf-8")
    how = text[text.index("How to read this report"):text.index("<h2>Figures")]
    assert DISCOUNTING_READING_MARK in how
    table = text[text.index("<h2>Delay discounting"):]
    table = table[:table.index("</section>")]
    for needed in ("k (1/d)", "Area under the curve", ">patient<", ">steady<", "%"):
        assert needed in table, needed
    assert "Kurth-Nelson &amp; Redish 2009" in text        # the figure's caption


def test_no_discounting_figure_or_table_without_choices(any_ds: xr.Dataset,
                                                        discounting_ds: xr.Dataset,
                                                        tmp_path: Path) -> None:
    assert not figures_mod.has_discounting(any_ds)
    assert figures_mod.fig_discounting(any_ds, tmp_path) is None
    text = write_report(any_ds, [], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h2>Delay discounting" not in text and DISCOUNTING_READING_MARK not in text
    # daily records cannot replay the adjusting series: no figure either
    daily = discounting_ds.drop_dims("episode")
    assert not figures_mod.has_discounting(daily)


def test_how_to_read_drops_relapse_from_not_modelled_when_memories_are_recorded() -> None:
    """The memory layer (brain.memory) models relapse and reinstatement: a run that records
    it must not be told they are missing; one without it still is."""
    import addictsim

    ds = addictsim.simulate("place-preference", subjects=8, record="summary", progress=False)
    assert "memory_original" in ds.data_vars
    assert "relapse and reinstatement" not in report.html.how_to_read(ds)
    older = report.html.how_to_read(ds.drop_vars("memory_original"))
    assert "Not modelled yet" in older and "relapse and reinstatement" in older


def test_a_reopened_run_reads_like_the_fresh_one(tmp_path: Path) -> None:
    """Zarr gives text labels back as numpy's variable-width StringDType; open_results turns
    them back into fixed-width text, so the analyses that compare arm and phase labels (and
    ``.astype(str)`` them) work on a saved run as on a fresh one."""
    import addictsim
    from addictsim import results

    ds = addictsim.simulate("place-preference", subjects=8, record="summary", progress=False)
    results.write_run(ds, tmp_path / "run")
    back = addictsim.open_results(tmp_path / "run")
    for name in ("arm", "phase"):
        assert back[name].dtype.kind == "U"
        assert list(back[name].values) == list(ds[name].values)
    assert report.html.how_to_read(back) == report.html.how_to_read(ds)
    assert summary_tables(back) == summary_tables(ds)
