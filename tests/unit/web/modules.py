"""The page's files as the tests read them: the template, the ES modules and their imports."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

WEB_DIR = Path(str(resources.files("factcheck.web")))
STATIC = WEB_DIR / "static"
TEMPLATE = WEB_DIR / "templates" / "factcheck_web.html"
ENTRY = "app.js"

MODULES = sorted(p.name for p in STATIC.glob("*.js"))
ASSETS = sorted(p.name for p in STATIC.iterdir() if p.is_file())

_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"';]*?\bfrom\s+["']([^"']+)["']""", re.M | re.S)
_BARE_IMPORT = re.compile(r"""^\s*import\s+["']([^"']+)["']""", re.M)


def source(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def code_lines(name: str) -> list[str]:
    """The module's lines that are not comments (a `//` line or a line of a `/** */` block)."""
    lines = []
    in_block = False
    for line in source(name).splitlines():
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        if stripped.startswith("//"):
            continue
        lines.append(line)
    return lines


def imports(name: str) -> list[str]:
    text = source(name)
    return _IMPORT.findall(text) + _BARE_IMPORT.findall(text)


def reachable(entry: str = ENTRY) -> set[str]:
    """Every module the entry module loads, directly or not (relative imports only)."""
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in imports(name):
            assert spec.startswith("./"), f"{name} imports {spec!r}: only ./ modules (no build)"
            todo.append(spec[2:])
    return seen
