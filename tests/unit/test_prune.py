"""layers/prune.py on a small fake layer: what it removes, and what it must keep."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO_ROOT


def prune_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("layer_prune", REPO_ROOT / "layers" / "prune.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def install(root: Path, dist: str, files: dict[str, str]) -> None:
    """A distribution as pip --target leaves it: its files and a dist-info with a RECORD."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    info = root / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "RECORD").write_text(
        "".join(f"{name},sha256=x,1\n" for name in files) + f"{info.name}/RECORD,,\n"
    )


def test_prune_drops_the_common_layers_distributions_the_runtimes_and_test_suites(tmp_path: Path) -> None:
    layer, common = tmp_path / "layer", tmp_path / "common"
    install(layer, "pydantic", {"pydantic/__init__.py": "", "pydantic/main.py": ""})
    install(layer, "botocore", {"botocore/__init__.py": ""})
    install(layer, "trafilatura", {"trafilatura/__init__.py": "", "trafilatura/core.py": ""})
    install(
        layer,
        "regex",
        {"regex/__init__.py": "", "regex/tests/test_regex.py": "", "regex/tests/__init__.py": ""},
    )
    install(
        layer,
        "babel",
        {
            "babel/__init__.py": "",
            "babel/locale-data/zh_Hant_TW.dat": "x",
            "babel/locale-data/fr.dat": "x",
            "babel/locale-data/root.dat": "x",
        },
    )
    install(
        layer,
        "pillow",
        {
            "PIL/__init__.py": "",
            "PIL/_avif.cpython-311-x86_64-linux-gnu.so": "x",
            "PIL/_avif.pyi": "",
            "PIL/_imaging.cpython-311-x86_64-linux-gnu.so": "x",
        },
    )
    install(common, "pydantic", {"pydantic/__init__.py": ""})

    freed = prune_module().prune(layer, common)

    assert not (layer / "pydantic").exists() and not list(layer.glob("pydantic-*"))
    assert not (layer / "botocore").exists()
    assert (layer / "trafilatura" / "core.py").is_file() and list(layer.glob("trafilatura-*.dist-info"))
    assert (layer / "regex" / "__init__.py").is_file() and not (layer / "regex" / "tests").exists()
    assert sorted(p.name for p in (layer / "babel" / "locale-data").iterdir()) == [
        "root.dat",
        "zh_Hant_TW.dat",
    ]
    assert (layer / "PIL" / "_imaging.cpython-311-x86_64-linux-gnu.so").is_file()
    assert not (layer / "PIL" / "_avif.cpython-311-x86_64-linux-gnu.so").exists()
    assert {"in the common layer", "in the runtime", "test suites", "babel locale data"} <= set(freed)


def test_a_module_merely_named_test_is_kept(tmp_path: Path) -> None:
    # Only a directory holding test modules is a test suite; a package's own `testing` helpers are code.
    install(
        tmp_path,
        "anyio",
        {"anyio/__init__.py": "", "anyio/pytest_plugin.py": "", "anyio/abc/_testing.py": ""},
    )
    prune_module().prune(tmp_path, None)
    assert (tmp_path / "anyio" / "pytest_plugin.py").is_file() and (
        tmp_path / "anyio" / "abc" / "_testing.py"
    ).is_file()
