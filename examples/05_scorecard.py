"""Example 5: one scorecard entry, check by check.

Run the ``td_da_shift_omission`` reference experiment (Schultz, Dayan & Montague 1997;
Hollerman & Schultz 1998; Fiorillo, Tobler & Schultz 2003) the way ``addictsim validate``
does, and print each check with its acceptance band. With fewer than 200 subjects requested
it runs in quick mode (the entry's own smaller cohort) and the default model only. With 200
or more it runs the full cohort and both model variants (``default`` and ``td``). The rows
are also written as the scorecard's JSON.

    python examples/05_scorecard.py                                 # quick
    ADDICTSIM_EXAMPLE_SUBJECTS=200 python examples/05_scorecard.py  # full

The command-line equivalent is ``addictsim validate --only td_da_shift_omission``.
Research and teaching only: the output describes virtual subjects, not people.
"""

from __future__ import annotations

import json

import _common

from addictsim.analysis.scorecard import JSON_SCHEMA, as_json, exit_code, run_entry

ENTRY = "td_da_shift_omission"


def band(check) -> str:
    """The acceptance band as text; a missing bound is open."""
    if check.low is None:
        return f"<= {check.high:g}"
    if check.high is None:
        return f">= {check.low:g}"
    return f"in [{check.low:g}, {check.high:g}]"


def main() -> int:
    quick = _common.subjects() < 200
    out = _common.out_dir("05_scorecard")
    rows = run_entry(ENTRY, quick=quick, models=["default"] if quick else None)

    for row in rows:
        print(f"{row.id}, model {row.model} ({row.species}): {str(row.status).upper()} "
              f"- {row.subjects} subjects, seed {row.seed}{' (quick)' if row.quick else ''}")
        print(f"  source: {row.source}")
        for check in row.checks:
            mark = "pass" if check.passed else "FAIL"
            print(f"  {mark}  {check.name:40s} {check.simulated:+8.3f}   {band(check)}")
        if row.note:
            print(f"  note: {row.note}")

    path = out / "scorecard.json"
    path.write_text(json.dumps(as_json(rows), indent=2))
    fields = ", ".join(JSON_SCHEMA["items"]["required"])
    print(f"wrote {path} (fields: {fields})")
    return exit_code(rows)


if __name__ == "__main__":
    raise SystemExit(main())
