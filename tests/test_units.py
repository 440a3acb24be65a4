"""Tests for addictsim.units: conversions, every error, and a property over time units."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim.units import (
    Dimension,
    UnitError,
    allowed_units,
    canonical_unit,
    format_seconds,
    parse_quantity,
    parse_quantity_any,
    unit_factors,
)

D = Dimension


@pytest.mark.parametrize(
    ("value", "dim", "expected"),
    [
        ("500 ms", D.TIME, 0.5),
        ("20 s", D.TIME, 20.0),
        ("1.5s", D.TIME, 1.5),
        ("20s", D.TIME, 20.0),
        ("3 sec", D.TIME, 3.0),
        ("2 Seconds", D.TIME, 2.0),
        ("10 min", D.TIME, 600.0),
        ("1 minute", D.TIME, 60.0),
        ("6 h", D.TIME, 21_600.0),
        ("2 hrs", D.TIME, 7_200.0),
        ("2 d", D.TIME, 172_800.0),
        ("1 day", D.TIME, 86_400.0),
        ("2 wk", D.TIME, 1_209_600.0),
        ("1 week", D.TIME, 604_800.0),
        ("1 mo", D.TIME, 30.44 * 86_400),
        ("2 months", D.TIME, 2 * 30.44 * 86_400),
        ("1 y", D.TIME, 365.25 * 86_400),
        ("1 yr", D.TIME, 365.25 * 86_400),
        ("  1e3 ms ", D.TIME, 1.0),
        (".5 h", D.TIME, 1_800.0),
        ({"value": 20, "unit": "s"}, D.TIME, 20.0),
        ("0.75 mg/kg", D.DOSE_PER_KG, 0.75),
        ("0.75mg/kg", D.DOSE_PER_KG, 0.75),
        ("0.75 MG/KG", D.DOSE_PER_KG, 0.75),
        ("0.75 mg / kg", D.DOSE_PER_KG, 0.75),
        ({"value": 0.75, "unit": "mg/kg"}, D.DOSE_PER_KG, 0.75),
        ("750 ug/kg", D.DOSE_PER_KG, 0.75),
        ("750 \u00b5g/kg", D.DOSE_PER_KG, 0.75),  # micro sign
        ("750 \u03bcg/kg", D.DOSE_PER_KG, 0.75),  # Greek mu
        ("750 mcg/kg", D.DOSE_PER_KG, 0.75),
        ("1.5 g/kg", D.DOSE_ALCOHOL, 1.5),
        ("3 pellets", D.COUNT, 3.0),
        ("1 pellet", D.COUNT, 1.0),
        ("2 infusions", D.COUNT, 2.0),
        ("10 cigarettes", D.CIGARETTES, 10.0),
        ("4 drinks", D.DRINKS, 4.0),
        ("2 standard drinks", D.DRINKS, 2.0),
        ("1 standard drink", D.DRINKS, 1.0),
        ("0.25 mg", D.MASS, 0.25),
        ("0.25 mg/infusion", D.MASS, 0.25),
        ("0.25 mg/inf", D.MASS, 0.25),
        ("250 ug/infusion", D.MASS, 0.25),
        ("14 g", D.MASS, 14_000.0),
        ("5 units", D.COUNT, 5.0),
        ("1 access", D.COUNT, 1.0),
        ("2 doses", D.COUNT, 2.0),
        ("3", D.COUNT, 3.0),
        (3, D.COUNT, 3.0),
        (2.5, D.COUNT, 2.5),
        ({"value": 3}, D.COUNT, 3.0),
        ("0.1 mL", D.VOLUME, 0.1),
        ("0.1 ml", D.VOLUME, 0.1),
        ("100 uL", D.VOLUME, 0.1),
        ("100 \u00b5L", D.VOLUME, 0.1),
        ("1 L", D.VOLUME, 1000.0),
        ("0.5 mA", D.CURRENT, 0.5),
        ("500 uA", D.CURRENT, 0.5),
        ("500 \u00b5A", D.CURRENT, 0.5),
    ],
)
def test_conversions(value: object, dim: Dimension, expected: float) -> None:
    assert parse_quantity(value, dim) == pytest.approx(expected, rel=1e-12)


def test_exact_conversions() -> None:
    assert parse_quantity("500 ms", D.TIME) == 0.5
    assert parse_quantity("2 d", D.TIME) == 172_800.0
    assert parse_quantity("750 ug/kg", D.DOSE_PER_KG) == 0.75


def test_returns_float() -> None:
    assert type(parse_quantity("3", D.COUNT)) is float
    assert type(parse_quantity({"value": 2, "unit": "s"}, D.TIME)) is float


def test_allow_zero() -> None:
    assert parse_quantity("0 s", D.TIME, allow_zero=True) == 0.0
    assert parse_quantity(0, D.COUNT, allow_zero=True) == 0.0


def _error(value: object, dim: Dimension = D.TIME, **kw: object) -> str:
    with pytest.raises(UnitError) as info:
        parse_quantity(value, dim, **kw)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return message


def test_unknown_unit_names_value_and_allowed_units() -> None:
    msg = _error("0.75 mg/kgg", D.DOSE_PER_KG)
    assert msg.startswith(
        "unknown unit 'mg/kgg' in '0.75 mg/kgg'; allowed for a dose: mg/kg, ug/kg"
    )
    assert "did you mean 'mg/kg'?" in msg


def test_unknown_time_unit_lists_all_time_units() -> None:
    msg = _error("5 secnds")
    assert "'secnds'" in msg and "'5 secnds'" in msg
    for unit in ("ms", "s", "min", "h", "d", "wk", "mo", "y"):
        assert unit in msg
    assert "did you mean 'seconds'" in msg


def test_unit_of_another_dimension() -> None:
    msg = _error("0.75 mg/kg", D.TIME)
    assert "'mg/kg'" in msg and "is for a dose, not a time" in msg
    assert "allowed for a time: ms, s, min" in msg


def test_case_insensitivity_keeps_m_ambiguity_out() -> None:
    # "m" is neither minutes nor metres: refuse it rather than guess.
    assert "unknown unit 'm'" in _error("5 m")


@pytest.mark.parametrize("value", ["20", 20, 20.0, {"value": 20}, {"value": 20, "unit": " "}])
def test_missing_unit(value: object) -> None:
    msg = _error(value)
    assert "has no unit" in msg and "'20 s'" in msg


def test_missing_unit_message_text() -> None:
    assert _error("20") == "'20' has no unit; write e.g. '20 s'"
    assert "write e.g. '0.75 mg/kg'" in _error("0.75", D.DOSE_PER_KG)


@pytest.mark.parametrize("value", ["-5 s", "-0.5s", {"value": -1, "unit": "s"}, "\u22125 s"])
def test_negative(value: object) -> None:
    assert "is negative" in _error(value)
    assert "is negative" in _error(value, allow_zero=True)


def test_negative_count() -> None:
    assert "is negative; a count" in _error(-1, D.COUNT)


@pytest.mark.parametrize("value", ["0 s", "0.0 ms", 0, {"value": 0, "unit": "d"}])
def test_zero(value: object) -> None:
    dim = D.COUNT if value == 0 else D.TIME
    msg = _error(value, dim)
    assert "is zero" in msg and "greater than zero" in msg


@pytest.mark.parametrize(
    "value",
    ["nan s", "NaN s", "inf s", "-inf s", float("nan"), float("inf"), "1e400 s",
     {"value": float("nan"), "unit": "s"}],
)
def test_not_finite(value: object) -> None:
    dim = D.TIME if not isinstance(value, float) else D.COUNT
    assert "is not a finite number" in _error(value, dim)


def test_overflow_after_conversion() -> None:
    assert "too large" in _error("1e305 y")


@pytest.mark.parametrize("value", [[1, "s"], True, False, None, (1,), b"1 s", {1, 2}])
def test_wrong_type(value: object) -> None:
    msg = _error(value)
    assert f"got {type(value).__name__}" in msg
    assert "expected a time such as '20 s'" in msg


def test_bool_is_not_a_count() -> None:
    assert "got bool True" in _error(True, D.COUNT)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ({"value": 1, "unit": "s", "extra": 2}, "unexpected key 'extra'"),
        ({"unit": "s"}, "missing key 'value'"),
        ({"value": "1", "unit": "s"}, "'value' in"),
        ({"value": True, "unit": "s"}, "must be a number, got bool"),
        ({"value": 1, "unit": 5}, "'unit' in"),
    ],
)
def test_bad_tables(value: object, needle: str) -> None:
    assert needle in _error(value)


@pytest.mark.parametrize("value", ["", "   ", "s", "abc s", "infusion", "1,5 s"])
def test_no_number(value: str) -> None:
    msg = _error(value)
    assert ("could not read a number" in msg or "empty value" in msg
            or "unknown unit" in msg)


def test_field_prefix() -> None:
    msg = _error("20", field="phase 'acquisition' field 'timeout'")
    assert msg == "phase 'acquisition' field 'timeout': '20' has no unit; write e.g. '20 s'"
    assert not _error("20").startswith(":")


def test_parse_quantity_any() -> None:
    dims = [D.DOSE_ALCOHOL, D.COUNT]
    assert parse_quantity_any("1.5 g/kg", dims) == (1.5, D.DOSE_ALCOHOL)
    assert parse_quantity_any("2 standard drinks", [D.DOSE_ALCOHOL, D.DRINKS]) == (2.0, D.DRINKS)
    assert parse_quantity_any("2", dims) == (2.0, D.COUNT)
    assert parse_quantity_any("750 ug/kg", [D.TIME, D.DOSE_PER_KG]) == (0.75, D.DOSE_PER_KG)
    with pytest.raises(UnitError) as info:
        parse_quantity_any("2 foo", dims, field="amount")
    msg = str(info.value)
    assert msg.startswith("amount: unknown unit 'foo' in '2 foo'; allowed for an alcohol "
                          "dose or a count: g/kg, unit, pellet")
    with pytest.raises(UnitError, match="write e.g. '2 g/kg' or '2 s'"):
        parse_quantity_any("2", [D.DOSE_ALCOHOL, D.TIME])
    with pytest.raises(ValueError):
        parse_quantity_any("2 s", [])


def test_allowed_and_canonical_units() -> None:
    assert allowed_units(D.TIME) == ["ms", "s", "min", "h", "d", "wk", "mo", "y"]
    assert allowed_units(D.DOSE_PER_KG) == ["mg/kg", "ug/kg"]
    assert allowed_units(D.VOLUME) == ["mL", "uL", "L"]
    assert allowed_units(D.CURRENT) == ["mA", "uA"]
    assert allowed_units(D.DOSE_ALCOHOL) == ["g/kg"]
    assert allowed_units(D.DRINKS) == ["standard drink"]
    assert allowed_units(D.CIGARETTES) == ["cigarette"]
    assert allowed_units(D.MASS) == ["mg", "mg/infusion", "ug", "ug/infusion", "g"]
    # drinks and cigarettes are amounts of one substance, not generic counts
    assert "standard drink" not in allowed_units(D.COUNT)
    assert "cigarette" not in allowed_units(D.COUNT)
    expected = {D.TIME: "s", D.DOSE_PER_KG: "mg/kg", D.DOSE_ALCOHOL: "g/kg",
                D.COUNT: "unit", D.VOLUME: "mL", D.CURRENT: "mA", D.MASS: "mg",
                D.DRINKS: "standard drink", D.CIGARETTES: "cigarette"}
    for dim in D:
        assert canonical_unit(dim) == expected[dim]
        # the canonical unit converts with factor 1 and is listed
        assert parse_quantity(f"7 {canonical_unit(dim)}", dim) == 7.0
        assert canonical_unit(dim) in allowed_units(dim)
        for unit in allowed_units(dim):  # every listed unit is accepted
            parse_quantity(f"1 {unit}", dim)


def test_dimension_is_str_enum() -> None:
    assert D("time") is D.TIME
    assert f"{D.COUNT}" == "count"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(20, "20 s"), (6 * 3600, "6 h"), (30 * 86_400, "30 d"), (0.5, "500 ms"), (0, "0 s"),
     (90, "1.5 min"), (2 * 31_557_600, "2 y"), (1.25, "1.25 s"), (-20, "-20 s")],
)
def test_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


def test_format_seconds_reads_back_close() -> None:
    for s in (0.001, 1.0, 59.0, 3599.0, 86_399.0, 1e7):
        assert parse_quantity(format_seconds(s), D.TIME) == pytest.approx(s, rel=1e-3)


_TIME_FACTORS = unit_factors(D.TIME)


def test_time_spellings_complete() -> None:
    for spelling in ["ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute",
                     "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "wk",
                     "week", "weeks", "mo", "month", "months", "y", "yr", "year", "years"]:
        assert spelling in _TIME_FACTORS


@given(
    x=st.floats(min_value=1e-9, max_value=1e12, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(sorted(_TIME_FACTORS)),
    space=st.sampled_from(["", " ", "  "]),
    upper=st.booleans(),
)
def test_time_property(x: float, unit: str, space: str, upper: bool) -> None:
    spelled = unit.upper() if upper else unit
    got = parse_quantity(f"{x}{space}{spelled}", D.TIME)
    assert math.isclose(got, x * _TIME_FACTORS[unit], rel_tol=1e-12)
    # the table form agrees with the string form
    assert parse_quantity({"value": x, "unit": unit}, D.TIME) == got


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_any_text_gives_a_number_or_unit_error(text: str) -> None:
    try:
        value, dim = parse_quantity_any(text, list(D))
    except UnitError as err:
        assert "\n" not in str(err)
    else:
        assert math.isfinite(value) and value > 0 and dim in D


# -- doses per subject (parse_dose) --------------------------------------------------

from addictsim.units import (  # noqa: E402
    BODY_WEIGHT_KG,
    DOSE_CONSTANTS,
    DoseError,
    DoseRangeError,
    body_weight_kg,
    dose_units,
    parse_dose,
)


def _dose(value: object, dims, substance: str, **kw: object):
    return parse_dose(value, dims, substance=substance, **kw)  # type: ignore[arg-type]


def test_dose_constants() -> None:
    assert BODY_WEIGHT_KG == {"rat": 0.33, "human": 70.0}
    assert body_weight_kg("rat") == 0.33 and body_weight_kg("HUMAN") == 70.0
    with pytest.raises(ValueError, match="mouse"):
        body_weight_kg("mouse")
    assert all(c.source and c.value > 0 for c in DOSE_CONSTANTS)


def test_dose_constants_are_documented() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "scenarios.md").read_text("utf-8")
    for c in DOSE_CONSTANTS:
        assert f"| {c.name} | {c.value:g} | {c.unit} | {c.source} |" in page, c.name


def test_dose_units_per_substance() -> None:
    assert dose_units([D.DOSE_PER_KG], "cocaine") == [D.DOSE_PER_KG, D.MASS]
    assert dose_units([D.DOSE_PER_KG], "nicotine") == [D.DOSE_PER_KG, D.MASS, D.CIGARETTES]
    assert dose_units([D.DOSE_ALCOHOL], "alcohol") == [D.DOSE_ALCOHOL, D.MASS, D.DRINKS]
    assert dose_units([D.COUNT, D.VOLUME], "sucrose") == [D.COUNT, D.VOLUME]


@pytest.mark.parametrize(
    ("value", "dims", "substance", "weight", "expected"),
    [
        ("0.75 mg/kg", [D.DOSE_PER_KG], "cocaine", 0.33, (0.75, D.DOSE_PER_KG)),
        ("0.25 mg/infusion", [D.DOSE_PER_KG], "cocaine", 0.33, (0.25 / 0.33, D.DOSE_PER_KG)),
        ("0.25 mg/inf", [D.DOSE_PER_KG], "cocaine", 0.33, (0.25 / 0.33, D.DOSE_PER_KG)),
        ("0.25 mg", [D.DOSE_PER_KG], "cocaine", 0.33, (0.25 / 0.33, D.DOSE_PER_KG)),
        ("20 ug/infusion", [D.DOSE_PER_KG], "heroin", 0.33, (0.02 / 0.33, D.DOSE_PER_KG)),
        ("35 mg", [D.DOSE_PER_KG], "cocaine", 70.0, (0.5, D.DOSE_PER_KG)),
        ("1 standard drink", [D.DOSE_ALCOHOL], "alcohol", 70.0, (0.2, D.DOSE_ALCOHOL)),
        ("2 drinks", [D.DOSE_ALCOHOL], "alcohol", 70.0, (0.4, D.DOSE_ALCOHOL)),
        ("14 g", [D.DOSE_ALCOHOL], "alcohol", 70.0, (0.2, D.DOSE_ALCOHOL)),
        ("1 cigarette", [D.DOSE_PER_KG], "nicotine", 70.0, (1.0 / 70.0, D.DOSE_PER_KG)),
        ("20 cigarettes", [D.DOSE_PER_KG], "nicotine", 70.0, (20.0 / 70.0, D.DOSE_PER_KG)),
        ("2", [D.COUNT], "food", 0.33, (2.0, D.COUNT)),
        ("50 uL", [D.COUNT, D.VOLUME], "sucrose", 0.33, (0.05, D.VOLUME)),
    ],
)
def test_parse_dose_conversions(value, dims, substance, weight, expected) -> None:
    got = _dose(value, dims, substance, body_weight_kg=weight)
    # conversions through a body weight are rounded to 6 significant digits
    assert got[1] == expected[1] and got[0] == pytest.approx(expected[0], rel=1e-6)


def test_parse_dose_errors() -> None:
    def err(value, dims, substance, **kw):
        with pytest.raises(UnitError) as info:
            _dose(value, dims, substance, field="dose", **kw)
        msg = str(info.value)
        assert "\n" not in msg and msg.startswith("dose: ")
        return info

    msg = str(err("0.75 mg/kg", [D.DOSE_ALCOHOL], "alcohol", body_weight_kg=0.33).value)
    assert "'0.75 mg/kg' cannot be an amount of alcohol" in msg
    assert "alcohol accepts g/kg, or per subject mg" in msg and "standard drink" in msg
    msg = str(err("2 g/kg", [D.DOSE_PER_KG], "cocaine").value)
    assert "'2 g/kg' cannot be an amount of cocaine" in msg and "accepts mg/kg, ug/kg" in msg
    assert "cannot be an amount of cocaine" in str(err("1 cigarette", [D.DOSE_PER_KG],
                                                       "cocaine").value)
    assert "cannot be an amount of food" in str(err("2 drinks", [D.COUNT], "food").value)
    assert "is negative" in str(err("-1 mg/kg", [D.DOSE_PER_KG], "cocaine").value)
    assert "is zero" in str(err("0 mg/kg", [D.DOSE_PER_KG], "cocaine").value)
    assert _dose("0 mg/kg", [D.DOSE_PER_KG], "cocaine", allow_zero=True) == (0.0, D.DOSE_PER_KG)
    info = err("0.25 mg", [D.DOSE_PER_KG], "cocaine")
    assert info.type is DoseError and "needs a body weight" in str(info.value)
    info = err("31 mg/kg", [D.DOSE_PER_KG], "cocaine", dose_range=(0.0, 30.0),
               range_unit="mg/kg")
    assert info.type is DoseRangeError
    assert str(info.value) == ("dose: '31 mg/kg' is outside the modelled range for cocaine: "
                               "0 to 30 mg/kg")
    info = err("10 mg/infusion", [D.DOSE_PER_KG], "cocaine", body_weight_kg=0.33,
               dose_range=(0.0, 30.0), range_unit="mg/kg")
    assert "'10 mg/infusion' (= 30.3 mg/kg at 0.33 kg body weight) is outside" in str(info.value)
    assert "did you mean 'mg/kg'?" in str(err("1 mg/kgg", [D.DOSE_PER_KG], "cocaine").value)
    assert "has no unit" in str(err("1", [D.DOSE_PER_KG], "cocaine").value)
    assert "takes no amount" in str(err("1", [], "brain_stimulation").value)
