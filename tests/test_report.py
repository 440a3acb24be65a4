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
        "cue_value": _var(np.broadcast_to(learn * ext, (n_sub, n_ep)) + noise(), dims, "reward units",
                          "cue value"),
        "craving": _var(np.clip(8 * learn * ext + noise(), 0, 10), dims, "0-10", "craving"),
        "average_reward": _var(np.full((n_sub, n_ep), 0.1), dims, "reward units/s", "average reward"),
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
        "cue_value": _var(learn + noise(), dims, "reward units", "cue value", aggregation="mean"),
        "craving": _var(np.clip(6 * learn + noise(), 0, 10), dims, "0-10", "craving", aggregation="mean"),
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
        "cue_value": _var(r(np.array([0.8, 0.2, 0.5])), dims, "reward units", "cue value", aggregation="mean"),
        "craving": _var(r(np.array([6.0, 2.0, 5.0])), dims, "0-10", "craving", aggregation="mean"),
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
    assert {"cue_value.png", "seeking.png", "craving.png"} <= names
    # Daily mode with zero event counts has no event means to plot: skipped, not crashed.
    assert ("dopamine_shift.png" in names) == (maker is not make_daily_ds)
    tables = summary_tables(ds)
    json.dumps(tables, allow_nan=False)


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
