"""Unit tests of the slow body: kinetics, D2 availability, allostasis, withdrawal, drive."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from addictsim.brain import receptors
from addictsim.brain.params import BrainParams
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, REINFORCERS, Kind,
                                                 Reinforcer, ReinforcerTable)

COC = REINFORCER_INDEX[Reinforcer.COCAINE]
ETOH = REINFORCER_INDEX[Reinforcer.ALCOHOL]
FOOD = REINFORCER_INDEX[Reinforcer.FOOD]


@pytest.fixture(scope="module")
def x64():
    with jax.enable_x64(True):
        yield


def setup(**over):
    p = BrainParams.defaults(dtype=jnp.float64, **over)
    table = ReinforcerTable.build(jnp.float64)
    return p, table, receptors.init_body(p, N_KINDS)


def dose(body, k, amount):
    a = np.zeros(N_KINDS)
    a[k] = amount
    return receptors.deliver(body, jnp.asarray(a))


@jax.jit
def _elapse(p, table, body, gap):
    return receptors.elapse(p, table, body, gap)


def run(p, table, body, gap, n):
    for _ in range(n):
        body = _elapse(p, table, body, jnp.asarray(gap, jnp.float64))
    return body


def test_every_kind_has_distinct_absorption_and_elimination_and_a_source():
    for r, s in REINFORCERS.items():
        assert s.absorption_half_life_min != s.elimination_half_life_min, r
        assert s.source and s.meaning and s.route
        lo, hi = s.dose_range
        assert lo <= s.default_amount <= hi
    assert sum(s.kind == Kind.DRUG for s in REINFORCERS.values()) == 8


def test_kinetics_match_the_ode_and_do_not_depend_on_the_step(x64):
    from scipy.integrate import solve_ivp

    p, table, b0 = setup()
    b0 = dose(b0, ETOH, 1.0)
    one = run(p, table, b0, 3600.0, 1)
    many = run(p, table, b0, 60.0, 60)
    np.testing.assert_allclose(one.level, many.level, rtol=1e-9, atol=1e-12)
    s = REINFORCERS[Reinforcer.ALCOHOL]
    ka, ke = s.ka_per_s, s.kel_per_s
    sol = solve_ivp(lambda t, y: [-ka * y[0], ka * y[0] - ke * y[1]], (0, 3600.0), [1.0, 0.0],
                    rtol=1e-10, atol=1e-12)
    assert float(one.level[ETOH]) == pytest.approx(sol.y[1, -1], rel=1e-6)
    assert float(one.depot[ETOH]) == pytest.approx(sol.y[0, -1], rel=1e-6)


def test_d2_falls_to_a_plateau_under_drug_not_under_food_and_recovers_slowly(x64):
    p, table, body = setup()
    for _ in range(14):                 # two weeks of daily drug exposure, level held high
        for _ in range(12):
            body = dose(body, COC, 0.75)
            body = run(p, table, body, 300.0, 1)
        body = run(p, table, body, 3600.0, 23)
    loss = 1 - float(body.d2) / float(p.d2_baseline)
    assert loss == pytest.approx(float(p.d2_max_loss), abs=0.03)      # plateau, no collapse
    after = run(p, table, body, 86400.0, 60)
    rec = (float(after.d2) - float(body.d2)) / (float(p.d2_baseline) - float(body.d2))
    assert 0.1 < rec < 0.4                                              # months, not days
    _, _, fed = setup()
    for _ in range(100):
        fed = dose(fed, FOOD, 1.0)
        fed = run(p, table, fed, 60.0, 1)
    assert float(fed.d2) == pytest.approx(float(p.d2_baseline))


def test_allostatic_load_needs_uninterrupted_long_exposure(x64):
    p, table, _ = setup()

    def session(hours):
        _, _, body = setup()
        for _ in range(int(hours * 12)):
            body = dose(body, COC, 0.75)
            body = run(p, table, body, 300.0, 1)
        return run(p, table, body, 3600.0, 6)

    assert float(session(1).load) == 0.0
    long = float(session(6).load)
    assert long > 0.02
    assert long == pytest.approx(float(p.allostasis_rate) * (6 - float(p.allostasis_onset_h)),
                                 rel=0.15)


def test_withdrawal_appears_after_cessation_and_a_dose_relieves_it(x64):
    p, table, body = setup()
    for _ in range(6 * 4):                  # ethanol 2 g/kg every 6 h for 6 days
        body = dose(body, ETOH, 2.0)
        body = run(p, table, body, 1800.0, 12)
    on = float(receptors.tonic_dopamine(p, table, body)[0])
    body = run(p, table, body, 3600.0, 12)
    da, _ = receptors.tonic_dopamine(p, table, body)
    w = float(receptors.withdrawal(p, table, body))
    assert float(da) < 0.8 < on
    assert w > 0.3
    relieved = run(p, table, dose(body, ETOH, 2.0), 1800.0, 1)
    assert float(receptors.tonic_dopamine(p, table, relieved)[0]) >= 1.0
    assert float(receptors.withdrawal(p, table, relieved)) <= 0.5 * w
    later = run(p, table, body, 86400.0, 14)
    assert float(receptors.tonic_dopamine(p, table, later)[0]) >= 0.9


def test_drive_reduction_is_positive_below_the_setpoint_and_negative_above(x64):
    p, table, body = setup()
    expected = jnp.zeros((1, N_KINDS)).at[0, COC].set(0.75)
    assert float(receptors.drive_reduction(p, table, body, expected)[0]) > 0.5
    h = float(receptors.setpoint(p, body)) * REINFORCERS[Reinforcer.COCAINE].ed50
    full = body.__class__(**{**body.__dict__, "level": body.level.at[COC].set(h)})
    assert float(receptors.drive_reduction(p, table, full, expected)[0]) < -0.5
    food = jnp.zeros((1, N_KINDS)).at[0, FOOD].set(1.0)
    assert float(receptors.drive_reduction(p, table, body, food)[0]) == 0.0


def test_satiety_is_outcome_specific(x64):
    p, table, body = setup()
    for _ in range(200):
        body = dose(body, FOOD, 5.0)
        body = run(p, table, body, 30.0, 1)
    sat = receptors.satiety(p, table, body)
    assert float(sat[FOOD]) > 0.5
    assert float(sat[REINFORCER_INDEX[Reinforcer.SUCROSE]]) == 0.0
    p0, _, _ = setup(satiety_gain=0.0)
    assert float(receptors.satiety(p0, table, body)[FOOD]) == 0.0
