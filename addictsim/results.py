"""``simulate``: scenario -> cohort -> engine -> labelled ``xarray.Dataset``; and run output files."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import jax
import numpy as np
import xarray as xr

from . import engine
from ._version import __version__
from .brain.params import BIN_S, N_BINS, BrainParams
from .cohort import cohort_params, to_params
from .engine import AGGREGATION, COUNT_VARS, Record
from .scenario import Scenario, ScenarioError, load_scenario
from .world.apparatus import SLOT_LEGEND
from .world.schedule import CompiledSchedule, at_risk_from, compile_schedule

#: units and long names of every recorded variable
VARIABLES: dict[str, tuple[str, str]] = {
    "action": ("code", "action taken (slot)"),
    "branch": ("code", "sequential tasks: the branch a first-step response led to (two-step: "
                       "0 = state B, 1 = state C, -1 = no response or another task)"),
    "seek": ("bool", "responded on the seeking (active) manipulandum"),
    "alternative": ("bool", "responded on the alternative manipulandum (the inactive lever, "
                            "or the other option of a choice)"),
    "drug_taken": ("bool", "a drug was delivered"),
    "dose": ("drug units (e.g. mg/kg)", "drug delivered"),
    "natural_taken": ("bool", "a natural reward was delivered"),
    "da_cue": ("reward units", "phasic dopamine (TD error) at cue onset, ventral"),
    "da_outcome": ("reward units", "phasic dopamine (TD error) at the outcome time"),
    "da_cue_dorsal": ("reward units", "phasic dopamine at cue onset relayed to the dorsal "
                                      "(habit) striatum"),
    "habit_weight": ("0-1", "habit share of control of the seeking manipulandum (0 goal-directed, "
                            "1 habitual; the td and redish2004 variants record it but choose "
                            "by cached values alone)"),
    "attentional_bias": ("0-1", "share of attention captured by drug cues in the current context "
                                "(dot-probe analogue)"),
    "da_extracellular_pct": ("% of baseline", "accumbens extracellular dopamine in the episode"),
    "da_dorsal_pct": ("% of baseline", "dorsal striatal extracellular dopamine in the episode"),
    "drug_level": ("dose units (e.g. mg/kg)", "drug in the body at the episode's start"),
    "receptor_availability": ("1 (population baseline 1)", "striatal D2 receptor availability"),
    "withdrawal": ("0-1", "unrelieved withdrawal (hypodopaminergic state)"),
    "mood": ("-1..1", "hedonic tone relative to the drug-naive baseline"),
    "hedonic_setpoint": ("reward units", "rise of the hedonic set point (allostasis)"),
    "reward_threshold": ("pellets", "ICSS-threshold analogue: natural reward needed to respond"),
    "drug_setpoint": ("drug level / ed50", "homeostatic setpoint of the drug level"),
    "pfc_control": ("0-1", "prefrontal inhibitory control (the veto on punished habits)"),
    "fear": ("reward units", "punishment predicted by the cues present (conditioned fear)"),
    "memory_original": ("0-1", "retrieval of the first memory (what was learned before any "
                                "extinction) against the memories formed since (brain.memory)"),
    "memory_labile": ("0-1", "lability of the retrieved memory: opened by a retrieval with a "
                             "prediction error, closing over hours (reconsolidation; "
                             "brain.memory)"),
    "stress": ("0-1", "stress, raised by footshock above an intensity threshold "
                      "(brain.interoception)"),
    "memories": ("count", "memories the subject holds (a new one opens when expected outcomes "
                          "stop coming)"),
    "cue_value": ("reward units", "learned value of the strongest cue present"),
    "craving": ("0-10", "wanting for the drug triggered by a cue or by the body state "
                        "(brain.incentive, brain.interoception); defined on craving probes"),
    "wanting": ("reward units", "incentive value of the most wanted cue present: its learned "
                                "value at the current state's incentive gain (negative for a "
                                "repulsive cue)"),
    "liking": ("reward units", "hedonic value of the outcome delivered in the episode (defined "
                               "on episodes with a delivery, 0 elsewhere)"),
    "sensitization": ("0-1", "incentive sensitisation"),
    "incubation": ("1", "incubated rise of the incentive gain of drug cues (0 while in use)"),
    "average_reward": ("reward units/s", "average reward rate (opportunity cost of time)"),
    "da_phasic": ("reward units", "phasic dopamine (TD error) in each within-episode bin"),
    "cue_shown": ("bool", "a cue was present in the episode (cue_value and da_cue are "
                          "defined on these episodes and 0 elsewhere)"),
    "first_hour_intake": ("count", "drug deliveries in the first hour of a session"),
    "seek_no_drug": ("count", "seeking presses while a no-drug period is signalled"),
    "commission": ("count", "presses on no-go trials (commission errors)"),
    "relapse": ("bool", "a return to regular use after abstinence began, as the scenario's "
                        "[relapse] rule defines it (use on N days within M), counting use up "
                        "to this point (analysis.relapse)"),
    "lapse": ("bool", "a lapse: a drug the subject's own response earned after abstinence "
                      "began (world.schedule.abstinence_began; drugs given by the "
                      "experimenter are not use)"),
    "n_episodes": ("count", "episodes aggregated"),
    "n_cue_events": ("count", "episodes with a cue"),
    "n_outcome_events": ("count", "episodes with an outcome time"),
    "delivered": ("bool", "something was delivered in the episode"),
    "craving_probe": ("bool", "something triggered craving in the episode: a cue shown, or a "
                              "body state that alone makes craving 1 of 10 or more (craving is "
                              "defined on these episodes)"),
    "n_craving_events": ("count", "craving probes (episodes with a cue, or a body state that "
                                  "triggers craving)"),
    "n_deliveries": ("count", "episodes with a delivery"),
}
EPISODE_BUDGET_BYTES = 1024 * 2**20
TRACE_BUDGET_BYTES = 64 * 2**20
DEFAULT_CHUNK = 1000
#: a smaller arm runs padded to this many subjects (unless ``chunk_size`` is given), so that
#: small cohorts of one scenario share one compiled program whatever their size
MIN_CHUNK = 8


def choose_record(subjects: int, n_episodes: int) -> tuple[Record, str]:
    need = subjects * n_episodes * len(engine.EPISODE_VARS) * 4
    if need <= EPISODE_BUDGET_BYTES:
        return Record.EPISODE, f"recording every episode ({need / 2**20:.0f} MiB)"
    return Record.DAILY, (f"recording daily aggregates: {subjects} subjects x {n_episodes} "
                          f"episodes would need {need / 2**30:.1f} GiB per episode")


def _progress(enabled: bool):
    from rich.progress import (BarColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"),
                    TextColumn("{task.fields[done]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    disable=not enabled, transient=False)


def simulate(scenario: Scenario | str | Path, *, subjects: int | None = None,
             seed: int | None = None, record: str | Record | None = None,
             chunk_size: int | None = None, precision: str = "float32",
             trace: bool | None = None, progress: bool | None = None) -> xr.Dataset:
    """Simulate a scenario for a cohort and return the labelled results.

    ``scenario`` is a ``Scenario``, a path, a shipped scenario's name or TOML
    text; keyword arguments override the file. ``record`` is ``"episode"``,
    ``"daily"`` or ``"summary"`` (default: episodes when they fit in memory,
    else days; ``ds.attrs["record_reason"]`` says which). ``precision`` is
    ``"float32"`` or ``"float64"``. ``trace`` adds ``da_phasic`` (the error in
    every within-episode bin) in episode mode. Raises
    ``engine.NumericalError`` if the results are not finite.
    """
    sc = load_scenario(scenario)
    n = int(subjects if subjects is not None else sc.total_subjects())
    if n <= 0:
        raise ValueError(f"subjects must be positive, got {n}")
    seed = int(sc.scenario.seed if seed is None else seed)
    if precision not in ("float32", "float64"):
        raise ValueError(f"precision must be 'float32' or 'float64', got {precision!r}")
    x64 = precision == "float64"
    dtype = np.float64 if x64 else np.float32
    engine.enable_persistent_cache()

    arms = sc.arm_sizes(n)
    schedules = [(arm, k, compile_schedule(sc, arm)) for arm, k in arms if k > 0]
    max_ep = max(s.n_episodes for _, _, s in schedules)
    if record is None:
        rec, reason = choose_record(n, max_ep)
        scheds = [s for _, _, s in schedules]
        if rec is Record.EPISODE and not _same_timeline(scheds):
            rec, reason = Record.DAILY, ("recording daily aggregates: the arms have different "
                                         "timelines (e.g. session lengths), so their episodes "
                                         "do not line up")
        if rec is Record.DAILY and not _same_days(scheds):
            rec, reason = Record.SUMMARY, ("recording per-phase aggregates: the arms' phases "
                                           "fall on different days (e.g. abstinence lengths), "
                                           "so neither their episodes nor their days line up")
    else:
        rec, reason = Record(record), f"recording {Record(record).value} (requested)"
    if trace is None:
        trace = rec is Record.EPISODE and n * max_ep * (N_BINS + 1) * 4 <= TRACE_BUDGET_BYTES
    if progress is None:
        progress = sys.stderr.isatty()

    parts = []
    first_id = 0
    with engine.x64_context(x64):
        root = jax.random.key(seed)
        with _progress(bool(progress)) as bar:
            total = sum(k * s.n_episodes for _, k, s in schedules)
            task = bar.add_task(sc.name, total=total, done="")
            for arm, k, cs in schedules:
                ids = np.arange(first_id, first_id + k)
                first_id += k
                out, coords = _run_arm(sc, cs, ids, root, rec, bool(trace), x64, dtype,
                                       chunk_size, lambda m: bar.advance(task, m),
                                       lambda s: bar.update(task, done=s), arm=arm)
                parts.append(_arm_dataset(cs, out, coords, ids, arm, rec))
    ds = _combine(parts, rec)
    bad = [k for k, v in ds.data_vars.items()
           if np.issubdtype(v.dtype, np.floating) and not np.all(np.isfinite(v.values))]
    if bad:
        raise engine.NumericalError(f"non-finite values in {', '.join(bad)}; check parameter "
                                    "overrides (e.g. very large learning rates or doses)")
    ds.attrs.update(_provenance(sc, seed, n, rec, reason, precision))
    ds.attrs.update(relapse_use_days=sc.relapse.use_days,
                    relapse_within_days=sc.relapse.within_days)
    if rec is not Record.SUMMARY:
        from .analysis.relapse import Rule, relapse_record

        dims = ds.lapse.dims
        ds["relapse"] = (dims, relapse_record(ds, Rule(sc.relapse.use_days,
                                                       sc.relapse.within_days)),
                         _attrs("relapse", rule=f"use on {sc.relapse.use_days} days within "
                                                f"{sc.relapse.within_days}"))
    return ds


def _run_arm(sc, cs: CompiledSchedule, ids, root, rec, trace, x64, dtype, chunk_size, advance,
             say=lambda s: None, arm: str | None = None):
    rows, dims = engine.pad_schedule(cs, rec, dtype)
    values, _ = cohort_params(sc, ids, root, dtype)
    if chunk_size:
        chunk = max(1, min(int(chunk_size), len(ids)))
    else:
        chunk = max(MIN_CHUNK, min(DEFAULT_CHUNK, len(ids)))
    k = engine.n_devices()
    chunk = -(-chunk // k) * k          # a multiple of the device count (padded subjects)
    outs = []
    for start in range(0, len(ids), chunk):
        sl = slice(start, min(start + chunk, len(ids)))
        m = sl.stop - sl.start
        cid = ids[sl]
        cvals = {k: v[sl] for k, v in values.items()}
        if m < chunk:  # pad the last chunk so every chunk shares one compiled program
            extra = chunk - m
            cid = np.concatenate([cid, np.arange(ids[-1] + 1, ids[-1] + 1 + extra)])
            cvals = {k: np.concatenate([v, np.repeat(v[:1], extra)]) for k, v in cvals.items()}
        keys = engine.subject_keys(root, cid)
        say(f"subjects {sl.start + 1}-{sl.stop} of {len(ids)}" + (f" ({arm})" if arm else ""))
        left = [cs.n_episodes]

        def seg_done(k):
            step = min(k, left[0])
            left[0] -= step
            advance(m * step)

        out = engine.run_chunk(to_params(cvals, dtype), keys, rows, dims,
                               model=sc.scenario.model, record=rec, trace=trace, x64=x64,
                               on_segment=seg_done)
        outs.append(jax.tree.map(lambda a: a[:m], out))
    merged = outs[0] if len(outs) == 1 else {k: np.concatenate([o[k] for o in outs])
                                             for k in outs[0]}
    return merged, values


def _attrs(name: str, **extra) -> dict[str, Any]:
    units, long_name = VARIABLES[name]
    out = {"units": units, "long_name": long_name}
    if name in AGGREGATION:
        how = AGGREGATION[name]
        out["aggregation"] = "event_mean" if how.startswith("event:") else how
    out.update(extra)
    return out


def _scheduled_cues(cs: CompiledSchedule) -> np.ndarray:
    """Per episode, the cues the schedule shows at its onset, joined by "+" ("" for none)."""
    names = np.array(cs.cues, dtype=object)
    on = cs.arrays["cs_onset"] >= 0
    return np.array(["+".join(names[row]) for row in on], dtype=str)


def _arm_dataset(cs: CompiledSchedule, out, params, ids, arm, rec: Record) -> xr.Dataset:
    e = cs.n_episodes
    subj = {"subject": ("subject", ids), "arm": ("subject", np.array([arm or "all"] * len(ids))),
            # the day the subject's arm returns to the drug after abstinence (NaN: never)
            "at_risk_from": ("subject", np.full(len(ids), at_risk_from(cs)))}
    for k, v in params.items():
        subj[f"param_{k}"] = ("subject", np.asarray(v, np.float64))
    if rec is Record.EPISODE:
        data = {}
        for k in engine.EPISODE_VARS:
            v = out[k][:, :e]
            if k == "action":
                data[k] = (("subject", "episode"), v.astype(np.int8), _attrs(k, legend=SLOT_LEGEND))
            elif k == "branch":
                data[k] = (("subject", "episode"), v.astype(np.int8), _attrs(k))
            else:
                data[k] = (("subject", "episode"), v, _attrs(k))
        if "da_phasic" in out:
            data["da_phasic"] = (("subject", "episode", "bin"), out["da_phasic"][:, :e],
                                 _attrs("da_phasic"))
        coords = dict(subj)
        coords.update(episode=("episode", np.arange(e)), day=("episode", cs.day),
                      day_index=("episode", cs.day_index),
                      phase=("episode", np.array([cs.phase_names[i] for i in cs.phase_index])),
                      trial_type=("episode", cs.trial_type.astype(str)),
                      context=("episode", np.array(cs.contexts)[cs.arrays["context"]]),
                      scheduled_cues=("episode", _scheduled_cues(cs)))
        if "da_phasic" in out:
            coords["bin"] = ("bin", np.arange(N_BINS + 1) * BIN_S)
        return xr.Dataset(data, coords=coords)

    groups = cs.day_index if rec is Record.DAILY else cs.phase_index
    present = np.unique(groups)
    sums, weights, maxs, counts = out["sums"], out["weights"], out["maxs"], out["counts"]
    data = {}
    for j, k in enumerate(engine.AGG_VARS):
        how = AGGREGATION[k]
        if how == "sum":
            v = sums[:, present, j]
        elif how == "max":
            v = maxs[:, present, engine.MAX_VARS.index(k)]
            v = np.where(np.isfinite(v), v, 0.0)
        else:
            w = weights[:, present, j]
            v = np.where(w > 0, sums[:, present, j] / np.where(w > 0, w, 1.0), 0.0)
        data[k] = ((("subject", "day") if rec is Record.DAILY else ("subject", "phase")), v,
                   _attrs(k))
    dim = "day" if rec is Record.DAILY else "phase"
    for j, k in enumerate(COUNT_VARS):
        data[k] = (("subject", dim), counts[:, present, j], _attrs(k))
    coords = dict(subj)
    if rec is Record.DAILY:
        first_ep = {g: int(np.argmax(groups == g)) for g in present}
        coords["day"] = ("day", present)
        coords["phase"] = ("day", np.array([cs.phase_names[cs.phase_index[first_ep[g]]]
                                            for g in present]))
    else:
        coords["phase"] = ("phase", np.array([cs.phase_names[g] for g in present]))
    return xr.Dataset(data, coords=coords)


def _same_timeline(schedules: list[CompiledSchedule]) -> bool:
    a = schedules[0]
    return all(s.n_episodes == a.n_episodes and np.array_equal(s.day, a.day)
               and np.array_equal(s.trial_type, a.trial_type) for s in schedules[1:])


def _same_days(schedules: list[CompiledSchedule]) -> bool:
    """The arms have episodes on the same days, each day in the same phase."""
    def days(s):
        d, first = np.unique(s.day_index, return_index=True)
        return d, [s.phase_names[s.phase_index[i]] for i in first]
    d0, p0 = days(schedules[0])
    return all(np.array_equal(d, d0) and p == p0 for d, p in map(days, schedules[1:]))


def drop_differing(parts: list[xr.Dataset], labels: tuple[str, ...]) -> list[xr.Dataset]:
    """``parts`` without those of the coordinates ``labels`` whose values differ between
    them (kept where all agree)."""
    for c in labels:
        if c in parts[0].coords and not all(np.array_equal(p[c].values, parts[0][c].values)
                                            for p in parts):
            parts = [p.drop_vars(c) for p in parts]
    return parts


def _combine(parts: list[xr.Dataset], rec: Record) -> xr.Dataset:
    if len(parts) == 1:
        return parts[0]
    dim = {"episode": "episode", "daily": "day", "summary": "phase"}[rec.value]
    # where each episode happened and what it showed may differ between arms (renewal in
    # another context, a cue taken away): such labels are kept only when the arms agree
    parts = drop_differing(parts, ("context", "scheduled_cues"))
    base = parts[0]
    same = all(p.sizes.get(dim) == base.sizes.get(dim) and all(
        np.array_equal(p[c].values, base[c].values) for c in p[dim].coords if c != "subject"
        and p[c].dims == (dim,)) for p in parts)
    if not same:
        raise ScenarioError("arms with different timelines cannot share one dataset yet: give "
                            "every arm the same phases, durations and session lengths "
                            "(override only what is delivered, e.g. cues, doses, ratios), or "
                            "run each arm as its own scenario")
    return xr.concat(parts, dim="subject", coords="minimal", compat="override",
                     data_vars="all", join="override")


def _provenance(sc: Scenario, seed: int, n: int, rec: Record, reason: str,
                precision: str) -> dict[str, Any]:
    return {
        "scenario_name": sc.name,
        "scenario_description": sc.scenario.description,
        "scenario_text": sc.source_text,
        "scenario_path": sc.source_path,
        "seed": seed,
        "subjects": n,
        "model": str(sc.scenario.model),
        "species": str(sc.scenario.species),
        "record": rec.value,
        "record_reason": reason,
        "precision": precision,
        "addictsim_version": __version__,
        "jax_version": jax.__version__,
        "platform": f"{platform.platform()}; {jax.default_backend()}",
        "python_version": platform.python_version(),
        "created_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


# ---------------------------------------------------------------- run directory

def summary_dict(ds: xr.Dataset) -> dict[str, Any]:
    """The run's provenance for ``summary.json`` (``write_run`` adds the per-phase tables and,
    for a run with a ``demand`` phase or discounting choices, the demand-curve fits or the
    discounting summaries per arm)."""
    out: dict[str, Any] = {k: ds.attrs.get(k) for k in
                           ("scenario_name", "seed", "subjects", "model", "species", "record",
                            "addictsim_version", "created_utc")}
    return out


def write_run(ds: xr.Dataset, out: Path, *, overwrite: bool = False) -> Path:
    """Write ``results.zarr``, ``summary.json``, ``figures/*.png`` and ``report.html``
    into ``out`` atomically: everything goes to a temporary directory beside it,
    which is renamed into place at the end (an interrupted run leaves nothing)."""
    from .analysis.choice import choice_summary
    from .analysis.criteria import criteria_summary
    from .analysis.demand import demand_summary
    from .analysis.discounting import discounting_summary
    from .analysis.go_nogo import go_nogo_summary
    from .analysis.place_preference import place_preference_summary
    from .analysis.cue_map import first_lapse_chain
    from .analysis.relapse import relapse_summary
    from .report import make_figures, summary_tables, write_report
    from .report.figures import cue_ablation_rows

    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; pass --overwrite or choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    try:
        to_store = ds.copy()
        for name in list(to_store.variables):
            if to_store[name].dtype.kind == "U":   # variable-length strings: Zarr v3 specified
                to_store[name] = to_store[name].astype(object)
        to_store.attrs = {k: (v if isinstance(v, (str, int, float)) else str(v))
                          for k, v in ds.attrs.items()}
        to_store.to_zarr(tmp / "results.zarr", mode="w", zarr_format=3, consolidated=False)
        figdir = tmp / "figures"
        figdir.mkdir()
        figures = make_figures(ds, figdir)
        summary = summary_dict(ds)
        summary["tables"] = summary_tables(ds)
        demand = demand_summary(ds)
        if demand:   # per (demand phase, arm): the demand-curve fits (analysis.demand)
            summary["demand"] = demand
        discounting = discounting_summary(ds)
        if discounting:   # per (discounting phase, arm): k, area, indifference points
            summary["discounting"] = discounting
        criteria = criteria_summary(ds)
        if criteria:   # per assessment: shares meeting 0-3 criteria, their correlates
            summary["criteria"] = criteria
        choice = choice_summary(ds)
        if choice:   # per (choice phase, arm): preferences between the drug and the other
            summary["choice"] = choice
        go_nogo = go_nogo_summary(ds)
        if go_nogo:   # per (go/no-go phase, arm): commission and hit rates, deficit d
            summary["go_nogo"] = go_nogo
        place = place_preference_summary(ds)
        if place:   # per (place-preference test, arm): time per compartment, the score
            summary["place_preference"] = place
        relapse = relapse_summary(ds)
        if relapse:   # per arm: lapse and relapse after the return to the drug (survival)
            summary["relapse"] = relapse
        ablation = cue_ablation_rows(ds)
        if ablation:   # per cue of the map: its share of the relapse risk (analysis.cue_map)
            summary["cue_ablation"] = ablation
        chain = first_lapse_chain(ds)
        if chain:      # the chain's stages at first lapses, the cues present then
            summary["first_lapse_chain"] = chain
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, default=float))
        write_report(ds, figures, tmp / "report.html", summary=summary["tables"],
                     demand=demand, discounting=discounting, criteria=criteria,
                     choice=choice, go_nogo=go_nogo, place_preference=place,
                     relapse=relapse, first_lapse_chain=chain or {})
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def open_results(path: Path) -> xr.Dataset:
    """Open a run's ``results.zarr`` (a directory or the store itself)."""
    p = Path(path)
    if (p / "results.zarr").exists():
        p = p / "results.zarr"
    return _fixed_width_strings(xr.open_zarr(p, consolidated=False))


def _fixed_width_strings(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with its variable-width text (numpy's ``StringDType``, which Zarr v3 gives
    back for the ``arm`` and ``phase`` labels) as fixed-width unicode, the dtype the run
    was written with: ``.astype(str)`` on a ``StringDType`` array raises."""
    for name in list(ds.variables):
        var = ds[name].variable
        if var.dtype.kind == "T":
            values = np.asarray(var.values).astype(object)
            width = max((len(v) for v in values.ravel()), default=1)
            fixed = xr.Variable(var.dims, values.astype(f"<U{max(width, 1)}"), var.attrs)
            if name in ds.coords:
                ds = ds.assign_coords({name: fixed})
            else:
                ds[name] = fixed
    return ds
