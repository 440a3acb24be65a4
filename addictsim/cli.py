"""Command line: ``addictsim run [SCENARIO]``, ``addictsim scenarios``.

Exit codes: 0 success, 2 bad input, 3 numerical failure (NaN/inf), 130 interrupted.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ._version import __version__

app = typer.Typer(add_completion=False, no_args_is_help=False, pretty_exceptions_enable=False,
                  help="addictsim: simulate the neuroscience of addiction (research and "
                       "teaching only; not medical advice).")
err = Console(stderr=True)
out = Console()

EXIT_BAD_INPUT = 2
EXIT_NUMERICAL = 3
EXIT_INTERRUPTED = 130


def _version(value: bool) -> None:
    if value:
        out.print(f"addictsim {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Show the version and exit.")) -> None:
    """addictsim: drug exposure -> cue learning -> dopamine prediction -> craving -> ..."""


def _fail(msg: str, code: int) -> None:
    line = Text("error: ", style="bold red")
    line.append(" ".join(str(msg).split()))
    err.print(line, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _lives(sc, lives: int, n: int, seed: int | None, record: str | None):
    """``lives`` runs of ``n`` people, each life meeting its own draw of the days
    (``analysis.relapse.simulate_lives``), pooled; ``seed`` replaces the scenario's (life
    ``i`` draws its days from it plus ``i``). Episodes are recorded when the pooled cohort
    fits in memory, else days."""
    from .analysis.relapse import simulate_lives
    from .results import choose_record
    from .world.schedule import compile_schedule

    if seed is not None:
        sc = sc.model_copy(update={"scenario": sc.scenario.model_copy(update={"seed": seed})})
    if record is None:
        episodes = max(compile_schedule(sc, arm).n_episodes
                       for arm in ([a.name for a in sc.arm] or [None]))
        record = choose_record(lives * n, episodes)[0].value
    ds = simulate_lives(sc, lives, n, record=record, progress=True)
    first = int(ds.attrs["seed"])
    ds.attrs["record_reason"] = (f"recording {ds.attrs['record']}s of {lives} lives of {n} "
                                 f"people, pooled; each life's days drawn from its own seed "
                                 f"({first} to {first + lives - 1})")
    return ds


@app.command()
def run(
    scenario: str = typer.Argument("addiction-cycle", help="A scenario file or a shipped "
                                   "scenario's name (see `addictsim scenarios`)."),
    subjects: Optional[int] = typer.Option(None, "--subjects", "-n", help="Cohort size "
                                           "(overrides the file)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Root random seed (overrides the file)."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Output directory "
                                           "(default results/<name>-<UTC timestamp>)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing --out."),
    record: Optional[str] = typer.Option(None, "--record", help="episode | daily | summary "
                                         "(default: episodes if they fit in memory, else days)."),
    chunk_size: Optional[int] = typer.Option(None, "--chunk-size", help="Subjects per chunk."),
    ablate: bool = typer.Option(True, "--ablate/--no-ablate", help="With a cue map: simulate "
                                "the same subjects without each cue to rank the cues' shares "
                                "of the relapse risk (one more run per cue)."),
    lives: Optional[int] = typer.Option(None, "--lives", help="With a cue map: pool this "
                                        "many lives, each meeting its own draw of the days "
                                        "(the cohort size is per life; no cue ranking)."),
) -> None:
    """Simulate SCENARIO and write results.zarr, summary.json, figures/ and report.html."""
    from . import engine
    from .results import simulate, write_run
    from .scenario import ScenarioError, load_scenario

    try:
        if subjects is not None and subjects <= 0:
            _fail(f"--subjects must be a positive integer, got {subjects}", EXIT_BAD_INPUT)
        if record is not None and record not in [r.value for r in engine.Record]:
            _fail(f"--record must be one of episode, daily, summary; got '{record}'",
                  EXIT_BAD_INPUT)
        if chunk_size is not None and chunk_size <= 0:
            _fail(f"--chunk-size must be a positive integer, got {chunk_size}", EXIT_BAD_INPUT)
        if lives is not None and lives <= 0:
            _fail(f"--lives must be a positive integer, got {lives}", EXIT_BAD_INPUT)
        sc = load_scenario(scenario)
        if lives is not None and not sc.cue_map:
            _fail(f"--lives pools lives that each meet their own draw of the days of daily "
                  f"life; {sc.source_path or sc.name} has no [cue_map] (and so no such days)",
                  EXIT_BAD_INPUT)
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = out_dir or Path("results") / f"{sc.name}-{stamp}"
        if target.exists() and not overwrite:
            _fail(f"{target} already exists; pass --overwrite or choose another --out",
                  EXIT_BAD_INPUT)
        n = subjects if subjects is not None else sc.total_subjects()
        many = f"{lives} lives of {n}" if lives else f"{n}"
        err.print(f"addictsim {__version__}: simulating [bold]{escape(sc.name)}[/] for {many} "
                  f"subjects (model {sc.scenario.model}, species {sc.scenario.species})",
                  highlight=False)
        t0 = time.perf_counter()
        if lives:
            ds = _lives(sc, lives, n, seed, record)
        else:
            ds = simulate(sc, subjects=subjects, seed=seed, record=record,
                          chunk_size=chunk_size, progress=True)
        if "dose" in ds and float(ds.dose.sum()) > 0 and sc.scenario.species == "rat":
            # the report's "dopamine by drug" panel: the same brain under the standard doses
            # of every drug and natural reward, against the literature bands
            from .analysis.experiments.da_surge_drug_vs_natural import dopamine_by_drug

            ds.attrs["dopamine_by_drug"] = dopamine_by_drug(quick=True).to_json(orient="records")
        if ablate and sc.cue_map and not lives:
            # "where the relapse sequence starts": each cue's share of the relapse risk
            from .analysis import cue_map

            if cue_map.can_ablate(sc, ds):
                err.print(f"ranking the cue map's {len(sc.cue_map)} cues: the same subjects "
                          "without each", highlight=False)
                ds.attrs["cue_ablation"] = json.dumps(cue_map.ablate(sc, ds, progress=True))
        t1 = time.perf_counter()
        err.print(ds.attrs["record_reason"], highlight=False, markup=False)
        write_run(ds, target, overwrite=overwrite)
        t2 = time.perf_counter()
        err.print(f"simulated in {t1 - t0:.1f} s, wrote in {t2 - t1:.1f} s")
        # soft wrap: a long path stays on one line, so that it can be copied whole
        out.print(f"wrote {target}/ (report: {target / 'report.html'})", highlight=False,
                  markup=False, soft_wrap=True)
    except ScenarioError as e:
        _fail(str(e), EXIT_BAD_INPUT)
    except FileExistsError as e:
        _fail(str(e), EXIT_BAD_INPUT)
    except engine.NumericalError as e:
        _fail(f"numerical failure: {e}", EXIT_NUMERICAL)
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written")
        raise typer.Exit(EXIT_INTERRUPTED)


@app.command()
def validate(
    quick: bool = typer.Option(False, "--quick", help="Smaller cohorts (each row says so)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scorecard as JSON."),
    only: Optional[list[str]] = typer.Option(None, "--only", help="Reference id(s) to run "
                                             "(repeat the option or separate with commas)."),
) -> None:
    """Run the reference-phenomena scorecard (REFERENCES.md). Exit 0 when every default-model
    entry passes or is a declared xfail, 1 otherwise."""
    import difflib
    import json

    from .analysis import scorecard as sc_mod
    from .analysis.references import BY_ID

    ids = [i.strip() for item in (only or []) for i in item.split(",") if i.strip()]
    bad = sc_mod.unknown_ids(ids)
    if bad:
        close = difflib.get_close_matches(bad[0], list(BY_ID), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        _fail(f"--only: unknown reference id '{bad[0]}'{hint} (see REFERENCES.md; e.g. "
              f"{', '.join(list(BY_ID)[:3])})", EXIT_BAD_INPUT)
    try:
        with err.status("running reference experiments") as status:
            rows = sc_mod.run_scorecard(quick=quick, only=ids or None,
                                    progress=lambda i: status.update(f"running {i}"))
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED)
    if as_json:
        typer.echo(json.dumps(sc_mod.as_json(rows), indent=2))
    else:
        out.print(_scorecard_table(rows, quick))
    raise typer.Exit(sc_mod.exit_code(rows))


def _scorecard_table(rows, quick: bool):
    from rich.table import Table

    colour = {"pass": "green", "fail": "red", "xfail": "yellow", "not_implemented": "dim"}
    title = "addictsim scorecard" + (" (--quick: smaller cohorts)" if quick else "")
    table = Table(title=title, show_lines=False)
    for col in ("id", "model", "status", "checks", "subjects"):
        table.add_column(col, no_wrap=True)
    table.add_column("notes", overflow="fold")
    for r in rows:
        st = str(r.status)
        passed = sum(c.passed for c in r.checks)
        failing = [c.name for c in r.checks if not c.passed]
        note = r.note + ((" failing: " + ", ".join(failing)) if failing else "")
        table.add_row(escape(r.id), r.model, f"[{colour[st]}]{st}[/]",
                      f"{passed}/{len(r.checks)}" if r.checks else "-",
                      str(r.subjects or "-"), escape(note.strip()))
    return table


@app.command()
def scenarios() -> None:
    """List the shipped scenarios."""
    from rich.table import Table

    from .scenario import load_scenario, shipped_scenarios

    table = Table("name", "description", box=None)
    for name, path in shipped_scenarios().items():
        sc = load_scenario(path)
        desc = " ".join(sc.scenario.description.split())
        table.add_row(escape(name), escape(desc[:110] + ("..." if len(desc) > 110 else "")))
    out.print(table)


def entrypoint() -> None:
    from .engine import parallel_environment, reproducible_environment

    reproducible_environment()
    parallel_environment()      # one XLA CPU device per core: chunks are split over them
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    entrypoint()
