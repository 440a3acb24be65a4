"""Quantities with units, as scenario files write them.

A quantity is a string such as ``"0.75 mg/kg"``, ``"20 s"`` or ``"1.5s"``, or a
TOML table ``{value = 0.75, unit = "mg/kg"}``. :func:`parse_quantity` turns it
into a plain ``float`` in the canonical unit of its :class:`Dimension`
(seconds, mg/kg, g/kg, count, mL, mA) and refuses anything doubtful with a
one-line :class:`UnitError` that names the value, what was expected and the
allowed units.

Doses (:func:`parse_dose`) may also be written per subject: an absolute amount
(``"0.25 mg/infusion"``, ``"0.25 mg"``), standard drinks of alcohol or cigarettes
of nicotine. These are converted to the reinforcer's dose per kg with the
species' body weight and the constants in :data:`DOSE_CONSTANTS` (one table,
each constant with its source; the docs show it).

What this module cannot do: it knows no arithmetic on units (no ``mg/kg/h``),
no compound units beyond the fixed spellings listed here, no per-subject body
weights (one weight per species), and no locale number formats (``"1,5 s"`` is
an error). A month is 30.44 days and a year 365.25 days, by definition here,
not by calendar.
"""

from __future__ import annotations

import difflib
import enum
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BODY_WEIGHT_KG",
    "CIGARETTE_MG_NICOTINE",
    "DOSE_CONSTANTS",
    "STANDARD_DRINK_G_ETHANOL",
    "Dimension",
    "DoseConstant",
    "DoseError",
    "DoseRangeError",
    "UnitError",
    "allowed_units",
    "body_weight_kg",
    "canonical_unit",
    "dose_units",
    "format_seconds",
    "parse_dose",
    "parse_quantity",
    "parse_quantity_any",
    "unit_factors",
]


class UnitError(ValueError):
    """A quantity that cannot be read: wrong type, unknown or missing unit, bad value.

    The message is one line naming the offending value, what was expected and
    the allowed units.
    """


class Dimension(enum.StrEnum):
    """What a quantity measures; each has one canonical unit (see :func:`canonical_unit`)."""

    TIME = "time"
    DOSE_PER_KG = "dose_per_kg"
    DOSE_ALCOHOL = "dose_alcohol"
    COUNT = "count"
    VOLUME = "volume"
    CURRENT = "current"
    #: an absolute amount of a drug given to one subject (converted to a dose per kg)
    MASS = "mass"
    #: standard drinks of alcohol (converted to g/kg)
    DRINKS = "drinks"
    #: cigarettes smoked (nicotine absorbed, converted to mg/kg)
    CIGARETTES = "cigarettes"


@dataclass(frozen=True)
class _Unit:
    """One unit: the spelling shown in messages, every accepted spelling, and the factor.

    The factor to the canonical unit is ``mul / div`` with one of them 1, so a
    conversion is one correctly rounded float operation.
    """

    display: str
    spellings: tuple[str, ...]
    mul: int = 1
    div: int = 1


@dataclass(frozen=True)
class _DimInfo:
    noun: str  # "a time", used in messages
    canonical: str
    example: str  # the unit suggested when one is missing
    units: tuple[_Unit, ...]


_DAY = 86_400

_DIMS: Mapping[Dimension, _DimInfo] = {
    Dimension.TIME: _DimInfo(
        noun="a time",
        canonical="s",
        example="s",
        units=(
            _Unit("ms", ("ms", "msec", "msecs", "millisecond", "milliseconds"), div=1000),
            _Unit("s", ("s", "sec", "secs", "second", "seconds")),
            _Unit("min", ("min", "mins", "minute", "minutes"), mul=60),
            _Unit("h", ("h", "hr", "hrs", "hour", "hours"), mul=3600),
            _Unit("d", ("d", "day", "days"), mul=_DAY),
            _Unit("wk", ("wk", "wks", "week", "weeks"), mul=7 * _DAY),
            # 30.44 d and 365.25 d are exact in whole seconds.
            _Unit("mo", ("mo", "mos", "month", "months"), mul=2_630_016),
            _Unit("y", ("y", "yr", "yrs", "year", "years"), mul=31_557_600),
        ),
    ),
    Dimension.DOSE_PER_KG: _DimInfo(
        noun="a dose",
        canonical="mg/kg",
        example="mg/kg",
        units=(
            _Unit("mg/kg", ("mg/kg",)),
            # "µg/kg" and "μg/kg" are normalised to "ug/kg" before lookup.
            _Unit("ug/kg", ("ug/kg", "mcg/kg"), div=1000),
        ),
    ),
    Dimension.DOSE_ALCOHOL: _DimInfo(
        noun="an alcohol dose",
        canonical="g/kg",
        example="g/kg",
        units=(_Unit("g/kg", ("g/kg",)),),
    ),
    Dimension.COUNT: _DimInfo(
        noun="a count",
        canonical="unit",
        example="units",
        units=(
            _Unit("unit", ("unit", "units")),
            _Unit("pellet", ("pellet", "pellets")),
            _Unit("infusion", ("infusion", "infusions")),
            _Unit("access", ("access", "accesses")),
            _Unit("dose", ("dose", "doses")),
        ),
    ),
    Dimension.VOLUME: _DimInfo(
        noun="a volume",
        canonical="mL",
        example="mL",
        units=(
            _Unit("mL", ("ml",)),
            _Unit("uL", ("ul",), div=1000),
            _Unit("L", ("l",), mul=1000),
        ),
    ),
    Dimension.CURRENT: _DimInfo(
        noun="a current",
        canonical="mA",
        example="mA",
        units=(
            _Unit("mA", ("ma",)),
            _Unit("uA", ("ua",), div=1000),
        ),
    ),
    Dimension.MASS: _DimInfo(
        noun="an amount per subject",
        canonical="mg",
        example="mg",
        units=(
            _Unit("mg", ("mg",)),
            _Unit("mg/infusion", ("mg/infusion", "mg/infusions", "mg/inf", "mg/injection",
                                  "mg/inj")),
            _Unit("ug", ("ug", "mcg"), div=1000),
            _Unit("ug/infusion", ("ug/infusion", "ug/infusions", "ug/inf", "mcg/infusion",
                                  "mcg/inf"), div=1000),
            _Unit("g", ("g",), mul=1000),
        ),
    ),
    Dimension.DRINKS: _DimInfo(
        noun="a number of standard drinks",
        canonical="standard drink",
        example="standard drinks",
        units=(_Unit("standard drink", ("standard drink", "standard drinks", "drink", "drinks")),),
    ),
    Dimension.CIGARETTES: _DimInfo(
        noun="a number of cigarettes",
        canonical="cigarette",
        example="cigarettes",
        units=(_Unit("cigarette", ("cigarette", "cigarettes")),),
    ),
}

# normalised spelling -> (dimension, unit); spellings are unique across dimensions.
_LOOKUP: dict[str, tuple[Dimension, _Unit]] = {}
for _dim, _info in _DIMS.items():
    for _u in _info.units:
        for _sp in _u.spellings:
            assert _sp not in _LOOKUP, _sp
            _LOOKUP[_sp] = (_dim, _u)
del _dim, _info, _u, _sp

_NUMBER_UNIT = re.compile(
    r"""^(?P<num>[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|(?:nan|inf(?:inity)?)(?![a-z])))
        \s*(?P<unit>.*)$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def allowed_units(dimension: Dimension) -> list[str]:
    """One spelling per unit of ``dimension``, as messages show them (the canonical
    unit among them; time units run from ms to y)."""
    return [u.display for u in _DIMS[Dimension(dimension)].units]


def canonical_unit(dimension: Dimension) -> str:
    """The unit :func:`parse_quantity` returns numbers in: ``s``, ``mg/kg``, ``g/kg``,
    ``unit``, ``mL``, ``mA``, ``mg``, ``standard drink`` or ``cigarette``."""
    return _DIMS[Dimension(dimension)].canonical


def unit_factors(dimension: Dimension) -> dict[str, float]:
    """Every accepted spelling (lower case, ``µ`` written ``u``) -> its factor to the
    canonical unit. Lookups are case-insensitive, so ``"mL"`` is listed as ``"ml"``."""
    return {
        sp: u.mul / u.div for u in _DIMS[Dimension(dimension)].units for sp in u.spellings
    }


def _normalise_unit(unit: str) -> str:
    u = unit.strip().lower().replace("\u00b5", "u").replace("\u03bc", "u")
    u = re.sub(r"\s*/\s*", "/", u)
    return re.sub(r"\s+", " ", u)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _nouns(dims: Sequence[Dimension]) -> str:
    return " or ".join(_DIMS[d].noun for d in dims)


def _allowed_text(dims: Sequence[Dimension]) -> str:
    return f"allowed for {_nouns(dims)}: " + ", ".join(
        u for d in dims for u in allowed_units(d)
    )


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def _examples(number: str, dims: Sequence[Dimension]) -> str:
    return " or ".join(f"'{number} {_DIMS[d].example}'" for d in dims)


def _fail(field: str, message: str) -> UnitError:
    return UnitError(f"{field}: {message}" if field else message)


def _convert(x: float, unit: _Unit) -> float:
    if unit.div != 1:
        return x / unit.div
    return x * unit.mul if unit.mul != 1 else x


def _split(
    value: object, dims: Sequence[Dimension], field: str
) -> tuple[float, str | None, str, str]:
    """(number, unit text or None, how to show the value, the number as written)."""
    shown = _show(value)
    example_unit = _DIMS[dims[0]].example if dims else "s"
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Real, Mapping)):
        raise _fail(
            field,
            f"expected {_nouns(dims)} such as '20 {example_unit}' or "
            f'{{value = 20, unit = "{example_unit}"}}, got {type(value).__name__} {shown}',
        )
    if isinstance(value, numbers.Real):
        try:
            x = float(value)
        except OverflowError:
            raise _fail(field, f"{shown} is not a finite number") from None
        return x, None, shown, _num_text(x) if math.isfinite(x) else str(x)
    if isinstance(value, Mapping):
        extra = [k for k in value if k not in ("value", "unit")]
        if extra or "value" not in value:
            what = f"unexpected key {_show(extra[0])}" if extra else "missing key 'value'"
            raise _fail(
                field,
                f'{what} in {shown}; expected {{value = 20, unit = "{example_unit}"}}',
            )
        number, unit = value["value"], value.get("unit")
        if isinstance(number, bool) or not isinstance(number, numbers.Real):
            raise _fail(
                field,
                f"'value' in {shown} must be a number, got {type(number).__name__} "
                f"{_show(number)}",
            )
        if unit is not None and not isinstance(unit, str):
            raise _fail(
                field,
                f"'unit' in {shown} must be a string such as \"{example_unit}\", got "
                f"{type(unit).__name__} {_show(unit)}",
            )
        try:
            x = float(number)
        except OverflowError:
            raise _fail(field, f"{shown} is not a finite number") from None
        if unit is not None and not unit.strip():
            unit = None
        return x, unit, shown, _num_text(x) if math.isfinite(x) else str(x)
    text = value.strip().replace("\u2212", "-")
    if not text:
        raise _fail(field, f"empty value; expected {_nouns(dims)} such as '20 {example_unit}'")
    match = _NUMBER_UNIT.match(text)
    if match is None:
        raise _fail(
            field,
            f"could not read a number in {shown}; expected {_nouns(dims)} such as "
            f"'20 {example_unit}'",
        )
    num = match["num"]
    try:
        x = float(num)
    except OverflowError:  # pragma: no cover - float() returns inf rather than raising
        x = math.inf
    unit_text = match["unit"].strip() or None
    return x, unit_text, shown, num


def _resolve(
    value: object,
    dims: Sequence[Dimension],
    field: str,
    allow_zero: bool,
) -> tuple[float, Dimension]:
    if not dims:
        raise ValueError("parse_quantity_any needs at least one dimension")
    dims = [Dimension(d) for d in dims]
    x, unit_text, shown, num = _split(value, dims, field)
    if not math.isfinite(x):
        raise _fail(field, f"{shown} is not a finite number")

    if unit_text is None:
        if Dimension.COUNT not in dims:
            raise _fail(field, f"{shown} has no unit; write e.g. {_examples(num, dims)}")
        dim, unit = Dimension.COUNT, _DIMS[Dimension.COUNT].units[0]
    else:
        key = _normalise_unit(unit_text)
        found = _LOOKUP.get(key)
        if found is None or found[0] not in dims:
            allowed = _allowed_text(dims)
            if found is not None:
                raise _fail(
                    field,
                    f"unit {unit_text!r} in {shown} is for {_DIMS[found[0]].noun}, "
                    f"not {_nouns(dims)}; {allowed}",
                )
            spellings = [sp for d in dims for u in _DIMS[d].units for sp in u.spellings]
            close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.6)
            hint = ""
            if close:
                display = _LOOKUP[close[0]][1].display
                sugg = close[0] if display.lower() != close[0] else display
                hint = f" (did you mean '{sugg}'?)"
            raise _fail(field, f"unknown unit {unit_text!r} in {shown}; {allowed}{hint}")
        dim, unit = found

    noun = _DIMS[dim].noun
    if x < 0:
        bound = "zero or more" if allow_zero else "greater than zero"
        raise _fail(field, f"{shown} is negative; {noun} must be {bound}")
    if x == 0 and not allow_zero:
        raise _fail(field, f"{shown} is zero; {noun} must be greater than zero")
    out = _convert(x, unit)
    if not math.isfinite(out):
        raise _fail(field, f"{shown} is too large; it overflows in {_DIMS[dim].canonical}")
    return out, dim


def parse_quantity(
    value: object, dimension: Dimension, *, field: str = "", allow_zero: bool = False
) -> float:
    """The number ``value`` stands for, in the canonical unit of ``dimension``.

    ``value`` is a string (``"0.75 mg/kg"``, ``"20 s"``, ``"1.5s"``) or a table
    ``{value = 0.75, unit = "mg/kg"}``. Unit spellings are case-insensitive;
    ``µ``/``μ``/``u`` all mean micro. A bare number (or a table without ``unit``)
    is accepted only for :attr:`Dimension.COUNT`. Negative, non-finite and (unless
    ``allow_zero``) zero values, booleans and other types raise :class:`UnitError`,
    prefixed with ``"{field}: "`` when ``field`` is given.

    It cannot tell a typo that is itself a valid unit (``"20 ms"`` meant as
    ``"20 s"``) from what was meant.
    """
    return _resolve(value, [Dimension(dimension)], field, allow_zero)[0]


def parse_quantity_any(
    value: object,
    dimensions: Sequence[Dimension],
    *,
    field: str = "",
    allow_zero: bool = False,
) -> tuple[float, Dimension]:
    """Like :func:`parse_quantity`, for a value that may be of any of ``dimensions``.

    Returns the number in canonical units and the dimension its unit belongs to
    (unit spellings never repeat across dimensions, so this is unambiguous; a
    bare number resolves to :attr:`Dimension.COUNT` when that is allowed).
    Errors list the units of all ``dimensions``.
    """
    return _resolve(value, list(dimensions), field, allow_zero)


# ---------------------------------------------------------------- doses per subject


@dataclass(frozen=True)
class DoseConstant:
    """One constant used to turn a dose per subject into a dose per kg."""

    name: str
    value: float
    unit: str
    source: str


#: Body weight per species (kg), to convert an amount per subject to a dose per kg.
BODY_WEIGHT_KG: Mapping[str, float] = {"rat": 0.33, "human": 70.0}
#: Ethanol in one standard drink (g).
STANDARD_DRINK_G_ETHANOL = 14.0
#: Nicotine absorbed from one cigarette (mg).
CIGARETTE_MG_NICOTINE = 1.0

#: The conversion constants with their sources (the docs' table is made from this).
DOSE_CONSTANTS: tuple[DoseConstant, ...] = (
    DoseConstant(
        "body weight, rat", BODY_WEIGHT_KG["rat"], "kg",
        "adult male rats of self-administration studies (300-350 g); Ahmed & Koob 1998 "
        "give 0.25 mg/infusion as about 0.75 mg/kg"),
    DoseConstant(
        "body weight, human (and monkey studies, which use the human set)",
        BODY_WEIGHT_KG["human"], "kg",
        "the 70-kg reference adult of clinical pharmacology"),
    DoseConstant(
        "standard drink", STANDARD_DRINK_G_ETHANOL, "g ethanol",
        "NIAAA (US standard drink: 14 g of pure alcohol); 0.2 g/kg at 70 kg"),
    DoseConstant(
        "cigarette", CIGARETTE_MG_NICOTINE, "mg nicotine absorbed",
        "Benowitz 1990 (about 1 mg of nicotine is absorbed from smoking one cigarette)"),
)

# per-kg dose dimensions: mg of substance per kg for one canonical unit
_PER_KG_MG: Mapping[Dimension, float] = {Dimension.DOSE_PER_KG: 1.0,
                                          Dimension.DOSE_ALCOHOL: 1000.0}
# per-subject units of one substance: dimension -> (substance, mg per unit)
_DELIVERY: Mapping[Dimension, tuple[str, float]] = {
    Dimension.DRINKS: ("alcohol", 1000.0 * STANDARD_DRINK_G_ETHANOL),
    Dimension.CIGARETTES: ("nicotine", CIGARETTE_MG_NICOTINE),
}


class DoseError(UnitError):
    """A dose whose number and unit read correctly but that cannot be used: outside the
    reinforcer's modelled range, or per subject with no body weight to convert it."""


class DoseRangeError(DoseError):
    """A dose that reads correctly but lies outside the reinforcer's modelled range."""


def body_weight_kg(species: str) -> float:
    """The body weight (kg) used for ``species`` (``"rat"`` or ``"human"``)."""
    key = str(species).lower()
    if key not in BODY_WEIGHT_KG:
        raise ValueError(f"no body weight for species {species!r}; known: "
                         f"{', '.join(BODY_WEIGHT_KG)}")
    return BODY_WEIGHT_KG[key]


def dose_units(dimensions: Sequence[Dimension], substance: str) -> list[Dimension]:
    """The dimensions a dose of ``substance`` may be written in: its own ``dimensions``,
    plus an amount per subject (:attr:`Dimension.MASS`) when it is dosed per kg, plus
    standard drinks for alcohol and cigarettes for nicotine."""
    dims = [Dimension(d) for d in dimensions]
    if not any(d in _PER_KG_MG for d in dims):
        return dims
    extra = [Dimension.MASS] + [d for d, (sub, _) in _DELIVERY.items()
                                if sub == str(substance).lower()]
    return dims + [d for d in extra if d not in dims]


def _g(x: float) -> str:
    return f"{x:.4g}"


def parse_dose(
    value: object,
    dimensions: Sequence[Dimension],
    *,
    substance: str,
    body_weight_kg: float | None = None,
    dose_range: tuple[float, float] | None = None,
    range_unit: str | None = None,
    field: str = "",
    allow_zero: bool = False,
) -> tuple[float, Dimension]:
    """One delivery of ``substance`` (a reinforcer's name), in the canonical unit of one
    of its ``dimensions``, and that dimension.

    Besides the units of ``dimensions`` (see :func:`dose_units`), a substance dosed per
    kg accepts an amount per subject (``"0.25 mg/infusion"``, ``"0.25 mg/inf"``,
    ``"250 ug"``, ``"14 g"``), alcohol standard drinks (``"2 drinks"``, 14 g each) and
    nicotine cigarettes (``"1 cigarette"``, 1 mg absorbed); these are divided by
    ``body_weight_kg`` (:data:`DOSE_CONSTANTS`) and rounded to 6 significant digits.
    With ``dose_range`` = ``(low, high)``,
    a converted dose outside it raises :class:`DoseRangeError` (``range_unit`` names the
    unit of the first dimension in the message). Every problem is one line naming
    ``field``, the value, ``substance`` and what it accepts.
    """
    dims = [Dimension(d) for d in dimensions]
    sub = str(substance)
    if not dims:
        raise _fail(field, f"{sub} takes no amount, got {_show(value)}")
    accepted = dose_units(dims, sub)
    x, unit_text, shown, num = _split(value, dims, field)
    if not math.isfinite(x):
        raise _fail(field, f"{shown} is not a finite number")
    per_subject = [u for d in accepted if d not in dims for u in allowed_units(d)]
    accepts = f"{sub} accepts " + ", ".join(u for d in dims for u in allowed_units(d)) + (
        f", or per subject {', '.join(per_subject)}" if per_subject else "")
    if unit_text is None:
        if Dimension.COUNT not in dims:
            raise _fail(field, f"{shown} has no unit; write e.g. {_examples(num, dims)}; "
                               f"{accepts}")
        dim, unit = Dimension.COUNT, _DIMS[Dimension.COUNT].units[0]
    else:
        key = _normalise_unit(unit_text)
        found = _LOOKUP.get(key)
        if found is None:
            spellings = [sp for d in accepted for u in _DIMS[d].units for sp in u.spellings]
            close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.6)
            hint = ""
            if close:
                display = _LOOKUP[close[0]][1].display
                hint = f" (did you mean '{close[0] if display.lower() != close[0] else display}'?)"
            raise _fail(field, f"unknown unit {unit_text!r} in {shown}; {accepts}{hint}")
        if found[0] not in accepted:
            raise _fail(field, f"{shown} cannot be an amount of {sub}: unit {unit_text!r} is "
                               f"for {_DIMS[found[0]].noun}; {accepts}")
        dim, unit = found
    if x < 0:
        bound = "zero or more" if allow_zero else "greater than zero"
        raise _fail(field, f"{shown} is negative; an amount of {sub} must be {bound}")
    if x == 0 and not allow_zero:
        raise _fail(field, f"{shown} is zero; an amount of {sub} must be greater than zero")
    out = _convert(x, unit)
    note = ""
    if dim is Dimension.MASS or dim in _DELIVERY:
        target = next(d for d in dims if d in _PER_KG_MG)
        if body_weight_kg is None or not body_weight_kg > 0:
            raise DoseError((f"{field}: " if field else "")
                            + f"{shown} is an amount per subject; converting it to "
                              f"{canonical_unit(target)} needs a body weight")
        mg = out if dim is Dimension.MASS else out * _DELIVERY[dim][1]
        # 6 significant digits: far finer than the body weight is known, and labels
        # (trial types) stay readable
        out = float(f"{mg / body_weight_kg / _PER_KG_MG[target]:.6g}")
        dim = target
        note = f" (= {_g(out)} {canonical_unit(dim)} at {body_weight_kg:g} kg body weight)"
    if not math.isfinite(out):
        raise _fail(field, f"{shown} is too large; it overflows in {canonical_unit(dim)}")
    if dose_range is not None:
        low, high = dose_range
        if not low <= out <= high:
            shown_unit = (range_unit if range_unit and dim is dims[0]
                          else canonical_unit(dim))
            raise DoseRangeError(
                (f"{field}: " if field else "")
                + f"{shown}{note} is outside the modelled range for {sub}: "
                  f"{low:g} to {high:g} {shown_unit}")
    return out, dim


_FORMAT_UNITS: tuple[tuple[str, float], ...] = (
    ("y", 31_557_600.0),
    ("d", float(_DAY)),
    ("h", 3600.0),
    ("min", 60.0),
    ("s", 1.0),
    ("ms", 0.001),
)


def format_seconds(s: float) -> str:
    """A duration in seconds as people write it: ``"20 s"``, ``"6 h"``, ``"30 d"``.

    Picks the largest of y, d, h, min, s, ms that gives a value of at least 1 and
    shows at most 4 significant digits, so the text is for reading, not for
    round-tripping (``format_seconds(100_000)`` is ``"1.157 d"``). Weeks and
    months are never chosen.
    """
    s = float(s)
    if math.isnan(s):
        return "nan s"
    if math.isinf(s):
        return f"{'-' if s < 0 else ''}inf s"
    if s == 0:
        return "0 s"
    sign = "-" if s < 0 else ""
    a = abs(s)
    for name, factor in _FORMAT_UNITS:
        v = a / factor
        if v >= 1 or name == "ms":
            v = float(f"{v:.4g}")
            text = str(int(v)) if v.is_integer() and v < 1e15 else f"{v:g}"
            return f"{sign}{text} {name}"
    raise AssertionError("unreachable")  # pragma: no cover
