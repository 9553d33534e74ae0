"""The layers of docs/design.md: the headless packages never load pygame (the CLI and workers stay light)."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import hyper_prime_spiral

HEADLESS = ("primes", "model", "training", "storage", "commands")
PACKAGE_DIR = Path(hyper_prime_spiral.__file__).parent


def headless_modules() -> list[str]:
    names = []
    for package in HEADLESS:
        for info in pkgutil.iter_modules([str(PACKAGE_DIR / package)]):
            names.append(f"hyper_prime_spiral.{package}.{info.name}")
    return names


def test_no_headless_source_file_imports_pygame():
    offenders = []
    for package in HEADLESS:
        for path in (PACKAGE_DIR / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n == "pygame" or n.startswith(("pygame.", "hyper_prime_spiral.ui")) for n in names):
                    offenders.append(str(path.relative_to(PACKAGE_DIR)))
    assert offenders == []


def test_importing_every_headless_module_loads_no_pygame():
    modules = headless_modules()
    assert len(modules) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('pygame' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
