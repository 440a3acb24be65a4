"""Shared assertions for bad scenario input: one line naming the field, and exit 2 on the
command line with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from addictsim import ScenarioError, load_scenario


def assert_rejected(text: str, pieces: list[str]) -> None:
    """``load_scenario(text)`` raises a one-line ``ScenarioError`` containing ``pieces``."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(text)
    msg = str(info.value)
    assert "\n" not in msg.strip(), msg
    for piece in pieces:
        assert piece in msg, (piece, msg)


def assert_cli_exit_2(tmp_path: Path, text: str, piece: str) -> None:
    """``addictsim run`` on ``text`` exits 2, says ``piece`` and leaves no output folder."""
    from typer.testing import CliRunner

    from addictsim.cli import app

    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", str(bad), "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert piece in r.output and not out.exists()
