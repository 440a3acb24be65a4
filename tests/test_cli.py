"""The command line (DESIGN.md, "Files"): ``addictsim run SCENARIO --out DIR`` writes
``results.zarr``, ``summary.json``, ``figures/*.png`` and ``report.html`` atomically;
exit codes are 0 success, 2 bad input, 3 numerical failure, 130 interrupted.

Bad input gets one line on stderr, starting ``error:`` and naming the file, the field
and the value, and leaves no output directory (nor a temporary sibling of it).

In-process tests use ``typer.testing.CliRunner``; the end-to-end ones (version,
listing, a real run, a run killed part-way) start the installed ``addictsim`` script.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import addictsim
from addictsim import engine
from addictsim.cli import app

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

TINY = """schema_version = 1

[scenario]
name = "tiny"
seed = 1
cues = ["A", "light"]
contexts = ["home", "lab"]

[cohort]
subjects = 3

[[phase]]
name = "train"
task = "pavlovian"
iti = "20 s"
trials = ["10 x A+"]
"""

TINY_SA = """schema_version = 1

[scenario]
name = "tiny-sa"
cues = ["light"]

[cohort]
subjects = 3

[[phase]]
name = "sa"
task = "self_administration"
days = 1
session = "10 min"
dose = "0.75 mg/kg"
cue = "light"
"""

# Valid input whose simulation overflows: every learning and drug parameter at its
# maximum, responding made free and a dose far beyond float32.
BLOW_UP = """schema_version = 1

[scenario]
name = "blow-up"
cues = ["light"]

[cohort]
subjects = 2
alpha = 1.0
alpha_q = 1.0
da_to_reward = 5.0
drug_sensitivity = 10.0
beta = 50.0
other_value = -5.0
response_cost = 0.0

[[phase]]
name = "sa"
task = "self_administration"
days = 1
session = "10 min"
dose = "1e300 mg/kg"
cue = "light"
"""


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, f"test bug: {old!r} not in the base scenario"
    return text.replace(old, new, 1)


def _lines(text: str) -> list[str]:
    return [line for line in ANSI.sub("", text).splitlines() if line.strip()]


def _leftovers(out: Path) -> list[str]:
    """Temporary siblings of ``out`` (``.out.XXXX.partial``, ``.out.old``, ...)."""
    if not out.parent.exists():
        return []
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _invoke(args: list[str]):
    return CliRunner().invoke(app, [str(a) for a in args])


def _error_line(stderr: str, *, only: bool = True) -> str:
    lines = _lines(stderr)
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, f"expected one 'error:' line, got stderr:\n{stderr}"
    if only:
        assert lines == errors, f"expected the error line alone on stderr, got:\n{stderr}"
    return errors[0]


def _assert_bad_input(result, out: Path, pieces: list[str]) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}")
    line = _error_line(result.stderr)
    for piece in pieces:
        assert piece in line, f"{piece!r} not in {line!r}"
    assert not out.exists(), f"{out} was created"
    assert _leftovers(out) == []
    return line


def _assert_run_dir(out: Path, subjects: int) -> None:
    assert (out / "results.zarr").is_dir()
    assert (out / "report.html").is_file() and (out / "report.html").stat().st_size > 0
    pngs = list((out / "figures").glob("*.png"))
    assert pngs, "no figures written"
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["subjects"] == subjects
    ds = addictsim.open_results(out)
    assert ds.sizes["subject"] == subjects
    assert _leftovers(out) == []


def _script() -> list[str]:
    exe = Path(sys.executable).with_name("addictsim")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("addictsim")
    assert found, "the addictsim script is not installed"
    return [found]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(NO_COLOR="1", PYTHONWARNINGS="ignore", **extra)
    return env


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """A directory holding the scenario files and nothing else, as --out's parent."""
    d = tmp_path / "runs"
    d.mkdir()
    return d


def _write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_dataset():
    """One real simulation, reused by the tests that make the writing fail."""
    return addictsim.simulate(TINY, subjects=3)


# ---------------------------------------------------------------- bad input: exit 2

BAD_FILES: list[tuple[str, str, list[str]]] = [
    ("malformed-toml", "schema_version = 1\n[scenario\nname = 'x'\n",
     ["malformed TOML", "line 2"]),
    ("unknown-key", 'colour = "red"\n' + TINY, ["unknown key 'colour'"]),
    ("typo-key-did-you-mean", TINY + 'itti = "30 s"\n',
     ["phase[0]", "unknown key 'itti'", "did you mean 'iti'"]),
    ("typo-cohort-key-long-message", _sub(TINY, "subjects = 3", "subjects = 3\nalpah = 0.2"),
     ["cohort", "unknown key 'alpah'", "did you mean 'alpha'", "craving_half"]),
    ("unknown-task", _sub(TINY, '"pavlovian"', '"pavlovain"'),
     ["phase[0]", "unknown task 'pavlovain'", "did you mean 'pavlovian'"]),
    ("zero-duration", _sub(TINY, '"20 s"', '"0 s"'), ["phase[0].iti", "'0 s'", "zero"]),
    ("negative-duration", _sub(TINY, '"20 s"', '"-5 s"'),
     ["phase[0].iti", "'-5 s'", "negative"]),
    ("zero-days", _sub(TINY_SA, "days = 1", "days = 0"), ["phase[0].days", "0"]),
    ("wrong-type", _sub(TINY, "subjects = 3", 'subjects = "many"'),
     ["cohort.subjects", "'many'"]),
    ("wrong-type-duration", _sub(TINY, '"20 s"', "[1]"), ["phase[0].iti", "[1]"]),
    ("unknown-unit", _sub(TINY, '"20 s"', '"20 parsecs"'),
     ["phase[0].iti", "'parsecs'", "'20 parsecs'"]),
    ("malformed-trial", _sub(TINY, '"10 x A+"', '"10 x A"'),
     ["phase[0] 'train'", "'10 x A'", "'+' or '-'"]),
    ("undeclared-context", TINY + 'context = "clinic"\n',
     ["phase[0] 'train'", "context 'clinic'", "not declared", "[scenario] contexts"]),
    ("undeclared-context-in-trial", _sub(TINY, '"10 x A+"', '"10 x A+ @clinic"'),
     ["phase[0] 'train'", "'10 x A+ @clinic'", "unknown context 'clinic'"]),
    ("undeclared-cue", _sub(TINY_SA, 'cue = "light"', 'cue = "tone"'),
     ["phase[0] 'sa'", "cue 'tone'", "not declared"]),
    ("undeclared-cue-in-trial", _sub(TINY, '"10 x A+"', '"10 x B+"'),
     ["phase[0] 'train'", "'10 x B+'", "unknown cue 'B'"]),
    ("unknown-reinforcer", TINY + 'reinforcer = "chocolate"\n',
     ["phase[0].reinforcer", "'chocolate'"]),
    ("unknown-drug", _sub(TINY_SA, 'dose = "0.75 mg/kg"', 'reinforcer = "cocaina"'),
     ["phase[0].reinforcer", "'cocaina'", "did you mean 'cocaine'"]),
    ("negative-dose", _sub(TINY_SA, '"0.75 mg/kg"', '"-0.5 mg/kg"'),
     ["phase[0]", "dose", "'-0.5 mg/kg'", "negative"]),
    ("schema-version-missing", _sub(TINY, "schema_version = 1\n", ""),
     ["schema_version", "missing"]),
    ("schema-version-3", _sub(TINY, "schema_version = 1", "schema_version = 3"),
     ["schema_version", "3"]),
    ("parameter-out-of-range", _sub(TINY, "subjects = 3", "subjects = 3\nalpha = 2.0"),
     ["cohort", "'alpha'", "2.0"]),
    # Text that looks like console markup must come through verbatim, not be
    # interpreted (or crash the printer).
    ("markup-like-value", _sub(TINY, '"10 x A+"', '"10 x [/b]+"'),
     ["phase[0] 'train'", "'10 x [/b]+'"]),
    ("bracketed-value", _sub(TINY, '"10 x A+"', '"10 x [red]+"'),
     ["phase[0] 'train'", "'10 x [red]+'"]),
]


@pytest.mark.parametrize("text, pieces", [(t, p) for _, t, p in BAD_FILES],
                         ids=[c[0] for c in BAD_FILES])
def test_bad_scenario_file(tmp_path: Path, runs: Path, text: str, pieces: list[str]) -> None:
    path = _write(tmp_path, text)
    out = runs / "out"
    _assert_bad_input(_invoke(["run", path, "--out", out]), out, [str(path), *pieces])


def test_missing_file(tmp_path: Path, runs: Path) -> None:
    path = tmp_path / "nope.toml"
    out = runs / "out"
    _assert_bad_input(_invoke(["run", path, "--out", out]), out, [str(path), "no such file"])


def test_misspelt_shipped_scenario(runs: Path) -> None:
    out = runs / "out"
    _assert_bad_input(_invoke(["run", "dopamine-shfit", "--out", out]), out,
                      ["dopamine-shfit", "no such file", "did you mean 'dopamine-shift'"])


@pytest.mark.parametrize("args, pieces", [
    (["--subjects", "0"], ["--subjects", "0"]),
    (["--subjects", "-3"], ["--subjects", "-3"]),
    (["--record", "bogus"], ["--record", "'bogus'", "episode"]),
    (["--chunk-size", "0"], ["--chunk-size", "0"]),
], ids=["subjects-0", "subjects-negative", "record-bogus", "chunk-size-0"])
def test_bad_option(tmp_path: Path, runs: Path, args: list[str], pieces: list[str]) -> None:
    path = _write(tmp_path, TINY)
    out = runs / "out"
    _assert_bad_input(_invoke(["run", path, "--out", out, *args]), out, pieces)


def test_option_of_wrong_type_is_exit_2(tmp_path: Path, runs: Path) -> None:
    path = _write(tmp_path, TINY)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out, "--subjects", "many"])
    assert result.exit_code == 2, result.output
    assert not out.exists()


def test_existing_out_without_overwrite(tmp_path: Path, runs: Path) -> None:
    path = _write(tmp_path, TINY)
    out = runs / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code == 2, (result.stderr, result.exception)
    line = _error_line(result.stderr)
    assert str(out) in line and "--overwrite" in line, line
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "mine"
    assert _leftovers(out) == []


def test_bad_input_with_overwrite_keeps_existing_out(tmp_path: Path, runs: Path) -> None:
    path = _write(tmp_path, _sub(TINY, '"20 s"', '"-5 s"'))
    out = runs / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = _invoke(["run", path, "--out", out, "--overwrite"])
    assert result.exit_code == 2
    assert "'-5 s'" in _error_line(result.stderr)
    assert (out / "keep.txt").read_text() == "mine"
    assert _leftovers(out) == []


def test_bad_input_without_out_writes_no_default_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, TINY + 'itti = "30 s"\n')
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    result = _invoke(["run", path])
    assert result.exit_code == 2
    assert "itti" in _error_line(result.stderr)
    assert list(work.iterdir()) == []


# ---------------------------------------------------------------- numerical failure: exit 3

def test_absurd_dose_is_refused_before_it_can_overflow(tmp_path: Path, runs: Path) -> None:
    # a dose that once overflowed float32 is now outside cocaine's modelled range: exit 2
    path = _write(tmp_path, BLOW_UP)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    line = _error_line(result.stderr)
    assert "dose" in line and "modelled range" in line, line
    assert not out.exists()
    assert _leftovers(out) == []


def test_numerical_error_is_exit_3(tmp_path: Path, runs: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise engine.NumericalError("non-finite values in da_cue")

    monkeypatch.setattr("addictsim.results.simulate", boom)
    path = _write(tmp_path, TINY)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code == 3, (result.exit_code, result.stderr, result.exception)
    line = _error_line(result.stderr, only=False)
    assert "numerical failure" in line and "da_cue" in line, line
    assert not out.exists()
    assert _leftovers(out) == []


# ---------------------------------------------------------------- interrupted: exit 130

def test_interrupted_during_simulation(tmp_path: Path, runs: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("addictsim.results.simulate", interrupted)
    path = _write(tmp_path, TINY)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code == 130, (result.exit_code, result.stderr, result.exception)
    assert "interrupted" in result.stderr
    assert not out.exists()
    assert _leftovers(out) == []


def _failing_figures(exc: BaseException):
    def make_figures(ds, outdir):
        (Path(outdir) / "half-written.png").write_bytes(b"\x89PNG")
        raise exc

    return make_figures


def test_interrupted_while_writing(tmp_path: Path, runs: Path, tiny_dataset,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("addictsim.results.simulate", lambda *a, **k: tiny_dataset)
    monkeypatch.setattr("addictsim.report.make_figures", _failing_figures(KeyboardInterrupt()))
    path = _write(tmp_path, TINY)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code == 130, (result.exit_code, result.stderr, result.exception)
    assert "nothing was written" in result.stderr
    assert not out.exists()
    assert _leftovers(out) == []


def test_failure_while_writing_leaves_nothing(tmp_path: Path, runs: Path, tiny_dataset,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("addictsim.results.simulate", lambda *a, **k: tiny_dataset)
    monkeypatch.setattr("addictsim.report.make_figures",
                        _failing_figures(RuntimeError("disk on fire")))
    path = _write(tmp_path, TINY)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError), result.exception
    assert not out.exists()
    assert _leftovers(out) == []
    assert sorted(p.name for p in runs.iterdir()) == []


def test_failure_while_overwriting_keeps_the_old_run(tmp_path: Path, runs: Path, tiny_dataset,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("addictsim.results.simulate", lambda *a, **k: tiny_dataset)
    monkeypatch.setattr("addictsim.report.make_figures",
                        _failing_figures(RuntimeError("disk on fire")))
    path = _write(tmp_path, TINY)
    out = runs / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old run")
    result = _invoke(["run", path, "--out", out, "--overwrite"])
    assert result.exit_code != 0
    assert (out / "keep.txt").read_text() == "old run"
    assert _leftovers(out) == []


# ---------------------------------------------------------------- success

def test_run_writes_the_run_directory_and_overwrite_replaces_it(tmp_path: Path,
                                                                runs: Path) -> None:
    path = _write(tmp_path, TINY)
    out = runs / "out"
    result = _invoke(["run", path, "--out", out, "--subjects", "3", "--seed", "5"])
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "error:" not in result.stderr
    assert str(out) in result.stdout
    _assert_run_dir(out, 3)
    ds = addictsim.open_results(out)
    assert int(ds.attrs["seed"]) == 5
    assert ds.attrs["scenario_name"] == "tiny"
    assert "10 x A+" in ds.attrs["scenario_text"]

    # a second run into the same directory needs --overwrite ...
    (out / "stale.txt").write_text("from an earlier run")
    again = _invoke(["run", path, "--out", out, "--subjects", "2"])
    assert again.exit_code == 2
    assert (out / "stale.txt").exists()
    assert addictsim.open_results(out).sizes["subject"] == 3

    # ... and with it, replaces the directory as a whole
    replaced = _invoke(["run", path, "--out", out, "--subjects", "2", "--overwrite"])
    assert replaced.exit_code == 0, (replaced.stderr, replaced.exception)
    assert not (out / "stale.txt").exists()
    _assert_run_dir(out, 2)
    assert sorted(p.name for p in runs.iterdir()) == ["out"]


def test_run_default_out_is_results_name_timestamp(tmp_path: Path, tiny_dataset,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("addictsim.results.simulate", lambda *a, **k: tiny_dataset)
    path = _write(tmp_path, TINY)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    result = _invoke(["run", path])
    assert result.exit_code == 0, (result.stderr, result.exception)
    made = list((work / "results").iterdir())
    assert len(made) == 1
    assert re.fullmatch(r"tiny-\d{8}T\d{6}Z", made[0].name), made[0].name
    _assert_run_dir(made[0], 3)


def test_scenario_name_that_looks_like_markup_runs(tmp_path: Path, runs: Path, tiny_dataset,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid name is printed verbatim, never read as console markup."""
    monkeypatch.setattr("addictsim.results.simulate", lambda *a, **k: tiny_dataset)
    path = _write(tmp_path, _sub(TINY, 'name = "tiny"', 'name = "[/x]"'))
    out = runs / "out"
    result = _invoke(["run", path, "--out", out])
    assert result.exit_code == 0, (result.exit_code, result.stderr, result.exception)
    assert "[/x]" in result.stderr
    _assert_run_dir(out, 3)


# ---------------------------------------------------------------- end to end (subprocess)

def _run(args: list[str], *, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*_script(), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=_env(**env))


def test_version() -> None:
    proc = _run(["--version"], timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert addictsim.__version__ in proc.stdout


def test_scenarios_lists_the_shipped_scenarios() -> None:
    proc = _run(["scenarios"], timeout=60, COLUMNS="200")
    assert proc.returncode == 0, proc.stderr
    shipped = addictsim.shipped_scenarios()
    assert shipped
    for name in shipped:
        assert name in proc.stdout, f"{name} not listed:\n{proc.stdout}"
    assert "TEMPLATE" not in proc.stdout


def test_end_to_end_run(tmp_path: Path, runs: Path) -> None:
    path = _write(tmp_path, TINY_SA)
    out = runs / "out"
    proc = _run(["run", path, "--out", out, "--subjects", "3"])
    assert proc.returncode == 0, proc.stderr
    _assert_run_dir(out, 3)
    assert sorted(p.name for p in runs.iterdir()) == ["out"]


def test_end_to_end_bad_input_is_one_unwrapped_line(tmp_path: Path, runs: Path) -> None:
    """A narrow terminal must not wrap the (long) error across lines."""
    path = _write(tmp_path, _sub(TINY, "subjects = 3", "subjects = 3\nalpah = 0.2"))
    out = runs / "out"
    proc = _run(["run", path, "--out", out], timeout=60, COLUMNS="40")
    assert proc.returncode == 2, proc.stderr
    line = _error_line(proc.stderr, only=False)
    assert "Traceback" not in proc.stderr
    for piece in (str(path), "cohort", "'alpah'", "did you mean 'alpha'", "craving_half"):
        assert piece in line, f"{piece!r} not in {line!r}"
    assert not out.exists()
    assert _leftovers(out) == []


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 90.0) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    proc.kill()
    proc.wait(timeout=30)
    raise AssertionError("the run never reached the point where it was to be killed")


@pytest.mark.parametrize("when", ["while-writing", "while-simulating"])
def test_killed_run_leaves_no_results(tmp_path: Path, runs: Path, when: str) -> None:
    path = _write(tmp_path, TINY)
    out = runs / "out"
    log = tmp_path / "stderr.txt"
    with open(log, "w") as err:
        proc = subprocess.Popen([*_script(), "run", str(path), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=err, env=_env())
        if when == "while-writing":
            def ready() -> bool:
                return any(p.name.endswith(".partial") for p in runs.iterdir())
        else:
            def ready() -> bool:
                return "simulating" in log.read_text(errors="replace")
        try:
            killed = _kill_when(proc, ready)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
    assert killed, f"the run finished before it could be killed:\n{log.read_text()}"
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists(), sorted(p.name for p in out.rglob("*"))
    assert not (out / "results.zarr").exists()
