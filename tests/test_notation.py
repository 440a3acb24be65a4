"""Tests for addictsim.world.notation: the grammar, labels, blocks and every error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim.units import Dimension as D
from addictsim.world.notation import (
    NotationError,
    Rest,
    TrialSpec,
    parse_entries,
    parse_entry,
)

KW: dict[str, object] = dict(
    cues=["A", "B", "X", "tone", "light"],
    contexts=["home", "ctxB"],
    reinforcers={
        "food": [D.COUNT],
        "sucrose": [D.VOLUME, D.COUNT],
        "cocaine": [D.DOSE_PER_KG],
        "alcohol": [D.DOSE_ALCOHOL, D.COUNT],
        "shock": [D.CURRENT],
        "brain_stimulation": [],
    },
    default_reinforcer="food",
)
SINGLE = dict(KW, cues=["A", "B", "C"])


def trial(text: str, **kw: object) -> TrialSpec:
    out = parse_entry(text, **{**KW, **kw})  # type: ignore[arg-type]
    assert isinstance(out, TrialSpec)
    return out


def error(text: str, **kw: object) -> str:
    with pytest.raises(NotationError) as info:
        parse_entry(text, **{**KW, **kw})  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(("trial ", "rest ")), message
    assert repr(text) in message  # the whole entry is quoted
    return message


# -- the grammar -------------------------------------------------------------------


def test_plain_reinforced() -> None:
    t = trial("A+")
    assert t == TrialSpec(count=1, cues=("A",), reinforced=True, reinforcer="food",
                          amount=None, probability=1.0, delay_s=None, context=None,
                          test=False, label="A+")


def test_plain_nonreinforced() -> None:
    t = trial("A-")
    assert (t.reinforced, t.reinforcer, t.amount, t.probability) == (False, None, None, 0.0)
    assert t.label == "A-"


@pytest.mark.parametrize("text", ["10 x AB+", "10x AB+", "10\u00d7 AB+", "10 \u00d7 AB+",
                                  "10 X AB+"])
def test_counts(text: str) -> None:
    t = trial(text)
    assert t.count == 10 and t.cues == ("A", "B") and t.label == "AB+"


def test_compound_single_characters_in_declared_order() -> None:
    assert trial("AB+").cues == ("A", "B")
    assert trial("BA+").cues == ("A", "B")
    assert trial("BA+").label == "AB+"
    assert trial("ABX-").cues == ("A", "B", "X")


def test_multi_character_names() -> None:
    assert trial("tone+").cues == ("tone",)
    t = trial("tone&light+")
    assert t.cues == ("tone", "light") and t.label == "tone&light+"
    t = trial("A&tone-")
    assert t.cues == ("A", "tone") and t.label == "A&tone-"
    # single-character cues only: plain concatenation
    assert trial("A&B+").label == "AB+"


def test_whole_name_wins_over_splitting() -> None:
    t = trial("AB+", cues=["A", "B", "AB"])
    assert t.cues == ("AB",) and t.label == "AB+"


def test_reinforcer_and_amounts() -> None:
    t = trial("A+ cocaine 0.75 mg/kg")
    assert (t.reinforcer, t.amount, t.amount_dimension) == ("cocaine", 0.75, D.DOSE_PER_KG)
    assert t.label == "A+ cocaine 0.75 mg/kg"
    assert trial("A+ cocaine 750ug/kg").amount == 0.75
    t = trial("A+ food 2 pellets")
    assert (t.reinforcer, t.amount, t.amount_dimension) == ("food", 2.0, D.COUNT)
    assert t.label == "A+ food 2"
    t = trial("A+ shock 0.5 mA")
    assert (t.reinforcer, t.amount, t.amount_dimension) == ("shock", 0.5, D.CURRENT)
    t = trial("A+ food")
    assert (t.reinforcer, t.amount, t.label) == ("food", None, "A+")
    t = trial("A+ sucrose")
    assert (t.reinforcer, t.amount, t.label) == ("sucrose", None, "A+ sucrose")
    t = trial("A+ sucrose 100 uL")
    assert (t.amount, t.amount_dimension, t.label) == (0.1, D.VOLUME, "A+ sucrose 0.1 mL")
    t = trial("A+ alcohol 2 standard drinks p=0.25", body_weight_kg=70.0)
    assert (t.amount, t.amount_dimension, t.probability) == (0.4, D.DOSE_ALCOHOL, 0.25)
    assert t.label == "A+ alcohol 0.4 g/kg p=0.25"
    assert trial("A+ alcohol 0.8 g/kg").amount_dimension == D.DOSE_ALCOHOL
    assert trial("A+ food 3").amount == 3.0
    assert trial("A+ FOOD").reinforcer == "food"


def test_doses_per_subject_are_converted_with_the_body_weight() -> None:
    # Ahmed & Koob 1998: 0.25 mg/infusion for a ~0.33 kg rat is about 0.75 mg/kg
    t = trial("A+ cocaine 0.25 mg/infusion", body_weight_kg=0.33)
    assert t.amount == pytest.approx(0.25 / 0.33) and t.amount_dimension == D.DOSE_PER_KG
    assert trial("A+ cocaine 0.25 mg/inf", body_weight_kg=0.33).amount == t.amount
    assert trial("A+ cocaine 250 ug", body_weight_kg=0.33).amount == pytest.approx(t.amount)
    assert trial("A+ alcohol 1 drink", body_weight_kg=70.0).amount == pytest.approx(0.2)
    assert trial("A+ alcohol 14 g", body_weight_kg=70.0).amount == pytest.approx(0.2)
    # without a body weight a dose per subject cannot be converted: said so, at once
    msg = error("A+ alcohol 2 standard drinks")
    assert "'2 standard drinks' is an amount per subject" in msg and "body weight" in msg
    assert "needs a body weight" in error("A+ cocaine 0.25 mg")


def test_dose_ranges() -> None:
    ranges = {"cocaine": (0.0, 30.0), "alcohol": (0.0, 6.0)}
    assert trial("A+ cocaine 30 mg/kg", dose_ranges=ranges).amount == 30.0
    msg = error("A+ cocaine 31 mg/kg p=0.5", dose_ranges=ranges)
    assert "amount of cocaine: '31 mg/kg' is outside the modelled range for cocaine" in msg
    assert "0 to 30 mg/kg" in msg
    msg = error("A+ alcohol 40 standard drinks", dose_ranges=ranges, body_weight_kg=70.0)
    assert "'40 standard drinks' (= 8 g/kg at 70 kg body weight) is outside" in msg
    assert "0 to 6 g/kg" in msg


def test_probability() -> None:
    t = trial("A+ p=0.5")
    assert t.probability == 0.5 and t.label == "A+ p=0.5"
    assert trial("A+ p=1").label == "A+"
    assert trial("A+ p = 0.25").probability == 0.25


@pytest.mark.parametrize("text", ["A+ delay=1.5 s", "A+ delay=1.5s", "A+ delay = 1.5 s",
                                  "A+ delay=1500 ms"])
def test_delay(text: str) -> None:
    t = trial(text)
    assert t.delay_s == 1.5 and t.label == "A+ delay=1.5s"


def test_delay_on_nonreinforced_and_zero() -> None:
    assert trial("A- delay=2 s").delay_s == 2.0
    assert trial("A+ delay=0 s").delay_s == 0.0


@pytest.mark.parametrize("text", ["A- @ctxB", "A- @ ctxB"])
def test_context(text: str) -> None:
    t = trial(text)
    assert t.context == "ctxB" and t.label == "A- @ctxB"


def test_test_flag() -> None:
    t = trial("A- test")
    assert t.test and t.label == "A- test"
    assert not trial("A-").test


def test_everything_together_and_label_round_trip() -> None:
    t = trial("5 x tone&light+ cocaine 0.5 mg/kg p=0.5 delay=2 s @ home test")
    assert t == TrialSpec(count=5, cues=("tone", "light"), reinforced=True,
                          reinforcer="cocaine", amount=0.5, probability=0.5, delay_s=2.0,
                          context="home", test=True,
                          label="tone&light+ cocaine 0.5 mg/kg p=0.5 delay=2s @home test",
                          amount_dimension=D.DOSE_PER_KG)
    # options may come in any order after the cues
    same = trial("5x tone&light+ test @home delay=2000ms p=0.5 cocaine 500 ug/kg")
    assert same == t


@pytest.mark.parametrize(
    "text",
    ["A+", "AB-", "3 x BA+ p=0.3", "tone&light- delay=1 s test", "A+ cocaine 0.75 mg/kg",
     "A+ food 2 pellets @ctxB", "A+ sucrose 50 uL", "A+ alcohol 2 drinks", "X+ shock 0.4 mA",
     "A+ cocaine 0.25 mg/infusion", "A+ alcohol 14 g"],
)
def test_label_parses_back(text: str) -> None:
    t = trial(text, body_weight_kg=0.33)
    again = trial(t.label)
    assert again.label == t.label
    assert again == TrialSpec(**{**t.__dict__, "count": 1})


def test_rest() -> None:
    assert parse_entry("rest 2 d", **KW) == Rest(172_800.0)  # type: ignore[arg-type]
    assert parse_entry("rest 12 h", **KW) == Rest(43_200.0)  # type: ignore[arg-type]
    assert parse_entry("REST 30min", **KW) == Rest(1_800.0)  # type: ignore[arg-type]


def test_cue_named_like_a_keyword_prefix() -> None:
    assert trial("rest+", cues=["rest"]).cues == ("rest",)


# -- blocks ------------------------------------------------------------------------


def test_parse_entries_groups_blocks_and_merges_rests() -> None:
    out = parse_entries(
        ["rest 1 d", "10 x A+", "10 x B-", "rest 1 d", "rest 12 h", "4 x A- test", "rest 1 h"],
        **KW,  # type: ignore[arg-type]
    )
    assert len(out) == 5
    assert out[0] == Rest(86_400.0)
    assert isinstance(out[1], list) and [t.label for t in out[1]] == ["A+", "B-"]
    assert out[2] == Rest(129_600.0)
    assert isinstance(out[3], list) and [t.label for t in out[3]] == ["A- test"]
    assert out[4] == Rest(3_600.0)


def test_parse_entries_simple_cases() -> None:
    assert parse_entries([], **KW) == []  # type: ignore[arg-type]
    out = parse_entries(["A+", "AB-"], **KW)  # type: ignore[arg-type]
    assert len(out) == 1 and isinstance(out[0], list) and len(out[0]) == 2


def test_parse_entries_rejects_a_string_and_non_strings() -> None:
    with pytest.raises(NotationError, match="expected a list of entries"):
        parse_entries("A+", **KW)  # type: ignore[arg-type]
    with pytest.raises(NotationError, match="must be a string.*got int 5"):
        parse_entries(["A+", 5], **KW)  # type: ignore[arg-type, list-item]


def test_parse_entries_error_names_the_entry() -> None:
    with pytest.raises(NotationError, match=r"trial 'A\*'"):
        parse_entries(["A+", "A*"], **KW)  # type: ignore[arg-type]


# -- errors ------------------------------------------------------------------------


def test_error_probability_out_of_range() -> None:
    assert error("A+ p=1.5") == "trial 'A+ p=1.5': p must be in (0, 1], got 1.5"
    assert "got 0" in error("A+ p=0")
    assert "got -0.2" in error("A+ p=-0.2")
    assert "got nan" in error("A+ p=nan")
    assert "got 'abc'" in error("A+ p=abc")
    assert "p= needs a probability" in error("A+ p=")


def test_error_not_a_cue_token() -> None:
    assert error("A*") == (
        "trial 'A*': expected cue names followed by '+' or '-' "
        "(e.g. 'AB+', 'A-', 'tone&light+')"
    )
    assert "got 'A'" in error("A food")
    assert "expected cue names" in error("+")
    assert "expected cue names" in error("3 x")


def test_error_unexpected_token() -> None:
    msg = error("A+ foo")
    assert msg.startswith("trial 'A+ foo': unexpected 'foo'")
    assert "did you mean 'food'?" in msg
    assert msg.endswith(
        "expected a reinforcer (food, sucrose, cocaine, alcohol, shock, brain_stimulation), "
        "p=P, delay=TIME, @CONTEXT or test"
    )
    # on '-' trials only the options that apply are offered
    assert error("A- foo").endswith("expected delay=TIME, @CONTEXT or test")
    assert "amount follows a reinforcer" in error("A+ 2 pellets")
    assert "write a compound without spaces" in error("A+ B+")


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("AC+", ["unknown cue 'C'", "declared cues: A, B, X, tone, light"]),
        ("ton+", ["unknown cue 'ton'", "did you mean 'tone'?"]),
        ("toneA+", ["unknown cue 'toneA'", "join multi-character cue names with '&'"]),
        ("tone&lite+", ["unknown cue 'lite'", "did you mean 'light'?"]),
        ("a+", ["unknown cue 'a'", "did you mean 'A'?"]),
    ],
)
def test_error_unknown_cue(text: str, needles: list[str]) -> None:
    msg = error(text)
    for needle in needles:
        assert needle in msg


def test_error_unknown_cue_single_character_declarations() -> None:
    msg = error("ABD+", **{k: v for k, v in SINGLE.items() if k != "reinforcers"})
    assert "unknown cue 'D'" in msg and "declared cues: A, B, C" in msg


def test_error_compound_mistakes() -> None:
    assert "empty cue name" in error("A&&B+")
    assert "empty cue name" in error("&A+")
    assert "cue 'A' appears twice" in error("AA+")


def test_error_unknown_context() -> None:
    msg = error("A+ @hom")
    assert "unknown context 'hom'" in msg and "did you mean 'home'?" in msg
    assert "declared contexts: home, ctxB" in msg
    assert "needs a context name" in error("A+ @")
    assert "declared contexts: (none)" in error("A+ @home", contexts=[])


def test_error_reinforcement_options_on_nonreinforced() -> None:
    assert "not allowed on '-' trials" in error("A- food")
    assert "only allowed on '+' trials" in error("A- p=0.5")


def test_error_amounts() -> None:
    msg = error("A+ cocaine 0.75 mg/kgg")
    assert "amount of cocaine: unknown unit 'mg/kgg'" in msg
    assert "cocaine accepts mg/kg, ug/kg, or per subject mg, mg/infusion" in msg
    assert "did you mean 'mg/kg'?" in msg
    assert "'0.75' has no unit; write e.g. '0.75 mg/kg'" in error("A+ cocaine 0.75")
    assert "is negative" in error("A+ cocaine -1 mg/kg")
    assert "is zero" in error("A+ food 0 pellets")
    msg = error("A+ shock 0.5 mg/kg")
    assert "'0.5 mg/kg' cannot be an amount of shock: unit 'mg/kg' is for a dose" in msg
    assert "shock accepts mA, uA" in msg
    assert "takes no amount" in error("A+ brain_stimulation 2")
    # a stray word after a good amount is reported as unexpected, not as a unit
    assert "unexpected 'foo'" in error("A+ cocaine 0.75 mg/kg foo")


def test_error_delay() -> None:
    assert "delay: '2' has no unit; write e.g. '2 s'" in error("A+ delay=2")
    assert "delay: '2' has no unit" in error("A+ delay=2 test")
    assert "unknown unit 'sx'" in error("A+ delay=2 sx")
    assert "is negative" in error("A+ delay=-1 s")
    assert "delay= needs a time" in error("A+ delay=")


def test_error_counts() -> None:
    assert "whole number of 1 or more, got 0" in error("0 x A+")
    assert "got 1.5" in error("1.5x A+")
    assert "got -2" in error("-2 x A+")
    assert "write a trial count as 'N x'" in error("3 A+")


def test_error_duplicates() -> None:
    assert "test is given twice" in error("A+ test test")
    assert "p is given twice" in error("A+ p=0.5 p=0.2")
    assert "reinforcer is given twice" in error("A+ food sucrose")
    assert "context is given twice" in error("A+ @home @ctxB")
    assert "delay is given twice" in error("A+ delay=1 s delay=2 s")


def test_error_rest() -> None:
    assert "'rest TIME'" in error("rest")
    assert "is zero" in error("rest 0 d")
    assert "has no unit" in error("rest 2")
    assert "unknown unit 'q'" in error("rest 2 q")


def test_error_empty_and_non_string() -> None:
    assert "empty entry" in error("")
    assert "empty entry" in error("   ")
    with pytest.raises(NotationError, match="must be a string"):
        parse_entry(["A+"], **KW)  # type: ignore[arg-type]


def test_bad_default_reinforcer_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="default_reinforcer 'water'"):
        parse_entry("A+", **{**KW, "default_reinforcer": "water"})  # type: ignore[arg-type]
    # unused default is not checked
    assert parse_entry("A-", **{**KW, "default_reinforcer": "water"})  # type: ignore[arg-type]


def test_declared_names_must_be_a_sequence_not_a_string() -> None:
    with pytest.raises(TypeError):
        parse_entry("A+", **{**KW, "cues": "AB"})  # type: ignore[arg-type]


# -- properties --------------------------------------------------------------------

_PIECES = st.sampled_from(
    [*"AB+-x& @=p.0123456789eXt", "test", "rest", "delay=", "p=", "cocaine", "food", " mg/kg",
     " s", " pellets", "@home", "tone", "light", "\u00d7"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=12).map("".join), st.text(max_size=20)))
def test_any_text_parses_or_raises_notation_error(text: str) -> None:
    try:
        out = parse_entry(text, **KW)  # type: ignore[arg-type]
    except NotationError as err:
        assert "\n" not in str(err) and repr(text) in str(err)
    else:
        assert isinstance(out, (TrialSpec, Rest))
        if isinstance(out, TrialSpec):
            assert out.count >= 1 and 0.0 <= out.probability <= 1.0
            assert trial(out.label).label == out.label
