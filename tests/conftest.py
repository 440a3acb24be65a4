"""Test configuration: JAX in strict mode (no implicit rank promotion), no persistent cache writes
outside a temporary directory."""

import os
import tempfile

os.environ.setdefault("ADDICTSIM_CACHE_DIR", os.path.join(tempfile.gettempdir(), "addictsim-test-cache"))

from addictsim.engine import parallel_environment, reproducible_environment  # noqa: E402

reproducible_environment()  # before JAX starts its backend: bitwise chunk invariance
parallel_environment(cores=2)  # as the CLI does on a 2-core machine: exercises sharding

import jax  # noqa: E402
import pytest  # noqa: E402

jax.config.update("jax_numpy_rank_promotion", "raise")


def pytest_addoption(parser):
    parser.addoption(
        "--full", action="store_true",
        help="the full suite: the reference rows (tests/reference) at their full cohort "
             "sizes, as `addictsim validate` does (by default they run at the smaller cohorts "
             "of `addictsim validate --quick`), and the tests marked `full`")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "full: runs only with --full: needs a reference row's full-size cohort "
                   "(a margin counted in standard errors, say) or a long compilation (Numba)")
    if config.getoption("--full"):
        os.environ["ADDICTSIM_TEST_FULL"] = "1"      # read by tests/reference/_rows.py


def pytest_collection_modifyitems(config, items):
    if config.getoption("--full"):
        return
    skip = pytest.mark.skip(reason="part of the full suite: run with --full")
    for item in items:
        if "full" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def refused_run(tmp_path):
    """``check(text, pieces, name)``: ``addictsim run`` on a scenario file holding ``text``
    exits with code 2, prints an ``error:`` line naming the file and each of ``pieces``, and
    writes nothing. Returns the message with Rich's line wrapping undone."""
    from typer.testing import CliRunner

    from addictsim.cli import app

    def check(text: str, pieces=(), name: str = "bad.toml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out = tmp_path / "out"
        result = CliRunner().invoke(app, ["run", str(path), "--out", str(out)])
        assert result.exit_code == 2, result.output
        lines = [" ".join(x.split()) for x in result.output.splitlines() if x.strip()]
        assert any(x.startswith("error:") for x in lines), result.output
        message = " ".join(result.output.split())     # Rich may wrap a long line
        assert str(path) in message, message
        for piece in pieces:
            assert " ".join(piece.split()) in message, f"{piece!r} not in {message!r}"
        assert not out.exists()
        return message

    return check
