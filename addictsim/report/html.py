"""Self-contained HTML report for an addictsim results Dataset.

:func:`write_report` writes a single HTML file with the figures embedded as
base64 PNG data URIs and inline CSS: no external links, fonts or scripts, so
the file can be mailed, archived or opened offline on a phone or a projector.
"""

from __future__ import annotations

import base64
import html
import importlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xarray as xr

from .figures import (BODY_VARS, CONTROL_VARS, FigureInfo, cue_ablation_rows,
                      has_conditioned_approach, has_demand, has_discounting, has_wanting_liking,
                      summary_tables)

__all__ = ["write_report", "how_to_read", "DISCLAIMER"]

DISCLAIMER = (
    "addictsim is a research and teaching simulator. Its output describes virtual "
    "subjects under a computational model; it is not medical advice and says nothing "
    "about any real person. If you or someone you know is struggling with substance "
    "use, talk to a qualified health professional."
)

HOW_TO_READ = (
    "<p>This release of addictsim models one causal chain, and the figures follow it:</p>"
    "<ol>"
    "<li><strong>Drug exposure.</strong> Each drug delivery raises accumbens extracellular "
    "dopamine far above baseline, by a fixed, saturating function of the dose (its "
    "pharmacological effect), whether or not the drug was expected.</li>"
    "<li><strong>Cue learning.</strong> Cues that come before an outcome acquire value by "
    "temporal-difference learning over a serial compound (one learned weight for each moment "
    "after the cue's onset), learned separately in each context with partial generalisation to "
    "the others.</li>"
    "<li><strong>Dopamine prediction.</strong> Phasic dopamine is the temporal-difference "
    "reward-prediction error. At first it bursts at the outcome; as a cue comes to predict the "
    "outcome, the burst moves to the cue and the response at the predicted outcome shrinks "
    "(with the redish2004 model variant a drug outcome keeps at least its pharmacological "
    "burst). When a predicted outcome does not come, dopamine dips below zero at the time the "
    "outcome was due (also for responses that produce the cue in extinction and "
    "conditioned-reinforcement tests, at the time the cue's reinforcer used to arrive).</li>"
    "<li><strong>Craving.</strong> Craving (0&ndash;10) is a read-out of wanting for the "
    "drug: the learned value of the cues present, recomputed at the state's incentive "
    "gain (intoxication, sensitisation, incubation, the withdrawal crash, the drug's "
    "satiety), counted as far as they predict the drug; or, with no cue, the drug that the "
    "memories a body state (the drug on board, stress) retrieves expect, at the same gain "
    "(an internal cue). The number is reported; the wanting behind it acts on choice "
    "through conditioned reinforcement and transfer.</li>"
    "</ol>"
    "<p>Choices (seeking, drug taking) come from cached instrumental values of each lever in "
    "each context, learned from what a response produced: the drug and the learned value of any "
    "cue it produced (conditioned reinforcement). A cue test under extinction therefore shows "
    "cue-maintained responding without the drug, which declines as the cue's value "
    "extinguishes.</p>"
    "<p><strong>Not modelled yet</strong> (planned for later releases): relapse and "
    "reinstatement, habits, attention, withdrawal, receptor adaptation (tolerance or "
    "sensitisation) and drug kinetics. No figure here shows any of these.</p>"
    "<p>Cue value and dopamine at the cue are averaged over the trials with a cue only, "
    "craving over the trials a cue or a body state triggered it; days or phases without such "
    "trials are left blank. Lines are means across virtual "
    "subjects; shaded bands (or error bars) show the 95% confidence interval of that mean. "
    "Light vertical lines mark phase boundaries, with phase names on top. Numbers are model "
    "quantities in model units, not measurements.</p>"
)

#: The body model's stage of the chain, shown when the results carry its variables.
BODY_ITEM = (
    "<li><strong>Body and slow adaptation.</strong> The drug is absorbed and eliminated, so its "
    "level in the body (and tonic dopamine with it) builds up within a session and falls "
    "between sessions. Sustained high dopamine lowers D2 receptor availability, which blunts "
    "every reward and recovers only slowly (tolerance and anhedonia). An opponent adaptation "
    "outlasts the drug and leaves a withdrawal state, with low mood, once the drug is gone. Long "
    "uninterrupted exposure (long-access sessions) builds an allostatic load that raises the "
    "hedonic set point, the reward threshold and the drug level the subject defends, so intake "
    "escalates (Koob &amp; Le Moal 2001; Ahmed &amp; Koob 1998). With the default model the "
    "value of taking the drug also includes the drive it would relieve, computed from the "
    "current drug level and that set point (Keramati &amp; Gutkin 2014).</li>"
)

BODY_NOT_MODELLED = (
    "<p><strong>Not modelled yet</strong> (planned for later releases): relapse and "
    "reinstatement, habits, attention and sensitisation. No figure here shows any of these.</p>"
)

BODY_READING = (
    "<p>The addiction-cycle figures (escalation, D2 receptors, withdrawal and mood, reward "
    "threshold) show each arm in its own colour, the same in every figure; their lines are "
    "means across subjects with a band of &plusmn; 1 standard error of the mean instead, and a grey "
    "background marks the phases in which no drug was delivered (abstinence, extinction, cue "
    "tests).</p>"
)


#: The control model's stage of the chain, shown when the results carry its variables.
CONTROL_ITEM = (
    "<li><strong>Habit and attention.</strong> With the default model two systems value each "
    "action (Daw, Niv &amp; Dayan 2005): a goal-directed one, from what the action delivers and "
    "what that outcome is worth now, and a habit system, from the cached value. Control of the "
    "action passes to the habit system as reinforced responding accumulates, faster when the "
    "drug raises dopamine in the dorsal striatum (Everitt &amp; Robbins 2005); the habit weight "
    "(0 goal-directed, 1 habitual) is its share of control of the seeking lever. Drug-predicting "
    "cues capture a share of attention that follows their learned value (attentional bias, a "
    "dot-probe analogue; Field &amp; Cox 2008), and a drug cue present at a choice shrinks the "
    "value of the alternatives. The cue-evoked dopamine signal is relayed to the dorsolateral "
    "striatum in proportion to the habit weight: the ventral-to-dorsal shift (Willuhn et al. "
    "2012).</li>"
)

CONTROL_READING = (
    "<p>The habit-and-attention and weekly cue-dopamine figures show each arm in its own colour; "
    "their lines are means across subjects with a band of &plusmn; 1 standard error of the mean. "
    "In the weekly figure solid lines are the ventral striatum and dashed lines the dorsolateral "
    "striatum (green and purple with a single arm); each week averages each subject's daily "
    "means over its trials with a cue, and weeks without a cue trial are left blank.</p>"
)


#: How to read the sign- and goal-tracking figure, shown when the results hold
#: conditioned_approach episodes (the figure's condition).
PCA_READING = (
    "<p>The sign- and goal-tracking figure scores Pavlovian conditioned approach as the field "
    "does (Meyer et al. 2012). Each trial a lever is inserted and food drops into the food cup "
    "as it retracts, whatever the subject does; in each short response window of the lever "
    "period the subject may approach the lever, the food cup, or neither. Approaching changes "
    "nothing that is delivered: its value is the lever's learned value scaled by the "
    "subject's incentive-attribution trait (approaching the lever) or the food the lever "
    "predicts at its current worth (approaching the food cup). Over the last two sessions of "
    "the first conditioned-approach phase each subject's PCA index averages three scores "
    "&ndash; the response bias, the probability difference and the latency score &ndash; "
    "from &minus;1 (every approach to the food cup, at once) to +1 (every approach to the "
    "lever); subjects at +0.5 or above are sign-trackers, at &minus;0.5 or below "
    "goal-trackers, the rest intermediate. The dopamine panel shows the phasic dopamine "
    "response (the TD error) at lever insertion and at the food, each subject's mean per "
    "session, the model's counterpart of the fast-scan voltammetry of Flagel et al. (2011), "
    "in which the cue response grows only in sign-trackers. Its lines are means across the "
    "subjects of a tracking group with a band of the 95% confidence interval.</p>"
)


#: How to read the wanting-and-liking figure, shown when it is drawn (the results carry
#: ``wanting`` and ``liking`` and a trial with a cue or a delivery).
WANTING_READING = (
    "<p>The wanting-and-liking figure separates two things a reward does (Berridge &amp; "
    "Robinson 1998). <em>Wanting</em> is the incentive value a cue triggers: the cue's learned "
    "value times an incentive gain computed on the spot from the subject's current state, "
    "with no relearning; drug intoxication, incentive sensitisation (built up by repeated, "
    "intermittent drug doses and fading only over a year; Robinson &amp; Berridge 1993) and, "
    "for drug cues, the incubation of craving in abstinence raise it. <em>Liking</em> is the "
    "hedonic value of an outcome when it arrives; that gain does not touch it, and receptor "
    "loss (tolerance) lowers the drug's. In the top panel wanting (solid) is averaged over the "
    "trials with a cue and liking (dashed) over the trials with a delivery, in the same reward "
    "units; days (or phases) without such trials are left blank. The bottom panel shows "
    "craving (0&ndash;10, cue-triggered wanting for the drug) at the cue tests after the last "
    "drug delivery, and the incubation of drug cues' incentive gain (right axis): 0 while the "
    "drug is in use, it grows over the first weeks of abstinence, so a cue test late in "
    "abstinence is expected to find more craving than one on its first day (Grimm et al. "
    "2001). Colours are the arms and line styles the variables; lines and markers are means "
    "across subjects with &plusmn; 1 standard error of the mean.</p>"
)


#: How to read the demand figure and table, shown when the results hold a ``demand`` phase.
DEMAND_READING = (
    "<p>The demand figure and table ask how hard the subjects will work for a reinforcer, "
    "here usually the drug (behavioural economics; Hursh &amp; Silberberg 2008). Each demand "
    "session offers the same dose at one price, the number of lever presses each delivery "
    "costs (a fixed ratio), and the price rises from session to session, as Christensen et "
    "al. (2008) did with rats and cocaine. Consumption at each price is fitted, per "
    "subject, with the exponential demand equation, which summarises a whole curve in two "
    "numbers: how much is taken when it is nearly free (Q0) and how quickly consumption "
    "falls as the price rises (alpha). The model responds at most once per response "
    "window; the figure draws that limit, so a fall in consumption that follows it is the "
    "time the presses take, not a choice.</p>"
)

#: The sentence under the demand table, for readers new to behavioural economics.
DEMAND_TERMS = (
    "Q0 (demand intensity) is how many deliveries a subject takes per session when they "
    "are almost free. Alpha (elasticity) is how quickly its consumption falls as the price "
    "&ndash; lever presses per delivery &ndash; goes up: the smaller alpha, the harder the "
    "subject defends its intake (the higher the reinforcer's &ldquo;essential value&rdquo;). "
    "Pmax is the price at which the subject works hardest: its lever presses per session "
    "peak there, and beyond it a higher price cuts both intake and effort. Each cell is the "
    "median across the arm's subjects with the interquartile range (the middle half of the "
    "subjects) in brackets; a dash marks what could not be estimated (fewer than three prices "
    "with consumption, no decline over the prices tested, or a curve that never turns "
    "elastic)."
)


#: How to read the discounting figure and table, shown when the results hold discounting
#: choices (episode records).
DISCOUNTING_READING = (
    "<p>The delay-discounting figure and table ask how much a reward loses by coming "
    "later. Each subject chose between an amount now and a larger amount after a delay, "
    "and the amount now was adjusted after every choice until the two were worth the same "
    "to it (an adjusting-amount procedure, as in Madden et al. 1997). That indifference "
    "point, as a fraction of the later amount, is plotted against the delay. The discount "
    "rate k (per day) of the hyperbola V = 1 / (1 + k D) summarises a curve: the larger k, "
    "the sooner a later reward loses its value. People who use drugs have larger k "
    "(Kirby, Petry &amp; Bickel 1999). The area under the curve is a summary that assumes "
    "no curve shape (1: no discounting).</p>"
)


def _edit_not_modelled(text: str, replacements) -> str:
    """``text`` with ``(old, new)`` replacements applied to its "Not modelled yet" paragraph
    only."""
    start = text.find("<p><strong>Not modelled yet</strong>")
    if start < 0:
        return text
    end = text.index("</p>", start) + len("</p>")
    para = text[start:end]
    for old, new in replacements:
        para = para.replace(old, new)
    return text[:start] + para + text[end:]


def _not_modelled_without_sensitisation(text: str) -> str:
    """``text`` with sensitisation taken off its "Not modelled yet" list."""
    return _edit_not_modelled(text, (
        ("sensitisation, relapse and reinstatement", "relapse and reinstatement"),
        (", habits, attention and sensitisation", ", habits and attention")))


def _not_modelled_without_control(text: str) -> str:
    """``text`` with habits and attention taken off its "Not modelled yet" list."""
    return _edit_not_modelled(text, (
        ("relapse and reinstatement, habits, attention and sensitisation",
         "sensitisation, relapse and reinstatement"),
        (", habits, attention,", ","), (", habits, attention and ", " and ")))


def _not_modelled_without_relapse(text: str) -> str:
    """``text`` with relapse and reinstatement taken off its "Not modelled yet" list (the
    memory layer, ``brain.memory``), and the paragraph dropped once nothing is left on it."""
    text = _edit_not_modelled(text, (("relapse and reinstatement, ", ""),
                                     (", relapse and reinstatement", ""),
                                     (" and relapse and reinstatement", "")))
    start = text.find("<p><strong>Not modelled yet</strong>")
    if start >= 0:
        end = text.index("</p>", start) + len("</p>")
        if "relapse and reinstatement" in text[start:end]:     # the only item left
            text = text[:start] + text[end:]
    return text


def how_to_read(ds: xr.Dataset | None = None) -> str:
    """The "How to read this report" section for ``ds``: the body model's and the control
    model's stages (and what they add to the figures) appear only when the results carry
    their variables, the wanting-and-liking paragraph only when that figure is drawn, and
    the sign- and goal-tracking paragraph only when they hold conditioned_approach episodes
    (when that figure is drawn), the demand paragraph only when they hold a demand
    phase the records resolve (when the demand figure is drawn), and the discounting
    paragraph only when they hold discounting choices per episode."""
    text = _how_to_read_models(ds)
    if ds is not None and "sensitization" in ds.data_vars:
        text = _not_modelled_without_sensitisation(text)
    if ds is not None and "memory_original" in ds.data_vars:
        text = _not_modelled_without_relapse(text)
    if ds is not None and has_wanting_liking(ds):
        text += WANTING_READING
    if ds is not None and has_conditioned_approach(ds):
        text += PCA_READING
    if ds is not None and has_demand(ds):
        text += DEMAND_READING
    if ds is not None and has_discounting(ds):
        text += DISCOUNTING_READING
    return text


def _how_to_read_models(ds: xr.Dataset | None) -> str:
    """:func:`how_to_read` without the task-specific paragraphs."""
    text = _how_to_read_body(ds)
    if ds is None or not _has_control(ds):
        return text
    text = text.replace(
        "Choices (seeking, drug taking) come from cached instrumental values of each lever in "
        "each context, learned from",
        "The habit system's cached values of each lever in each context (the only values the "
        "td and redish2004 variants choose by) are learned from")
    if BODY_ITEM in text:
        text = text.replace(BODY_ITEM, BODY_ITEM + CONTROL_ITEM, 1)
    else:
        text = text.replace("</ol>", CONTROL_ITEM + "</ol>", 1)
    return _not_modelled_without_control(text) + CONTROL_READING


def _how_to_read_body(ds: xr.Dataset | None) -> str:
    """:data:`HOW_TO_READ`, with the body model's stage when ``ds`` carries its variables."""
    if ds is None or not _has_body(ds):
        return HOW_TO_READ
    text = HOW_TO_READ
    for old, new in (
        ("models one causal chain", "models one causal chain, with the body's slow adaptation "
         "to the drug"),
        ("by a fixed, saturating function of the dose (its pharmacological effect)",
         "by a saturating function of the drug level in the body (its pharmacological effect)"),
        ("It is reported only: it does not feed into choice.</li>",
         "It is reported only: it does not feed into choice.</li>" + BODY_ITEM),
    ):
        text = text.replace(old, new)
    if BODY_ITEM not in text:  # the chain was reworded: keep the stage anyway
        text = text.replace("</ol>", BODY_ITEM + "</ol>", 1)
    start = text.find("<p><strong>Not modelled yet</strong>")
    if start >= 0:
        end = text.index("</p>", start) + len("</p>")
        text = text[:start] + BODY_NOT_MODELLED + text[end:]
    return text + BODY_READING


_COLUMN_LABELS: dict[str, str] = {
    "phase": "Phase",
    "arm": "Arm",
    "n_subjects": "Subjects",
    "infusions_per_day": "Infusions / day",
    "infusions_total": "Infusions (total in phase)",
    "seeking_rate": "Seeking rate (fraction of trials)",
    "seeks_per_day": "Seeking responses / day",
    "seeks_total": "Seeking responses (total in phase)",
    "lapsed_share": "Lapsed (share of subjects: a drug self-taken after abstinence began)",
    "da_cue": "Phasic DA at cue",
    "da_cue_dorsal": "Phasic DA at cue, dorsolateral striatum",
    "da_outcome": "Phasic DA at outcome",
    "cue_value": "Cue value (strongest cue present)",
    "craving": "Craving (0–10)",
    "drug_taken_mean": "Drug taken (mean)",
    "seek_mean": "Seeking (mean)",
    "first_hour_infusions_per_day": "First-hour infusions / day",
    "first_hour_infusions_total": "First-hour infusions (total in phase)",
    "receptor_availability": "D2 receptor availability (1 = baseline)",
    "withdrawal": "Withdrawal (0–1)",
    "withdrawal_peak": "Peak daily withdrawal (0–1)",
    "mood": "Mood (−1 to 1)",
    "hedonic_setpoint": "Hedonic set point rise (reward units)",
    "reward_threshold": "Reward threshold (pellets)",
    "drug_setpoint": "Drug-level set point (× ED50)",
    "drug_level_peak": "Peak drug level / day",
    "da_accumbens_peak_pct": "Peak accumbens DA (% baseline)",
    "da_dorsal_peak_pct": "Peak dorsal DA (% baseline)",
    "habit_weight": "Habit weight (0 = goal-directed, 1 = habitual)",
    "attentional_bias": "Attentional bias to drug cues (0–1)",
}

_TABLE_TITLES: dict[str, str] = {
    "by_phase": "By phase (all subjects)",
    "by_arm_and_phase": "By arm and phase",
}

_PROVENANCE: tuple[tuple[str, str], ...] = (
    ("scenario_name", "Scenario"),
    ("seed", "Seed"),
    ("model", "Model variant"),
    ("species", "Species"),
    ("subjects", "Subjects"),
    ("record", "Record mode"),
    ("addictsim_version", "addictsim version"),
    ("jax_version", "JAX version"),
    ("platform", "Platform"),
    ("created_utc", "Created (UTC)"),
)

_CSS = """
*{box-sizing:border-box}
html{font-size:112.5%;-webkit-text-size-adjust:100%}
body{margin:0;padding:1rem;font-family:system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif;line-height:1.55;color:#1a1a1a;background:#fff}
main{max-width:60rem;margin:0 auto}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.45rem;margin:2.2rem 0 .8rem;border-bottom:2px solid #e3e3e3;padding-bottom:.25rem}
h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
p,li{max-width:48rem}
.description{font-size:1.05rem}
.disclaimer{border:3px solid #D55E00;background:#fff4ec;border-radius:.5rem;
padding:1rem 1.2rem;margin:1.2rem 0;font-size:1.05rem}
.disclaimer strong{color:#8a3300}
figure{margin:1.5rem 0 2rem;padding:0}
figure img{display:block;width:100%;height:auto;border:1px solid #ddd;border-radius:.3rem}
figcaption{margin-top:.6rem;color:#333}
figcaption strong{display:block;font-size:1.1rem;color:#1a1a1a;margin-bottom:.2rem}
.table-wrap{overflow-x:auto;margin:.5rem 0 1.5rem}
table{border-collapse:collapse;font-size:.92rem;min-width:50%}
th,td{border:1px solid #ccc;padding:.35rem .6rem;text-align:right;vertical-align:top}
th{background:#f0f4f8;text-align:center}
td.text,th.text{text-align:left}
tbody tr:nth-child(even){background:#fafafa}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.prov dt{font-weight:600}
dl.prov dd{margin:0;word-break:break-word}
pre{background:#f6f6f6;border:1px solid #ddd;border-radius:.3rem;padding:.8rem;
overflow-x:auto;font-size:.85rem;line-height:1.4;white-space:pre}
.muted{color:#555}
footer{margin:2.5rem 0 1rem;font-size:.9rem;color:#555}
@media (max-width:40rem){html{font-size:100%}body{padding:.6rem}h1{font-size:1.6rem}}
@media print{.disclaimer{break-inside:avoid}figure{break-inside:avoid}}
"""


def _has_body(ds: xr.Dataset) -> bool:
    return any(name in ds.data_vars for name in BODY_VARS)


def _has_control(ds: xr.Dataset) -> bool:
    return any(name in ds.data_vars for name in CONTROL_VARS)


def _esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def _paragraphs(text: str) -> str:
    """Escaped text split into <p> paragraphs on blank lines."""
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{_esc(b)}</p>" for b in blocks if b)


def _format_cell(value: Any) -> str:
    """Format a table cell: numbers compactly, None as an en dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return _esc(value)


def _table_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """Render a list of row dicts (union of keys, in first-seen order) as a table."""
    if not rows:
        return '<p class="muted">No data.</p>'
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    head = "".join(
        f'<th scope="col" class="{"text" if k in ("phase", "arm") else "num"}">'
        f"{_esc(_COLUMN_LABELS.get(k, k.replace('_', ' ')))}</th>"
        for k in columns
    )
    body = []
    for row in rows:
        cells = []
        for k in columns:
            v = row.get(k)
            cls = "text" if isinstance(v, str) else "num"
            cells.append(f'<td class="{cls}">{_format_cell(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _figure_html(fig: FigureInfo) -> str:
    """A <figure> with the PNG embedded as a base64 data URI (empty if unreadable)."""
    try:
        data = Path(fig.path).read_bytes()
    except OSError:
        return (f'<p class="muted">Figure “{_esc(fig.title)}” could not be read '
                f"({_esc(Path(fig.path).name)}).</p>")
    b64 = base64.b64encode(data).decode("ascii")
    return (
        "<figure>"
        f'<img src="data:image/png;base64,{b64}" alt="{_esc(fig.title)}">'
        f"<figcaption><strong>{_esc(fig.title)}</strong>{_esc(fig.caption)}</figcaption>"
        "</figure>"
    )


def _num3(v: float) -> str:
    """Three significant digits, without an exponent between 0.001 and 100,000."""
    if v != 0 and not 1e-3 <= abs(v) < 1e5:
        return f"{v:.3g}"
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _median_iqr(stats: Any) -> str:
    """``median (q25–q75)`` from a demand summary cell, or an en dash."""
    if not isinstance(stats, Mapping) or stats.get("median") is None:
        return "–"
    q25, q75 = stats.get("q25"), stats.get("q75")
    spread = f" ({_num3(q25)}–{_num3(q75)})" if q25 is not None and q75 is not None else ""
    return f"{_num3(stats['median'])}{spread}"


def _analysis_table(head: Sequence[str], body: Sequence[str], note_html: str) -> str:
    """A scrollable table with plain column heads, its body rows (``<tr>`` strings) and a
    paragraph of notes (HTML, already escaped)."""
    heads = "".join(f'<th scope="col">{_esc(h)}</th>' for h in head)
    return (f'<div class="table-wrap"><table><thead><tr>{heads}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div><p>{note_html}</p>")


def _demand_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The demand section: per (phase and) arm, subjects fitted and the median (IQR) of Q0,
    alpha, Pmax and R^2 across subjects, with :data:`DEMAND_TERMS` under it."""
    phases = list(dict.fromkeys(str(r.get("phase")) for r in rows))
    head = (["Phase"] if len(phases) > 1 else []) + [
        "Arm", "Subjects fitted", "Q0 (deliveries / session)", "Alpha (1 / responses)",
        "Pmax (responses / delivery)", "R² (log fit)"]
    body = []
    for r in rows:
        arm = str(r.get("arm"))
        cells = ([f'<td class="text">{_esc(r.get("phase"))}</td>'] if len(phases) > 1 else [])
        cells.append(f'<td class="text">{_esc("all subjects" if arm == "all" else arm)}</td>')
        cells.append(f'<td class="num">{_esc(r.get("n_fitted"))} of '
                     f'{_esc(r.get("n_subjects"))}</td>')
        for key in ("q0", "alpha", "pmax", "r2"):
            cells.append(f'<td class="num">{_esc(_median_iqr(r.get(key)))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    ks = sorted({float(r["k"]) for r in rows if r.get("k") is not None})
    k_text = (f" The range parameter k is fixed at {', '.join(f'{k:.3g}' for k in ks)} "
              "(the log10 range of the arms' mean consumption plus 0.5), so alpha compares "
              "across arms." if ks else "")
    return _analysis_table(head, body, f"{DEMAND_TERMS}{_esc(k_text)}")


def _choice_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The choice section: per choice phase and arm, subjects, the shares preferring each
    option, the mean share of drug choices and omissions."""
    head = ["Phase", "Arm", "Subjects", "Prefer the drug", "Prefer the alternative",
            "Drug choices (mean share)", "Omitted choices per session"]
    body = []
    for r in rows:
        arm = str(r.get("arm"))
        share = r.get("drug_choice_share")
        cells = [f'<td class="text">{_esc(r.get("phase"))}</td>',
                 f'<td class="text">{_esc("all subjects" if arm == "all" else arm)}</td>',
                 f'<td class="num">{_esc(r.get("subjects"))}</td>',
                 f'<td class="num">{100 * float(r["prefer_drug"]):.0f}%</td>',
                 f'<td class="num">{100 * float(r["prefer_alternative"]):.0f}%</td>',
                 f'<td class="num">{"–" if share is None else f"{100 * share:.0f}%"}</td>',
                 f'<td class="num">{float(r["omissions_per_session"]):.1f}</td>']
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = ("A subject prefers an option when it chose it on more than half of its completed "
            "choice trials over the phase's last sessions (Lenoir et al. 2007).")
    return _analysis_table(head, body, _esc(note))


def _place_preference_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The place-preference section: per test and arm, the seconds in each compartment and
    the centre, the preference score with its standard error, and the paired share."""
    head = ["Phase", "Test", "Arm", "Subjects", "Paired (s)", "Unpaired (s)", "Centre (s)",
            "Score (s)", "Paired share"]
    body = []
    for r in rows:
        arm = str(r.get("arm"))
        sem, share = r.get("score_sem_s"), r.get("paired_share")
        test = r.get("test")
        cells = [f'<td class="text">{_esc(r.get("phase"))}</td>',
                 f'<td class="num">{"all" if test is None else _esc(test)}</td>',
                 f'<td class="text">{_esc("all subjects" if arm == "all" else arm)}</td>',
                 f'<td class="num">{_esc(r.get("subjects"))}</td>',
                 f'<td class="num">{float(r["paired_s"]):.0f}</td>',
                 f'<td class="num">{float(r["unpaired_s"]):.0f}</td>',
                 f'<td class="num">{float(r["centre_s"]):.0f}</td>',
                 f'<td class="num">{float(r["score_s"]):+.0f}'
                 + ("" if sem is None else f" ± {float(sem):.0f}") + "</td>",
                 f'<td class="num">{"–" if share is None else f"{100 * share:.0f}%"}</td>']
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = ("Seconds per drug-free test in the drug-paired compartment, the vehicle-paired one "
            "and the centre; the score is paired minus unpaired (mean ± standard error across "
            "subjects); the paired share is of the time spent in either compartment "
            "(Mueller & Stewart 2000).")
    return _analysis_table(head, body, _esc(note))


def _relapse_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The lapse-and-relapse section: per arm, subjects at risk, follow-up, the shares who
    lapsed and relapsed, survival at 3, 6 and 12 months, medians, point prevalence."""
    def pct(v: Any) -> str:
        return "–" if v is None else f"{100 * float(v):.0f}%"

    head = ["Arm", "At risk", "Follow-up (days)", "Lapsed", "Relapsed",
            "No lapse at 90 / 180 / 365 d", "No relapse at 90 / 180 / 365 d",
            "Median days to lapse / relapse", "Abstinent last 7 / 14 d at end"]
    body = []
    for r in rows:
        arm = str(r.get("arm"))
        med = [r.get("median_days_to_lapse"), r.get("median_days_to_relapse")]
        cells = [f'<td class="text">{_esc("all subjects" if arm == "all" else arm)}</td>',
                 f'<td class="num">{_esc(r.get("n_at_risk"))}</td>',
                 f'<td class="num">{_esc(r.get("follow_up_days"))}</td>',
                 f'<td class="num">{pct(r.get("lapsed_share"))}</td>',
                 f'<td class="num">{pct(r.get("relapsed_share"))}</td>',
                 '<td class="num">' + " / ".join(pct(r.get(f"free_of_lapse_day_{d}"))
                                                 for d in (90, 180, 365)) + "</td>",
                 '<td class="num">' + " / ".join(pct(r.get(f"free_of_relapse_day_{d}"))
                                                 for d in (90, 180, 365)) + "</td>",
                 '<td class="num">' + " / ".join("–" if m is None else str(m)
                                                 for m in med) + "</td>",
                 '<td class="num">' + " / ".join(pct(r.get(f"point_prevalence_{w}d_at_end"))
                                                 for w in (7, 14)) + "</td>"]
        body.append("<tr>" + "".join(cells) + "</tr>")
    rule = rows[0].get("relapse_rule") if rows else ""
    note = ("Counted from the first day the drug was at hand again after abstinence began. A "
            "lapse is any self-taken use; relapse is " + str(rule) + " (the scenario's "
            "[relapse] rule). Survival is the Kaplan-Meier share still free of the event (a "
            "dash: beyond the follow-up); point prevalence is the share with no use in the "
            "last 7 or 14 days of follow-up (Hughes et al. 2003).")
    return _analysis_table(head, body, _esc(note))


def _cue_map_html(rows: Sequence[Mapping[str, Any]], chain: Mapping[str, Any] | None) -> str:
    """The "where the relapse sequence starts" section: the cues ranked by their share of
    the relapse risk (ablation), and the chain's stages at a typical first lapse."""
    out = []
    if rows:
        head = ["Rank", "Cue", "Relapsed with it", "Without it", "Share of the risk",
                "Relapse-free days it costs"]
        body = []
        for r in rows:
            share, ci = r.get("risk_share"), r.get("risk_share_ci")
            gain, gci = r.get("relapse_free_days_gained"), r.get("relapse_free_days_gained_ci")
            cells = [f'<td class="num">{_esc(r.get("rank"))}</td>',
                     f'<td class="text">{_esc(r.get("cue"))}</td>',
                     f'<td class="num">{100 * float(r["relapsed_with_cue"]):.0f}%</td>',
                     f'<td class="num">{100 * float(r["relapsed_without_cue"]):.0f}%</td>',
                     '<td class="num">' + ("–" if share is None else f"{100 * share:.0f}%")
                     + ("" if not ci else f" ({100 * ci[0]:.0f} to {100 * ci[1]:.0f})")
                     + "</td>",
                     f'<td class="num">{float(gain):.1f}'
                     + ("" if not gci else f" ({gci[0]:.1f} to {gci[1]:.1f})") + "</td>"]
            body.append("<tr>" + "".join(cells) + "</tr>")
        note = ("The same subjects (same brains, same random draws) simulated again without "
                "each cue after abstinence began; the share of the risk is the relative fall "
                "in the share who relapse by the end of follow-up, the days are the "
                "relapse-free days it adds per subject over the follow-up (in brackets: 95% "
                "paired bootstrap intervals). The withdrawal cue is taken away as the others "
                "are (the brain no longer shows it); the ablation of the drug on board or of "
                "stress cuts the insula's route from the body.")
        out.append(_analysis_table(head, body, _esc(note)))
    if chain and chain.get("stages"):
        head = ["Stage of the chain", "At the first lapse", "When the drug was at hand and "
                "not used"]
        body = []
        for s in chain["stages"]:
            other = s.get("when_resisting")
            body.append("<tr>" + f'<td class="text">{_esc(s["meaning"])}</td>'
                        f'<td class="num">{float(s["at_first_lapse"]):.2f}</td>'
                        f'<td class="num">{"–" if other is None else f"{float(other):.2f}"}'
                        "</td></tr>")
        note = (f"Medians over the {chain['subjects']} subjects who lapsed: the chain's stages "
                "(the value the cues present predict, craving, attention captured by drug "
                "cues, the habit's share of control) in the episode of each subject's first "
                "lapse, and their means over the episodes after the return in which the drug "
                "was at hand and the subject did not use.")
        out.append(_analysis_table(head, body, _esc(note)))
    return "".join(out)


def _go_nogo_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The go/no-go section: per phase and arm, subjects, commission and hit rates and the
    commission deficit against the control arm."""
    head = ["Phase", "Arm", "Subjects", "Commission errors", "Hits",
            "Deficit d (vs control)"]
    body = []
    for r in rows:
        arm = str(r.get("arm"))
        d = r.get("commission_d")
        cells = [f'<td class="text">{_esc(r.get("phase"))}</td>',
                 f'<td class="text">{_esc("all subjects" if arm == "all" else arm)}</td>',
                 f'<td class="num">{_esc(r.get("subjects"))}</td>',
                 f'<td class="num">{100 * float(r["commission_rate"]):.1f}%</td>',
                 f'<td class="num">{100 * float(r["hit_rate"]):.0f}%</td>',
                 f'<td class="num">{"–" if d is None else f"{d:+.2f}"}</td>']
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = ("Commission errors: presses on no-go trials, as a share of them; hits: presses on "
            "go trials. The deficit is Cohen's d of the commission rate against the arm named "
            "control (pooled SD; positive: more errors). People who use stimulants, alcohol "
            "or tobacco show d of about 0.3-0.5; opioid and cannabis users none (Smith et al. "
            "2014).")
    return _analysis_table(head, body, _esc(note))


def _criteria_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The criteria section: per assessment, subjects, the shares meeting 0-3 criteria (and
    what independent criteria would give), each criterion's median measure."""
    head = ["Assessment", "Subjects", "0 criteria", "1", "2", "3",
            "Median persistence (presses / session)", "Median breakpoint",
            "Median intake kept under punishment"]
    body = []
    for r in rows:
        med = r.get("medians", {})
        cells = [f'<td class="text">{_esc(r.get("timepoint"))}</td>',
                 f'<td class="num">{_esc(r.get("subjects"))}</td>']
        cells += [f'<td class="num">{100 * float(x):.0f}%</td>' for x in r["score_shares"]]
        cells += [f'<td class="num">{float(med.get(k, float("nan"))):.3g}</td>'
                  for k in ("persistence", "motivation", "resistance")]
        body.append("<tr>" + "".join(cells) + "</tr>")
    ind = rows[0]["independent_shares"]
    note = ("A subject meets a criterion when it is in the top third of the cohort on it "
            "(Deroche-Gamonet, Belin & Piazza 2004). If the three criteria were independent, "
            "the shares meeting 0, 1, 2 and 3 would be "
            + ", ".join(f"{100 * x:.0f}%" for x in ind) + ". Research and teaching only: "
            "these are virtual subjects.")
    return _analysis_table(head, body, _esc(note))


def _discounting_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """The discounting section: per (phase and) arm, subjects, the median (IQR) of k and of
    the area under the curve, and the share of subjects the hyperbola fits better."""
    phases = list(dict.fromkeys(str(r.get("phase")) for r in rows))
    head = ["Phase", "Arm", "Subjects", "k (1/d)", "Area under the curve",
            "Hyperbola fits better"]
    body = []
    for r in rows:
        arm = str(r.get("arm"))
        cells = [f'<td class="text">{_esc(r.get("phase"))}</td>',
                 f'<td class="text">{_esc("all subjects" if arm == "all" else arm)}</td>',
                 f'<td class="num">{_esc(r.get("n_subjects"))}</td>']
        for key in ("k", "auc"):
            cells.append(f'<td class="num">{_esc(_median_iqr(r.get(key)))}</td>')
        cells.append(f'<td class="num">{100 * float(r["hyperbolic_better_share"]):.0f}%</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = ("Each cell is the median across the arm's subjects, with the interquartile range "
            "in brackets. k is the rate of the hyperbola fitted to each subject's indifference "
            "points by least squares; the last column is the share of subjects for whom it "
            f"fits better than an exponential ({len(phases)} discounting "
            f"phase{'s' if len(phases) > 1 else ''}).")
    return _analysis_table(head, body, _esc(note))


def _arms_text(ds: xr.Dataset) -> str | None:
    """'arm (n), arm (n)' from the subject ``arm`` coord, or None."""
    if "arm" not in ds.coords or ds.coords["arm"].dims != ("subject",):
        return None
    counts: dict[str, int] = {}
    for a in ds.coords["arm"].values:
        key = a.decode() if isinstance(a, bytes) else str(a)
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k} ({v})" for k, v in counts.items())


def _provenance_html(ds: xr.Dataset) -> str:
    """Definition list of the provenance attributes."""
    attrs = dict(ds.attrs)
    items = []
    for key, label in _PROVENANCE:
        value = attrs.get(key)
        if key == "subjects" and value is None and "subject" in ds.sizes:
            value = ds.sizes["subject"]
        if key == "record" and value is None:
            value = "unknown"
        items.append(f"<dt>{_esc(label)}</dt><dd>{_esc('–' if value is None else value)}</dd>")
    arms = _arms_text(ds)
    if arms:
        items.append(f"<dt>Arms</dt><dd>{_esc(arms)}</dd>")
    return f'<dl class="prov">{"".join(items)}</dl>'


def _analysis_rows(module: str, func: str, ds: xr.Dataset) -> list:
    """``addictsim.analysis.<module>.<func>(ds)``; an empty list when the report package is
    loaded on its own, without addictsim."""
    try:
        mod = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.analysis.{module}")
    except (ImportError, ValueError, AttributeError):
        return []
    return list(getattr(mod, func)(ds))


def _analysis_first_lapse_chain(ds: xr.Dataset) -> dict | None:
    try:
        mod = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.analysis.cue_map")
    except (ImportError, ValueError, AttributeError):
        return None
    return mod.first_lapse_chain(ds)


def write_report(ds: xr.Dataset, figures: list[FigureInfo], path: Path, *,
                 summary: dict | None = None,
                 demand: Sequence[Mapping[str, Any]] | None = None,
                 discounting: Sequence[Mapping[str, Any]] | None = None,
                 criteria: Sequence[Mapping[str, Any]] | None = None,
                 choice: Sequence[Mapping[str, Any]] | None = None,
                 go_nogo: Sequence[Mapping[str, Any]] | None = None,
                 place_preference: Sequence[Mapping[str, Any]] | None = None,
                 relapse: Sequence[Mapping[str, Any]] | None = None,
                 first_lapse_chain: Mapping[str, Any] | None = None) -> Path:
    """Write a single self-contained HTML report.

    Contents: title (scenario name), description, disclaimer, "How to read this
    report", every figure (embedded base64 PNG) with its caption, the demand
    table when the run has a ``demand`` phase, the discounting table when it has
    ``delay_discounting`` choices per episode, the summary tables, provenance
    and the scenario TOML (escaped). The file is written atomically (temp file
    in the same directory, then :func:`os.replace`).

    Args:
        ds: the results Dataset (its ``attrs`` provide title and provenance).
        figures: figures from :func:`~addictsim.report.figures.make_figures`.
        path: output HTML path; parent directories are created.
        summary: tables as returned by :func:`summary_tables`; computed from
            ``ds`` when None.
        demand: rows as returned by :func:`addictsim.analysis.demand.demand_summary`;
            computed from ``ds`` when None (an empty list: no demand section).
        discounting: rows as returned by
            :func:`addictsim.analysis.discounting.discounting_summary`; computed from ``ds``
            when None (an empty list: no discounting section).
        criteria: rows as returned by :func:`addictsim.analysis.criteria.criteria_summary`;
            computed from ``ds`` when None (an empty list: no criteria section).
        choice: rows as returned by :func:`addictsim.analysis.choice.choice_summary`;
            computed from ``ds`` when None (an empty list: no choice section).
        go_nogo: rows as returned by :func:`addictsim.analysis.go_nogo.go_nogo_summary`;
            computed from ``ds`` when None (an empty list: no go/no-go section).
        place_preference: rows as returned by
            :func:`addictsim.analysis.place_preference.place_preference_summary`; computed
            from ``ds`` when None (an empty list: no place-preference section).
        relapse: rows as returned by :func:`addictsim.analysis.relapse.relapse_summary`;
            computed from ``ds`` when None (an empty list: no lapse-and-relapse section).
        first_lapse_chain: as returned by
            :func:`addictsim.analysis.cue_map.first_lapse_chain`; computed from ``ds`` when
            None.

    Returns:
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    attrs = ds.attrs
    name = str(attrs.get("scenario_name") or "addictsim simulation")
    description = attrs.get("scenario_description") or ""
    scenario_text = attrs.get("scenario_text") or ""
    if summary is None:
        summary = summary_tables(ds)

    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(name)} — addictsim report</title>",
        f"<style>{_CSS}</style>",
        "</head><body><main>",
        f"<header><p class=\"muted\">addictsim simulation report</p><h1>{_esc(name)}</h1></header>",
        f'<div class="disclaimer" role="note"><strong>Not medical advice.</strong> {_esc(DISCLAIMER)}</div>',
    ]
    if description:
        parts.append(f'<section class="description">{_paragraphs(str(description))}</section>')
    parts.append(f"<section><h2>How to read this report</h2>{how_to_read(ds)}</section>")

    parts.append("<section><h2>Figures</h2>")
    if figures:
        parts.extend(_figure_html(f) for f in figures)
    else:
        parts.append('<p class="muted">No figures: the results did not contain the variables they need.</p>')
    parts.append("</section>")

    # the analysis sections: rows given by the caller, or computed from ds (None); none
    # when there are no rows
    sections = (("Demand curve fits", demand, "demand", _demand_html),
                ("Choice between the drug and a natural reward", choice, "choice", _choice_html),
                ("Addiction-like criteria", criteria, "criteria", _criteria_html),
                ("Response inhibition (go/no-go)", go_nogo, "go_nogo", _go_nogo_html),
                ("Conditioned place preference", place_preference, "place_preference",
                 _place_preference_html),
                ("Lapse and relapse", relapse, "relapse", _relapse_html),
                ("Delay discounting", discounting, "discounting", _discounting_html))
    for title, rows, module, render in sections:
        if rows is None:
            rows = _analysis_rows(module, f"{module}_summary", ds)
        if rows:
            parts.append(f"<section><h2>{_esc(title)}</h2>{render(rows)}</section>")
    ablation = cue_ablation_rows(ds)
    chain = (_analysis_first_lapse_chain(ds) if first_lapse_chain is None
             else first_lapse_chain)
    if ablation or (chain and chain.get("stages")):
        parts.append("<section><h2>Where the relapse sequence starts</h2>"
                     f"{_cue_map_html(ablation, chain)}</section>")

    parts.append("<section><h2>Summary tables</h2>")
    parts.append('<p class="muted">Means per phase: each quantity is averaged within a subject '
                 "over the phase, then across subjects. Cue value and phasic dopamine at the "
                 "cue are means over the trials with a cue, craving over the trials a cue or "
                 "a body state triggered it; phasic dopamine at the "
                 "outcome over the trials on which an outcome was delivered or due. A dash marks "
                 "a phase without such trials."
                 + (" Body variables (receptors, withdrawal, mood, set points) are first made "
                    "per day, then averaged over the phase's days; first-hour infusions count "
                    "the drug deliveries in the first hour of each day's session, which "
                    "compares arms with different session lengths." if _has_body(ds) else "")
                 + (" Habit weight and attentional bias are likewise first made per day; phasic "
                    "dopamine at the cue in the dorsolateral striatum, like the ventral one, is "
                    "a mean over the trials with a cue." if _has_control(ds) else "")
                 + "</p>")
    if summary:
        for key, rows in summary.items():
            parts.append(f"<h3>{_esc(_TABLE_TITLES.get(key, key.replace('_', ' ')))}</h3>")
            parts.append(_table_html(rows if isinstance(rows, Sequence) else []))
    else:
        parts.append('<p class="muted">No summary available.</p>')
    parts.append("</section>")

    parts.append(f"<section><h2>Provenance</h2>{_provenance_html(ds)}</section>")
    parts.append("<section><h2>Scenario</h2>")
    if scenario_text:
        parts.append(f"<pre>{_esc(scenario_text)}</pre>")
    else:
        parts.append('<p class="muted">The scenario text was not recorded.</p>')
    parts.append("</section>")
    parts.append(f"<footer>{_esc(DISCLAIMER)}</footer>")
    parts.append("</main></body></html>\n")

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text("\n".join(parts), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
