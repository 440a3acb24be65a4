"""Yardstick (a): the naive baseline.

A per-subject loop in plain Python over the same step as ``engine.episode_step`` (elapse ->
observation -> perceive -> softmax policy -> apparatus -> learn -> deliver -> bounded
recording), using Python floats and lists and the ``math`` and ``random`` modules only: no
NumPy, no JAX in the loop. It is written the way fast interpreted code is written (one
function, locals, no attribute look-ups or calls in the loop beyond ``math.exp``,
``math.log``, ``math.log1p``, ``abs`` and ``random.random``), but it does the same work as
the engine each episode: the same state (per memory of ``brain.memory``: CSC weights per
context x cue x bin, cached values per context x operandum, outcome-identity weights per cue
x kind, the action -> outcome model per context x operandum x kind; the memories'
statistics: which are open, recency traces, context, cue and drug-state counts, outcome
counts, idle time, the running surprise, the last informative episode's shares (fading with
time), destabilisation under way and lability (reconsolidation); eligibility traces per
context x operandum, the action -> cue model per context x operandum x cue, incentive values
per kind, habit experience per context x operandum (the cached values, traces and habit read
and learned in the episode's habit context, which a go/no-go trial sets apart from its own
context), the average reward rate, the body: depot, level, opponent adaptation, pending and
expressed withdrawal deficit per kind, D2 availability, allostatic load and the time of
uninterrupted high dopamine, the incentive state: time since each kind's last delivery, the
incubation substrate per kind and sensitisation; stress; fixed-ratio counters, the time-out
and the branch of sequential tasks), the same equations (``brain.memory``: retrieval of the
memories by recency, context, its drift in time, the cues shown at choice and the drug state
before acting, prediction from their mixture, assignment of the episode to them once its
outcome is known (an uninformative episode, or one whose trial goes on, to the fading
situation of the last informative one, topped up by the retrieval), a second retrieval by
every cue the episode showed (response-produced ones included), each weighted by its
incentive salience, under which the cues' pull (conditioned reinforcement, wanting, craving)
is read, a new memory opened by sustained omission at the end of a trial (the surprise moved
by the square of the retrieved memories' stability), every cue the episode showed counted per
memory, learning of each memory from its own errors in proportion to its share;
reconsolidation: a memory that takes a share of an episode whose expected outcome is
withheld starts to destabilise: through two steps into lability over minutes, which closes
over hours (a chain of three first-order steps, solved exactly over each gap), and while
it is labile an omission under it revises it rather than calling for a new memory (the
surprise moved by the square of the retrieved memories' stability; their lability under the
retrieval is recorded); ``brain.receptors``: first-order
absorption kinetics, D2 down-regulation and recovery, allostasis, opponent withdrawal,
satiety, the homeostatic drive reduction; ``brain.control``: goal-directed and habitual
values and their arbitration, lesion gains, incentive learning with malaise and
physiological need, outcome-specific transfer (from the strongest association any open
memory holds), attentional narrowing; ``brain.incentive``: cue wanting at the state's
incentive gain (intoxication, sensitisation, incubation, withdrawal tone, a drug's
homeostatic drive left, a phase's clamp) and the need-dependent re-valuation of outcomes;
``brain.prefrontal``: the prefrontal insult from drug exposure and the control it leaves,
the veto that brings a response's predicted punishment to bear on its habitual share, the
threat of the cues present, fast learning of aversive expectations and D2-dependent learning
from punishment; ``brain.interoception``: stress falling over the gap, raised by a footshock
over a threshold of its intensity, and raising the drug state that retrieval reads and the
memories record towards 1 at the insula's gain; the drug state as an internal cue, wanting
the drug its retrieved memories expect here (craving with no cue shown; an episode in which
it alone makes craving ``PROBE`` of 10 or more is a craving probe, as one with a cue is);
``world.apparatus``: outcome probabilities
per slot, forced choices, branches, the drug the subject's own response earns once abstinence
has begun: a lapse), and the same per-subject aggregates (sums, event means,
maxima and counts of the recorded quantities, ``workload.REC_VARS`` mapped onto the engine's
``AGG_VARS``). Not implemented: an NMDA-receptor blocker (a phase's ``nmda_blocker``,
``memory.block_restabilisation``), which neither the benchmark's nor the check's scenarios
give (``workload.schedule_arrays`` refuses a scenario that does).

The only shortcuts are exact ones: a kind with nothing in its depot and body is
not integrated (its level stays exactly 0), a drug with no exposure, opponent
adaptation or deficit is not relaxed (it stays exactly 0), a kind an action
is not expected to deliver adds exactly 0 to its drive reduction, a kind with no
incubation substrate has exactly no incubated rise, and an episode without a delivery
leaves the incubation substrate and sensitisation exactly as they are, one without a
footshock leaves stress exactly as it is; a memory with no destabilisation under way and
no lability stays exactly so over a gap, and one with no share of an episode, or no omission
in it, gains no destabilisation; a memory not yet open holds zeros and takes no
share of any episode (it is not looped over), with one memory open the retrieval
posteriors are exactly (1, 0, ...) (not computed), and a memory with no share of an episode
learns exactly nothing from it (not updated).

Uniforms come from ``random.Random(seed + subject)`` (two per episode: the policy
draw and the task draw: partial reinforcement, outcome probability, transition), or
from ``uniforms`` (an ``(n, E, 2)`` array, e.g. the engine's own draws) for the
equivalence check.
"""

from __future__ import annotations

import math
import random

from .workload import (AGG_VARS, BIN_S, COUNT_VARS, KIND_AVERSIVE, KIND_DRUG, KIND_NATURAL,
                       MAX_VARS, MEM_FLOOR, MEM_PER_DAY, MEM_PSEUDO, MEM_SITUATION_S, MEM_SLOTS,
                       MEM_TIMESCALES_S, N_BINS, N_REC, NEG, PARAM_NAMES, PROBE, SHOCK, P,
                       Schedule, Table, new_accumulators, recording_plan, reinforcer_table)

N_AGG = len(AGG_VARS)
N_MAX = len(MAX_VARS)
N_COUNT = len(COUNT_VARS)

#: the parameters the step reads, by name (their columns in the parameter matrix)
STEP_PARAMS = ["alpha", "gamma", "alpha_q", "alpha_id", "beta", "other_value", "response_cost",
               "context_generalization", "da_to_reward", "drug_sensitivity", "avg_reward_tau_h",
               "avg_reward_weight", "craving_half", "d2_baseline", "d2_max_loss",
               "d2_down_tau_h", "d2_recovery_tau_d", "high_da_pct", "drug_setpoint",
               "drive_exponent", "homeostatic_weight", "allostasis_onset_h", "allostasis_rate",
               "allostasis_recovery_tau_d", "hedonic_shift", "rho_allostatic",
               "opponent_tau_h", "satiety_gain", "withdrawal_depth", "satiety_capacity",
               "alpha_incentive", "habit_half", "habit_sharpness", "habit_drug_gain",
               "attention_floor", "attention_narrowing", "pit_gain", "eligibility_tau_s",
               "incentive_attribution", "intoxication_gain", "sensitization_rate",
               "sensitization_interval_h", "sensitization_tau_d", "sensitization_gain",
               "incubation_rate", "incubation_gain", "allostasis_occupancy", "pfc_baseline",
               "pfc_insult_half_h", "pfc_max_loss", "pfc_recovery_tau_d", "d2_nogo_exponent",
               "pfc_insult_sharpness", "alpha_aversive", "memory_threshold",
               "memory_surprise_rate", "memory_noise", "memory_context_share", "memory_drift_d",
               "insula_gain", "stress_threshold_ma", "stress_slope_ma", "stress_rate",
               "stress_tau_min", "stress_dopamine", "destabilisation_min",
               "reconsolidation_window_h"]


def _csc_td(wc, onset, r_out: float, d_out: float, outcome_bin: int, gamma: float,
            cost: float, model: int, v: list[float], delta: list[float]) -> None:
    """V over the serial compound (``v``, t = 0..N-1) from the cue weights ``wc`` of one
    context, and the TD errors (``delta``, t = 0..N) by model variant (0 default, 1 td,
    2 redish2004): dopamine.values and dopamine.prediction_errors, in place."""
    N = N_BINS
    for t in range(N):
        v[t] = 0.0
    for c in range(len(onset)):
        o = onset[c]
        if o >= 0:
            wcc = wc[c]
            for t in range(o, N):
                v[t] += wcc[t - o]
    for t in range(N + 1):
        at = t == outcome_bin
        vn = v[t] if t < N else 0.0
        vp = v[t - 1] if t > 0 else 0.0
        base = (r_out if at else 0.0) + gamma * vn - vp - cost
        if model == 0:
            dl = base + (d_out if at else 0.0)
        elif model == 1:
            dl = base
        else:
            dd = d_out if at else 0.0
            dl = (base + dd if base + dd > dd else dd) if dd > 0 else base
        delta[t] = dl


def schedule_rows(s: Schedule) -> list[tuple]:
    """The schedule as a list of per-episode tuples of Python numbers and lists."""
    cols = [s.context, s.gap_s, s.group, s.session_start, s.cs_onset, s.us_amounts, s.us_prob,
            s.us_bin, s.slot_operandum, s.slot_cues, s.slot_amounts, s.slot_ratio, s.slot_bin,
            s.timeout_ep, s.first_hour, s.intact, s.slot_prob, s.sets_branch, s.branch_p,
            s.uses_branch, s.alt_slot_operandum, s.alt_slot_prob, s.branch_cues, s.forced,
            s.holds, s.slot_approach, s.need, s.kappa, s.pfc_gain, s.no_drug, s.nogo,
            s.habit_context, s.gen_scale, s.abstinent]
    return list(zip(*[c.tolist() for c in cols]))


def run_subject(rows: list[tuple], prm: list[float], tab: Table | tuple, dims: tuple,
                rand=None, uniforms=None, plan=None) -> tuple[list, list, list, list]:
    """One subject over every episode of ``rows``; returns its accumulators
    ``(sums, weights, maxs, counts)``, each a list over groups of lists.

    ``prm`` is one row of the parameter matrix (``workload.PARAM_NAMES`` order); ``tab`` the
    reinforcer table's fields as lists (``Table.lists()``);
    ``dims = (n_contexts, n_cues, n_operanda, n_slots, n_kinds, n_groups, model)``;
    ``rand`` a ``random.Random().random``, or ``uniforms`` a list of ``(u0, u1)``;
    ``plan`` is ``workload.recording_plan()``."""
    X, C, O, S, K, G, model = dims
    (alpha, gamma, alpha_q, alpha_id, beta, other_value, response_cost, cgen, da_to_reward,
     drug_sens, tau_h, rho_weight, craving_half, d2_baseline, d2_max_loss, d2_down_tau_h,
     d2_recovery_tau_d, high_da_pct, drug_setpoint, drive_exponent, homeostatic_weight,
     allostasis_onset_h, allostasis_rate, allostasis_recovery_tau_d, hedonic_shift,
     rho_allostatic, opponent_tau_h, satiety_gain, withdrawal_depth, satiety_capacity,
     alpha_incentive, habit_half, habit_sharpness, habit_drug_gain, attention_floor,
     attention_narrowing, pit_gain, eligibility_tau_s, attribution, intoxication_gain,
     sens_rate, sens_interval_h, sens_tau_d, sens_gain, incubation_rate,
     incubation_gain, allostasis_occupancy, pfc_baseline, pfc_insult_half_h, pfc_max_loss,
     pfc_recovery_tau_d, d2_nogo_exponent, pfc_insult_sharpness,
     alpha_aversive, mem_threshold, mem_rate, mem_noise, mem_share,
     mem_drift_d, insula_gain, stress_threshold_ma, stress_slope_ma, stress_rate,
     stress_tau_min, stress_dopamine, destab_min,
     recon_window_h) = [prm[P[k]] for k in STEP_PARAMS]
    (kind, value, ed50, emax, dorsal_ratio, default_amount, ka, kel, inv_sat, wd_onset_s,
     wd_duration_s, malaise_k, need_value, inc_rise_s, inc_decay_s, inc_norm, pfc_tox,
     occ_ed50) = tab
    agg_src, agg_event, max_src = recording_plan() if plan is None else plan
    exp = math.exp
    log = math.log
    log1p = math.log1p
    inf = math.inf
    N = N_BINS
    half_neg = NEG / 2
    min_gap = N * BIN_S
    rng_k = range(K)
    rng_c = range(C)
    rng_x = range(X)
    rng_o = range(O)
    drugs = [k for k in rng_k if kind[k] == KIND_DRUG]
    aversives = [k for k in rng_k if kind[k] == KIND_AVERSIVE]
    illness = [k for k in rng_k if malaise_k[k] > 0]
    # per-subject constants of the body (the same products the engine forms each episode)
    thr_da = high_da_pct / 100.0
    d2_floor = d2_baseline * (1.0 - d2_max_loss)
    d2_down_s = 3600.0 * d2_down_tau_h
    d2_rec_s = 86400.0 * d2_recovery_tau_d
    allo_onset_s = 3600.0 * allostasis_onset_h
    allo_rec_s = 86400.0 * allostasis_recovery_tau_d
    opp_up_s = 3600.0 * opponent_tau_h
    sens_tau_s = 86400.0 * sens_tau_d
    sens_int_s = 3600.0 * sens_interval_h
    pfc_rec_s = 86400.0 * pfc_recovery_tau_d
    stress_tau_s = 60.0 * stress_tau_min
    # internal wanting at which the body state alone makes craving PROBE of 10 (a probe)
    probe_at = craving_half / (10.0 / PROBE - 1.0)
    # expectations of aversive outcomes (cue -> identity, action -> outcome) and their
    # incentive values learn at their own rate (brain.prefrontal)
    alpha_k = [alpha_aversive if kind[k] == KIND_AVERSIVE else alpha_id for k in rng_k]
    needy = [k for k in rng_k if need_value[k] > 0]   # kinds whose worth depends on a need
    agg_plan = list(zip(range(N_AGG), agg_src, agg_event))
    # only the default model's values feel the body (receptor gain, satiety, hedonic set
    # point, allostatic reward rate, drive reduction); the variants are the published rules
    adaptive = model == 0
    max_plan = list(enumerate(max_src))

    # the memory layer (brain.memory): M slots, J recency traces
    M = MEM_SLOTS
    rng_j = range(len(MEM_TIMESCALES_S))
    mem_drift_s = mem_drift_d * 86400.0
    # reconsolidation (memory.elapse): destabilisation under way passes through two steps
    # at rate k each into lability, which closes at rate k3 (the parameters' ranges keep
    # k > k3); the same products the engine forms each episode
    k_on = 1.0 / (destab_min * 60.0)
    k_off = 1.0 / (recon_window_h * 3600.0)
    k_d = k_on - k_off
    k_r = k_on / k_d
    k_r2 = k_r * k_r
    # state: the learned associations carry a leading memory axis (brain.memory); a memory
    # not yet open holds exactly zeros, takes no share of any episode and is never retrieved,
    # so the loops below run over the open ones (0 .. n_open - 1: slots open in order)
    w = [[[[0.0] * N for _ in range(C)] for _ in range(X)] for _ in range(M)]
    q = [[[0.0] * O for _ in range(X)] for _ in range(M)]
    wid = [[[0.0] * K for _ in range(C)] for _ in range(M)]
    m_op = [[[[0.0] * K for _ in range(O)] for _ in range(X)] for _ in range(M)]
    n_open = 1               # memories open (slot 0 from the start)
    m_recency = [[0.0] * len(MEM_TIMESCALES_S) for _ in range(M)]   # decaying episode shares
    m_context = [[0.0] * X for _ in range(M)]   # share of past episodes in each context
    m_shown = [[0.0] * C for _ in range(M)]     # share of past episodes each cue appeared in
    m_drug = [0.0] * M       # summed drug state over each memory's episodes
    m_outcome = [[0.0] * K for _ in range(M)]   # episodes in which each kind arrived
    m_surprise = 0.0         # running average of omitted outcomes
    m_idle = [0.0] * M       # seconds since each memory last took an episode
    m_situation = [1.0] + [0.0] * (M - 1)     # shares of the last informative episode (fading)
    m_pend1 = [0.0] * M      # destabilisation under way (a retrieval with an omission),
    m_pend2 = [0.0] * M      # in its first and second step
    m_labile = [0.0] * M     # lability: 1 = fully open to revision (reconsolidation)
    first_only = [1.0] + [0.0] * (M - 1)
    m_cue = [[[0.0] * C for _ in range(O)] for _ in range(X)]
    inc = [0.0] * K
    habit = [[0.0] * O for _ in range(X)]
    trace = [[0.0] * O for _ in range(X)]   # eligibility of recent responses
    rho = 0.0
    depot = [0.0] * K
    level = [0.0] * K
    opponent = [0.0] * K
    pending = [0.0] * K
    deficit = [0.0] * K
    d2 = d2_baseline
    load = 0.0
    high_for = 0.0
    since = [0.0] * K        # seconds since each kind's last delivery (brain.incentive)
    expo = [0.0] * K         # incubation substrate per kind
    sens = 0.0               # incentive sensitisation
    insult = 0.0             # prefrontal insult, h (brain.prefrontal)
    stress = 0.0             # stress, 0-1 (brain.interoception)
    count = [0] * S
    timeout = 0
    branch = 0               # branch the next episode is in (sequential tasks)
    # per-group accumulators
    sums = [[0.0] * N_AGG for _ in range(G)]
    weights = [[0.0] * N_AGG for _ in range(G)]
    maxs = [[-inf] * N_MAX for _ in range(G)]
    counts = [[0.0] * N_COUNT for _ in range(G)]
    # scratch
    v = [0.0] * N
    delta = [0.0] * (N + 1)
    eff = [0.0] * K          # drug effect of the current level (0 for non-drugs)
    drv = [0.0] * K          # homeostatic drive at the current level, per drug
    rec = [0.0] * N_REC
    share = [0.0] * C        # per cue: the share of its outcome prediction that is a drug
    w_raw = [0.0] * O        # habit share per operandum in the context, before lesions
    wh = [0.0] * O           # ... after lesions
    want = [0.0] * C         # per cue: its incentive value now (brain.incentive)
    kap = [1.0] * K          # per kind: the incentive gain of its cues
    shift_k = [0.0] * K      # per kind: worth now minus the incentive value learned
    worth = [0.0] * K        # per kind: worth now (goal-directed expectation)
    rise = [0.0] * K         # per kind: incubated rise of the gain
    surge = [0.0] * K        # per kind: the episode's dopamine surge
    decay_j = [0.0] * len(MEM_TIMESCALES_S)    # per trace: its decay over the gap
    v_m = [0.0] * N          # per memory: V and the TD errors under its own weights
    delta_m = [0.0] * (N + 1)
    prior_m = [0.0] * M      # per memory: its prior (with the floor) at recall
    like_m = [0.0] * M       # ... the likelihood of context, time and drug state
    den_m = [0.0] * M        # ... the denominator of its cue rates
    post_s = [0.0] * M       # per memory: the retrieval by the episode's cues (subject.learn)
    sal = [0.0] * C          # per cue: its incentive salience (incentive.cue_gain)
    want_s = [0.0] * C       # per cue: its incentive value under that retrieval
    share_s = [0.0] * C      # ... and the share of its outcome prediction that is a drug

    for e, (ctx, gap_s, grp, sstart, cs_on, us_amt, us_prob, us_bin, s_op, s_cues, s_amt,
            s_ratio, s_bin, to_ep, first_hour, intact, s_prob, sets_b, b_p, uses_b, alt_op,
            alt_prob, b_cues, forced, holds, s_app, need, kclamp, pfc_gain,
            no_drug, nogo_trial, hctx, gscale, abstinent) in enumerate(rows):
        if uniforms is None:
            u0 = rand()
            u1 = rand()
        else:
            u0, u1 = uniforms[e]
        g_s = gap_s

        # ---- elapse: the body over the gap (receptors.elapse)
        sum_def = 0.0
        sum_e0 = 0.0
        for k in rng_k:
            sum_def += deficit[k]
        for k in drugs:
            lv = level[k]
            sum_e0 += emax[k] * (lv / (lv + ed50[k])) * drug_sens
        down = withdrawal_depth * sum_def
        da0 = 1.0 + sum_e0 - down
        if da0 < 0.05:
            da0 = 0.05
        dose_h = 0.0
        for k in rng_k:
            dk = depot[k]
            lv = level[k]
            if dk != 0.0 or lv != 0.0:
                kak = ka[k]
                kek = kel[k]
                eka = exp(-kak * g_s)
                eke = exp(-kek * g_s)
                if kind[k] == KIND_DRUG:
                    # prefrontal insult (prefrontal.accrue): hours of target occupancy at the
                    # gap's mean level (the level integrated from the gap's start), x toxicity
                    f_el = (1.0 - eke) / kek
                    f_ab = (1.0 - eka) / kak
                    area = lv * f_el + dk * kak / (kak - kek) * (f_el - f_ab)
                    mean = area / (g_s if g_s > 1e-9 else 1e-9)
                    dose_h += pfc_tox[k] * (g_s * mean / (mean + occ_ed50[k]) / 3600.0)
                lv = lv * eke + dk * kak / (kak - kek) * (eke - eka)
                if lv < 0.0:
                    lv = 0.0
                level[k] = lv
                depot[k] = dk * eka
        sum_e1 = 0.0
        engaged = False
        for k in drugs:
            lv = level[k]
            ek = emax[k] * (lv / (lv + ed50[k])) * drug_sens
            eff[k] = ek
            sum_e1 += ek
            if lv / (lv + ed50[k]) > allostasis_occupancy:
                engaged = True
        da1 = 1.0 + sum_e1 - down
        if da1 < 0.05:
            da1 = 0.05
        high1 = da1 > thr_da
        above_s = g_s * 0.5 * ((1.0 if da0 > thr_da else 0.0) + (1.0 if high1 else 0.0))
        kd2 = 1.0 - exp(-above_s / d2_down_s)
        d2 = d2_floor + (d2 - d2_floor) * (1.0 - kd2)
        kd2 = 1.0 - exp(-g_s / d2_rec_s)
        d2 = d2_baseline + (d2 - d2_baseline) * (1.0 - kd2)
        if engaged:
            hf = high_for + g_s
            recruited = hf - (allo_onset_s if allo_onset_s > high_for else high_for)
            if recruited < 0.0:
                recruited = 0.0
        else:
            hf = 0.0
            recruited = 0.0
        high_for = hf
        load = load * exp(-g_s / allo_rec_s)
        load = load + allostasis_rate * recruited / 3600.0
        for k in drugs:
            ek = eff[k]
            ok = opponent[k]
            dk = deficit[k]
            pk = pending[k]
            if ek != 0.0 or ok != 0.0 or dk != 0.0 or pk != 0.0:
                x1 = ek / (ek + 1.0)
                kk = 1.0 - exp(-g_s / (opp_up_s if x1 > ok else wd_duration_s[k]))
                ok = x1 + (ok - x1) * (1.0 - kk)
                opponent[k] = ok
                tg = ok - x1
                if tg < 0.0:
                    tg = 0.0
                # two equal first-order stages (tau = onset / 2), constant target, exact
                tau_s = 0.5 * wd_onset_s[k]
                ee = exp(-g_s / tau_s)
                pending[k] = tg + (pk - tg) * ee
                dn = tg + (dk - tg) * ee + (pk - tg) * (g_s / tau_s) * ee
                deficit[k] = dn if dn > 0.0 else 0.0
        # the incentive state over the gap (incentive.elapse)
        for k in rng_k:
            since[k] += g_s
        sens = sens * exp(-g_s / sens_tau_s)
        # the memories' recency traces decay; every memory has been idle for the gap longer;
        # the recognised situation fades (memory.elapse)
        for j in rng_j:
            decay_j[j] = exp(-g_s / MEM_TIMESCALES_S[j])
        for mm in range(n_open):
            rm = m_recency[mm]
            for j in rng_j:
                rm[j] = rm[j] * decay_j[j]
        for mm in range(M):
            m_idle[mm] += g_s
        fade = exp(-g_s / MEM_SITUATION_S)
        m_situation = [x * fade for x in m_situation]
        # destabilisation under way passes through its two steps into lability, and lability
        # closes (restabilisation): a chain of three first-order steps, solved exactly over
        # the gap (memory.elapse); a memory with none of them stays exactly as it is
        a_on = -1.0
        for mm in range(n_open):
            p1 = m_pend1[mm]
            p2 = m_pend2[mm]
            lm = m_labile[mm]
            if p1 != 0.0 or p2 != 0.0 or lm != 0.0:
                if a_on < 0.0:
                    a_on = exp(-g_s * k_on)
                    b_off = exp(-g_s * k_off)
                    a_lin = b_off - a_on * (1.0 + g_s * k_d)
                lm = lm * b_off + p2 * k_r * (b_off - a_on) + p1 * k_r2 * a_lin
                m_labile[mm] = 0.0 if lm < 0.0 else (1.0 if lm > 1.0 else lm)
                m_pend1[mm] = p1 * a_on
                m_pend2[mm] = (p2 + p1 * g_s * k_on) * a_on
        # the prefrontal insult recovers over the gap and accrues the gap's exposure; the
        # control it leaves, times the phase's experimental gain (prefrontal.control)
        insult = insult * exp(-g_s / pfc_rec_s) + dose_h
        xi = ((insult if insult > 0.0 else 0.0) / pfc_insult_half_h) ** pfc_insult_sharpness
        pfc = pfc_baseline * (1.0 - pfc_max_loss * (xi / (1.0 + xi))) * pfc_gain
        pfc = 0.0 if pfc < 0.0 else (1.0 if pfc > 1.0 else pfc)
        # stress falls over the gap (interoception.elapse)
        stress = stress * exp(-g_s / stress_tau_s)
        # drug occupancy and unrelieved withdrawal of the body now (receptors.withdrawal)
        occ = 0.0
        unrelieved = 0.0
        for k in drugs:
            xk = eff[k] / (eff[k] + 1.0)
            occ += xk
            dx = deficit[k] - xk
            if dx > 0.0:
                unrelieved += dx
        wdr = 2.0 * withdrawal_depth * unrelieved
        wdr = 0.0 if wdr < 0.0 else (1.0 if wdr > 1.0 else wdr)

        # ---- what the episode offers given the branch (apparatus._offer): operanda, outcome
        # probabilities, cue onsets (a branch's cue is on from the start in the second step);
        # the cues on at choice are the observation's (apparatus.observe)
        if uses_b and branch == 1:
            ops, prob = alt_op, alt_prob
        else:
            ops, prob = s_op, s_prob
        if uses_b and branch < 0:
            ops = [-1] * S          # the first step was withheld: nothing to play
        if uses_b and branch >= 0:
            bc = b_cues[1] if branch == 1 else b_cues[0]
            cs_now = [0 if bc[c] else cs_on[c] for c in rng_c]
        else:
            cs_now = cs_on
        forced_now = forced and any(o >= 0 for o in ops)

        # ---- recall (subject.recall, memory.retrieve): the posterior over the open memories
        # before the outcome, prior (recency traces) x context (with its drift in time) x the
        # cues on at choice (each the share of the memory's episodes it was shown in; an
        # absent cue is no evidence) x the interoceptive drug state (subject.drug_state,
        # interoception.drug_like: the drugs' summed occupancy, clipped to 0-1, raised towards
        # 1 by stress as far as stress feels like the drug, at the insula's gain, clipped to
        # 0-1; the memories' statistics record the same), and the learned associations as
        # their mixture under it. One memory open: the posterior is exactly (1, 0, ...), its
        # mixture exactly the first memory's arrays
        f_occ = 0.0 if occ < 0.0 else (1.0 if occ > 1.0 else occ)
        f_drug = insula_gain * (f_occ + (1.0 - f_occ) * stress_dopamine * stress)
        f_drug = 0.0 if f_drug < 0.0 else (1.0 if f_drug > 1.0 else f_drug)
        if n_open == 1:
            post = first_only
            qc = q[0][hctx]
            wc = w[0][ctx]
            moc = m_op[0][ctx]      # the current context's action -> outcome model
            widm = wid[0]
        else:
            post = [0.0] * M
            total = 0.0
            for mm in range(n_open):
                mc_x = m_context[mm]
                n_m = 0.0
                for x in rng_x:
                    n_m += mc_x[x]
                # the first memory transfers across contexts as conditioning does; those
                # formed since are bound to theirs, and to their time
                sh = cgen if mm == 0 else mem_share
                like = (mc_x[ctx] + sh * n_m + MEM_PSEUDO) / ((1.0 + sh) * n_m + MEM_PSEUDO)
                like = like * (sh + (1.0 - sh) * exp(-m_idle[mm] / mem_drift_s))
                mu = (m_drug[mm] + MEM_PSEUDO) / (n_m + 2.0 * MEM_PSEUDO)
                like = like * exp(f_drug * log(mu) + (1.0 - f_drug) * log1p(-mu))
                den = n_m + 2.0 * MEM_PSEUDO
                like_m[mm] = like
                den_m[mm] = den
                ms = m_shown[mm]
                cue_like = 1.0
                for c in rng_c:
                    if cs_now[c] >= 0:
                        cue_like *= (ms[c] + MEM_PSEUDO) / den
                like = like * cue_like
                rm = m_recency[mm]
                prior = 0.0
                for j in rng_j:
                    prior += rm[j] * MEM_PER_DAY[j]
                prior_m[mm] = prior + MEM_FLOOR
                x = (prior + MEM_FLOOR) * like
                x = x if x > 0.0 else 0.0
                post[mm] = x
                total += x
            if total > 0.0:
                for mm in range(n_open):
                    post[mm] = post[mm] / total
            else:
                post = first_only
            # the mixtures (memory.mix): cue weights in the context, identity weights,
            # cached values in the habit's context, action -> outcome model in the context
            wc = [[0.0] * N for _ in rng_c]
            widm = [[0.0] * K for _ in rng_c]
            qc = [0.0] * O
            moc = [[0.0] * K for _ in rng_o]
            for mm in range(n_open):
                pm = post[mm]
                wm = w[mm][ctx]
                im = wid[mm]
                for c in rng_c:
                    dst = wc[c]
                    src = wm[c]
                    for t in range(N):
                        dst[t] += pm * src[t]
                    dst = widm[c]
                    src = im[c]
                    for k in rng_k:
                        dst[k] += pm * src[k]
                qm = q[mm][hctx]
                om = m_op[mm][ctx]
                for o in rng_o:
                    qc[o] += pm * qm[o]
                    dst = moc[o]
                    src = om[o]
                    for k in rng_k:
                        dst[k] += pm * src[k]

        # ---- perceive: action values of the slots (slot 0 withholds). Default model: the
        # arbitrated habit / goal-directed value, PIT, the drive reduction (credited in full by
        # the habit share, by the drug's incentive share by the goal-directed one), the
        # prefrontal veto on predicted punishment and the cues' threat, attention narrowing
        # and the D2-scaled withhold value; the variants: cached values alone
        depth = 2.0 if sets_b else 1.0   # steps the goal-directed plan looks ahead
        dls, dms, vs = intact
        # the cached values and the habit are keyed to the habit's context (``hctx``; a
        # speeded task's trial), the critic and the action -> outcome model to ``ctx``
        hc = habit[hctx]
        for o in rng_o:
            xh = hc[o]
            xk = ((xh if xh > 0.0 else 0.0) * depth / habit_half) ** habit_sharpness
            wo = xk / (1.0 + xk)
            w_raw[o] = wo
            w_dls = wo * dls
            wh[o] = w_dls + (1.0 - dms) * (1.0 - w_dls) * dls
        # per cue: drug share of its outcome prediction (pre-episode identity weights)
        for c in rng_c:
            wic = widm[c]
            drug_pred = 0.0
            all_pred = 0.0
            for k in rng_k:
                x = wic[k]
                if kind[k] == KIND_DRUG and x > 0.0:
                    drug_pred += x
                all_pred += abs(x)
            share[c] = drug_pred / all_pred if all_pred > 1e-6 else 0.0
        mcc = m_cue[ctx]
        # ---- wanting (subject.wanting, brain.incentive): each cue's incentive value, its
        # learned value (plus the re-valued worth of need-dependent outcomes it predicts) at
        # the incentive gain of what it predicts (a drug's cues also by the homeostatic drive
        # left at its level); the variants: attribution x learned value
        h = drug_setpoint * (1.0 + load) / d2_baseline      # the drug level's setpoint
        if adaptive:
            general = (1.0 - 0.5 * wdr) * (1.0 + intoxication_gain * occ + sens_gain * sens)
            for k in rng_k:
                ex_k = expo[k]
                if ex_k != 0.0:     # no substrate: exactly no rise
                    t_k = since[k]
                    f = inc_norm[k] * (exp(-t_k / inc_decay_s[k]) - exp(-t_k / inc_rise_s[k]))
                    rise[k] = incubation_gain * ex_k * (f if f > 0.0 else 0.0)
                else:
                    rise[k] = 0.0
                kd = kind[k]
                if kd == KIND_AVERSIVE:
                    kap[k] = 1.0
                elif kd == KIND_DRUG:
                    left = 1.0 - level[k] / ed50[k] / h
                    left = 0.0 if left < 0.0 else (1.0 if left > 1.0 else left)
                    kap[k] = general * (1.0 + rise[k]) * left * kclamp[k]
                else:
                    kap[k] = general * (1.0 + rise[k]) * kclamp[k]
                shift_k[k] = 0.0
            for k in needy:
                shift_k[k] = (value[k] + need_value[k] * need[k]) * default_amount[k] * d2 - inc[k]
            for k in rng_k:
                worth[k] = inc[k] + shift_k[k]
            for c in rng_c:
                wic = widm[c]
                total = 0.0
                mixed = 0.0
                sv = 0.0
                for k in rng_k:
                    x = wic[k]
                    if x > 0.0:
                        total += x
                        mixed += x * kap[k]
                        sv += x * shift_k[k]
                kc = mixed / (total if total > 1e-9 else 1e-9) if total > 1e-6 else general
                want[c] = attribution * kc * (wc[c][0] + sv)
        else:
            for c in rng_c:
                want[c] = attribution * wc[c][0]
            for k in rng_k:
                worth[k] = inc[k]
        if adaptive:
            for k in drugs:
                drv[k] = h * abs(1.0 - (level[k] / ed50[k]) / h) ** drive_exponent
            # outcome-specific transfer reads which outcome each cue and each response
            # predict as the open memories hold it between them, the strongest of them
            # (subject.perceive: extinction leaves these associations intact); everything
            # else reads the mixture. One memory open: exactly its own arrays
            if n_open == 1:
                hwid = wid[0]
                hmoc = m_op[0][ctx]
            else:
                hwid = [list(wid[0][c]) for c in rng_c]
                hmoc = [list(m_op[0][ctx][o]) for o in rng_o]
                for mm in range(1, n_open):
                    im = wid[mm]
                    for c in rng_c:
                        dst = hwid[c]
                        src = im[c]
                        for k in rng_k:
                            if src[k] > dst[k]:
                                dst[k] = src[k]
                    om = m_op[mm][ctx]
                    for o in rng_o:
                        dst = hmoc[o]
                        src = om[o]
                        for k in rng_k:
                            if src[k] > dst[k]:
                                dst[k] = src[k]
            # the cues present at choice: outcome predictions (PIT) and attentional bias
            pit = [0.0] * K
            sal_all = 0.0
            sal_drug = 0.0
            for c in rng_c:
                if cs_now[c] >= 0:
                    wic = hwid[c]
                    for k in rng_k:
                        x = wic[k]
                        if x > 0.0:
                            pit[k] += x
                    sl = abs(wc[c][0])
                    sal_all += sl
                    sal_drug += sl * share[c]
            for k in rng_k:
                pit[k] = pit[k] * kap[k]        # at each outcome's incentive gain
            bias = sal_drug / (sal_all + attention_floor)
            shrink = 1.0 - attention_narrowing * bias
            # the goal-directed system's credit for a drug's relief: incentive / unsated worth
            credit = [0.0] * K
            for k in drugs:
                uw = value[k] * default_amount[k] / (default_amount[k] + ed50[k]) * d2
                cr_k = inc[k] / (uw if uw > 1e-6 else 1e-6)
                credit[k] = 0.0 if cr_k < 0.0 else (1.0 if cr_k > 1.0 else cr_k)
            # the punishment the cues present at choice predict (prefrontal.threat)
            threat = 0.0
            for k in aversives:
                ng = -worth[k]
                if ng > 0.0:
                    pk = 0.0
                    for c in rng_c:
                        if cs_now[c] >= 0:
                            x = widm[c][k]
                            if x > 0.0:
                                pk += x
                    threat += pk * ng
            vals = [other_value * d2 * shrink]
        else:
            vals = [other_value]
        if forced_now:
            vals[0] = NEG           # a choice must be made
        for s in range(1, S):
            op = ops[s]
            if op < 0:
                vals.append(NEG)
                continue
            ap = s_app[s]
            if ap != -1:
                # a Pavlovian approach response (control.approach_values): to the goal, what
                # the present cues predict at its current worth; to a cue, its attractiveness
                if ap == -2:
                    x = 0.0
                    for k in rng_k:
                        pk = 0.0
                        for c in rng_c:
                            if cs_now[c] >= 0 and widm[c][k] > 0.0:
                                pk += widm[c][k]
                        x += pk * worth[k]
                else:
                    cv = want[ap] if ap < C else 0.0
                    x = cv if cv > 0.0 else 0.0
                vals.append(x - response_cost)
                continue
            if not adaptive:
                vals.append((qc[op] if op < O else 0.0) - response_cost)
                continue
            if op >= O:             # no such operandum: every term but the threat is exactly 0
                x = 0.0 - threat
            else:
                mo = moc[op]
                mc = mcc[op]
                goal = 0.0
                for k in rng_k:
                    goal += mo[k] / default_amount[k] * worth[k]
                cval = 0.0
                for c in rng_c:
                    cval += mc[c] * (gamma * want[c])
                goal += cval
                tr = 0.0
                ho = hmoc[op]
                for k in rng_k:
                    if kind[k] != KIND_AVERSIVE:
                        tr += ho[k] / default_amount[k] * pit[k]
                who = wh[op]
                v_op = who * qc[op] + (1.0 - who) * goal + pit_gain * tr
                red = 0.0
                units = 0.0
                cred = 0.0
                for k in drugs:
                    xk = mo[k]
                    if xk != 0.0:
                        uk = level[k] / ed50[k] + xk / ed50[k]
                        red += drv[k] - h * abs(1.0 - uk / h) ** drive_exponent
                        un = xk / default_amount[k]
                        units += un
                        cred += un * credit[k]
                credited = cred / (units if units > 1e-9 else 1e-9) if units > 0.0 else 0.0
                x = v_op + homeostatic_weight * red * (who + (1.0 - who) * credited)
                # the prefrontal veto brings the response's expected punishment to bear on
                # its habitual share; the cues' threat suppresses both shares
                # (prefrontal.harm, prefrontal.threat)
                harm = 0.0
                for k in aversives:
                    ng = -worth[k]
                    if ng > 0.0:
                        harm += mo[k] / default_amount[k] * ng
                x = x - pfc * who * harm - ((1.0 - who) + pfc * who) * threat
                du = 0.0
                tu = 0.0
                for k in rng_k:
                    un = abs(mo[k]) / default_amount[k]
                    if kind[k] == KIND_DRUG:
                        du += un
                    tu += un
                if not (du > 0.5 * tu or x <= 0.0):
                    x = x * shrink
            vals.append(x - response_cost)
        # ---- softmax policy, CDF inverted at u0
        logits = [(-inf if x <= half_neg else beta * x) for x in vals]
        m = max(logits)
        ex = [exp(lg - m) for lg in logits]
        tot = 0.0
        for x in ex:
            tot += x
        acc = 0.0
        cdf = []
        for x in ex:
            acc += x / tot
            cdf.append(acc)
        thr = u0 * cdf[-1]
        a = 0
        for x in cdf:
            if x < thr:
                a += 1
        if a > S - 1:
            a = S - 1

        # ---- apparatus: fixed ratio, time-out, cues, partial reinforcement
        if sstart:
            for s in range(S):
                count[s] = 0
            timeout = 0
        responded = a > 0
        operandum = ops[a] if (responded and s_app[a] == -1) else -1
        counted = responded and timeout == 0 and operandum >= 0
        n_resp = count[a] + (1 if counted else 0)
        met = counted and n_resp >= s_ratio[a]
        count[a] = 0 if met else n_resp
        if met:
            timeout = to_ep
        elif timeout > 0:
            timeout -= 1
        sa = s_amt[a]
        won = met and u1 < prob[a]          # the chosen slot's outcome probability
        reinforced = u1 < us_prob
        any_slot = False
        pav_out = False
        amounts = []
        for k in rng_k:
            sk = sa[k]
            if sk > 0:
                any_slot = True
            pk = us_amt[k] if reinforced else 0.0
            if pk > 0:
                pav_out = True
            amounts.append(pk + (sk if won else 0.0))
        op_due = won and any_slot
        # sequential tasks: the response picks the next branch and shows that branch's cue
        next_branch = 1 if u1 < b_p[a] else 0
        moved = sets_b and responded
        bcn = b_cues[next_branch]
        rc = s_cues[a]
        resp = [(met and rc[c]) or (moved and bcn[c]) for c in rng_c]
        onset = [(cs_now[c] if cs_now[c] >= 0 else (1 if resp[c] else -1)) for c in rng_c]
        if sets_b:
            branch = next_branch if responded else -1
        elif uses_b:
            branch = 0
        outcome_bin = us_bin if pav_out else (s_bin if op_due else -1)
        # a response that produced a reinforcer or a cue has a time the outcome was due
        signalled = (met and any_slot) or any(resp)
        expected_bin = us_bin if us_bin >= 0 else (s_bin if (signalled and s_bin >= 0) else -1)

        # conditioned fear (recorded): the punishment the episode's cues predict, at the
        # incentive values learned before it (prefrontal.threat)
        fear = 0.0
        for k in aversives:
            ng = -inc[k]
            if ng > 0.0:
                pk = 0.0
                for c in rng_c:
                    if onset[c] >= 0:
                        x = widm[c][k]
                        if x > 0.0:
                            pk += x
                fear += pk * ng

        # ---- learn. 1. exposure, downstream of D2 (g), satiety and the hedonic set point
        #      (default model only: the variants use g = 1, no satiety, no shift)
        setpt = hedonic_shift * load          # the body's hedonic set point (recorded)
        g = d2 if adaptive else 1.0
        shift = setpt if adaptive else 0.0
        r_sum = 0.0
        appetitive = False
        nat_s = 0.0
        drug_surge = 0.0
        dorsal_surge = 0.0
        drug_amount = 0.0
        natural_amount = 0.0
        malaise = 0.0
        for k in illness:
            malaise += value[k] * amounts[k]
        delivered = False
        punished = False
        for k in rng_k:
            am = amounts[k]
            surge[k] = 0.0
            if am == 0.0:
                continue            # adds exactly nothing
            if am > 0:
                delivered = True
            kd = kind[k]
            if kd == KIND_AVERSIVE:
                surge[k] = emax[k] * (am / (am + ed50[k]))
                r_sum += -value[k] * am
                if am > 0:          # incentive learning: an aversive outcome's worth, fast
                    punished = True
                    inc[k] += alpha_aversive * (-value[k] * default_amount[k] - inc[k])
                continue
            if am > 0:
                appetitive = True
            if adaptive:
                sk = level[k] * inv_sat[k] / satiety_capacity
                sat = satiety_gain * sk / (1.0 + sk)
            else:
                sat = 0.0
            if kd == KIND_NATURAL:
                nv = value[k] + need_value[k] * need[k]     # its value under the need
                hed = nv * am
                sg_k = emax[k] * (am / (am + ed50[k]))
                surge[k] = sg_k
                nat_s += sg_k * (1.0 - sat)
                natural_amount += am
                unit = nv * default_amount[k] * g
            else:
                hed = value[k] * (am / (am + ed50[k]))
                sg_k = emax[k] * (am / (am + ed50[k])) * drug_sens
                surge[k] = sg_k
                drug_surge += sg_k
                dorsal_surge += sg_k * dorsal_ratio[k]
                drug_amount += am
                unit = value[k] * default_amount[k] / (default_amount[k] + ed50[k]) * g
            r_sum += g * hed * (1.0 - sat)
            if am > 0:              # incentive learning on consumption (malaise: aversion)
                inc[k] += alpha_incentive * (unit * (1.0 - sat) - malaise - inc[k])
        r_out = r_sum - shift if appetitive else r_sum
        sum_def = 0.0
        for k in rng_k:
            sum_def += deficit[k]
        down = withdrawal_depth * sum_def
        vta = 1.0 - down                        # release capacity
        nat_surge = nat_s * (vta if vta > 0.0 else 0.0)
        d_out = da_to_reward * g * drug_surge

        # 2. dopamine prediction: V over the serial compound, TD errors t = 0..N
        rho_eff = rho + rho_allostatic * load if adaptive else rho
        cost = rho_weight * rho_eff * BIN_S
        _csc_td(wc, onset, r_out, d_out, outcome_bin, gamma, cost, model, v, delta)

        # the cues the episode showed, response-produced ones included, are retrieval cues
        # too (subject.learn, memory.retrieve): the pre-episode memories retrieved again by
        # prior x context x drug state x every cue present, each cue's rate raised to its
        # incentive salience (incentive.cue_gain: the gains of the kinds it predicts under
        # the first retrieval, mixed by its identity weights; 1 for a cue that predicts
        # nothing). The cues' pull (conditioned reinforcement, wanting, craving) is read
        # under it: their incentive values (subject.wanting) and drug shares
        # (control.cue_salience) from its mixtures. One memory open: exactly the first's
        if n_open == 1:
            want_e = want
            share_e = share
        else:
            for c in rng_c:
                if onset[c] >= 0:
                    wic = widm[c]
                    total = 0.0
                    mixed = 0.0
                    for k in rng_k:
                        x = wic[k]
                        if x > 0.0:
                            total += x
                            mixed += x * kap[k]
                    sal[c] = mixed / (total if total > 1e-9 else 1e-9) if total > 1e-6 else 1.0
            total = 0.0
            for mm in range(n_open):
                ms = m_shown[mm]
                den = den_m[mm]
                cue_like = 1.0
                for c in rng_c:
                    if onset[c] >= 0:
                        cue_like *= exp(sal[c] * log((ms[c] + MEM_PSEUDO) / den))
                x = prior_m[mm] * (like_m[mm] * cue_like)
                x = x if x > 0.0 else 0.0
                post_s[mm] = x
                total += x
            if total > 0.0:
                for mm in range(n_open):
                    post_s[mm] = post_s[mm] / total
            else:
                for mm in range(n_open):
                    post_s[mm] = first_only[mm]
            for c in rng_c:
                if onset[c] < 0:
                    continue
                v0 = 0.0
                for mm in range(n_open):
                    v0 += post_s[mm] * w[mm][ctx][c][0]
                total = 0.0
                mixed = 0.0
                sv = 0.0
                drug_pred = 0.0
                all_pred = 0.0
                for k in rng_k:
                    x = 0.0
                    for mm in range(n_open):
                        x += post_s[mm] * wid[mm][c][k]
                    if x > 0.0:
                        total += x
                        mixed += x * kap[k]
                        sv += x * shift_k[k]
                        if kind[k] == KIND_DRUG:
                            drug_pred += x
                    all_pred += abs(x)
                if adaptive:
                    kc = mixed / (total if total > 1e-9 else 1e-9) if total > 1e-6 else general
                    want_s[c] = attribution * kc * (v0 + sv)
                else:
                    want_s[c] = attribution * v0
                share_s[c] = drug_pred / all_pred if all_pred > 1e-6 else 0.0
            want_e = want_s
            share_e = share_s

        # readouts of the pre-episode state (cue values, wanting, craving: the latter two
        # under the retrieval by the episode's cues)
        cue_v0 = [wc[c][0] for c in rng_c]
        any_cue = False
        cue_value = NEG
        cue_want = NEG
        drug_want = 0.0
        first = N
        sal_all = 0.0
        sal_drug = 0.0
        for c in rng_c:
            sl = abs(cue_v0[c])
            sal_all += sl
            sal_drug += sl * share[c]
            if onset[c] >= 0:
                any_cue = True
                cv = cue_v0[c]
                if cv > cue_value:
                    cue_value = cv
                wn = want_e[c]
                if wn > cue_want:
                    cue_want = wn
                wt = (wn if wn > 0.0 else 0.0) * share_e[c]
                if wt > drug_want:
                    drug_want = wt
                if onset[c] < first:
                    first = onset[c]
        if not any_cue:
            cue_value = 0.0
            cue_want = 0.0
        # the body state is a cue too (subject.body_wanting, interoception.internal_wanting):
        # the drug state times, per drug, the most the memories of the first retrieval expect
        # of it here (any cue's identity weight; any response's action -> outcome model, in
        # default amounts) at its incentive gain now without the cues' incubation, and its
        # worth; the comparison variants have no interoception (0)
        internal = 0.0
        if adaptive:
            sum_int = 0.0
            for k in drugs:
                ex_c = -inf
                for c in rng_c:
                    x = widm[c][k]
                    if x > ex_c:
                        ex_c = x
                ex_o = -inf
                for o in rng_o:
                    x = moc[o][k]
                    if x > ex_o:
                        ex_o = x
                ex_o = ex_o / default_amount[k]
                ex_k = ex_c if ex_c > ex_o else ex_o
                left = 1.0 - level[k] / ed50[k] / h
                left = 0.0 if left < 0.0 else (1.0 if left > 1.0 else left)
                kap0 = general * left * kclamp[k]
                wk = worth[k]
                sum_int += ((ex_k if ex_k > 0.0 else 0.0) * kap0) * (wk if wk > 0.0 else 0.0)
            internal = f_drug * sum_int
        # craving from the larger of the cue-triggered and the internal wanting; read where
        # something triggers it: a cue shown, or a body state that alone makes it PROBE of 10
        # or more (the episode is a craving probe)
        trig = drug_want if drug_want > internal else internal
        craving = 10.0 * trig / (trig + craving_half)
        probed = any_cue or internal >= probe_at
        da_cue = delta[first] if any_cue else 0.0
        att_bias = sal_drug / (sal_all + attention_floor)
        # habit share of the seek manipulandum (slot 1), or the strongest in the context
        sop = ops[1]
        if sop >= 0:
            wsk = w_raw[sop] if sop < O else 0.0
        else:
            wsk = max(w_raw)
        w_dls = wsk * dls
        wh_seek = w_dls + (1.0 - dms) * (1.0 - w_dls) * dls
        da_cue_dorsal = da_cue * wh_seek * dls
        out_bin = outcome_bin if outcome_bin >= 0 else expected_bin
        has_out = out_bin >= 0
        da_outcome = delta[out_bin] if (has_out and out_bin <= N) else 0.0

        # a trial that goes on in the next episode (a two-step first step, a stimulus held
        # over several windows) does not end here: the critic learns about its cues, and the
        # memories weigh its outcome, when it ends (subject.learn)
        ends = 0.0 if (moved or holds) else 1.0

        # which memories the episode belongs to, now that its outcome is known
        # (subject.learn, brain.memory). Per open memory: its prediction of each kind (the
        # cues present; a completed response: the larger of that and its action -> outcome
        # model), the episode's error under it, what it expected (appetitive kinds) and the
        # omission under it (signed). The episode is informative if it ends a trial and
        # something arrived or some memory expected something
        target = [amounts[k] / default_amount[k] for k in rng_k]
        pcue = [None] * M       # per memory: the cues' prediction of each kind (default amounts)
        err_m = [0.0] * M
        expected_m = [0.0] * M
        omitted_m = [0.0] * M
        informative = delivered
        for mm in range(n_open):
            im = wid[mm]
            pc = [0.0] * K
            for c in rng_c:
                if onset[c] >= 0:
                    wic = im[c]
                    for k in rng_k:
                        pc[k] += wic[k]
            pcue[mm] = pc
            mo = m_op[mm][ctx][operandum] if (met and operandum < O) else None
            er = 0.0
            ex_ = 0.0
            om_ = 0.0
            for k in rng_k:
                pk = pc[k]
                if met:
                    po = mo[k] / default_amount[k] if mo is not None else 0.0
                    if po > pk:
                        pk = po
                dk = target[k] - pk
                er += dk if dk >= 0.0 else -dk
                if kind[k] != KIND_AVERSIVE:
                    ex_ += pk
                    om_ += pk - target[k]
            err_m[mm] = er
            expected_m[mm] = ex_
            omitted_m[mm] = om_
            if ex_ > 0.1:
                informative = True
        informative = informative and ends > 0.0
        # the memories' shares of the episode (memory.assign): retrieval x how well each
        # predicted the outcome x how often each has seen these kinds arrive; an episode that
        # carries no evidence belongs to the last informative episode's situation, as far as
        # it has not faded, the rest to the retrieval
        if informative:
            take = [0.0] * M
            total = 0.0
            for mm in range(n_open):
                n_m = 0.0
                for x in m_context[mm]:
                    n_m += x
                z = err_m[mm] / mem_noise
                like_out = exp(-0.5 * (z * z))
                like_kind = 1.0
                mo_ = m_outcome[mm]
                den = n_m + 2.0 * MEM_PSEUDO
                for k in rng_k:
                    rate = (mo_[k] + MEM_PSEUDO) / den
                    like_kind *= rate if amounts[k] > 0 else 1.0 - rate
                x = post[mm] * like_out * like_kind
                x = x if x > 0.0 else 0.0
                take[mm] = x
                total += x
            if total > 0.0:
                for mm in range(n_open):
                    take[mm] = take[mm] / total
            else:
                take = list(first_only)
        else:
            lost = 0.0
            for x in m_situation:
                lost += x
            lost = 1.0 - lost      # what the situation has lost goes to the retrieval
            take = [m_situation[mm] + lost * post[mm] for mm in range(M)]
        # the running average of omitted outcomes (memory.surprise): the omission under the
        # memory that explains the episode best, signed as the retrieved mixture's, moved as
        # far as the mixture expected an outcome at the end of a trial
        om_abs = inf
        mix_om = 0.0
        mix_ex = 0.0
        for mm in range(n_open):
            x = omitted_m[mm]
            x = x if x >= 0.0 else -x
            if x < om_abs:
                om_abs = x
            mix_om += post[mm] * omitted_m[mm]
            mix_ex += post[mm] * expected_m[mm]
        omitted = om_abs * (1.0 if mix_om > 0.0 else (-1.0 if mix_om < 0.0 else 0.0))
        mix_ex = (ends if informative else 0.0) * mix_ex
        # ... and by the square of the retrieved memories' stability: an omission under a
        # labile memory revises it rather than calling for a new one (the retrieval's mixture
        # of their lability; the default model only: 0 under the variants; recorded)
        lability = 0.0
        if adaptive:
            for mm in range(n_open):
                lability += post[mm] * m_labile[mm]
        kk = mem_rate * (0.0 if mix_ex < 0.0 else (1.0 if mix_ex > 1.0 else mix_ex))
        stable = 1.0 - lability
        kk = kk * (stable * stable)
        m_surprise = m_surprise + kk * (omitted - m_surprise)
        # a new memory opens, blank, and takes the episode when the surprise crosses the
        # threshold (memory.open_new; the default model only, on an informative episode)
        if adaptive and informative and m_surprise > mem_threshold and n_open < M:
            take = [0.0] * M
            take[n_open] = 1.0
            pcue[n_open] = [0.0] * K
            omitted_m[n_open] = 0.0     # a blank memory expected nothing: nothing omitted
            n_open += 1
            m_surprise = 0.0
        # a memory that takes a share of an informative episode in which an outcome it
        # expected was withheld (its omission, counted from 0 up to 1) starts to destabilise
        # (its first step), on the way to a lability of at most 1 (memory.destabilise, stored
        # by memory.record; the default model only). A memory with no share, or no omission,
        # exactly as it was
        if adaptive and informative:
            for mm in range(n_open):
                r = take[mm]
                om_ = omitted_m[mm]
                if r != 0.0 and om_ > 0.0:
                    room = 1.0 - m_labile[mm] - m_pend1[mm] - m_pend2[mm]
                    room = room if room > 0.0 else 0.0
                    m_pend1[mm] = m_pend1[mm] + r * (om_ if om_ < 1.0 else 1.0) * room
        # the episode enters the memories' statistics in proportion to their shares
        # (memory.record): its context, every cue the episode showed (those the response
        # produced included), the drug state and the kinds that arrived
        for mm in range(n_open):
            r = take[mm]
            rm = m_recency[mm]
            for j in rng_j:
                rm[j] += r
            m_context[mm][ctx] += r
            ms = m_shown[mm]
            for c in rng_c:
                if onset[c] >= 0:
                    ms[c] += r
            m_drug[mm] += r * f_drug
            mo_ = m_outcome[mm]
            for k in rng_k:
                if amounts[k] > 0:
                    mo_[k] += r
            if r > 0.5:
                m_idle[mm] = 0.0
        if informative:
            m_situation = take

        # 3. cue learning, per memory (its own TD errors, in proportion to its share of the
        #    episode), generalising across contexts; no critic update in a trial that goes on
        alpha_vs = alpha * (attribution if attribution < 1.0 else 1.0) * vs * ends
        # generalisation to each context: 1 in the episode's own, context_generalization x
        # the episode's gen_scale elsewhere; around ctx (the critic, the action -> outcome
        # model) and around hctx (cached values, traces, habit)
        gen = [1.0 if x == ctx else cgen * gscale[x] for x in rng_x]
        gen_h = [1.0 if x == hctx else cgen * gscale[x] for x in rng_x]
        da_m = [0.0] * M        # per memory: its TD error at the outcome's time
        for mm in range(n_open):
            r = take[mm]
            if r == 0.0:
                continue            # a memory with no share of the episode learns exactly nothing
            # the memory's own V over the serial compound and TD errors t = 0..N
            wm = w[mm]
            _csc_td(wm[ctx], onset, r_out, d_out, outcome_bin, gamma, cost, model, v_m,
                    delta_m)
            da_m[mm] = delta_m[out_bin] if (has_out and out_bin <= N) else 0.0
            for x in rng_x:
                coef = alpha_vs * r * gen[x]
                wx = wm[x]
                for c in rng_c:
                    o = onset[c]
                    if o >= 0:
                        wxc = wx[c]
                        for j in range(N - o):
                            wxc[j] += coef * delta_m[o + j + 1]
            im = wid[mm]
            pc = pcue[mm]
            for c in rng_c:
                if onset[c] >= 0:
                    wic = im[c]
                    for k in rng_k:
                        wic[k] += alpha_k[k] * ends * r * (target[k] - pc[k])

        # 4. instrumental learning: outcome + conditioned reinforcement; and the
        #    action -> outcome model (what a completed response delivers)
        # in an episode with an aversive outcome the cached values learn negative errors at
        # alpha_q x the D2 availability's share of its drug-naive level to a power
        # (prefrontal.nogo_rate; default model only)
        if adaptive and punished:
            rel = d2 / d2_baseline
            rel = 0.0 if rel < 0.0 else (1.0 if rel > 1.0 else rel)
            nogo = rel ** d2_nogo_exponent
        else:
            nogo = 1.0
        disc_out = gamma ** float(outcome_bin) if outcome_bin >= 0 else 0.0
        cr = 0.0                # at the cues' incentive values under the episode's retrieval
        for c in rng_c:
            if resp[c] and onset[c] >= 0:
                cr += gamma ** float(onset[c]) * want_e[c]
        if operandum >= 0 and operandum < O:
            # per memory, in proportion to its share of the episode
            for mm in range(n_open):
                r = take[mm]
                if r == 0.0:
                    continue
                qm = q[mm]
                q_old = qm[hctx][operandum]
                base_q = disc_out * r_out + cr - q_old
                d_q = disc_out * d_out
                if model == 0:
                    delta_q = base_q + d_q
                elif model == 1:
                    delta_q = base_q
                else:
                    delta_q = (base_q + d_q if base_q + d_q > d_q else d_q) if d_q > 0 else base_q
                step_q = (alpha_q * nogo if delta_q < 0 else alpha_q) * delta_q * r
                for x in rng_x:
                    qm[x][operandum] += step_q * gen_h[x]
            if met:
                # the action -> outcome model (DMS), learned in the response's context
                # and generalised to the others as the cached values are, per memory, and
                # habit experience (DLS)
                for mm in range(n_open):
                    r = take[mm]
                    if r == 0.0:
                        continue
                    mom = m_op[mm]
                    for x in rng_x:
                        learn_ao = r * (dms * gen[x])
                        mo = mom[x][operandum]
                        for k in rng_k:
                            mo[k] += learn_ao * alpha_k[k] * (amounts[k] - mo[k])
                # the action -> cue model is not held per memory
                for x in rng_x:
                    learn_ao = dms * gen[x]
                    mc = m_cue[x][operandum]
                    for c in rng_c:
                        mc[c] += learn_ao * alpha_id * ((1.0 if resp[c] else 0.0) - mc[c])
                step_h = (1.0 + habit_drug_gain * (g * dorsal_surge)) * dls
                for x in rng_x:
                    habit[x][operandum] += step_h * gen_h[x]
        # earlier responses share the outcome's error through their decayed eligibility
        # traces (each memory its own error at the outcome's time, in proportion to its
        # share); then the trace moves to this episode's response
        dec = exp(-gap_s / eligibility_tau_s)
        live = False
        for x in rng_x:
            tx = trace[x]
            for o in rng_o:
                tr = tx[o]
                if tr != 0.0:
                    tx[o] = tr * dec
                    live = True
        if live:
            for mm in range(n_open):
                r = take[mm]
                if r == 0.0:
                    continue
                da = da_m[mm]
                coef_e = (alpha_q * nogo if da < 0 else alpha_q) * da * r
                qm = q[mm]
                for x in rng_x:
                    qx = qm[x]
                    tx = trace[x]
                    for o in rng_o:
                        tr = tx[o]
                        if tr != 0.0:
                            qx[o] += coef_e * tr
        if operandum >= 0:
            for x in rng_x:
                gx = gen_h[x]
                tx = trace[x]
                for o in rng_o:
                    tx[o] = gx if o == operandum else 0.0

        # average reward rate over real time
        reinforcement = r_out if model == 1 else r_out + d_out
        gap = gap_s if gap_s > min_gap else min_gap
        kk = 1.0 - exp(-gap / (tau_h * 3600.0))
        rho = rho + kk * (reinforcement / gap - rho)

        # ---- the record (workload.REC_VARS order): microdialysis, body and set points read
        # at the episode's start (after elapse, before this episode's delivery)
        ventral = 1.0 + sum_e1 - down
        if ventral < 0.05:
            ventral = 0.05
        sum_dors = 0.0
        drug_level = 0.0
        incubated = 0.0
        for k in drugs:
            sum_dors += eff[k] * dorsal_ratio[k]
            drug_level += level[k]
            if adaptive and rise[k] > incubated:
                incubated = rise[k]
        dorsal = 1.0 + sum_dors - down
        if dorsal < 0.05:
            dorsal = 0.05
        mood = d2 * (1.0 + occ) - d2_baseline - setpt - wdr
        mood = -1.0 if mood < -1.0 else (1.0 if mood > 1.0 else mood)
        rec[0] = 1.0 if a == 1 else 0.0
        rec[1] = 1.0 if drug_amount > 0 else 0.0
        rec[2] = drug_amount
        rec[3] = 1.0 if natural_amount > 0 else 0.0
        rec[4] = da_cue
        rec[5] = da_outcome
        rec[6] = cue_value
        rec[7] = craving
        rec[8] = 100.0 * (ventral + nat_surge)
        rec[9] = 100.0 * (dorsal + nat_surge)
        rec[10] = rho_eff
        rec[11] = drug_level
        rec[12] = d2
        rec[13] = wdr
        rec[14] = mood
        rec[15] = setpt
        rec[16] = other_value + (response_cost + setpt) / d2
        rec[17] = h
        rec[18] = 1.0 if (drug_amount > 0 and first_hour) else 0.0
        rec[19] = da_cue_dorsal
        rec[20] = wh_seek
        rec[21] = att_bias
        rec[22] = 1.0 if a == 2 else 0.0
        rec[23] = cue_want
        rec[24] = r_out if delivered else 0.0
        rec[25] = sens
        rec[26] = incubated
        rec[27] = pfc
        rec[28] = fear
        rec[29] = 1.0 if (a == 1 and no_drug) else 0.0
        rec[30] = 1.0 if (a == 1 and nogo_trial) else 0.0
        rec[31] = post[0]                   # retrieval of the first memory
        rec[32] = float(n_open)             # memories held (after this episode)
        rec[33] = stress                    # stress at the episode's start
        rec[34] = lability                  # lability of the retrieved memories
        # a lapse: a drug the subject's own response earned (the chosen slot's amounts, when
        # won) after abstinence began; drugs the experimenter gives are not use
        lapse = False
        if abstinent and won:
            for k in drugs:
                if sa[k] > 0:
                    lapse = True
        rec[35] = 1.0 if lapse else 0.0

        # ---- deliver (incentive.deliver, receptors.deliver, interoception.deliver): the
        # incubation substrate moves towards the delivered kinds' surge; a drug dose after a
        # drug-free interval sensitises; the delivered kinds' clocks restart; the amounts
        # enter the depot; a footshock moves stress a threshold of its intensity of
        # stress_rate of the way to 1
        if delivered:
            push = 0.0
            for k in rng_k:
                if amounts[k] > 0:
                    sg_k = surge[k]
                    expo[k] += incubation_rate * (sg_k - expo[k])
                    if kind[k] == KIND_DRUG:
                        push += sg_k * (1.0 - exp(-since[k] / sens_int_s))
                    since[k] = 0.0
            push = sens_rate * push
            sens = sens + (1.0 - sens) * (1.0 - exp(-push))
        for k in rng_k:
            depot[k] += amounts[k]
        current = amounts[SHOCK]
        if current > 0:             # no shock: stress exactly as it is
            try:
                step = 1.0 / (1.0 + exp(-(current - stress_threshold_ma) / stress_slope_ma))
            except OverflowError:   # far below threshold: the engine's 1 / (1 + inf)
                step = 0.0
            stress = stress + (1.0 - stress) * (stress_rate * step)

        # ---- bounded recording
        sg = sums[grp]
        wg = weights[grp]
        fc = 1.0 if any_cue else 0.0
        fo = 1.0 if has_out else 0.0
        fd = 1.0 if delivered else 0.0
        fp = 1.0 if probed else 0.0
        for j, src, ev in agg_plan:
            wt = 1.0 if ev == 0 else (fc if ev == 1 else (fo if ev == 2 else (
                fd if ev == 3 else fp)))
            sg[j] += rec[src] * wt
            wg[j] += wt
        mg = maxs[grp]
        for j, src in max_plan:
            x = rec[src]
            if x > mg[j]:
                mg[j] = x
        cg = counts[grp]
        cg[0] += 1.0
        cg[1] += fc
        cg[2] += fo
        cg[3] += fd
        cg[4] += fp
    return sums, weights, maxs, counts


def run(sched: Schedule, params, *, seed: int = 0, subject_ids=None, uniforms=None):
    """Every subject, one after the other. ``params`` is ``(n, P)`` (``workload.param_matrix``
    or ``workload.cohort_matrix``);
    subject ``i`` draws from ``random.Random(seed + subject_ids[i])`` unless ``uniforms``
    (``(n, E, 2)``) is given. Returns NumPy accumulators (for comparison only: NumPy is
    used outside the timed loop)."""
    rows = schedule_rows(sched)
    tab = reinforcer_table().lists()
    plan = recording_plan()
    dims = (sched.n_contexts, sched.n_cues, sched.n_operanda, sched.n_slots, sched.n_kinds,
            sched.n_groups, sched.model)
    prm_rows = [[float(x) for x in r] for r in params]
    assert len(prm_rows[0]) == len(PARAM_NAMES)
    n = len(prm_rows)
    ids = list(range(n)) if subject_ids is None else [int(i) for i in subject_ids]
    results = []
    for i in range(n):
        if uniforms is None:
            rand = random.Random(seed + ids[i]).random
            out = run_subject(rows, prm_rows[i], tab, dims, rand=rand, plan=plan)
        else:
            out = run_subject(rows, prm_rows[i], tab, dims, uniforms=uniforms[i].tolist(),
                              plan=plan)
        results.append(out)
    return to_numpy(results, sched.n_groups)


def to_numpy(results, n_groups: int):
    acc = new_accumulators(len(results), n_groups)
    for i, (s, w, m, c) in enumerate(results):
        acc["sums"][i] = s
        acc["weights"][i] = w
        acc["maxs"][i] = m
        acc["counts"][i] = c
    return acc
