"""Yardstick (b): a Numba kernel of the same step.

``@numba.njit(parallel=True, fastmath=False)``: subjects are split into blocks,
``prange`` runs the blocks in parallel, and each block loops over its subjects
and, for each subject, over the episodes of the schedule. All state lives in
arrays allocated before the kernel runs (per subject: CSC weights per context x
cue x bin, cached values per context x operandum, outcome-identity weights per
cue x kind, the average reward rate, fixed-ratio counters and the time-out; per
block: the scratch vectors of one episode), so nothing is allocated inside the
loops. Arithmetic is float64, in the same order as the engine's equations, and
every episode computes the same ten recorded quantities and their per-group
sums, weights, maxima and counts as the engine's bounded recording.

Random numbers are counter-based: uniform ``u = splitmix64(key + (c + 1) * golden) / 2**64``
at counter ``c = 2 * episode + stream`` (stream 0: the policy draw, 1: the
partial-reinforcement draw) under the per-subject key
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

from .workload import (AGG_VARS, BIN_S, COUNT_VARS, KIND_DRUG, KIND_NATURAL, MAX_VARS, N_BINS,
                       NEG, Schedule, new_accumulators, reinforcer_table)

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
N_SCRATCH_F = 64


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


@nb.njit(fastmath=False)
def _subject(i, key, use_u, U, prm,
             context, gap_s, group, session_start, cs_onset, us_amounts, us_prob, us_bin,
             slot_operandum, slot_cues, slot_amounts, slot_ratio, slot_bin, timeout_ep,
             kind, value, ed50, emax, default_amount, n_op, model,
             W, Q, WID, RHO, CNT, TO, vals, ex, cdf, amounts, v, delta, cue_v0, pred,
             onset, resp, sums, weights, maxs, counts):
    E = context.shape[0]
    S = slot_operandum.shape[1]
    C = cs_onset.shape[1]
    K = us_amounts.shape[1]
    X = W.shape[1]
    O = n_op
    N = NB
    alpha = prm[i, 0]
    gamma = prm[i, 1]
    alpha_q = prm[i, 2]
    alpha_id = prm[i, 3]
    beta = prm[i, 4]
    other_value = prm[i, 5]
    response_cost = prm[i, 6]
    cgen = prm[i, 7]
    da_to_reward = prm[i, 8]
    drug_sens = prm[i, 9]
    tau_h = prm[i, 10]
    rho_weight = prm[i, 11]
    craving_half = prm[i, 12]
    w = W[i]
    q = Q[i]
    wid = WID[i]
    count = CNT[i]
    rho = RHO[i]
    timeout = TO[i]

    for e in range(E):
        ctx = context[e]
        if use_u:
            u0 = U[i, e, 0]
            u1 = U[i, e, 1]
        else:
            c2 = np.uint64(e) * TWO
            u0 = uniform(key, c2)
            u1 = uniform(key, c2 + ONE)

        # ---- perceive
        vals[0] = other_value
        for s in range(1, S):
            op = slot_operandum[e, s]
            if op >= 0:
                qq = q[ctx, op] if op < O else 0.0
                vals[s] = qq - response_cost
            else:
                vals[s] = NEG
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
        operandum = slot_operandum[e, a] if responded else -1
        counted = responded and timeout == 0 and operandum >= 0
        n_resp = count[a] + (1 if counted else 0)
        met = counted and n_resp >= slot_ratio[e, a]
        count[a] = 0 if met else n_resp
        if met:
            timeout = timeout_ep[e]
        elif timeout > 0:
            timeout -= 1
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
            amounts[k] = pk + (sk if met else 0.0)
        op_due = met and any_slot
        for c in range(C):
            rc = met and slot_cues[e, a, c]
            resp[c] = rc
            o = cs_onset[e, c]
            onset[c] = o if o >= 0 else (1 if rc else -1)
        if pav_out:
            outcome_bin = us_bin[e]
        elif op_due:
            outcome_bin = slot_bin[e]
        else:
            outcome_bin = -1
        signalled = op_due
        for c in range(C):
            if resp[c]:
                signalled = True
        if us_bin[e] >= 0:
            expected_bin = us_bin[e]
        elif signalled and slot_bin[e] >= 0:
            expected_bin = slot_bin[e]
        else:
            expected_bin = -1

        # ---- learn. 1. exposure
        r_out = 0.0
        surge = 0.0
        drug_surge = 0.0
        drug_amount = 0.0
        natural_amount = 0.0
        for k in range(K):
            am = amounts[k]
            kd = kind[k]
            ek = emax[k] * am / (am + ed50[k])
            if kd == KIND_NATURAL:
                r_out += value[k] * am
                natural_amount += am
            elif kd == KIND_DRUG:
                r_out += value[k] * (am / (am + ed50[k]))
                ek = ek * drug_sens
                drug_surge += ek
                drug_amount += am
            else:
                r_out += -value[k] * am
            surge += ek
        d_out = da_to_reward * drug_surge

        # 2. dopamine prediction
        for t in range(N):
            v[t] = 0.0
        for c in range(C):
            o = onset[c]
            if o >= 0:
                for t in range(o, N):
                    v[t] += w[ctx, c, t - o]
        cost = rho_weight * rho * BIN_S
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

        # readouts of the pre-episode state
        any_cue = False
        cue_value = NEG
        wanting = 0.0
        first = N
        for c in range(C):
            cue_v0[c] = w[ctx, c, 0]
            drug_pred = 0.0
            all_pred = 0.0
            for k in range(K):
                x = wid[c, k]
                if kind[k] == KIND_DRUG and x > 0.0:
                    drug_pred += x
                all_pred += abs(x)
            share = drug_pred / all_pred if all_pred > 1e-6 else 0.0
            if onset[c] >= 0:
                any_cue = True
                cv = cue_v0[c]
                if cv > cue_value:
                    cue_value = cv
                wt = (cv if cv > 0.0 else 0.0) * share
                if wt > wanting:
                    wanting = wt
                if onset[c] < first:
                    first = onset[c]
        if not any_cue:
            cue_value = 0.0
        craving = 10.0 * wanting / (wanting + craving_half)
        da_cue = delta[first] if any_cue else 0.0
        out_bin = outcome_bin if outcome_bin >= 0 else expected_bin
        has_out = out_bin >= 0
        da_outcome = delta[out_bin] if (has_out and out_bin <= N) else 0.0

        # 3. cue learning
        for xx in range(X):
            coef = alpha * (1.0 if xx == ctx else cgen)
            for c in range(C):
                o = onset[c]
                if o >= 0:
                    for j in range(N - o):
                        w[xx, c, j] += coef * delta[o + j + 1]
        for k in range(K):
            pred[k] = 0.0
        for c in range(C):
            if onset[c] >= 0:
                for k in range(K):
                    pred[k] += wid[c, k]
        for c in range(C):
            if onset[c] >= 0:
                for k in range(K):
                    wid[c, k] += alpha_id * (amounts[k] / default_amount[k] - pred[k])

        # 4. instrumental learning
        disc_out = gamma ** np.float64(outcome_bin) if outcome_bin >= 0 else 0.0
        cr = 0.0
        for c in range(C):
            if resp[c] and onset[c] >= 0:
                cr += gamma ** np.float64(onset[c]) * cue_v0[c]
        if operandum >= 0:
            q_old = q[ctx, operandum] if operandum < O else 0.0
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
            if operandum < O:
                step_q = alpha_q * delta_q
                for xx in range(X):
                    q[xx, operandum] += step_q * (1.0 if xx == ctx else cgen)

        # average reward rate
        reinforcement = r_out if model == 1 else r_out + d_out
        gap = gap_s[e] if gap_s[e] > MIN_GAP else MIN_GAP
        kk = 1.0 - math.exp(-gap / (tau_h * 3600.0))
        rho_old = rho
        rho = rho + kk * (reinforcement / gap - rho)

        # ---- bounded recording
        g = group[e]
        da_pct = 100.0 * (1.0 + surge)
        fc = 1.0 if any_cue else 0.0
        fo = 1.0 if has_out else 0.0
        sums[i, g, 0] += 1.0 if a == 1 else 0.0
        sums[i, g, 1] += 1.0 if drug_amount > 0 else 0.0
        sums[i, g, 2] += drug_amount
        sums[i, g, 3] += 1.0 if natural_amount > 0 else 0.0
        sums[i, g, 4] += da_cue * fc
        sums[i, g, 5] += da_outcome * fo
        sums[i, g, 6] += cue_value * fc
        sums[i, g, 7] += craving * fc
        sums[i, g, 8] += da_pct
        sums[i, g, 9] += rho_old
        weights[i, g, 0] += 1.0
        weights[i, g, 1] += 1.0
        weights[i, g, 2] += 1.0
        weights[i, g, 3] += 1.0
        weights[i, g, 4] += fc
        weights[i, g, 5] += fo
        weights[i, g, 6] += fc
        weights[i, g, 7] += fc
        weights[i, g, 8] += 1.0
        weights[i, g, 9] += 1.0
        if da_pct > maxs[i, g, 0]:
            maxs[i, g, 0] = da_pct
        counts[i, g, 0] += 1.0
        counts[i, g, 1] += fc
        counts[i, g, 2] += fo

    RHO[i] = rho
    TO[i] = timeout


@nb.njit(parallel=True, fastmath=False)
def kernel(prm, ids, seed, use_u, U, block,
           context, gap_s, group, session_start, cs_onset, us_amounts, us_prob, us_bin,
           slot_operandum, slot_cues, slot_amounts, slot_ratio, slot_bin, timeout_ep,
           kind, value, ed50, emax, default_amount, n_op, model,
           W, Q, WID, RHO, CNT, TO, SF, SI, SB, sums, weights, maxs, counts):
    """All subjects: ``prange`` over blocks of ``block`` subjects; per block, its subjects
    one after the other, each over all episodes. ``SF``/``SI``/``SB`` are per-block
    float/int/bool scratch rows."""
    n = prm.shape[0]
    S = slot_operandum.shape[1]
    C = cs_onset.shape[1]
    K = us_amounts.shape[1]
    n_blocks = (n + block - 1) // block
    for b in prange(n_blocks):
        sf = SF[b]
        vals = sf[0:S]
        ex = sf[S:2 * S]
        cdf = sf[2 * S:3 * S]
        amounts = sf[3 * S:3 * S + K]
        v = sf[3 * S + K:3 * S + K + NB]
        delta = sf[3 * S + K + NB:3 * S + K + 2 * NB + 1]
        o2 = 3 * S + K + 2 * NB + 1
        cue_v0 = sf[o2:o2 + C]
        pred = sf[o2 + C:o2 + C + K]
        onset = SI[b, 0:C]
        resp = SB[b, 0:C]
        lo = b * block
        hi = min(lo + block, n)
        for i in range(lo, hi):
            key = subject_key(seed, ids[i])
            _subject(i, key, use_u, U, prm,
                     context, gap_s, group, session_start, cs_onset, us_amounts, us_prob, us_bin,
                     slot_operandum, slot_cues, slot_amounts, slot_ratio, slot_bin, timeout_ep,
                     kind, value, ed50, emax, default_amount, n_op, model,
                     W, Q, WID, RHO, CNT, TO, vals, ex, cdf, amounts, v, delta, cue_v0, pred,
                     onset, resp, sums, weights, maxs, counts)


def run(sched: Schedule, params, *, seed: int = 0, subject_ids=None, uniforms=None,
        block: int = 16, threads: int | None = None) -> dict[str, np.ndarray]:
    """Every subject of the cohort (``params``: ``(n, P)`` float64); returns the
    accumulators ``sums, weights, maxs, counts`` (leading subject axis)."""
    if threads is not None:
        nb.set_num_threads(int(threads))
    prm = np.array(params, np.float64, order="C")  # a writable copy: one compiled signature
    n = prm.shape[0]
    ids = np.array(np.arange(n) if subject_ids is None else subject_ids, np.int64, order="C")
    if uniforms is None:
        use_u, U = False, np.zeros((0, 0, 2), np.float64)
    else:
        use_u, U = True, np.array(uniforms, np.float64, order="C")
        assert U.shape == (n, sched.n_episodes, 2)
    X, C, O = sched.n_contexts, sched.n_cues, sched.n_operanda
    S, K, G = sched.n_slots, sched.n_kinds, sched.n_groups
    assert 3 * S + 2 * K + 2 * NB + 1 + C <= N_SCRATCH_F
    n_blocks = (n + block - 1) // block
    W = np.zeros((n, X, C, NB))
    Q = np.zeros((n, X, O))
    WID = np.zeros((n, C, K))
    RHO = np.zeros(n)
    CNT = np.zeros((n, S), np.int64)
    TO = np.zeros(n, np.int64)
    SF = np.zeros((n_blocks, N_SCRATCH_F))
    SI = np.zeros((n_blocks, max(C, 1)), np.int64)
    SB = np.zeros((n_blocks, max(C, 1)), np.bool_)
    acc = new_accumulators(n, G)
    t = reinforcer_table()
    kernel(prm, ids, np.int64(seed), use_u, U, np.int64(block),
           sched.context, sched.gap_s, sched.group, sched.session_start, sched.cs_onset,
           sched.us_amounts, sched.us_prob, sched.us_bin, sched.slot_operandum, sched.slot_cues,
           sched.slot_amounts, sched.slot_ratio, sched.slot_bin, sched.timeout_ep,
           t.kind, t.value, t.ed50, t.emax, t.default_amount, np.int64(O), np.int64(sched.model),
           W, Q, WID, RHO, CNT, TO, SF, SI, SB,
           acc["sums"], acc["weights"], acc["maxs"], acc["counts"])
    return acc


def compile_seconds(sched: Schedule, params) -> float:
    """Compile the kernel (first call on one subject, same argument types); seconds."""
    t0 = time.perf_counter()
    run(sched, params[:1])
    return time.perf_counter() - t0
