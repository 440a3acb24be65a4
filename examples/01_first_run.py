"""Example 1: a first run.

Simulate the default scenario (``addiction-cycle``: cocaine self-administration with short
then long access, a month of abstinence, and a cue test), write a run directory with the
report, and print the per-phase summary.

    python examples/01_first_run.py
    ADDICTSIM_EXAMPLE_SUBJECTS=5 ADDICTSIM_EXAMPLE_OUT=/tmp/ex python examples/01_first_run.py

The command-line equivalent is ``addictsim run --subjects N --out DIR``.
Research and teaching only: the output describes virtual subjects, not people.
"""

from __future__ import annotations

import json

import _common

import addictsim


def main() -> None:
    n = _common.subjects()
    out = _common.out_dir("01_first_run") / "addiction-cycle"

    ds = addictsim.simulate("addiction-cycle", subjects=n, seed=20261123)
    print(f"simulated {ds.attrs['subjects']} virtual rats, {ds.sizes['episode']} episodes each "
          f"({ds.attrs['record_reason']})")

    run = addictsim.write_run(ds, out, overwrite=True)
    print(f"report: {run / 'report.html'}")

    summary = json.loads((run / "summary.json").read_text())
    print(f"{'phase':12s} {'infusions/day':>14s} {'DA at cue':>10s} {'DA at drug':>11s} "
          f"{'craving':>8s}")
    for row in summary["tables"]["by_phase"]:
        print(f"{row['phase']:12s} {_cell(row, 'infusions_per_day', 14, '.1f')} "
              f"{_cell(row, 'da_cue', 10, '.2f')} {_cell(row, 'da_outcome', 11, '.2f')} "
              f"{_cell(row, 'craving', 8, '.1f')}")


def _cell(row: dict, key: str, width: int, spec: str) -> str:
    """One right-aligned table cell; '-' where the summary has no value (None)."""
    value = row.get(key)
    return f"{'-':>{width}s}" if value is None else f"{value:{width}{spec}}"


if __name__ == "__main__":
    main()
