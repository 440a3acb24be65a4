"""MkDocs hooks: tables generated from the package's own declarations.

Every parameter, reinforcer, recorded variable, task setting and reference entry
is declared once in the package; these hooks turn those declarations into the
tables the pages show, at build time, so the docs cannot drift from the code.

Markers, each alone on a line of a page (the whole line is replaced):

``<!-- parameter-table -->``
    every brain parameter from ``BrainParams.specs()``
``<!-- reinforcer-table -->``
    every reinforcer from ``pharmacology.reinforcers.REINFORCERS``
``<!-- variables-table -->``
    every recorded variable from ``results.VARIABLES`` and ``engine.AGGREGATION``
``<!-- task-settings: TASK -->``
    the keys of one ``[[phase]]`` task, from its pydantic model (names and defaults)
``<!-- task-sources -->``
    each task module's ``SOURCE``
``<!-- references-table -->``
    every REFERENCES.md entry with its status (built here, or the issue that builds it)
``<!-- references-later -->``
    the entries not built yet, grouped by the issue that builds them
``<!-- model-variants -->``
    the ``Model`` enum
``<!-- units-table -->``
    every unit dimension with its canonical unit and accepted units (``addictsim.units``)

Inside a fenced code block, a line ``--8<-- "PATH"`` (PATH relative to the
repository root) is replaced by the file's text, so the scenario template is
shown whole and never goes stale. (This is pymdownx.snippets' syntax, done
here so that it does not depend on the directory mkdocs is started from.)

``expand(markdown)`` applies all of this; tests/test_docs.py uses it too, so the
code blocks it runs are the ones the reader sees.

On the API page (rendered by mkdocstrings from the package's docstrings), the Sphinx roles
some docstrings use (``:func:`x```, ``:math:`x```) are shown as plain code, and the
reStructuredText escaped space and literal-block marker (``::``) are tidied.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_MARKER = re.compile(r"^<!--\s*(?P<name>[a-z-]+)(?::\s*(?P<arg>[\w-]+))?\s*-->\s*$", re.M)
_INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--\s+"(?P<path>[^"]+)"\s*$', re.M)


def _cell(value: object) -> str:
    """Text for one Markdown table cell (pipes escaped, one line)."""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|")


def _num(x: float) -> str:
    return f"{x:g}"


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _spread(s) -> str:
    """The default cohort's spread of a parameter, saying so when it is one species' only."""
    rat, human = s.spread_for("rat"), s.spread_for("human")
    if rat == human:
        return _num(rat) if rat else ""
    return f"rat {_num(rat)}, human {_num(human)}"


def parameter_table() -> str:
    from addictsim import Species
    from addictsim.brain.params import BrainParams

    rows = []
    for name, s in BrainParams.specs().items():
        rows.append([f"`{name}`", _num(s.defaults[Species.RAT]), _num(s.defaults[Species.HUMAN]),
                     s.unit, f"[{_num(s.low)}, {_num(s.high)}]",
                     _spread(s), s.meaning, s.source])
    return _table(["name", "rat", "human", "unit", "range", "spread (sd of log, default cohort)",
                   "meaning", "source"], rows)


def reinforcer_table() -> str:
    from addictsim.pharmacology.reinforcers import REINFORCERS

    rows = []
    for r, s in REINFORCERS.items():
        lo, hi = s.dose_range
        peak = 100.0 * (1.0 + s.emax * s.default_amount / (s.default_amount + s.ed50))
        onset = "" if s.kind.name != "DRUG" else f"{_num(s.withdrawal_onset_h)} h / {_num(s.withdrawal_duration_d)} d"
        rows.append([f"`{r.value}`", s.kind.name.lower(), s.route, s.unit, _num(s.default_amount),
                     f"{_num(lo)}-{_num(hi)}", _num(s.value), _num(s.ed50), _num(s.emax),
                     f"{peak:.0f}", _num(s.dorsal_ratio),
                     f"{_num(s.absorption_half_life_min)} / {_num(s.elimination_half_life_min)}",
                     onset, ", ".join(s.targets), s.meaning, s.source])
    return _table(["reinforcer", "kind", "route", "unit", "standard amount", "modelled range",
                   "value", "ED50", "Emax", "surge of the standard amount (% baseline)",
                   "dorsal/ventral", "absorption / elimination half-life (min)",
                   "withdrawal onset / duration", "receptor targets", "meaning", "source"], rows)


def variables_table() -> str:
    from addictsim.engine import AGGREGATION
    from addictsim.results import VARIABLES

    def how(name: str) -> str:
        agg = AGGREGATION.get(name)
        if agg is None:
            return ("a count; daily and summary records only" if name.startswith("n_")
                    else "episode records only")
        if agg.startswith("event:"):
            return f"mean over episodes with `{agg.split(':', 1)[1]}`"
        return agg

    rows = [[f"`{name}`", units, long_name, how(name)]
            for name, (units, long_name) in VARIABLES.items()]
    return _table(["variable", "units", "meaning", "daily / summary aggregation"], rows)


def _phase_models() -> dict[str, type]:
    from addictsim import scenario as s

    return {
        "pavlovian": s.PavlovianPhase,
        "self_administration": s.SelfAdministrationPhase,
        "conditioned_reinforcement": s.ConditionedReinforcementPhase,
        "abstinence": s.AbstinencePhase,
        "demand": s.DemandPhase,
        "delay_discounting": s.DelayDiscountingPhase,
        "progressive_ratio": s.ProgressiveRatioPhase,
        "devaluation": s.DevaluationPhase,
        "two_step": s.TwoStepPhase,
        "pit": s.PitPhase,
        "conditioned_approach": s.ConditionedApproachPhase,
        "seek_take": s.SeekTakePhase,
        "signalled_unavailability": s.SignalledUnavailabilityPhase,
        "choice": s.ChoicePhase,
        "go_nogo": s.GoNoGoPhase,
        "place_preference": s.PlacePreferencePhase,
        "daily_life": s.DailyLifePhase,
    }


def _toml_value(value: object) -> str:
    """A default as it would be written in a scenario file."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def task_settings(task: str) -> str:
    from pydantic_core import PydanticUndefined

    models = _phase_models()
    if task not in models:
        raise ValueError(f"task-settings: unknown task {task!r}; known: {', '.join(models)}")
    rows = []
    for name, field in models[task].model_fields.items():
        if field.is_required():
            default = "required"
        elif field.default_factory is not None:
            default = f"`{_toml_value(field.default_factory())}`"
        elif field.default is PydanticUndefined or field.default is None:
            default = "none"
        else:
            default = f"`{_toml_value(field.default)}`"
        rows.append([f"`{name}`", default])
    return _table(["key", "default"], rows)


def task_sources() -> str:
    from addictsim.world.tasks import TASKS

    return _table(["task", "source"], [[f"`{name}`", mod.SOURCE] for name, mod in TASKS.items()])


def references_table() -> str:
    from addictsim.analysis.references import REFERENCES
    from addictsim.analysis.scorecard import EXPERIMENTS

    rows = []
    for r in REFERENCES:
        status = "built (`addictsim validate`)" if r.id in EXPERIMENTS else (
            f"issue #{r.issue}" if r.issue else "not filed yet")
        rows.append([r.number if r.number is not None else "added", f"`{r.id}`", r.phenomenon, r.source, status])
    return _table(["#", "id", "phenomenon", "source", "status"], rows)


def references_later() -> str:
    from addictsim.analysis.references import REFERENCES
    from addictsim.analysis.scorecard import EXPERIMENTS

    by_issue: dict[int | None, list] = {}
    for r in REFERENCES:
        if r.id not in EXPERIMENTS:
            by_issue.setdefault(r.issue, []).append(r)
    out = []
    for issue in sorted(by_issue, key=lambda i: (i is None, i or 0)):
        title = f"Issue #{issue}" if issue is not None else "Not filed yet"
        rows = [[f"`{r.id}`", r.phenomenon, r.source] for r in by_issue[issue]]
        out.append(f"**{title}**\n\n" + _table(["id", "phenomenon", "source"], rows))
    return "\n\n".join(out)


def model_variants() -> str:
    from addictsim import Model

    doc = {
        "default": "compensable drug term plus the average-reward (opportunity-cost) term",
        "td": "textbook TD: the drug is an ordinary reinforcer, no drug term",
        "redish2004": "Redish 2004's non-compensable drug term",
    }
    return _table(["model", "what it is"], [[f"`{m.value}`", doc.get(m.value, "(undocumented)")]
                                           for m in Model])


def units_table() -> str:
    from addictsim.units import Dimension, allowed_units, canonical_unit

    rows = [[f"`{d.value}`", f"`{canonical_unit(d)}`", ", ".join(f"`{u}`" for u in allowed_units(d))]
            for d in Dimension]
    return _table(["dimension", "canonical unit", "accepted units"], rows)


GENERATORS = {
    "parameter-table": lambda arg: parameter_table(),
    "reinforcer-table": lambda arg: reinforcer_table(),
    "variables-table": lambda arg: variables_table(),
    "task-settings": task_settings,
    "task-sources": lambda arg: task_sources(),
    "references-table": lambda arg: references_table(),
    "references-later": lambda arg: references_later(),
    "model-variants": lambda arg: model_variants(),
    "units-table": lambda arg: units_table(),
}


def _include(match: re.Match) -> str:
    path = (ROOT / match["path"]).resolve()
    if not path.is_file() or ROOT not in path.parents:
        raise FileNotFoundError(f'--8<-- "{match["path"]}": no such file under {ROOT}')
    text = path.read_text(encoding="utf-8").rstrip("\n")
    indent = match["indent"]
    return "\n".join(indent + line if line else line for line in text.splitlines())


def _generate(match: re.Match) -> str:
    name, arg = match["name"], match["arg"]
    if name not in GENERATORS:
        return match[0]          # an ordinary HTML comment
    return GENERATORS[name](arg)


def expand(markdown: str) -> str:
    """The page as readers see it: includes inlined, generated tables in place."""
    markdown = _INCLUDE.sub(_include, markdown)
    return _MARKER.sub(_generate, markdown)


_ROLE = re.compile(r":(?:func|class|meth|attr|mod|data|obj|exc|math):(?=<code>)")


def tidy_api_html(html: str) -> str:
    """Sphinx-style markup that mkdocstrings shows literally, made readable."""
    html = _ROLE.sub("", html)
    html = html.replace("</code>\\ ", "</code>")
    return re.sub(r"(\w)::</p>", r"\1:</p>", html)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 (hook signature)
    return expand(markdown)


def on_page_content(html: str, page, config, files) -> str:  # noqa: ARG001 (hook signature)
    return tidy_api_html(html) if page.file.src_uri == "api.md" else html
