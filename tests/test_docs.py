"""The documentation builds without warnings, and every code block in it runs.

Each block's text is expanded with ``docs/hooks.py`` as the site shows it (a ``--8<--`` line
includes a file, e.g. TEMPLATE.toml), so the blocks checked are the ones a reader sees.
What happens to each fenced block of ``docs/**/*.md``, by language:

``python``
    executed. A page's blocks run in order in one fresh namespace, with the working
    directory set to a temporary folder (blocks may write only there). Keep them fast: tiny
    cohorts (``subjects=5``) and short scenarios.
``bash``
    every line that starts with ``addictsim `` is run as a command and must exit 0.
    ``addictsim run`` lines must give a small ``--subjects``, and ``addictsim validate`` lines
    must use ``--quick --only ID``. Other lines (installation commands) are not run.
``toml``
    a block whose first line that is not a comment starts with ``schema_version`` must load
    with ``addictsim.load_scenario``. A block with ``title="NAME.toml"`` is also written to the
    page's working folder before that page's python and bash blocks run.
``console``, ``text``
    shown, not run: long runs (the 1,000-subject default, the full scorecard), errors shown
    on purpose, and output.

The build itself (``mkdocs build --strict``) is skipped, with the reason, where mkdocs,
mkdocs-material or mkdocstrings-python are not installed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import addictsim

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


def _load_hooks():
    spec = importlib.util.spec_from_file_location("addictsim_docs_hooks", DOCS / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOKS = _load_hooks()


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    title: str | None
    text: str

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.line}"


_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')


def _blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page (line numbers in the source), each expanded by the
    hooks as the site shows it (e.g. an included file)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    rel = page.relative_to(DOCS).as_posix()
    out, i = [], 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m["indent"], m["fence"], m["info"].strip()
        start, body = i + 1, []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                break
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        i += 1
        lang = info.split()[0].lower() if info else ""
        title = _TITLE.search(info)
        text = HOOKS.expand("\n".join(body))
        out.append(Block(rel, start, lang, title["title"] if title else None, text))
    return out


BLOCKS = {page.relative_to(DOCS).as_posix(): _blocks(page) for page in PAGES}
ALL = [b for blocks in BLOCKS.values() for b in blocks]


def _pages_with(lang: str) -> list[str]:
    return [p for p, blocks in BLOCKS.items() if any(b.lang == lang for b in blocks)]


def _write_titled_files(page: str, where: Path) -> None:
    for b in BLOCKS[page]:
        if b.title:
            (where / b.title).write_text(b.text + "\n", encoding="utf-8")


def test_pages_and_blocks_are_found():
    assert (DOCS / "index.md").exists() and len(PAGES) >= 10
    langs = {b.lang for b in ALL}
    unknown = langs - {"python", "bash", "toml", "console", "text"}
    assert not unknown, f"code blocks with a language this test does not handle: {unknown}"
    assert _pages_with("python") and _pages_with("bash") and _pages_with("toml")
    unlabelled = [b.where for b in ALL if b.lang == ""]
    assert not unlabelled, f"code blocks without a language at {unlabelled}"


# ------------------------------------------------------------------------------ the build

def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:          # a parent package is missing
        return False


def _missing_doc_tools() -> list[str]:
    needed = {"mkdocs": "mkdocs", "material": "mkdocs-material",
              "mkdocstrings": "mkdocstrings", "mkdocstrings_handlers.python": "mkdocstrings-python"}
    return [dist for module, dist in needed.items() if not _installed(module)]


def test_mkdocs_build_strict(tmp_path):
    missing = _missing_doc_tools()
    if missing:
        pytest.skip(f"docs tools not installed: {', '.join(missing)} "
                    "(pip install mkdocs-material mkdocstrings-python)")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                          "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    log = res.stdout + res.stderr
    assert res.returncode == 0, log
    assert not re.search(r"^(WARNING|ERROR)\b", log, flags=re.M), log
    params = (site / "parameters" / "index.html").read_text(encoding="utf-8")
    for name in addictsim.BrainParams.specs():
        assert f"<code>{name}</code>" in params, f"parameter {name} missing from the table"
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert "addictsim.simulate" in api and "addictsim.load_scenario" in api
    scenarios = (site / "scenarios" / "index.html").read_text(encoding="utf-8")
    assert "episodes_per_day" in scenarios and "--8&lt;--" not in scenarios


# ------------------------------------------------------------------------------ python

@pytest.mark.parametrize("page", _pages_with("python"))
def test_python_blocks_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write_titled_files(page, tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for b in BLOCKS[page]:
        if b.lang != "python":
            continue
        code = compile(b.text, f"<{b.where}>", "exec")
        try:
            exec(code, namespace)
        except Exception as e:  # name the block in the failure
            raise AssertionError(f"python block at {b.where} failed: {e!r}") from e


# ------------------------------------------------------------------------------ bash

def _addictsim_command() -> list[str]:
    script = Path(sys.executable).with_name("addictsim")
    if script.exists():
        return [str(script)]
    found = shutil.which("addictsim")
    return [found] if found else [sys.executable, "-m", "addictsim.cli"]


def _commands(page: str) -> list[tuple[Block, list[str]]]:
    out = []
    for b in BLOCKS[page]:
        if b.lang != "bash":
            continue
        for line in b.text.splitlines():
            if line.strip().startswith("addictsim "):
                out.append((b, shlex.split(line, comments=True)))
    return out


def _check_small(b: Block, argv: list[str]) -> None:
    assert not set(argv) & {"|", "&&", ";", ">", "<"}, (
        f"{b.where}: keep documented commands to one plain addictsim command per line")
    if len(argv) > 1 and argv[1] == "run":
        n = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--subjects", "-n")), None)
        assert n is not None and int(n) <= 50, (
            f"{b.where}: `{' '.join(argv)}` needs a small --subjects to run in the tests; "
            "show long runs in a ```console block")
    if len(argv) > 1 and argv[1] == "validate":
        assert "--quick" in argv and "--only" in argv, (
            f"{b.where}: run `addictsim validate` in the tests only as --quick --only ID; "
            "show the full scorecard in a ```console block")


BASH_PAGES = [p for p in _pages_with("bash") if _commands(p)]


@pytest.mark.parametrize("page", BASH_PAGES)
def test_bash_commands_run(page, tmp_path):
    _write_titled_files(page, tmp_path)
    exe = _addictsim_command()
    for b, argv in _commands(page):
        _check_small(b, argv)
        res = subprocess.run(exe + argv[1:], cwd=tmp_path, capture_output=True, text=True,
                             timeout=300)
        assert res.returncode == 0, (f"{b.where}: `{' '.join(argv)}` exited {res.returncode}\n"
                                     f"{res.stdout}\n{res.stderr}")


# ------------------------------------------------------------------------------ toml

def _first_statement(text: str) -> str:
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            return s
    return ""


SCENARIO_BLOCKS = [b for b in ALL if b.lang == "toml"
                   and _first_statement(b.text).startswith("schema_version")]


@pytest.mark.parametrize("block", SCENARIO_BLOCKS, ids=lambda b: b.where)
def test_toml_scenarios_load(block):
    sc = addictsim.load_scenario(block.text + "\n")
    assert sc.name


def test_template_is_shown_whole():
    template = (ROOT / "addictsim" / "scenarios" / "TEMPLATE.toml").read_text(encoding="utf-8")
    assert any(b.text.strip() == template.strip() for b in BLOCKS["scenarios.md"])


def test_the_error_examples_show_what_the_loader_prints(capsys):
    """The writing-scenarios page prints its bad-input examples' messages below the code:
    they are the loader's messages now, word for word."""
    blocks = BLOCKS["scenarios.md"]
    i = next(k for k, b in enumerate(blocks) if b.lang == "python" and "mistakes = {" in b.text)
    shown = blocks[i + 1]
    assert shown.lang == "text"
    exec(compile(blocks[i].text, "scenarios.md", "exec"), {})
    assert capsys.readouterr().out.strip() == shown.text.strip()
