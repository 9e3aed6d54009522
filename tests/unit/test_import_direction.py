"""The direction of imports, read from the source (lazy imports inside functions included):
boundary models import nothing above them, and the domain and the stages import no SDK."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "layers" / "common" / "dailydigest"
SDKS = ("boto3", "botocore", "httpx", "httpcore", "openai")
# What a boundary model may build on: other models, the error tree and the locale registry.
BELOW_MODELS = ("dailydigest.models", "dailydigest.errors", "dailydigest.locales")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("models"), ids=lambda p: p.name)
def test_models_import_nothing_above_them(path: Path) -> None:
    above = {
        name
        for name in _imports(path)
        if name.startswith("dailydigest") and not name.startswith(BELOW_MODELS)
    }
    assert above == set(), f"{path.name} imports {sorted(above)}"


@pytest.mark.parametrize(
    "path",
    [*_modules("models"), *_modules("news"), *_modules("stages")],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_models_domain_and_stages_import_no_sdk(path: Path) -> None:
    sdks = {name for name in _imports(path) if name.split(".")[0] in SDKS}
    assert sdks == set(), f"{path.parent.name}/{path.name} imports {sorted(sdks)}"


def test_the_check_sees_lazy_imports(tmp_path: Path) -> None:
    # Given a module that imports an SDK inside a function
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    import httpx\n    from openai import OpenAI\n")
    # Then both imports are found
    assert {"httpx", "openai"} <= _imports(module)
