"""The conditioning notation researchers write for Pavlovian phases.

One entry of a phase's trial list is a string::

    [N x] CUES(+|-) [REINFORCER [AMOUNT UNIT]] [p=P] [delay=TIME] [@ CONTEXT] [test]

for example ``"10 x AB+"``, ``"A+ cocaine 0.75 mg/kg"``, ``"4x tone&light- @ctxB test"``,
``"A+ p=0.5 delay=1.5 s"``; or a rest between blocks, ``"rest 2 d"``. An amount is read
with :func:`addictsim.units.parse_dose`: given a body weight, a dose per subject
(``"A+ cocaine 0.25 mg/infusion"``, ``"A+ alcohol 2 drinks"``) is converted to a dose per
kg, and given the reinforcers' modelled ranges, an amount outside its range is refused.
:func:`parse_entry` reads one entry into a :class:`TrialSpec` or a :class:`Rest`;
:func:`parse_entries` reads a list and groups consecutive trial specs into blocks.

What this cannot express: trial order within a block (the caller decides,
e.g. shuffled), inter-trial intervals, cue durations or intensities,
outcomes other than one reinforcer per trial, and per-trial randomness beyond
a fixed reinforcement probability. Cue, context and reinforcer names cannot
contain whitespace; cue names should not contain ``&``, ``+`` or ``-`` at the end.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from addictsim.units import (
    Dimension,
    DoseError,
    UnitError,
    canonical_unit,
    parse_dose,
    parse_quantity,
)

__all__ = ["NotationError", "Rest", "TrialSpec", "parse_entries", "parse_entry"]


class NotationError(ValueError):
    """An entry that does not follow the notation; the message quotes the entry."""


@dataclass(frozen=True)
class TrialSpec:
    """``count`` trials of one type.

    ``cues`` are in the order they were declared, so ``"BA+"`` and ``"AB+"`` are
    the same trial type. ``amount`` is in the canonical unit of
    ``amount_dimension`` (see :func:`addictsim.units.canonical_unit`); both are
    None when no amount was written. ``delay_s`` and ``context`` are None when not
    written (the phase supplies them). ``label`` is canonical and parses back to
    the same spec with ``count`` 1: it leaves out the count and the default
    reinforcer, and keeps everything else that was written.
    """

    count: int
    cues: tuple[str, ...]
    reinforced: bool
    reinforcer: str | None
    amount: float | None
    probability: float
    delay_s: float | None
    context: str | None
    test: bool
    label: str
    amount_dimension: Dimension | None = None


@dataclass(frozen=True)
class Rest:
    """A rest interval between blocks of trials, in seconds (> 0)."""

    seconds: float


_CUE_EXAMPLES = "(e.g. 'AB+', 'A-', 'tone&light+')"
_COUNT_JOINED = re.compile(r"^(?P<n>[+-]?[\d.]+)[x\u00d7]$", re.IGNORECASE)
_COUNT_ALONE = re.compile(r"^[+-]?[\d.]+$")
_STARTS_NUMERIC = re.compile(r"^[+-]?(?:\d|\.\d)")
_BARE_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)


def _num(x: float) -> str:
    """Shortest text that reads back as ``x``."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def _suggest(name: str, choices: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` or ``""``."""
    same_case = [c for c in choices if c.lower() == name.lower()]
    close = same_case or difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"


class _Entry:
    """Parsing state for one entry: its tokens, a cursor and the declarations."""

    def __init__(
        self,
        text: str,
        cues: Sequence[str],
        contexts: Sequence[str],
        reinforcers: Mapping[str, Sequence[Dimension]],
        default_reinforcer: str,
        body_weight_kg: float | None = None,
        dose_ranges: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        self.text = text
        self.body_weight_kg = body_weight_kg
        self.dose_ranges = dose_ranges or {}
        # "p = 0.5" and "delay = 2 s" read as "p=0.5" and "delay=2 s".
        self.tokens = re.sub(r"\s*=\s*", "=", text.strip()).split()
        self.i = 0
        self.cues = list(cues)
        self.contexts = list(contexts)
        self.reinforcers = reinforcers
        self.default_reinforcer = default_reinforcer
        self.kind = "trial"

    def error(self, message: str) -> NotationError:
        return NotationError(f"{self.kind} {self.text!r}: {message}")

    def peek(self, ahead: int = 0) -> str | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> str:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def reinforcer_named(self, tok: str) -> str | None:
        if tok in self.reinforcers:
            return tok
        matches = [r for r in self.reinforcers if r.lower() == tok.lower()]
        return matches[0] if len(matches) == 1 else None

    def is_keyword(self, tok: str) -> bool:
        low = tok.lower()
        return (
            low == "test"
            or low.startswith(("p=", "delay="))
            or tok.startswith("@")
            or self.reinforcer_named(tok) is not None
        )

    # -- the parts of an entry -------------------------------------------------

    def rest(self) -> Rest:
        self.kind = "rest"
        self.take()
        if self.peek() is None:
            raise self.error("a rest is written 'rest TIME', e.g. 'rest 2 d' or 'rest 12 h'")
        value = " ".join(self.tokens[self.i :])
        try:
            return Rest(parse_quantity(value, Dimension.TIME))
        except UnitError as err:
            raise self.error(str(err)) from None

    def count(self) -> int:
        first = self.peek()
        assert first is not None
        joined = _COUNT_JOINED.match(first)
        if joined and self.peek(1) is not None:
            n_text = joined["n"]
            self.take()
        elif _COUNT_ALONE.match(first):
            second = self.peek(1)
            if second is None or second.lower() not in ("x", "\u00d7"):
                raise self.error(
                    f"{first!r} is not a cue; write a trial count as 'N x', "
                    f"e.g. '{first} x A+' or '{first}x A+'"
                )
            n_text = first
            self.i += 2
        else:
            return 1
        if not n_text.isdigit() or int(n_text) < 1:
            raise self.error(f"the trial count must be a whole number of 1 or more, got {n_text}")
        return int(n_text)

    def cue_token(self) -> tuple[tuple[str, ...], bool]:
        tok = self.peek()
        # Tolerate "A +" for "A+".
        if tok is not None and self.peek(1) in ("+", "-"):
            self.i += 1
            self.tokens[self.i] = tok + self.tokens[self.i]
            tok = self.tokens[self.i]
        if tok is None or len(tok) < 2 or tok[-1] not in "+-":
            got = "" if tok is None or tok == self.text.strip() else f"; got {tok!r}"
            raise self.error(f"expected cue names followed by '+' or '-' {_CUE_EXAMPLES}{got}")
        self.take()
        return self.resolve_cues(tok[:-1]), tok[-1] == "+"

    def resolve_cues(self, body: str) -> tuple[str, ...]:
        declared = self.cues
        if body in declared:
            names = [body]
        elif "&" in body:
            names = body.split("&")
            if "" in names:
                raise self.error(
                    f"empty cue name in {body!r}; join cue names with single '&' {_CUE_EXAMPLES}"
                )
            for name in names:
                self.check_cue(name)
        elif all(ch in declared for ch in body):
            names = list(body)
        else:
            # A compound of one-character cues with a typo in it ("AC+") names the
            # bad character, unless the whole text looks like a misspelt long name.
            singles = [c for c in declared if len(c) == 1]
            longs = [c for c in declared if len(c) > 1]
            if all(len(c) == 1 for c in declared) or (
                any(ch in singles for ch in body)
                and not difflib.get_close_matches(body, longs, n=1, cutoff=0.6)
            ):
                for ch in body:
                    self.check_cue(ch)
            hint = ""
            if any(len(c) > 1 for c in declared) and len(body) > 1:
                hint = "; join multi-character cue names with '&', e.g. 'tone&light+'"
            self.check_cue(body, hint)
            raise AssertionError("unreachable")  # pragma: no cover
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise self.error(f"cue {twice!r} appears twice in the compound {body!r}")
        order = {name: k for k, name in enumerate(declared)}
        return tuple(sorted(names, key=order.__getitem__))

    def check_cue(self, name: str, hint: str = "") -> None:
        if name in self.cues:
            return
        declared = ", ".join(self.cues) if self.cues else "(none)"
        raise self.error(
            f"unknown cue {name!r}{_suggest(name, self.cues)}; declared cues: {declared}{hint}"
        )

    def amount(self, reinforcer: str) -> tuple[float, Dimension] | None:
        first = self.peek()
        if first is None or not _STARTS_NUMERIC.match(first):
            return None
        dims = list(self.reinforcers[reinforcer])
        if not dims:
            raise self.error(f"reinforcer {reinforcer!r} takes no amount, got {first!r}")
        # The unit may take 0, 1 or 2 more tokens ("2", "2 pellets", "2 standard drinks").
        extra = 0
        while extra < 2:
            nxt = self.peek(1 + extra)
            if nxt is None or self.is_keyword(nxt):
                break
            extra += 1
        errors: dict[int, UnitError] = {}
        for k in range(extra, -1, -1):
            text = " ".join(self.tokens[self.i : self.i + 1 + k])
            try:
                result = parse_dose(text, dims, substance=reinforcer,
                                    body_weight_kg=self.body_weight_kg,
                                    dose_range=self.dose_ranges.get(reinforcer),
                                    field=f"amount of {reinforcer}")
            except DoseError as err:
                raise self.error(str(err)) from None
            except UnitError as err:
                errors[k] = err
                continue
            self.i += 1 + k
            return result
        report = 1 if _BARE_NUMBER.match(first) and 1 in errors else 0
        raise self.error(str(errors[report])) from None

    def probability(self, tok: str) -> float:
        value = tok[2:]
        if not value:
            raise self.error("p= needs a probability in (0, 1], e.g. 'p=0.5'")
        try:
            p = float(value)
        except ValueError:
            raise self.error(f"p must be a number in (0, 1], got {value!r}") from None
        if not (math.isfinite(p) and 0.0 < p <= 1.0):
            raise self.error(f"p must be in (0, 1], got {value}")
        return p

    def delay(self, tok: str) -> float:
        value = tok[len("delay=") :]
        nxt = self.peek()
        if not value:
            raise self.error("delay= needs a time, e.g. 'delay=1.5 s'")
        if _BARE_NUMBER.match(value) and nxt is not None and not self.is_keyword(nxt):
            value = f"{value} {self.take()}"
        try:
            return parse_quantity(value, Dimension.TIME, field="delay", allow_zero=True)
        except UnitError as err:
            raise self.error(str(err)) from None

    def context(self, tok: str) -> str:
        name = tok[1:]
        if not name:
            if self.peek() is None:
                raise self.error("'@' needs a context name, e.g. '@ home'")
            name = self.take()
        if name not in self.contexts:
            declared = ", ".join(self.contexts) if self.contexts else "(none)"
            raise self.error(
                f"unknown context {name!r}{_suggest(name, self.contexts)}; "
                f"declared contexts: {declared} (declare every context a trial uses in "
                f"[scenario] contexts, e.g. contexts = [\"A\", \"B\"])"
            )
        return name

    def unexpected(self, tok: str, reinforced: bool, seen: set[str]) -> NotationError:
        names = list(self.reinforcers)
        options = []
        if reinforced and "reinforcer" not in seen:
            options.append(f"a reinforcer ({', '.join(names)})" if names else "a reinforcer")
        for key, text in (("p", "p=P"), ("delay", "delay=TIME"), ("context", "@CONTEXT")):
            if key not in seen and (reinforced or key != "p"):
                options.append(text)
        if "test" not in seen:
            options.append("test")
        if not options:
            return self.error(f"unexpected {tok!r}; nothing may follow")
        expected = (
            options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
        )
        hint = _suggest(tok, [*names, "test"]) if len(tok) > 1 else ""
        if _STARTS_NUMERIC.match(tok):
            hint = " (an amount follows a reinforcer name, e.g. 'A+ food 2 pellets')"
        elif tok[-1:] in ("+", "-") and len(tok) > 1:
            hint = " (one entry is one trial type; write a compound without spaces, e.g. 'AB+')"
        return self.error(f"unexpected {tok!r}{hint}; expected {expected}")

    def trial(self) -> TrialSpec:
        count = self.count()
        cues, reinforced = self.cue_token()
        sign = "+" if reinforced else "-"
        reinforcer: str | None = None
        amount: tuple[float, Dimension] | None = None
        p: float | None = None
        delay: float | None = None
        context: str | None = None
        test = False
        seen: set[str] = set()

        def once(key: str, tok: str) -> None:
            if key in seen:
                raise self.error(f"{tok!r}: {key} is given twice")
            seen.add(key)

        while (tok := self.peek()) is not None:
            self.take()
            low = tok.lower()
            if low == "test":
                once("test", tok)
                test = True
            elif low.startswith("p="):
                if not reinforced:
                    raise self.error(
                        f"{tok!r}: p= is only allowed on '+' trials; a '-' trial is never "
                        "reinforced"
                    )
                once("p", tok)
                p = self.probability(tok)
            elif low.startswith("delay="):
                once("delay", tok)
                delay = self.delay(tok)
            elif tok.startswith("@"):
                once("context", tok)
                context = self.context(tok)
            elif (name := self.reinforcer_named(tok)) is not None:
                if not reinforced:
                    raise self.error(
                        f"{tok!r}: a reinforcer is not allowed on '-' trials (nothing is "
                        f"delivered); use '{self.cue_label(cues)}+ {name}'"
                    )
                once("reinforcer", tok)
                reinforcer = name
                amount = self.amount(name)
            else:
                raise self.unexpected(tok, reinforced, seen)

        if reinforced and reinforcer is None:
            if self.default_reinforcer not in self.reinforcers:
                raise ValueError(
                    f"default_reinforcer {self.default_reinforcer!r} is not one of the "
                    f"reinforcers: {', '.join(self.reinforcers)}"
                )
            reinforcer = self.default_reinforcer
        probability = (1.0 if p is None else p) if reinforced else 0.0

        parts = [self.cue_label(cues) + sign]
        if reinforced and (reinforcer != self.default_reinforcer or amount is not None):
            parts.append(str(reinforcer))
        if amount is not None:
            value, dim = amount
            unit = "" if dim is Dimension.COUNT else f" {canonical_unit(dim)}"
            parts.append(f"{_num(value)}{unit}")
        if reinforced and probability != 1.0:
            parts.append(f"p={_num(probability)}")
        if delay is not None:
            parts.append(f"delay={_num(delay)}s")
        if context is not None:
            parts.append(f"@{context}")
        if test:
            parts.append("test")

        return TrialSpec(
            count=count,
            cues=cues,
            reinforced=reinforced,
            reinforcer=reinforcer,
            amount=None if amount is None else amount[0],
            probability=probability,
            delay_s=delay,
            context=context,
            test=test,
            label=" ".join(parts),
            amount_dimension=None if amount is None else amount[1],
        )

    @staticmethod
    def cue_label(cues: Sequence[str]) -> str:
        return "&".join(cues) if any(len(c) > 1 for c in cues) else "".join(cues)


def _check_names(kind: str, names: object) -> None:
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(f"{kind} must be a sequence of names, got {type(names).__name__}")


def parse_entry(
    text: str,
    *,
    cues: Sequence[str],
    contexts: Sequence[str],
    reinforcers: Mapping[str, Sequence[Dimension]],
    default_reinforcer: str,
    body_weight_kg: float | None = None,
    dose_ranges: Mapping[str, tuple[float, float]] | None = None,
) -> TrialSpec | Rest:
    """Read one entry: a trial type (:class:`TrialSpec`) or ``rest TIME`` (:class:`Rest`).

    ``cues`` and ``contexts`` are the declared names (case-sensitive);
    ``reinforcers`` maps each reinforcer name (matched case-insensitively) to the
    dimensions its amount may have (empty: it takes no amount).
    ``default_reinforcer`` is used for ``+`` trials that name none and must be a
    key of ``reinforcers`` then (else ``ValueError``: a caller's bug). Any
    mistake in ``text`` raises :class:`NotationError`.

    A cue's whole-name match wins over splitting into characters, so with cues
    ``A``, ``B`` and ``AB`` declared, ``"AB+"`` is the single cue ``AB``.
    The word ``test`` is always the flag, never a reinforcer or context name.

    An amount per subject (``mg``, ``mg/infusion``, standard drinks, cigarettes) needs
    ``body_weight_kg`` (kg) and is converted to the reinforcer's dose per kg; with
    ``dose_ranges`` (reinforcer name -> ``(low, high)`` in canonical units) an amount
    outside its range is an error.
    """
    _check_names("cues", cues)
    _check_names("contexts", contexts)
    if not isinstance(text, str):
        raise NotationError(
            f"a trial entry must be a string such as '10 x A+', got "
            f"{type(text).__name__} {text!r}"
        )
    entry = _Entry(text, cues, contexts, reinforcers, default_reinforcer, body_weight_kg,
                   dose_ranges)
    if not entry.tokens:
        raise NotationError(
            f"trial {text!r}: empty entry; expected e.g. '10 x AB+', 'A-' or 'rest 2 d'"
        )
    if entry.tokens[0].lower() == "rest":
        return entry.rest()
    return entry.trial()


def parse_entries(
    entries: Sequence[str],
    *,
    cues: Sequence[str],
    contexts: Sequence[str],
    reinforcers: Mapping[str, Sequence[Dimension]],
    default_reinforcer: str,
    body_weight_kg: float | None = None,
    dose_ranges: Mapping[str, tuple[float, float]] | None = None,
) -> list[list[TrialSpec] | Rest]:
    """Read a phase's list of entries into blocks of trial specs with rests between.

    Consecutive trial entries form one block (a list, in written order);
    consecutive rests merge into one by adding. A rest may open or close the
    list. An empty list gives ``[]``. The keywords are those of :func:`parse_entry`.
    """
    if isinstance(entries, str) or not isinstance(entries, Sequence):
        raise NotationError(
            f"expected a list of entries such as ['10 x A+', 'rest 1 d', '4 x A- test'], "
            f"got {type(entries).__name__} {entries!r}"
        )
    out: list[list[TrialSpec] | Rest] = []
    for item in entries:
        parsed = parse_entry(
            item,
            cues=cues,
            contexts=contexts,
            reinforcers=reinforcers,
            default_reinforcer=default_reinforcer,
            body_weight_kg=body_weight_kg,
            dose_ranges=dose_ranges,
        )
        last = out[-1] if out else None
        if isinstance(parsed, Rest):
            if isinstance(last, Rest):
                out[-1] = Rest(last.seconds + parsed.seconds)
            else:
                out.append(parsed)
        elif isinstance(last, list):
            last.append(parsed)
        else:
            out.append([parsed])
    return out
