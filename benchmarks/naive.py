"""Yardstick (a): the naive baseline.

A per-subject loop in plain Python over the same step as ``engine.episode_step``
(observation -> perceive -> softmax policy -> apparatus -> learn -> bounded
recording), using Python floats and lists and the ``math`` and ``random``
modules only: no NumPy, no JAX in the loop. It is written the way fast
interpreted code is written (one function, locals, no attribute look-ups or
calls in the loop beyond ``math.exp`` and ``random.random``), but it does the
same work as the engine each episode: the same state (CSC weights per context x
cue x bin, cached values per context x operandum, outcome-identity weights per
cue x kind, the average reward rate, fixed-ratio counters and the time-out), the
same equations, and the same per-subject aggregates (sums, event means, maxima
and counts of the ten recorded quantities).

Uniforms come from ``random.Random(seed + subject)`` (two per episode: the
policy draw and the partial-reinforcement draw), or from ``uniforms`` (an
``(n, E, 2)`` array, e.g. the engine's own draws) for the equivalence check.
"""

from __future__ import annotations

import math
import random

from .workload import (AGG_VARS, BIN_S, KIND_DRUG, KIND_NATURAL, MAX_VARS, N_BINS, NEG,
                       PARAM_NAMES, Schedule, Table, new_accumulators, reinforcer_table)

N_AGG = len(AGG_VARS)
N_MAX = len(MAX_VARS)


def schedule_rows(s: Schedule) -> list[tuple]:
    """The schedule as a list of per-episode tuples of Python numbers and lists."""
    cols = [s.context, s.gap_s, s.group, s.session_start, s.cs_onset, s.us_amounts, s.us_prob,
            s.us_bin, s.slot_operandum, s.slot_cues, s.slot_amounts, s.slot_ratio, s.slot_bin,
            s.timeout_ep]
    return list(zip(*[c.tolist() for c in cols]))


def run_subject(rows: list[tuple], prm: list[float], tab: Table | tuple, dims: tuple,
                rand=None, uniforms=None) -> tuple[list, list, list, list]:
    """One subject over every episode of ``rows``; returns its accumulators
    ``(sums, weights, maxs, counts)``, each a list over groups of lists.

    ``dims = (n_contexts, n_cues, n_operanda, n_slots, n_kinds, n_groups, model)``;
    ``rand`` a ``random.Random().random``, or ``uniforms`` a list of ``(u0, u1)``."""
    X, C, O, S, K, G, model = dims
    (alpha, gamma, alpha_q, alpha_id, beta, other_value, response_cost, cgen, da_to_reward,
     drug_sens, tau_h, rho_weight, craving_half) = prm
    kind, value, ed50, emax, default_amount = tab
    exp = math.exp
    inf = math.inf
    N = N_BINS
    half_neg = NEG / 2
    min_gap = N * BIN_S

    # state
    w = [[[0.0] * N for _ in range(C)] for _ in range(X)]
    q = [[0.0] * O for _ in range(X)]
    wid = [[0.0] * K for _ in range(C)]
    rho = 0.0
    count = [0] * S
    timeout = 0
    # per-group accumulators
    sums = [[0.0] * N_AGG for _ in range(G)]
    weights = [[0.0] * N_AGG for _ in range(G)]
    maxs = [[-inf] * N_MAX for _ in range(G)]
    counts = [[0.0] * 3 for _ in range(G)]
    # scratch
    v = [0.0] * N
    delta = [0.0] * (N + 1)
    rng_k = range(K)
    rng_c = range(C)
    rng_x = range(X)

    for e, (ctx, gap_s, grp, sstart, cs_on, us_amt, us_prob, us_bin, s_op, s_cues, s_amt,
            s_ratio, s_bin, to_ep) in enumerate(rows):
        if uniforms is None:
            u0 = rand()
            u1 = rand()
        else:
            u0, u1 = uniforms[e]

        # ---- perceive: action values of the slots (slot 0 withholds)
        qc = q[ctx]
        vals = [other_value]
        for s in range(1, S):
            op = s_op[s]
            if op >= 0:
                vals.append((qc[op] if op < O else 0.0) - response_cost)
            else:
                vals.append(NEG)
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
        operandum = s_op[a] if responded else -1
        counted = responded and timeout == 0 and operandum >= 0
        n_resp = count[a] + (1 if counted else 0)
        met = counted and n_resp >= s_ratio[a]
        count[a] = 0 if met else n_resp
        if met:
            timeout = to_ep
        elif timeout > 0:
            timeout -= 1
        sa = s_amt[a]
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
            amounts.append(pk + (sk if met else 0.0))
        op_due = met and any_slot
        rc = s_cues[a]
        resp = [met and rc[c] for c in rng_c]
        onset = [(cs_on[c] if cs_on[c] >= 0 else (1 if resp[c] else -1)) for c in rng_c]
        outcome_bin = us_bin if pav_out else (s_bin if op_due else -1)
        # a response that produced a reinforcer or a cue has a time the outcome was due
        signalled = op_due or any(resp)
        expected_bin = us_bin if us_bin >= 0 else (s_bin if (signalled and s_bin >= 0) else -1)

        # ---- learn. 1. exposure
        wc = w[ctx]
        r_out = 0.0
        surge = 0.0
        drug_surge = 0.0
        drug_amount = 0.0
        natural_amount = 0.0
        for k in rng_k:
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

        # 2. dopamine prediction: V over the serial compound, TD errors t = 0..N
        for t in range(N):
            v[t] = 0.0
        for c in rng_c:
            o = onset[c]
            if o >= 0:
                wcc = wc[c]
                for t in range(o, N):
                    v[t] += wcc[t - o]
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
                dl = (base + dd if base + dd > dd else dd) if dd > 0 else base
            delta[t] = dl

        # readouts of the pre-episode state (cue values, craving)
        cue_v0 = [wc[c][0] for c in rng_c]
        any_cue = False
        cue_value = NEG
        wanting = 0.0
        first = N
        for c in rng_c:
            wic = wid[c]
            drug_pred = 0.0
            all_pred = 0.0
            for k in rng_k:
                x = wic[k]
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

        # 3. cue learning, generalising across contexts
        for x in rng_x:
            coef = alpha * (1.0 if x == ctx else cgen)
            wx = w[x]
            for c in rng_c:
                o = onset[c]
                if o >= 0:
                    wxc = wx[c]
                    for j in range(N - o):
                        wxc[j] += coef * delta[o + j + 1]
        pred = [0.0] * K
        for c in rng_c:
            if onset[c] >= 0:
                wic = wid[c]
                for k in rng_k:
                    pred[k] += wic[k]
        for c in rng_c:
            if onset[c] >= 0:
                wic = wid[c]
                for k in rng_k:
                    wic[k] += alpha_id * (amounts[k] / default_amount[k] - pred[k])

        # 4. instrumental learning: outcome + conditioned reinforcement
        disc_out = gamma ** float(outcome_bin) if outcome_bin >= 0 else 0.0
        cr = 0.0
        for c in rng_c:
            if resp[c] and onset[c] >= 0:
                cr += gamma ** float(onset[c]) * cue_v0[c]
        if operandum >= 0:
            q_old = qc[operandum] if operandum < O else 0.0
            base_q = disc_out * r_out + cr - q_old
            d_q = disc_out * d_out
            if model == 0:
                delta_q = base_q + d_q
            elif model == 1:
                delta_q = base_q
            else:
                delta_q = (base_q + d_q if base_q + d_q > d_q else d_q) if d_q > 0 else base_q
            if operandum < O:
                step_q = alpha_q * delta_q
                for x in rng_x:
                    q[x][operandum] += step_q * (1.0 if x == ctx else cgen)

        # average reward rate over real time
        reinforcement = r_out if model == 1 else r_out + d_out
        gap = gap_s if gap_s > min_gap else min_gap
        kk = 1.0 - exp(-gap / (tau_h * 3600.0))
        rho_old = rho
        rho = rho + kk * (reinforcement / gap - rho)

        # ---- bounded recording (engine order: seek, drug_taken, dose, natural_taken,
        # da_cue, da_outcome, cue_value, craving, da_extracellular_pct, average_reward)
        da_pct = 100.0 * (1.0 + surge)
        sg = sums[grp]
        wg = weights[grp]
        fc = 1.0 if any_cue else 0.0
        fo = 1.0 if has_out else 0.0
        sg[0] += 1.0 if a == 1 else 0.0
        sg[1] += 1.0 if drug_amount > 0 else 0.0
        sg[2] += drug_amount
        sg[3] += 1.0 if natural_amount > 0 else 0.0
        sg[4] += da_cue * fc
        sg[5] += da_outcome * fo
        sg[6] += cue_value * fc
        sg[7] += craving * fc
        sg[8] += da_pct
        sg[9] += rho_old
        wg[0] += 1.0
        wg[1] += 1.0
        wg[2] += 1.0
        wg[3] += 1.0
        wg[4] += fc
        wg[5] += fo
        wg[6] += fc
        wg[7] += fc
        wg[8] += 1.0
        wg[9] += 1.0
        mg = maxs[grp]
        if da_pct > mg[0]:
            mg[0] = da_pct
        cg = counts[grp]
        cg[0] += 1.0
        cg[1] += fc
        cg[2] += fo
    return sums, weights, maxs, counts


def run(sched: Schedule, params, *, seed: int = 0, subject_ids=None, uniforms=None):
    """Every subject, one after the other. ``params`` is ``(n, P)`` (``workload.param_matrix``);
    subject ``i`` draws from ``random.Random(seed + subject_ids[i])`` unless ``uniforms``
    (``(n, E, 2)``) is given. Returns NumPy accumulators (for comparison only: NumPy is
    used outside the timed loop)."""
    rows = schedule_rows(sched)
    t = reinforcer_table()
    tab = (t.kind.tolist(), t.value.tolist(), t.ed50.tolist(), t.emax.tolist(),
           t.default_amount.tolist())
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
            out = run_subject(rows, prm_rows[i], tab, dims, rand=rand)
        else:
            out = run_subject(rows, prm_rows[i], tab, dims, uniforms=uniforms[i].tolist())
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
