"""Yardstick (b): a Numba kernel of the same step.

``@numba.njit(parallel=True, fastmath=False)``: subjects are split into blocks, ``prange``
runs the blocks in parallel, and each block loops over its subjects and, for each subject,
over the episodes of the schedule. All state lives in arrays allocated before the kernel
runs (per subject and memory of ``brain.memory``: CSC weights per context x cue x bin,
cached values per context x operandum, outcome-identity weights per cue x kind, the action
-> outcome model per context x operandum x kind; per subject: the memories' statistics
(recency traces, context, cue, drug-state and outcome counts, idle time, the last
informative episode's shares, fading with time, destabilisation under way and lability;
memories open and the running surprise are locals), eligibility traces per context x
operandum, the action -> cue model per context x operandum x cue, incentive values per kind,
habit experience per context x operandum, the average reward rate, the body (depot, level,
opponent adaptation, withdrawal pending and deficit per kind; D2 availability, allostatic
load, time of uninterrupted high dopamine, the prefrontal insult; the incentive state: time
since each kind's last delivery, incubation substrate per kind, sensitisation; stress),
fixed-ratio counters, the time-out and the branch of sequential tasks; per block: the
scratch vectors of one episode, the mixtures of the learned associations under the retrieval
posterior), so nothing is allocated inside the loops. Each episode is the engine's step:
elapse (kinetics, receptors, allostasis, opponent withdrawal, the incentive state, the
prefrontal insult, the fall of stress, the memories' recency traces, the fading situation,
and destabilisation passing through its two steps into lability and lability closing, a
chain of three first-order steps solved exactly over the gap) -> what the apparatus offers
(branch, forced choice, the cues on at choice) -> recall (the posterior over memories by
recency, context, its drift in time, the cues on at choice and the drug state, raised by
stress at the insula's gain; the mixtures) -> wanting (cue incentive values at the state's
gain, need-dependent worth) -> perceive (habit / goal-directed arbitration under the lesion
gains, transfer from the strongest association any open memory holds, the homeostatic drive
reduction, the prefrontal veto on predicted punishment and the cues' threat, attention
narrowing) -> policy -> apparatus (outcome probabilities, transitions; a drug the subject's
own response earns once abstinence has begun is a lapse) -> learn (the
episode's assignment to the memories: an uninformative episode, or one whose trial goes on,
to the fading situation of the last informative one topped up by the retrieval; the running
surprise at the end of a trial, moved by the square of the retrieved memories' stability, a
new memory opened by sustained omission, destabilisation of the memories that take a share of an
episode whose expected outcome is withheld (reconsolidation), the memories' statistics with
every cue the episode showed, response-produced ones included; a second retrieval by those
cues, each weighted by its incentive salience, under which the cues' pull is read:
conditioned reinforcement, wanting, craving, the latter also from the body state as an
internal cue (the drug the first retrieval's memories expect here, at the gain without
incubation: an episode in which it alone makes craving ``PROBE`` of 10 or more is a craving
probe, as one with a cue is); each memory learns from its own TD errors in
proportion to its share; eligibility traces, fast learning of aversive expectations,
D2-dependent learning from punishment, incentive learning, habit experience) -> deliver
(incubation substrate, sensitisation, depot, stress raised by a footshock over a threshold
of its intensity). Arithmetic is float64, in the same order as the engine's equations (with
the naive loop's exact shortcuts for empty kinds, memories not yet open, memories with no
share of the episode, memories neither destabilising nor labile and episodes without a
footshock), and every episode computes the same recorded quantities (``workload.REC_VARS``,
the retrieved memories' lability included) and their per-group sums, weights, maxima and
counts (episodes, cue, outcome and craving-probe events, deliveries) as the engine's
bounded recording. The cached values, traces and habit are read and
learned in the episode's habit context (a go/no-go trial's is not its own context), and
learning generalises to each other context at ``context_generalization`` times the episode's
per-context scale. Not implemented: an NMDA-receptor blocker (a phase's ``nmda_blocker``,
``memory.block_restabilisation``), which neither the benchmark's nor the check's scenarios
give (``workload.schedule_arrays`` refuses a scenario that does).

Random numbers are counter-based: uniform ``u = splitmix64(key + (c + 1) * golden) / 2**64``
at counter ``c = 2 * episode + stream`` (stream 0: the policy draw, 1: the task
draw) under the per-subject key
``key = splitmix64(seed * golden + splitmix64(subject + golden))``, so results do
not depend on blocking or thread count. For the equivalence check the kernel
reads ``uniforms`` (``(n, E, 2)``, e.g. the engine's own draws) instead.
"""

from __future__ import annotations

import math
import time

import numba as nb
import numpy as np
from numba import prange

from .workload import (AGG_VARS, BIN_S, COUNT_VARS, KIND_AVERSIVE, KIND_DRUG, KIND_NATURAL,
                       MAX_VARS, MEM_FLOOR, MEM_PER_DAY, MEM_PSEUDO, MEM_SITUATION_S, MEM_SLOTS,
                       MEM_TIMESCALES_S, N_BINS, N_REC, NEG, PARAM_NAMES, PROBE, SHOCK, P,
                       Schedule, new_accumulators, recording_plan, reinforcer_table)

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
SH30 = np.uint64(30)
SH27 = np.uint64(27)
SH31 = np.uint64(31)
SH11 = np.uint64(11)
ONE = np.uint64(1)
TWO = np.uint64(2)
INV53 = 1.0 / 9007199254740992.0   # 2**-53

NB = N_BINS
HALF_NEG = NEG / 2.0
MIN_GAP = N_BINS * BIN_S
N_AGG = len(AGG_VARS)
N_MAX = len(MAX_VARS)
N_COUNT = len(COUNT_VARS)
# the memory layer (brain.memory): slots, recency traces, their time constants and weights
MEM_M = MEM_SLOTS
MEM_J = len(MEM_TIMESCALES_S)
MEM_TAU = np.array(MEM_TIMESCALES_S, np.float64)
MEM_WEIGHT = np.array(MEM_PER_DAY, np.float64)

# columns of the parameter matrix (compile-time constants of the kernel)
IX_ALPHA = P["alpha"]
IX_GAMMA = P["gamma"]
IX_ALPHA_Q = P["alpha_q"]
IX_ALPHA_ID = P["alpha_id"]
IX_BETA = P["beta"]
IX_OTHER_VALUE = P["other_value"]
IX_RESPONSE_COST = P["response_cost"]
IX_CGEN = P["context_generalization"]
IX_DA_TO_REWARD = P["da_to_reward"]
IX_DRUG_SENS = P["drug_sensitivity"]
IX_TAU_H = P["avg_reward_tau_h"]
IX_RHO_WEIGHT = P["avg_reward_weight"]
IX_CRAVING_HALF = P["craving_half"]
IX_D2_BASELINE = P["d2_baseline"]
IX_D2_MAX_LOSS = P["d2_max_loss"]
IX_D2_DOWN_TAU_H = P["d2_down_tau_h"]
IX_D2_RECOVERY_TAU_D = P["d2_recovery_tau_d"]
IX_HIGH_DA_PCT = P["high_da_pct"]
IX_DRUG_SETPOINT = P["drug_setpoint"]
IX_DRIVE_EXPONENT = P["drive_exponent"]
IX_HOMEOSTATIC_WEIGHT = P["homeostatic_weight"]
IX_ALLOSTASIS_ONSET_H = P["allostasis_onset_h"]
IX_ALLOSTASIS_RATE = P["allostasis_rate"]
IX_ALLOSTASIS_OCCUPANCY = P["allostasis_occupancy"]
IX_ALLOSTASIS_RECOVERY_TAU_D = P["allostasis_recovery_tau_d"]
IX_HEDONIC_SHIFT = P["hedonic_shift"]
IX_RHO_ALLOSTATIC = P["rho_allostatic"]
IX_OPPONENT_TAU_H = P["opponent_tau_h"]
IX_SATIETY_GAIN = P["satiety_gain"]
IX_SATIETY_CAPACITY = P["satiety_capacity"]
IX_WITHDRAWAL_DEPTH = P["withdrawal_depth"]
IX_ALPHA_INCENTIVE = P["alpha_incentive"]
IX_HABIT_HALF = P["habit_half"]
IX_HABIT_SHARPNESS = P["habit_sharpness"]
IX_HABIT_DRUG_GAIN = P["habit_drug_gain"]
IX_ATTENTION_FLOOR = P["attention_floor"]
IX_ATTENTION_NARROWING = P["attention_narrowing"]
IX_PIT_GAIN = P["pit_gain"]
IX_ELIGIBILITY_TAU_S = P["eligibility_tau_s"]
IX_INCENTIVE_ATTRIBUTION = P["incentive_attribution"]
IX_INTOXICATION_GAIN = P["intoxication_gain"]
IX_SENSITIZATION_RATE = P["sensitization_rate"]
IX_SENSITIZATION_INTERVAL_H = P["sensitization_interval_h"]
IX_SENSITIZATION_TAU_D = P["sensitization_tau_d"]
IX_SENSITIZATION_GAIN = P["sensitization_gain"]
IX_INCUBATION_RATE = P["incubation_rate"]
IX_INCUBATION_GAIN = P["incubation_gain"]
IX_PFC_BASELINE = P["pfc_baseline"]
IX_PFC_INSULT_HALF_H = P["pfc_insult_half_h"]
IX_PFC_MAX_LOSS = P["pfc_max_loss"]
IX_PFC_RECOVERY_TAU_D = P["pfc_recovery_tau_d"]
IX_D2_NOGO_EXPONENT = P["d2_nogo_exponent"]
IX_PFC_INSULT_SHARPNESS = P["pfc_insult_sharpness"]
IX_ALPHA_AVERSIVE = P["alpha_aversive"]
IX_MEMORY_THRESHOLD = P["memory_threshold"]
IX_MEMORY_SURPRISE_RATE = P["memory_surprise_rate"]
IX_MEMORY_NOISE = P["memory_noise"]
IX_MEMORY_CONTEXT_SHARE = P["memory_context_share"]
IX_MEMORY_DRIFT_D = P["memory_drift_d"]
IX_INSULA_GAIN = P["insula_gain"]
IX_STRESS_THRESHOLD_MA = P["stress_threshold_ma"]
IX_STRESS_SLOPE_MA = P["stress_slope_ma"]
IX_STRESS_RATE = P["stress_rate"]
IX_STRESS_TAU_MIN = P["stress_tau_min"]
IX_STRESS_DOPAMINE = P["stress_dopamine"]
IX_DESTABILISATION_MIN = P["destabilisation_min"]
IX_RECONSOLIDATION_WINDOW_H = P["reconsolidation_window_h"]


@nb.njit(inline="always")
def mix64(z):
    """The splitmix64 finaliser (a bijective 64-bit hash)."""
    z = (z ^ (z >> SH30)) * MIX1
    z = (z ^ (z >> SH27)) * MIX2
    return z ^ (z >> SH31)


@nb.njit(inline="always")
def subject_key(seed, subject):
    return mix64(np.uint64(seed) * GOLDEN + mix64(np.uint64(subject) + GOLDEN))


@nb.njit(inline="always")
def uniform(key, counter):
    """Uniform in [0, 1) with 53 random bits, a pure function of (key, counter)."""
    z = mix64(key + (counter + ONE) * GOLDEN)
    return np.float64(z >> SH11) * INV53


@nb.njit(inline="always")
def _csc_td(wc, onset, C, r_out, d_out, outcome_bin, gamma, cost, model, v, delta):
    """V over the serial compound (``v``) from one context's cue weights ``wc`` [C, N], and
    the TD errors (``delta``, t = 0..N) by model variant (0 default, 1 td, 2 redish2004):
    dopamine.values and dopamine.prediction_errors, in place."""
    N = NB
    for t in range(N):
        v[t] = 0.0
    for c in range(C):
        o = onset[c]
        if o >= 0:
            for t in range(o, N):
                v[t] += wc[c, t - o]
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
            if dd > 0:
                dl = base + dd if base + dd > dd else dd
            else:
                dl = base
        delta[t] = dl


@nb.njit(fastmath=False)
def _subject(i, key, use_u, U, prm,
             context, gap_s, group, session_start, cs_onset, us_amounts, us_prob, us_bin,
             slot_operandum, slot_cues, slot_amounts, slot_ratio, slot_bin, timeout_ep, first_hour,
             intact, slot_prob, sets_branch, branch_p, uses_branch, alt_slot_operandum,
             alt_slot_prob, branch_cues, forced, holds, slot_approach, need, kclamp, pfc_gain,
             no_drug, nogo_trial, habit_context, gen_scale, abstinent, kind, value, ed50, emax,
             dorsal_ratio, default_amount, ka, kel, inv_sat,
             wd_onset_s, wd_duration_s, malaise_k, need_value, inc_rise_s, inc_decay_s,
             inc_norm, pfc_tox, occ_ed50, n_op, model, agg_src, agg_event, max_src,
             W, Q, WID, MOP, MCUE, INC, HAB, TRC, RHO, DEPOT, LEVEL, OPP, PEND, DEF, SINCE, EXPO,
             BODY, CNT, TO, MREC, MCTX, MSHOWN, MDRUG, MOUT, MIDLE, MSIT, MPEND, MLAB, MSTATE,
             vals, ex, cdf, amounts, v, delta, cue_v0, target, eff, drv, rec,
             share, w_raw, wh, pit, credit, prob, want, kap, shift_k, worth, rise, surge,
             onset, resp, ops, cs_now, wc, widm, qc, moc, pcue, post, take, err_m, exp_m, om_m,
             da_m, v_m, delta_m, prior_m, like_m, den_m, post_s, sal, want_s, share_s,
             sums, weights, maxs, counts):
    E = context.shape[0]
    S = slot_operandum.shape[1]
    C = cs_onset.shape[1]
    K = us_amounts.shape[1]
    X = W.shape[2]
    O = n_op
    N = NB
    alpha = prm[i, IX_ALPHA]
    gamma = prm[i, IX_GAMMA]
    alpha_q = prm[i, IX_ALPHA_Q]
    alpha_id = prm[i, IX_ALPHA_ID]
    beta = prm[i, IX_BETA]
    other_value = prm[i, IX_OTHER_VALUE]
    response_cost = prm[i, IX_RESPONSE_COST]
    cgen = prm[i, IX_CGEN]
    da_to_reward = prm[i, IX_DA_TO_REWARD]
    drug_sens = prm[i, IX_DRUG_SENS]
    tau_h = prm[i, IX_TAU_H]
    rho_weight = prm[i, IX_RHO_WEIGHT]
    craving_half = prm[i, IX_CRAVING_HALF]
    # internal wanting at which the body state alone makes craving PROBE of 10 (a probe)
    probe_at = craving_half / (10.0 / PROBE - 1.0)
    d2_baseline = prm[i, IX_D2_BASELINE]
    d2_max_loss = prm[i, IX_D2_MAX_LOSS]
    d2_down_tau_h = prm[i, IX_D2_DOWN_TAU_H]
    d2_recovery_tau_d = prm[i, IX_D2_RECOVERY_TAU_D]
    high_da_pct = prm[i, IX_HIGH_DA_PCT]
    drug_setpoint = prm[i, IX_DRUG_SETPOINT]
    drive_exponent = prm[i, IX_DRIVE_EXPONENT]
    homeostatic_weight = prm[i, IX_HOMEOSTATIC_WEIGHT]
    allostasis_onset_h = prm[i, IX_ALLOSTASIS_ONSET_H]
    allostasis_rate = prm[i, IX_ALLOSTASIS_RATE]
    allostasis_occupancy = prm[i, IX_ALLOSTASIS_OCCUPANCY]
    allostasis_recovery_tau_d = prm[i, IX_ALLOSTASIS_RECOVERY_TAU_D]
    hedonic_shift = prm[i, IX_HEDONIC_SHIFT]
    rho_allostatic = prm[i, IX_RHO_ALLOSTATIC]
    opponent_tau_h = prm[i, IX_OPPONENT_TAU_H]
    satiety_gain = prm[i, IX_SATIETY_GAIN]
    satiety_capacity = prm[i, IX_SATIETY_CAPACITY]
    withdrawal_depth = prm[i, IX_WITHDRAWAL_DEPTH]
    alpha_incentive = prm[i, IX_ALPHA_INCENTIVE]
    habit_half = prm[i, IX_HABIT_HALF]
    habit_sharpness = prm[i, IX_HABIT_SHARPNESS]
    habit_drug_gain = prm[i, IX_HABIT_DRUG_GAIN]
    attention_floor = prm[i, IX_ATTENTION_FLOOR]
    attention_narrowing = prm[i, IX_ATTENTION_NARROWING]
    pit_gain = prm[i, IX_PIT_GAIN]
    eligibility_tau_s = prm[i, IX_ELIGIBILITY_TAU_S]
    attribution = prm[i, IX_INCENTIVE_ATTRIBUTION]
    intoxication_gain = prm[i, IX_INTOXICATION_GAIN]
    sens_rate = prm[i, IX_SENSITIZATION_RATE]
    sens_interval_h = prm[i, IX_SENSITIZATION_INTERVAL_H]
    sens_tau_d = prm[i, IX_SENSITIZATION_TAU_D]
    sens_gain = prm[i, IX_SENSITIZATION_GAIN]
    incubation_rate = prm[i, IX_INCUBATION_RATE]
    incubation_gain = prm[i, IX_INCUBATION_GAIN]
    pfc_baseline = prm[i, IX_PFC_BASELINE]
    pfc_insult_half_h = prm[i, IX_PFC_INSULT_HALF_H]
    pfc_max_loss = prm[i, IX_PFC_MAX_LOSS]
    pfc_recovery_tau_d = prm[i, IX_PFC_RECOVERY_TAU_D]
    d2_nogo_exponent = prm[i, IX_D2_NOGO_EXPONENT]
    pfc_insult_sharpness = prm[i, IX_PFC_INSULT_SHARPNESS]
    alpha_aversive = prm[i, IX_ALPHA_AVERSIVE]
    mem_threshold = prm[i, IX_MEMORY_THRESHOLD]
    mem_rate = prm[i, IX_MEMORY_SURPRISE_RATE]
    mem_noise = prm[i, IX_MEMORY_NOISE]
    mem_share = prm[i, IX_MEMORY_CONTEXT_SHARE]
    mem_drift_s = prm[i, IX_MEMORY_DRIFT_D] * 86400.0
    insula_gain = prm[i, IX_INSULA_GAIN]
    stress_threshold_ma = prm[i, IX_STRESS_THRESHOLD_MA]
    stress_slope_ma = prm[i, IX_STRESS_SLOPE_MA]
    stress_rate = prm[i, IX_STRESS_RATE]
    stress_dopamine = prm[i, IX_STRESS_DOPAMINE]
    # reconsolidation (memory.elapse): destabilisation under way passes through two steps
    # at rate k each into lability, which closes at rate k3 (the parameters' ranges keep
    # k > k3); the same products the engine forms each episode
    k_on = 1.0 / (prm[i, IX_DESTABILISATION_MIN] * 60.0)
    k_off = 1.0 / (prm[i, IX_RECONSOLIDATION_WINDOW_H] * 3600.0)
    k_d = k_on - k_off
    k_r = k_on / k_d
    k_r2 = k_r * k_r
    # only the default model's values feel the body (receptor gain, satiety, hedonic set
    # point, allostatic reward rate, drive reduction); the variants are the published rules
    adaptive = model == 0
    # the learned associations carry a leading memory axis (brain.memory); a memory not yet
    # open holds exactly zeros, takes no share of any episode and is never retrieved, so the
    # loops run over the open ones (0 .. n_open - 1: slots open in order)
    w = W[i]
    q = Q[i]
    wid = WID[i]
    m_op = MOP[i]
    m_recency = MREC[i]      # per memory: decaying shares of past episodes, per timescale
    m_context = MCTX[i]      # per memory: share of past episodes in each context
    m_shown = MSHOWN[i]      # per memory: share of past episodes in which each cue appeared
    m_drug = MDRUG[i]        # per memory: summed drug state over its episodes
    m_outcome = MOUT[i]      # per memory: episodes in which each kind arrived
    m_idle = MIDLE[i]        # per memory: seconds since it last took an episode
    m_situation = MSIT[i]    # shares of the last informative episode (fading with time)
    m_situation[0] = 1.0
    m_pending = MPEND[i]     # per memory: destabilisation under way (an omission retrieved),
    #                          in its first and second step
    m_labile = MLAB[i]       # per memory: lability, 1 = fully open to revision
    n_open = 1               # memories open (slot 0 from the start)
    m_surprise = 0.0         # running average of omitted outcomes
    m_cue = MCUE[i]
    inc = INC[i]
    habit = HAB[i]
    trace = TRC[i]           # eligibility of recent responses
    depot = DEPOT[i]
    level = LEVEL[i]
    opponent = OPP[i]
    pending = PEND[i]
    deficit = DEF[i]
    since = SINCE[i]         # seconds since each kind's last delivery (brain.incentive)
    expo = EXPO[i]           # incubation substrate per kind
    count = CNT[i]
    rho = RHO[i]
    timeout = TO[i]
    branch = 0               # branch the next episode is in (sequential tasks)
    d2 = d2_baseline
    load = 0.0
    high_for = 0.0
    sens = 0.0               # incentive sensitisation
    insult = 0.0             # prefrontal insult, h (brain.prefrontal)
    stress = 0.0             # stress, 0-1 (brain.interoception)
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
    stress_tau_s = 60.0 * prm[i, IX_STRESS_TAU_MIN]
    n_agg = agg_src.shape[0]
    n_max = max_src.shape[0]

    for e in range(E):
        ctx = context[e]
        # the cached values, traces and habit are keyed to the habit's context (a speeded
        # task's trial), the critic and the action -> outcome model to ctx
        hctx = habit_context[e]
        if use_u:
            u0 = U[i, e, 0]
            u1 = U[i, e, 1]
        else:
            c2 = np.uint64(e) * TWO
            u0 = uniform(key, c2)
            u1 = uniform(key, c2 + ONE)
        g_s = gap_s[e]

        # ---- elapse: the body over the gap (receptors.elapse)
        sum_def = 0.0
        sum_e0 = 0.0
        for k in range(K):
            sum_def += deficit[k]
        for k in range(K):
            if kind[k] == KIND_DRUG:
                lv = level[k]
                sum_e0 += emax[k] * (lv / (lv + ed50[k])) * drug_sens
        down = withdrawal_depth * sum_def
        da0 = 1.0 + sum_e0 - down
        if da0 < 0.05:
            da0 = 0.05
        dose_h = 0.0
        for k in range(K):
            dk = depot[k]
            lv = level[k]
            if dk != 0.0 or lv != 0.0:     # an empty kind stays exactly empty
                kak = ka[k]
                kek = kel[k]
                eka = math.exp(-kak * g_s)
                eke = math.exp(-kek * g_s)
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
        for k in range(K):
            if kind[k] == KIND_DRUG:
                lv = level[k]
                ek = emax[k] * (lv / (lv + ed50[k])) * drug_sens
                eff[k] = ek
                sum_e1 += ek
                if lv / (lv + ed50[k]) > allostasis_occupancy:
                    engaged = True
            else:
                eff[k] = 0.0
        da1 = 1.0 + sum_e1 - down
        if da1 < 0.05:
            da1 = 0.05
        high1 = da1 > thr_da
        above_s = g_s * 0.5 * ((1.0 if da0 > thr_da else 0.0) + (1.0 if high1 else 0.0))
        kd2 = 1.0 - math.exp(-above_s / d2_down_s)
        d2 = d2_floor + (d2 - d2_floor) * (1.0 - kd2)
        kd2 = 1.0 - math.exp(-g_s / d2_rec_s)
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
        load = load * math.exp(-g_s / allo_rec_s)
        load = load + allostasis_rate * recruited / 3600.0
        for k in range(K):
            if kind[k] == KIND_DRUG:
                ek = eff[k]
                ok = opponent[k]
                dk = deficit[k]
                pk = pending[k]
                if ek != 0.0 or ok != 0.0 or dk != 0.0 or pk != 0.0:   # else stays exactly 0
                    x1 = ek / (ek + 1.0)
                    tau = opp_up_s if x1 > ok else wd_duration_s[k]
                    kk = 1.0 - math.exp(-g_s / tau)
                    ok = x1 + (ok - x1) * (1.0 - kk)
                    opponent[k] = ok
                    tg = ok - x1
                    if tg < 0.0:
                        tg = 0.0
                    # two equal first-order stages (tau = onset / 2), constant target, exact
                    tau_s = 0.5 * wd_onset_s[k]
                    ee = math.exp(-g_s / tau_s)
                    pending[k] = tg + (pk - tg) * ee
                    dn = tg + (dk - tg) * ee + (pk - tg) * (g_s / tau_s) * ee
                    deficit[k] = dn if dn > 0.0 else 0.0
        # the incentive state over the gap (incentive.elapse)
        for k in range(K):
            since[k] += g_s
        sens = sens * math.exp(-g_s / sens_tau_s)
        # the memories' recency traces decay; every memory has been idle for the gap longer;
        # the recognised situation fades (memory.elapse)
        for j in range(MEM_J):
            dj = math.exp(-g_s / MEM_TAU[j])
            for mm in range(n_open):
                m_recency[mm, j] = m_recency[mm, j] * dj
        fade = math.exp(-g_s / MEM_SITUATION_S)
        for mm in range(MEM_M):
            m_idle[mm] += g_s
            m_situation[mm] = m_situation[mm] * fade
        # destabilisation under way passes through its two steps into lability, and lability
        # closes (restabilisation): a chain of three first-order steps, solved exactly over
        # the gap (memory.elapse); a memory with none of them stays exactly as it is
        a_on = -1.0
        b_off = 0.0
        a_lin = 0.0
        for mm in range(n_open):
            p1 = m_pending[mm, 0]
            p2 = m_pending[mm, 1]
            lm = m_labile[mm]
            if p1 != 0.0 or p2 != 0.0 or lm != 0.0:
                if a_on < 0.0:
                    a_on = math.exp(-g_s * k_on)
                    b_off = math.exp(-g_s * k_off)
                    a_lin = b_off - a_on * (1.0 + g_s * k_d)
                lm = lm * b_off + p2 * k_r * (b_off - a_on) + p1 * k_r2 * a_lin
                m_labile[mm] = 0.0 if lm < 0.0 else (1.0 if lm > 1.0 else lm)
                m_pending[mm, 0] = p1 * a_on
                m_pending[mm, 1] = (p2 + p1 * g_s * k_on) * a_on
        # the prefrontal insult recovers over the gap and accrues the gap's exposure; the
        # control it leaves, times the phase's experimental gain (prefrontal.control)
        insult = insult * math.exp(-g_s / pfc_rec_s) + dose_h
        xi = ((insult if insult > 0.0 else 0.0) / pfc_insult_half_h) ** pfc_insult_sharpness
        pfc = pfc_baseline * (1.0 - pfc_max_loss * (xi / (1.0 + xi))) * pfc_gain[e]
        pfc = 0.0 if pfc < 0.0 else (1.0 if pfc > 1.0 else pfc)
        # stress falls over the gap (interoception.elapse)
        stress = stress * math.exp(-g_s / stress_tau_s)
        # drug occupancy and unrelieved withdrawal of the body now (receptors.withdrawal)
        occ = 0.0
        unrelieved = 0.0
        for k in range(K):
            if kind[k] == KIND_DRUG:
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
        alt = uses_branch[e] and branch == 1
        any_op = False
        for s in range(S):
            if alt:
                ops[s] = alt_slot_operandum[e, s]
                prob[s] = alt_slot_prob[e, s]
            else:
                ops[s] = slot_operandum[e, s]
                prob[s] = slot_prob[e, s]
            if uses_branch[e] and branch < 0:
                ops[s] = -1         # the first step was withheld: nothing to play
            if ops[s] >= 0:
                any_op = True
        bsel = 1 if branch == 1 else 0
        for c in range(C):
            if uses_branch[e] and branch >= 0 and branch_cues[e, bsel, c]:
                cs_now[c] = 0
            else:
                cs_now[c] = cs_onset[e, c]
        forced_now = forced[e] and any_op

        # ---- recall (subject.recall, memory.retrieve): the posterior over the open memories
        #      before the outcome, prior (recency traces) x context (with its drift in time) x
        #      the cues on at choice (each the share of the memory's episodes it was shown in;
        #      an absent cue is no evidence) x the interoceptive drug state
        #      (subject.drug_state, interoception.drug_like: the drugs' summed occupancy,
        #      clipped to 0-1, raised towards 1 by stress as far as stress feels like the drug,
        #      at the insula's gain, clipped to 0-1; the memories' statistics record the same),
        #      and the learned associations as their mixture under it (one memory open:
        #      exactly (1, 0, ...))
        f_occ = 0.0 if occ < 0.0 else (1.0 if occ > 1.0 else occ)
        f_drug = insula_gain * (f_occ + (1.0 - f_occ) * stress_dopamine * stress)
        f_drug = 0.0 if f_drug < 0.0 else (1.0 if f_drug > 1.0 else f_drug)
        for mm in range(MEM_M):
            post[mm] = 0.0
        if n_open == 1:
            post[0] = 1.0
        else:
            total = 0.0
            for mm in range(n_open):
                n_m = 0.0
                for xx in range(X):
                    n_m += m_context[mm, xx]
                # the first memory transfers across contexts as conditioning does; those
                # formed since are bound to theirs, and to their time
                sh = cgen if mm == 0 else mem_share
                like = (m_context[mm, ctx] + sh * n_m + MEM_PSEUDO) / (
                    (1.0 + sh) * n_m + MEM_PSEUDO)
                like = like * (sh + (1.0 - sh) * math.exp(-m_idle[mm] / mem_drift_s))
                mu = (m_drug[mm] + MEM_PSEUDO) / (n_m + 2.0 * MEM_PSEUDO)
                like = like * math.exp(f_drug * math.log(mu) + (1.0 - f_drug) * math.log1p(-mu))
                den = n_m + 2.0 * MEM_PSEUDO
                like_m[mm] = like    # kept for the retrieval by the episode's cues (learn)
                den_m[mm] = den
                cue_like = 1.0
                for c in range(C):
                    if cs_now[c] >= 0:
                        cue_like *= (m_shown[mm, c] + MEM_PSEUDO) / den
                like = like * cue_like
                prior = 0.0
                for j in range(MEM_J):
                    prior += m_recency[mm, j] * MEM_WEIGHT[j]
                prior_m[mm] = prior + MEM_FLOOR
                x = (prior + MEM_FLOOR) * like
                x = x if x > 0.0 else 0.0
                post[mm] = x
                total += x
            if total > 0.0:
                for mm in range(n_open):
                    post[mm] = post[mm] / total
            else:
                for mm in range(MEM_M):
                    post[mm] = 1.0 if mm == 0 else 0.0
        # the mixtures (memory.mix): cue weights in the context, identity weights, cached
        # values in the habit's context, the action -> outcome model in the context
        for c in range(C):
            for t in range(N):
                wc[c, t] = 0.0
            for k in range(K):
                widm[c, k] = 0.0
        for o in range(O):
            qc[o] = 0.0
            for k in range(K):
                moc[o, k] = 0.0
        for mm in range(n_open):
            pm = post[mm]
            for c in range(C):
                for t in range(N):
                    wc[c, t] += pm * w[mm, ctx, c, t]
                for k in range(K):
                    widm[c, k] += pm * wid[mm, c, k]
            for o in range(O):
                qc[o] += pm * q[mm, hctx, o]
                for k in range(K):
                    moc[o, k] += pm * m_op[mm, ctx, o, k]

        # ---- perceive. Default model: the arbitrated habit / goal-directed value, PIT, the
        #      drive reduction (credited in full by the habit share, by the drug's incentive
        #      share by the goal-directed one), the prefrontal veto on predicted punishment
        #      and the cues' threat, attention narrowing, the D2-scaled withhold value; the
        #      variants: cached values alone
        depth = 2.0 if sets_branch[e] else 1.0   # steps the goal-directed plan looks ahead
        dls = intact[e, 0]
        dms = intact[e, 1]
        vs = intact[e, 2]
        for o in range(O):
            xh = habit[hctx, o]
            xk = ((xh if xh > 0.0 else 0.0) * depth / habit_half) ** habit_sharpness
            wo = xk / (1.0 + xk)
            w_raw[o] = wo
            w_dls = wo * dls
            wh[o] = w_dls + (1.0 - dms) * (1.0 - w_dls) * dls
        for c in range(C):          # drug share of each cue's outcome prediction
            drug_pred = 0.0
            all_pred = 0.0
            for k in range(K):
                x = widm[c, k]
                if kind[k] == KIND_DRUG and x > 0.0:
                    drug_pred += x
                all_pred += abs(x)
            share[c] = drug_pred / all_pred if all_pred > 1e-6 else 0.0
        # ---- wanting (subject.wanting, brain.incentive): each cue's incentive value, its
        # learned value (plus the re-valued worth of need-dependent outcomes it predicts) at
        # the incentive gain of what it predicts (a drug's cues also by the homeostatic drive
        # left at its level); the variants: attribution x learned value
        h = drug_setpoint * (1.0 + load) / d2_baseline      # the drug level's setpoint
        if adaptive:
            general = (1.0 - 0.5 * wdr) * (1.0 + intoxication_gain * occ + sens_gain * sens)
            for k in range(K):
                if expo[k] != 0.0:  # no substrate: exactly no rise
                    t_k = since[k]
                    f = inc_norm[k] * (math.exp(-t_k / inc_decay_s[k])
                                       - math.exp(-t_k / inc_rise_s[k]))
                    rise[k] = incubation_gain * expo[k] * (f if f > 0.0 else 0.0)
                else:
                    rise[k] = 0.0
                if kind[k] == KIND_AVERSIVE:
                    kap[k] = 1.0
                elif kind[k] == KIND_DRUG:
                    left = 1.0 - level[k] / ed50[k] / h
                    left = 0.0 if left < 0.0 else (1.0 if left > 1.0 else left)
                    kap[k] = general * (1.0 + rise[k]) * left * kclamp[e, k]
                else:
                    kap[k] = general * (1.0 + rise[k]) * kclamp[e, k]
                if need_value[k] > 0:
                    nv = value[k] + need_value[k] * need[e, k]
                    shift_k[k] = nv * default_amount[k] * d2 - inc[k]
                else:
                    shift_k[k] = 0.0
                worth[k] = inc[k] + shift_k[k]
            for c in range(C):
                total = 0.0
                mixed = 0.0
                sv = 0.0
                for k in range(K):
                    x = widm[c, k]
                    if x > 0.0:
                        total += x
                        mixed += x * kap[k]
                        sv += x * shift_k[k]
                if total > 1e-6:
                    kc = mixed / (total if total > 1e-9 else 1e-9)
                else:
                    kc = general
                want[c] = attribution * kc * (wc[c, 0] + sv)
        else:
            for c in range(C):
                want[c] = attribution * wc[c, 0]
            for k in range(K):
                worth[k] = inc[k]
                rise[k] = 0.0
                kap[k] = 1.0    # the variants' gain (subject.wanting)
        shrink = 1.0
        threat = 0.0
        if adaptive:
            for k in range(K):
                if kind[k] == KIND_DRUG:
                    drv[k] = h * abs(1.0 - (level[k] / ed50[k]) / h) ** drive_exponent
            # the cues present at choice: outcome predictions (PIT) and attentional bias.
            # Outcome-specific transfer reads which outcome each cue (and each response,
            # below) predicts as the open memories hold it between them, the strongest of
            # them (subject.perceive: extinction leaves these associations intact)
            for k in range(K):
                pit[k] = 0.0
            sal_all = 0.0
            sal_drug = 0.0
            for c in range(C):
                if cs_now[c] >= 0:
                    for k in range(K):
                        x = wid[0, c, k]
                        for mm in range(1, n_open):
                            if wid[mm, c, k] > x:
                                x = wid[mm, c, k]
                        if x > 0.0:
                            pit[k] += x
                    sl = abs(wc[c, 0])
                    sal_all += sl
                    sal_drug += sl * share[c]
            for k in range(K):
                pit[k] = pit[k] * kap[k]        # at each outcome's incentive gain
            bias = sal_drug / (sal_all + attention_floor)
            shrink = 1.0 - attention_narrowing * bias
            # the goal-directed credit for a drug's relief: incentive over unsated worth
            for k in range(K):
                if kind[k] == KIND_DRUG:
                    uw = value[k] * default_amount[k] / (default_amount[k] + ed50[k]) * d2
                    cr_k = inc[k] / (uw if uw > 1e-6 else 1e-6)
                    credit[k] = 0.0 if cr_k < 0.0 else (1.0 if cr_k > 1.0 else cr_k)
                else:
                    credit[k] = 0.0
            # the punishment the cues present at choice predict (prefrontal.threat)
            for k in range(K):
                if kind[k] == KIND_AVERSIVE and -worth[k] > 0.0:
                    pk = 0.0
                    for c in range(C):
                        if cs_now[c] >= 0 and widm[c, k] > 0.0:
                            pk += widm[c, k]
                    threat += pk * -worth[k]
            vals[0] = other_value * d2 * shrink
        else:
            vals[0] = other_value
        if forced_now:
            vals[0] = NEG           # a choice must be made
        for s in range(1, S):
            op = ops[s]
            ap = slot_approach[e, s]
            if op < 0:
                vals[s] = NEG
            elif ap == -2:
                # Pavlovian approach to the goal: the present cues' predicted outcomes at
                # their current worth (control.approach_values)
                x = 0.0
                for k in range(K):
                    pk = 0.0
                    for c in range(C):
                        if cs_now[c] >= 0 and widm[c, k] > 0.0:
                            pk += widm[c, k]
                    x += pk * worth[k]
                vals[s] = x - response_cost
            elif ap >= 0:
                # ... to a cue: its incentive value now
                cv = want[ap] if ap < C else 0.0
                vals[s] = (cv if cv > 0.0 else 0.0) - response_cost
            elif not adaptive:
                qq = qc[op] if op < O else 0.0
                vals[s] = qq - response_cost
            elif op >= O:           # no such operandum: every term but the threat is exactly 0
                vals[s] = (0.0 - threat) - response_cost
            else:
                goal = 0.0
                for k in range(K):
                    goal += moc[op, k] / default_amount[k] * worth[k]
                cval = 0.0
                for c in range(C):
                    cval += m_cue[ctx, op, c] * (gamma * want[c])
                goal += cval
                tr = 0.0
                for k in range(K):
                    if kind[k] != KIND_AVERSIVE:
                        xk = m_op[0, ctx, op, k]        # the strongest open memory's
                        for mm in range(1, n_open):
                            if m_op[mm, ctx, op, k] > xk:
                                xk = m_op[mm, ctx, op, k]
                        tr += xk / default_amount[k] * pit[k]
                who = wh[op]
                v_op = who * qc[op] + (1.0 - who) * goal + pit_gain * tr
                red = 0.0
                units = 0.0
                cred = 0.0
                du = 0.0
                tu = 0.0
                for k in range(K):
                    xk = moc[op, k]
                    un = abs(xk) / default_amount[k]
                    tu += un
                    if kind[k] == KIND_DRUG:
                        du += un
                        if xk != 0.0:
                            uk = level[k] / ed50[k] + xk / ed50[k]
                            red += drv[k] - h * abs(1.0 - uk / h) ** drive_exponent
                            ud = xk / default_amount[k]
                            units += ud
                            cred += ud * credit[k]
                if units > 0.0:
                    credited = cred / (units if units > 1e-9 else 1e-9)
                else:
                    credited = 0.0
                x = v_op + homeostatic_weight * red * (who + (1.0 - who) * credited)
                # the prefrontal veto brings the response's expected punishment to bear on
                # its habitual share; the cues' threat suppresses both shares
                # (prefrontal.harm, prefrontal.threat)
                harm = 0.0
                for k in range(K):
                    if kind[k] == KIND_AVERSIVE and -worth[k] > 0.0:
                        harm += moc[op, k] / default_amount[k] * -worth[k]
                x = x - pfc * who * harm - ((1.0 - who) + pfc * who) * threat
                if not (du > 0.5 * tu or x <= 0.0):
                    x = x * shrink
                vals[s] = x - response_cost
        # ---- softmax policy
        m = -np.inf
        for s in range(S):
            lg = -np.inf if vals[s] <= HALF_NEG else beta * vals[s]
            ex[s] = lg
            if lg > m:
                m = lg
        tot = 0.0
        for s in range(S):
            ex[s] = math.exp(ex[s] - m)
            tot += ex[s]
        acc = 0.0
        for s in range(S):
            acc += ex[s] / tot
            cdf[s] = acc
        thr = u0 * cdf[S - 1]
        a = 0
        for s in range(S):
            if cdf[s] < thr:
                a += 1
        if a > S - 1:
            a = S - 1

        # ---- apparatus
        if session_start[e]:
            for s in range(S):
                count[s] = 0
            timeout = 0
        responded = a > 0
        operandum = ops[a] if (responded and slot_approach[e, a] == -1) else -1
        counted = responded and timeout == 0 and operandum >= 0
        n_resp = count[a] + (1 if counted else 0)
        met = counted and n_resp >= slot_ratio[e, a]
        count[a] = 0 if met else n_resp
        if met:
            timeout = timeout_ep[e]
        elif timeout > 0:
            timeout -= 1
        won = met and u1 < prob[a]          # the chosen slot's outcome probability
        reinforced = u1 < us_prob[e]
        any_slot = False
        pav_out = False
        for k in range(K):
            sk = slot_amounts[e, a, k]
            if sk > 0:
                any_slot = True
            pk = us_amounts[e, k] if reinforced else 0.0
            if pk > 0:
                pav_out = True
            amounts[k] = pk + (sk if won else 0.0)
        op_due = won and any_slot
        # sequential tasks: the response picks the next branch and shows that branch's cue
        next_branch = 1 if u1 < branch_p[e, a] else 0
        moved = sets_branch[e] and responded
        for c in range(C):
            rc = (met and slot_cues[e, a, c]) or (moved and branch_cues[e, next_branch, c])
            resp[c] = rc
            o = cs_now[c]
            onset[c] = o if o >= 0 else (1 if rc else -1)
        if sets_branch[e]:
            branch = next_branch if responded else -1
        elif uses_branch[e]:
            branch = 0
        if pav_out:
            outcome_bin = us_bin[e]
        elif op_due:
            outcome_bin = slot_bin[e]
        else:
            outcome_bin = -1
        signalled = met and any_slot
        for c in range(C):
            if resp[c]:
                signalled = True
        if us_bin[e] >= 0:
            expected_bin = us_bin[e]
        elif signalled and slot_bin[e] >= 0:
            expected_bin = slot_bin[e]
        else:
            expected_bin = -1

        # conditioned fear (recorded): the punishment the episode's cues predict, at the
        # incentive values learned before it (prefrontal.threat)
        fear = 0.0
        for k in range(K):
            if kind[k] == KIND_AVERSIVE and -inc[k] > 0.0:
                pk = 0.0
                for c in range(C):
                    if onset[c] >= 0 and widm[c, k] > 0.0:
                        pk += widm[c, k]
                fear += pk * -inc[k]

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
        for k in range(K):
            if malaise_k[k] > 0:
                malaise += value[k] * amounts[k]
        delivered = False
        punished = False
        for k in range(K):
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
                nv = value[k] + need_value[k] * need[e, k]     # its value under the need
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
        for k in range(K):
            sum_def += deficit[k]
        down = withdrawal_depth * sum_def
        vta = 1.0 - down                        # release capacity
        nat_surge = nat_s * (vta if vta > 0.0 else 0.0)
        d_out = da_to_reward * g * drug_surge

        # 2. dopamine prediction
        rho_eff = rho + rho_allostatic * load if adaptive else rho
        cost = rho_weight * rho_eff * BIN_S
        _csc_td(wc, onset, C, r_out, d_out, outcome_bin, gamma, cost, model, v, delta)

        # the cues the episode showed, response-produced ones included, are retrieval cues
        # too (subject.learn, memory.retrieve): the pre-episode memories retrieved again by
        # prior x context x drug state x every cue present, each cue's rate raised to its
        # incentive salience (incentive.cue_gain: the gains of the kinds it predicts under
        # the first retrieval, mixed by its identity weights; 1 for a cue that predicts
        # nothing). The cues' pull (conditioned reinforcement, wanting, craving) is read
        # under it: their incentive values (subject.wanting) and drug shares
        # (control.cue_salience) from its mixtures. One memory open: exactly the first's
        if n_open == 1:
            for c in range(C):
                want_s[c] = want[c]
                share_s[c] = share[c]
        else:
            for c in range(C):
                if onset[c] >= 0:
                    total = 0.0
                    mixed = 0.0
                    for k in range(K):
                        x = widm[c, k]
                        if x > 0.0:
                            total += x
                            mixed += x * kap[k]
                    if total > 1e-6:
                        sal[c] = mixed / (total if total > 1e-9 else 1e-9)
                    else:
                        sal[c] = 1.0
            total = 0.0
            for mm in range(n_open):
                den = den_m[mm]
                cue_like = 1.0
                for c in range(C):
                    if onset[c] >= 0:
                        cue_like *= math.exp(sal[c] * math.log((m_shown[mm, c] + MEM_PSEUDO)
                                                               / den))
                x = prior_m[mm] * (like_m[mm] * cue_like)
                x = x if x > 0.0 else 0.0
                post_s[mm] = x
                total += x
            if total > 0.0:
                for mm in range(n_open):
                    post_s[mm] = post_s[mm] / total
            else:
                for mm in range(n_open):
                    post_s[mm] = 1.0 if mm == 0 else 0.0
            for c in range(C):
                if onset[c] < 0:
                    continue
                v0 = 0.0
                for mm in range(n_open):
                    v0 += post_s[mm] * w[mm, ctx, c, 0]
                total = 0.0
                mixed = 0.0
                sv = 0.0
                drug_pred = 0.0
                all_pred = 0.0
                for k in range(K):
                    x = 0.0
                    for mm in range(n_open):
                        x += post_s[mm] * wid[mm, c, k]
                    if x > 0.0:
                        total += x
                        mixed += x * kap[k]
                        sv += x * shift_k[k]
                        if kind[k] == KIND_DRUG:
                            drug_pred += x
                    all_pred += abs(x)
                if adaptive:
                    if total > 1e-6:
                        kc = mixed / (total if total > 1e-9 else 1e-9)
                    else:
                        kc = general
                    want_s[c] = attribution * kc * (v0 + sv)
                else:
                    want_s[c] = attribution * v0
                share_s[c] = drug_pred / all_pred if all_pred > 1e-6 else 0.0

        # readouts of the pre-episode state (wanting and craving under the retrieval by the
        # episode's cues)
        any_cue = False
        cue_value = NEG
        cue_want = NEG
        drug_want = 0.0
        first = N
        sal_all = 0.0
        sal_drug = 0.0
        for c in range(C):
            cue_v0[c] = wc[c, 0]
            sl = abs(cue_v0[c])
            sal_all += sl
            sal_drug += sl * share[c]
            if onset[c] >= 0:
                any_cue = True
                cv = cue_v0[c]
                if cv > cue_value:
                    cue_value = cv
                wn = want_s[c]
                if wn > cue_want:
                    cue_want = wn
                wt = (wn if wn > 0.0 else 0.0) * share_s[c]
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
            for k in range(K):
                if kind[k] != KIND_DRUG:
                    continue
                ex_c = -np.inf
                for c in range(C):
                    if widm[c, k] > ex_c:
                        ex_c = widm[c, k]
                ex_o = -np.inf
                for o in range(O):
                    if moc[o, k] > ex_o:
                        ex_o = moc[o, k]
                ex_o = ex_o / default_amount[k]
                ex_k = ex_c if ex_c > ex_o else ex_o
                left = 1.0 - level[k] / ed50[k] / h
                left = 0.0 if left < 0.0 else (1.0 if left > 1.0 else left)
                kap0 = general * left * kclamp[e, k]
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
            wsk = -np.inf
            for o in range(O):
                if w_raw[o] > wsk:
                    wsk = w_raw[o]
        w_dls = wsk * dls
        wh_seek = w_dls + (1.0 - dms) * (1.0 - w_dls) * dls
        da_cue_dorsal = da_cue * wh_seek * dls
        out_bin = outcome_bin if outcome_bin >= 0 else expected_bin
        has_out = out_bin >= 0
        da_outcome = delta[out_bin] if (has_out and out_bin <= N) else 0.0

        # a trial that goes on in the next episode (a two-step first step, a stimulus held
        # over several windows) does not end here: the critic learns about its cues, and the
        # memories weigh its outcome, when it ends (subject.learn)
        ends = 0.0 if (moved or holds[e]) else 1.0

        # which memories the episode belongs to, now that its outcome is known
        # (subject.learn, brain.memory). Per open memory: its prediction of each kind (the
        # cues present; a completed response: the larger of that and its action -> outcome
        # model), the episode's error under it, what it expected (appetitive kinds) and the
        # omission under it (signed). The episode is informative if it ends a trial and
        # something arrived or some memory expected something
        for k in range(K):
            target[k] = amounts[k] / default_amount[k]
        informative = delivered
        for mm in range(n_open):
            for k in range(K):
                pcue[mm, k] = 0.0
            for c in range(C):
                if onset[c] >= 0:
                    for k in range(K):
                        pcue[mm, k] += wid[mm, c, k]
            er = 0.0
            ex_ = 0.0
            om_ = 0.0
            for k in range(K):
                pk = pcue[mm, k]
                if met:
                    po = m_op[mm, ctx, operandum, k] / default_amount[k] if operandum < O else 0.0
                    if po > pk:
                        pk = po
                er += abs(target[k] - pk)
                if kind[k] != KIND_AVERSIVE:
                    ex_ += pk
                    om_ += pk - target[k]
            err_m[mm] = er
            exp_m[mm] = ex_
            om_m[mm] = om_
            if ex_ > 0.1:
                informative = True
        informative = informative and ends > 0.0
        # the memories' shares of the episode (memory.assign): retrieval x how well each
        # predicted the outcome x how often each has seen these kinds arrive; an episode that
        # carries no evidence belongs to the last informative episode's situation, as far as
        # it has not faded, the rest to the retrieval
        if informative:
            total = 0.0
            for mm in range(MEM_M):
                take[mm] = 0.0
            for mm in range(n_open):
                n_m = 0.0
                for xx in range(X):
                    n_m += m_context[mm, xx]
                z = err_m[mm] / mem_noise
                like_out = math.exp(-0.5 * (z * z))
                like_kind = 1.0
                den = n_m + 2.0 * MEM_PSEUDO
                for k in range(K):
                    rate = (m_outcome[mm, k] + MEM_PSEUDO) / den
                    like_kind *= rate if amounts[k] > 0 else 1.0 - rate
                x = post[mm] * like_out * like_kind
                x = x if x > 0.0 else 0.0
                take[mm] = x
                total += x
            if total > 0.0:
                for mm in range(n_open):
                    take[mm] = take[mm] / total
            else:
                for mm in range(MEM_M):
                    take[mm] = 1.0 if mm == 0 else 0.0
        else:
            lost = 0.0
            for mm in range(MEM_M):
                lost += m_situation[mm]
            lost = 1.0 - lost      # what the situation has lost goes to the retrieval
            for mm in range(MEM_M):
                take[mm] = m_situation[mm] + lost * post[mm]
        # the running average of omitted outcomes (memory.surprise): the omission under the
        # memory that explains the episode best, signed as the retrieved mixture's, moved as
        # far as the mixture expected an outcome at the end of a trial
        om_abs = np.inf
        mix_om = 0.0
        mix_ex = 0.0
        for mm in range(n_open):
            x = abs(om_m[mm])
            if x < om_abs:
                om_abs = x
            mix_om += post[mm] * om_m[mm]
            mix_ex += post[mm] * exp_m[mm]
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
        if adaptive and informative and m_surprise > mem_threshold and n_open < MEM_M:
            for mm in range(MEM_M):
                take[mm] = 1.0 if mm == n_open else 0.0
            for k in range(K):
                pcue[n_open, k] = 0.0
            om_m[n_open] = 0.0      # a blank memory expected nothing: nothing omitted under it
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
                om_ = om_m[mm]
                if r != 0.0 and om_ > 0.0:
                    room = 1.0 - m_labile[mm] - m_pending[mm, 0] - m_pending[mm, 1]
                    room = room if room > 0.0 else 0.0
                    m_pending[mm, 0] = m_pending[mm, 0] + r * (om_ if om_ < 1.0 else 1.0) * room
        # the episode enters the memories' statistics in proportion to their shares
        # (memory.record): its context, every cue the episode showed (those the response
        # produced included), the drug state and the kinds that arrived
        for mm in range(n_open):
            r = take[mm]
            for j in range(MEM_J):
                m_recency[mm, j] += r
            m_context[mm, ctx] += r
            for c in range(C):
                if onset[c] >= 0:
                    m_shown[mm, c] += r
            m_drug[mm] += r * f_drug
            for k in range(K):
                if amounts[k] > 0:
                    m_outcome[mm, k] += r
            if r > 0.5:
                m_idle[mm] = 0.0
        if informative:
            for mm in range(MEM_M):
                m_situation[mm] = take[mm]

        # 3. cue learning, per memory (its own TD errors, in proportion to its share of the
        #    episode); no critic update in a trial that goes on
        alpha_vs = alpha * (attribution if attribution < 1.0 else 1.0) * vs * ends
        # generalisation to each context: 1 in the episode's own, context_generalization x
        # the episode's gen_scale elsewhere; around ctx (critic, action -> outcome model)
        # and around hctx (cached values, traces, habit)
        for mm in range(n_open):
            r = take[mm]
            da_m[mm] = 0.0
            if r == 0.0:
                continue            # a memory with no share of the episode learns exactly nothing
            # the memory's own V over the serial compound and TD errors t = 0..N
            _csc_td(w[mm, ctx], onset, C, r_out, d_out, outcome_bin, gamma, cost, model, v_m,
                    delta_m)
            da_m[mm] = delta_m[out_bin] if (has_out and out_bin <= N) else 0.0
            for xx in range(X):
                coef = alpha_vs * r * (1.0 if xx == ctx else cgen * gen_scale[e, xx])
                for c in range(C):
                    o = onset[c]
                    if o >= 0:
                        for j in range(N - o):
                            w[mm, xx, c, j] += coef * delta_m[o + j + 1]
            for c in range(C):
                if onset[c] >= 0:
                    for k in range(K):
                        # expectations of aversive outcomes learn fast (brain.prefrontal)
                        ak = alpha_aversive if kind[k] == KIND_AVERSIVE else alpha_id
                        wid[mm, c, k] += ak * ends * r * (target[k] - pcue[mm, k])

        # 4. instrumental learning, per memory; the action -> outcome model
        # in an episode with an aversive outcome the cached values learn negative errors at
        # alpha_q x the D2 availability's share of its drug-naive level to a power
        # (prefrontal.nogo_rate; default model only)
        nogo = 1.0
        if adaptive and punished:
            rel = d2 / d2_baseline
            rel = 0.0 if rel < 0.0 else (1.0 if rel > 1.0 else rel)
            nogo = rel ** d2_nogo_exponent
        disc_out = gamma ** np.float64(outcome_bin) if outcome_bin >= 0 else 0.0
        cr = 0.0                # at the cues' incentive values under the episode's retrieval
        for c in range(C):
            if resp[c] and onset[c] >= 0:
                cr += gamma ** np.float64(onset[c]) * want_s[c]
        if operandum >= 0 and operandum < O:
            for mm in range(n_open):
                r = take[mm]
                if r == 0.0:
                    continue
                q_old = q[mm, hctx, operandum]
                base_q = disc_out * r_out + cr - q_old
                d_q = disc_out * d_out
                if model == 0:
                    delta_q = base_q + d_q
                elif model == 1:
                    delta_q = base_q
                elif d_q > 0:
                    delta_q = base_q + d_q if base_q + d_q > d_q else d_q
                else:
                    delta_q = base_q
                step_q = (alpha_q * nogo if delta_q < 0 else alpha_q) * delta_q * r
                for xx in range(X):
                    q[mm, xx, operandum] += step_q * (
                        1.0 if xx == hctx else cgen * gen_scale[e, xx])
            if met:
                # the action -> outcome model (DMS), learned in the response's context
                # and generalised to the others as the cached values are, per memory; the
                # action -> cue model (not held per memory) and habit experience (DLS)
                for mm in range(n_open):
                    r = take[mm]
                    if r == 0.0:
                        continue
                    for xx in range(X):
                        learn_ao = r * (dms * (1.0 if xx == ctx else cgen * gen_scale[e, xx]))
                        for k in range(K):
                            ak = alpha_aversive if kind[k] == KIND_AVERSIVE else alpha_id
                            m_op[mm, xx, operandum, k] += learn_ao * ak * (
                                amounts[k] - m_op[mm, xx, operandum, k])
                for xx in range(X):
                    learn_ao = dms * (1.0 if xx == ctx else cgen * gen_scale[e, xx])
                    for c in range(C):
                        rc1 = 1.0 if resp[c] else 0.0
                        m_cue[xx, operandum, c] += learn_ao * alpha_id * (
                            rc1 - m_cue[xx, operandum, c])
                step_h = (1.0 + habit_drug_gain * (g * dorsal_surge)) * dls
                for xx in range(X):
                    habit[xx, operandum] += step_h * (
                        1.0 if xx == hctx else cgen * gen_scale[e, xx])
        # earlier responses share the outcome's error through their decayed eligibility
        # traces (each memory its own error at the outcome's time, in proportion to its
        # share); then the trace moves to this episode's response
        dec = math.exp(-gap_s[e] / eligibility_tau_s)
        live = False
        for xx in range(X):
            for o in range(O):
                tr = trace[xx, o]
                if tr != 0.0:
                    trace[xx, o] = tr * dec
                    live = True
        if live:
            for mm in range(n_open):
                r = take[mm]
                if r == 0.0:
                    continue
                da = da_m[mm]
                coef_e = (alpha_q * nogo if da < 0 else alpha_q) * da * r
                for xx in range(X):
                    for o in range(O):
                        tr = trace[xx, o]
                        if tr != 0.0:
                            q[mm, xx, o] += coef_e * tr
        if operandum >= 0:
            for xx in range(X):
                gx = 1.0 if xx == hctx else cgen * gen_scale[e, xx]
                for o in range(O):
                    trace[xx, o] = gx if o == operandum else 0.0

        # average reward rate
        reinforcement = r_out if model == 1 else r_out + d_out
        gap = gap_s[e] if gap_s[e] > MIN_GAP else MIN_GAP
        kk = 1.0 - math.exp(-gap / (tau_h * 3600.0))
        rho = rho + kk * (reinforcement / gap - rho)

        # ---- the record (workload.REC_VARS order), read at the episode's start
        ventral = 1.0 + sum_e1 - down
        if ventral < 0.05:
            ventral = 0.05
        sum_dors = 0.0
        drug_level = 0.0
        incubated = 0.0
        for k in range(K):
            if kind[k] == KIND_DRUG:
                sum_dors += eff[k] * dorsal_ratio[k]
                drug_level += level[k]
                if rise[k] > incubated:
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
        rec[18] = 1.0 if (drug_amount > 0 and first_hour[e]) else 0.0
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
        rec[29] = 1.0 if (a == 1 and no_drug[e]) else 0.0
        rec[30] = 1.0 if (a == 1 and nogo_trial[e]) else 0.0
        rec[31] = post[0]                   # retrieval of the first memory
        rec[32] = np.float64(n_open)        # memories held (after this episode)
        rec[33] = stress                    # stress at the episode's start
        rec[34] = lability                  # lability of the retrieved memories
        # a lapse: a drug the subject's own response earned (the chosen slot's amounts, when
        # won) after abstinence began; drugs the experimenter gives are not use
        lapse = False
        if abstinent[e] and won:
            for k in range(K):
                if kind[k] == KIND_DRUG and slot_amounts[e, a, k] > 0:
                    lapse = True
        rec[35] = 1.0 if lapse else 0.0

        # ---- deliver (incentive.deliver, receptors.deliver, interoception.deliver): the
        # incubation substrate moves towards the delivered kinds' surge; a drug dose after a
        # drug-free interval sensitises; the delivered kinds' clocks restart; the amounts
        # enter the depot; a footshock moves stress a threshold of its intensity of
        # stress_rate of the way to 1
        if delivered:
            push = 0.0
            for k in range(K):
                if amounts[k] > 0:
                    sg_k = surge[k]
                    expo[k] += incubation_rate * (sg_k - expo[k])
                    if kind[k] == KIND_DRUG:
                        push += sg_k * (1.0 - math.exp(-since[k] / sens_int_s))
                    since[k] = 0.0
            push = sens_rate * push
            sens = sens + (1.0 - sens) * (1.0 - math.exp(-push))
        for k in range(K):
            depot[k] += amounts[k]
        current = amounts[SHOCK]
        if current > 0:             # no shock: stress exactly as it is
            step = 1.0 / (1.0 + math.exp(-(current - stress_threshold_ma) / stress_slope_ma))
            stress = stress + (1.0 - stress) * (stress_rate * step)

        # ---- bounded recording
        gr = group[e]
        fc = 1.0 if any_cue else 0.0
        fo = 1.0 if has_out else 0.0
        fd = 1.0 if delivered else 0.0
        fp = 1.0 if probed else 0.0
        for j in range(n_agg):
            ev = agg_event[j]
            wt = 1.0 if ev == 0 else (fc if ev == 1 else (fo if ev == 2 else (
                fd if ev == 3 else fp)))
            sums[i, gr, j] += rec[agg_src[j]] * wt
            weights[i, gr, j] += wt
        for j in range(n_max):
            x = rec[max_src[j]]
            if x > maxs[i, gr, j]:
                maxs[i, gr, j] = x
        counts[i, gr, 0] += 1.0
        counts[i, gr, 1] += fc
        counts[i, gr, 2] += fo
        counts[i, gr, 3] += fd
        counts[i, gr, 4] += fp

    RHO[i] = rho
    TO[i] = timeout
    BODY[i, 0] = d2
    BODY[i, 1] = load
    BODY[i, 2] = high_for
    BODY[i, 3] = sens
    BODY[i, 4] = insult
    BODY[i, 5] = stress
    MSTATE[i, 0] = m_surprise
    MSTATE[i, 1] = n_open


@nb.njit(parallel=True, fastmath=False)
def kernel(prm, ids, seed, use_u, U, block,
           context, gap_s, group, session_start, cs_onset, us_amounts, us_prob, us_bin,
           slot_operandum, slot_cues, slot_amounts, slot_ratio, slot_bin, timeout_ep, first_hour,
           intact, slot_prob, sets_branch, branch_p, uses_branch, alt_slot_operandum,
           alt_slot_prob, branch_cues, forced, holds, slot_approach, need, kclamp, pfc_gain,
           no_drug, nogo_trial, habit_context, gen_scale, abstinent, kind, value, ed50, emax,
           dorsal_ratio, default_amount, ka, kel, inv_sat,
           wd_onset_s, wd_duration_s, malaise_k, need_value, inc_rise_s, inc_decay_s, inc_norm,
           pfc_tox, occ_ed50, n_op, model, agg_src, agg_event, max_src,
           W, Q, WID, MOP, MCUE, INC, HAB, TRC, RHO, DEPOT, LEVEL, OPP, PEND, DEF, SINCE, EXPO,
           BODY, CNT, TO, MREC, MCTX, MSHOWN, MDRUG, MOUT, MIDLE, MSIT, MPEND, MLAB, MSTATE,
           SF, SI, SB, SM, WC, WIDM, QC, MOC, PCUE, sums, weights, maxs, counts):
    """All subjects: ``prange`` over blocks of ``block`` subjects; per block, its subjects
    one after the other, each over all episodes. ``SF``/``SI``/``SB`` are per-block
    float/int/bool scratch rows; ``SM`` per-block float scratch of the memory layer (per
    memory: retrieval, share of the episode, error, expectation, omission, TD error at the
    outcome; one memory's V and TD errors; per memory: its prior, its likelihood of context,
    time and drug state and the denominator of its cue rates at recall, and the retrieval
    by the episode's cues); ``WC``/``WIDM``/``QC``/``MOC`` per-block
    mixtures of the learned associations under the retrieval posterior, ``PCUE`` per memory
    the present cues' prediction of each kind."""
    n = prm.shape[0]
    S = slot_operandum.shape[1]
    C = cs_onset.shape[1]
    K = us_amounts.shape[1]
    O1 = MOP.shape[3]
    n_blocks = (n + block - 1) // block
    for b in prange(n_blocks):
        sf = SF[b]
        vals = sf[0:S]
        ex = sf[S:2 * S]
        cdf = sf[2 * S:3 * S]
        o1 = 3 * S
        amounts = sf[o1:o1 + K]
        target = sf[o1 + K:o1 + 2 * K]
        eff = sf[o1 + 2 * K:o1 + 3 * K]
        drv = sf[o1 + 3 * K:o1 + 4 * K]
        o2 = o1 + 4 * K
        v = sf[o2:o2 + NB]
        delta = sf[o2 + NB:o2 + 2 * NB + 1]
        o3 = o2 + 2 * NB + 1
        cue_v0 = sf[o3:o3 + C]
        rec = sf[o3 + C:o3 + C + N_REC]
        o4 = o3 + C + N_REC
        share = sf[o4:o4 + C]
        w_raw = sf[o4 + C:o4 + C + O1]
        wh = sf[o4 + C + O1:o4 + C + 2 * O1]
        o5 = o4 + C + 2 * O1
        pit = sf[o5:o5 + K]
        credit = sf[o5 + K:o5 + 2 * K]
        prob = sf[o5 + 2 * K:o5 + 2 * K + S]
        o6 = o5 + 2 * K + S
        want = sf[o6:o6 + C]
        kap = sf[o6 + C:o6 + C + K]
        shift_k = sf[o6 + C + K:o6 + C + 2 * K]
        worth = sf[o6 + C + 2 * K:o6 + C + 3 * K]
        rise = sf[o6 + C + 3 * K:o6 + C + 4 * K]
        surge = sf[o6 + C + 4 * K:o6 + C + 5 * K]
        o7 = o6 + C + 5 * K
        sal = sf[o7:o7 + C]
        want_s = sf[o7 + C:o7 + 2 * C]
        share_s = sf[o7 + 2 * C:o7 + 3 * C]
        onset = SI[b, 0:C]
        ops = SI[b, C:C + S]
        cs_now = SI[b, C + S:2 * C + S]
        resp = SB[b, 0:C]
        sm = SM[b]
        post = sm[0:MEM_M]
        take = sm[MEM_M:2 * MEM_M]
        err_m = sm[2 * MEM_M:3 * MEM_M]
        exp_m = sm[3 * MEM_M:4 * MEM_M]
        om_m = sm[4 * MEM_M:5 * MEM_M]
        da_m = sm[5 * MEM_M:6 * MEM_M]
        v_m = sm[6 * MEM_M:6 * MEM_M + NB]
        delta_m = sm[6 * MEM_M + NB:6 * MEM_M + 2 * NB + 1]
        o8 = 6 * MEM_M + 2 * NB + 1
        prior_m = sm[o8:o8 + MEM_M]
        like_m = sm[o8 + MEM_M:o8 + 2 * MEM_M]
        den_m = sm[o8 + 2 * MEM_M:o8 + 3 * MEM_M]
        post_s = sm[o8 + 3 * MEM_M:o8 + 4 * MEM_M]
        lo = b * block
        hi = min(lo + block, n)
        for i in range(lo, hi):
            key = subject_key(seed, ids[i])
            _subject(i, key, use_u, U, prm,
                     context, gap_s, group, session_start, cs_onset, us_amounts, us_prob, us_bin,
                     slot_operandum, slot_cues, slot_amounts, slot_ratio, slot_bin, timeout_ep,
                     first_hour, intact, slot_prob, sets_branch, branch_p, uses_branch,
                     alt_slot_operandum, alt_slot_prob, branch_cues, forced, holds, slot_approach,
                     need, kclamp, pfc_gain, no_drug, nogo_trial, habit_context, gen_scale,
                     abstinent,
                     kind, value, ed50, emax, dorsal_ratio, default_amount, ka, kel, inv_sat,
                     wd_onset_s, wd_duration_s, malaise_k, need_value, inc_rise_s, inc_decay_s,
                     inc_norm, pfc_tox, occ_ed50, n_op, model, agg_src, agg_event, max_src,
                     W, Q, WID, MOP, MCUE, INC, HAB, TRC, RHO, DEPOT, LEVEL, OPP, PEND, DEF,
                     SINCE, EXPO, BODY, CNT, TO, MREC, MCTX, MSHOWN, MDRUG, MOUT, MIDLE, MSIT,
                     MPEND, MLAB, MSTATE,
                     vals, ex, cdf, amounts, v, delta, cue_v0, target, eff, drv, rec,
                     share, w_raw, wh, pit, credit, prob, want, kap, shift_k, worth, rise, surge,
                     onset, resp, ops, cs_now, WC[b], WIDM[b], QC[b], MOC[b], PCUE[b], post,
                     take, err_m, exp_m, om_m, da_m, v_m, delta_m, prior_m, like_m, den_m,
                     post_s, sal, want_s, share_s, sums, weights, maxs, counts)


def scratch_size(n_slots: int, n_kinds: int, n_cues: int, n_operanda: int = 1) -> int:
    """Floats of per-block scratch: slot values, exponentials and CDF; amounts, identity
    outcome (in default amounts), drug effect and drive per kind; V and the TD errors; cue values; the record;
    the drug share of each cue; the habit share per operandum before and after lesions; the
    present cues' outcome predictions and the goal-directed credit per kind; the outcome
    probability of each offered slot; each cue's incentive value; the incentive gain, the
    worth shift, the worth, the incubated rise and the episode's surge per kind; each cue's
    incentive salience, and its incentive value and drug share under the retrieval by the
    episode's cues."""
    return (3 * n_slots + 4 * n_kinds + 2 * NB + 1 + n_cues + N_REC + n_cues
            + 2 * max(n_operanda, 1) + 2 * n_kinds + n_slots + n_cues + 5 * n_kinds
            + 3 * n_cues)


def run(sched: Schedule, params, *, seed: int = 0, subject_ids=None, uniforms=None,
        block: int = 16, threads: int | None = None) -> dict[str, np.ndarray]:
    """Every subject of the cohort (``params``: ``(n, P)`` float64, ``workload.param_matrix``
    or ``workload.cohort_matrix``); returns the accumulators ``sums, weights, maxs, counts``
    (leading subject axis)."""
    if threads is not None:
        nb.set_num_threads(int(threads))
    prm = np.array(params, np.float64, order="C")  # a writable copy: one compiled signature
    assert prm.shape[1] == len(PARAM_NAMES)
    n = prm.shape[0]
    ids = np.array(np.arange(n) if subject_ids is None else subject_ids, np.int64, order="C")
    if uniforms is None:
        use_u, U = False, np.zeros((0, 0, 2), np.float64)
    else:
        use_u, U = True, np.array(uniforms, np.float64, order="C")
        assert U.shape == (n, sched.n_episodes, 2)
    X, C, O = sched.n_contexts, sched.n_cues, sched.n_operanda
    S, K, G = sched.n_slots, sched.n_kinds, sched.n_groups
    agg_src, agg_event, max_src = (np.array(x, np.int64) for x in recording_plan())
    n_blocks = (n + block - 1) // block
    M = MEM_M
    O1 = max(O, 1)
    # the learned associations, per memory (brain.memory)
    W = np.zeros((n, M, X, C, NB))
    Q = np.zeros((n, M, X, O))
    WID = np.zeros((n, M, C, K))
    MOP = np.zeros((n, M, X, O1, K))
    MCUE = np.zeros((n, X, max(O, 1), C))
    INC = np.zeros((n, K))
    HAB = np.zeros((n, X, max(O, 1)))
    TRC = np.zeros((n, X, max(O, 1)))
    RHO = np.zeros(n)
    DEPOT = np.zeros((n, K))
    LEVEL = np.zeros((n, K))
    OPP = np.zeros((n, K))
    PEND = np.zeros((n, K))
    DEF = np.zeros((n, K))
    SINCE = np.zeros((n, K))
    EXPO = np.zeros((n, K))
    BODY = np.zeros((n, 6))          # final D2 availability, allostatic load, high time,
    #                                  sensitisation, prefrontal insult, stress
    CNT = np.zeros((n, S), np.int64)
    TO = np.zeros(n, np.int64)
    # the memories: recency traces, context, cue and drug-state statistics, outcome counts,
    # idle time, the last informative episode's shares, destabilisation under way and
    # lability (reconsolidation); final surprise and memories open
    MREC = np.zeros((n, M, MEM_J))
    MCTX = np.zeros((n, M, X))
    MSHOWN = np.zeros((n, M, C))
    MDRUG = np.zeros((n, M))
    MOUT = np.zeros((n, M, K))
    MIDLE = np.zeros((n, M))
    MSIT = np.zeros((n, M))
    MPEND = np.zeros((n, M, 2))
    MLAB = np.zeros((n, M))
    MSTATE = np.zeros((n, 2))
    SF = np.zeros((n_blocks, scratch_size(S, K, C, O)))
    # cue onsets, offered operanda, cue onsets at choice
    SI = np.zeros((n_blocks, 2 * C + S), np.int64)
    SB = np.zeros((n_blocks, max(C, 1)), np.bool_)
    SM = np.zeros((n_blocks, 10 * M + 2 * NB + 1))
    WC = np.zeros((n_blocks, C, NB))
    WIDM = np.zeros((n_blocks, C, K))
    QC = np.zeros((n_blocks, O1))
    MOC = np.zeros((n_blocks, O1, K))
    PCUE = np.zeros((n_blocks, M, K))
    acc = new_accumulators(n, G)
    t = reinforcer_table()
    kernel(prm, ids, np.int64(seed), use_u, U, np.int64(block),
           sched.context, sched.gap_s, sched.group, sched.session_start, sched.cs_onset,
           sched.us_amounts, sched.us_prob, sched.us_bin, sched.slot_operandum, sched.slot_cues,
           sched.slot_amounts, sched.slot_ratio, sched.slot_bin, sched.timeout_ep,
           sched.first_hour, sched.intact, sched.slot_prob, sched.sets_branch, sched.branch_p,
           sched.uses_branch, sched.alt_slot_operandum, sched.alt_slot_prob, sched.branch_cues,
           sched.forced, sched.holds, sched.slot_approach, sched.need, sched.kappa,
           sched.pfc_gain, sched.no_drug, sched.nogo, sched.habit_context, sched.gen_scale,
           sched.abstinent,
           t.kind, t.value, t.ed50, t.emax, t.dorsal_ratio, t.default_amount, t.ka, t.kel,
           t.inv_satiety_half, t.withdrawal_onset_s, t.withdrawal_duration_s, t.malaise,
           t.need_value, t.incubation_rise_s, t.incubation_decay_s, t.incubation_norm,
           t.pfc_toxicity, t.occupancy_ed50, np.int64(O), np.int64(sched.model), agg_src, agg_event, max_src,
           W, Q, WID, MOP, MCUE, INC, HAB, TRC, RHO, DEPOT, LEVEL, OPP, PEND, DEF, SINCE, EXPO,
           BODY, CNT, TO, MREC, MCTX, MSHOWN, MDRUG, MOUT, MIDLE, MSIT, MPEND, MLAB, MSTATE,
           SF, SI, SB, SM, WC, WIDM, QC, MOC, PCUE, acc["sums"], acc["weights"], acc["maxs"],
           acc["counts"])
    return acc


def compile_seconds(sched: Schedule, params) -> float:
    """Compile the kernel (first call on one subject, same argument types); seconds."""
    t0 = time.perf_counter()
    run(sched, params[:1])
    return time.perf_counter() - t0
