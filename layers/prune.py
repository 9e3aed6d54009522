"""Prune a built layer (`python prune.py LAYER_DIR [--provided-by DIR]`): remove what no code path of
dailydigest uses, so each function's code plus its layers stays small and starts fast.

Every rule names what it removes and why; the e2e test runs each function on its events/ sample from
the built, pruned artifacts, and imports the lazily used modules (X-Ray tracer, SSM/Secrets Manager
parameters), so a rule that removes something needed fails there.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

# Shipped by the python3.11 Lambda runtime (aws-xray-sdk pulls botocore in).
RUNTIME_DISTRIBUTIONS = ("botocore", "boto3", "s3transfer")

# Paths (globs, relative to the layer's python/) no code path reaches.
UNUSED = (
    "bin",  # console scripts of the installed packages
    # Powertools utilities we do not use (we use logging, metrics, tracing, parser and parameters).
    # event_handler's only other user is shared.functions.pydantic_to_dict, reached when Powertools
    # JSON-encodes a pydantic object (idempotency, set_secret with a model): never here.
    "aws_lambda_powertools/event_handler",
    "aws_lambda_powertools/utilities/auth_alpha",
    "aws_lambda_powertools/utilities/batch",
    "aws_lambda_powertools/utilities/circuit_breaker",
    "aws_lambda_powertools/utilities/data_classes",
    "aws_lambda_powertools/utilities/data_masking",
    "aws_lambda_powertools/utilities/feature_flags",
    "aws_lambda_powertools/utilities/idempotency",
    "aws_lambda_powertools/utilities/kafka",
    "aws_lambda_powertools/utilities/streaming",
    "aws_lambda_powertools/utilities/validation",
    # OpenCC's command-line tools, C++ headers and static libraries: the Python binding needs only
    # its extension module and the dictionaries in share/.
    "opencc/clib/bin",
    "opencc/clib/include",
    "opencc/clib/lib64",
    # PyYAML's libyaml binding: we load and dump with SafeLoader/SafeDumper (pure Python), never the
    # C classes; yaml/__init__ imports cyaml inside try/except ImportError.
    "yaml/_yaml.*.so",
    "_yaml",
    # lxml's objectify and Schematron: nothing here (trafilatura, htmldate, justext, lxml_html_clean,
    # dailydigest) imports them; etree and html are what is used.
    "lxml/objectify.*.so",
    "lxml/isoschematron",
    # C headers and Cython sources that ship inside wheels.
    "lxml/includes",
    "lxml/*.pyx",
    "lxml/*.pxd",
    "lxml/*.h",
    "lxml/html/*.pyx",
    # AVIF support (the infographic is a PNG): AvifImagePlugin imports _avif inside try/except.
    "PIL/_avif.*.so",
    "pillow.libs/libavif-*.so*",
    # The font package's serif face: the infographic draws Noto Sans TC only.
    "pylopdf_fonts_zh_tw/NotoSerifTC-*.otf",
)

# babel's locale data is read only by courlan's language filter, which trafilatura applies only when
# given a target language (we never pass one); a locale without data is an UnknownLocaleError that
# courlan catches. Keep the topics' languages (zh-TW, en) with their parent chains up to root.
BABEL_KEEP = (
    "root.dat",
    "en.dat",
    "en_US.dat",
    "zh.dat",
    "zh_Hant.dat",
    "zh_Hant_TW.dat",
    "zh_Hans.dat",
    "zh_Hans_CN.dat",
)

TEST_DIRECTORIES = ("tests", "test")


def remove(path: Path) -> int:
    size = (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    return size


def distribution_name(dist_info: Path) -> str:
    return dist_info.name.split("-", 1)[0].lower().replace("_", "-").replace(".", "-")


def remove_distribution(root: Path, dist_info: Path) -> int:
    """Every file a distribution installed (its RECORD), then the empty directories it leaves."""
    freed = 0
    record = dist_info / "RECORD"
    files = [line.split(",", 1)[0] for line in record.read_text().splitlines()] if record.exists() else []
    top_dirs = set()
    for name in files:
        path = (root / name).resolve()
        if root.resolve() in path.parents and path.is_file():
            freed += remove(path)
            top_dirs.add(root / Path(name).parts[0])
    for directory in sorted(top_dirs, key=lambda p: len(p.parts), reverse=True):
        if directory.is_dir() and not any(f.is_file() for f in directory.rglob("*")):
            shutil.rmtree(directory)
    if dist_info.exists():
        freed += remove(dist_info)
    return freed


def prune(root: Path, provided_by: Path | None) -> dict[str, int]:
    freed: dict[str, int] = {}
    provided = {distribution_name(d) for d in provided_by.glob("*.dist-info")} if provided_by else set()
    for dist_info in sorted(root.glob("*.dist-info")):
        name = distribution_name(dist_info)
        if name in provided:
            freed["in the common layer"] = freed.get("in the common layer", 0) + remove_distribution(
                root, dist_info
            )
        elif name in RUNTIME_DISTRIBUTIONS:
            freed["in the runtime"] = freed.get("in the runtime", 0) + remove_distribution(root, dist_info)
    for pattern in UNUSED:
        for path in root.glob(pattern):
            freed[pattern] = freed.get(pattern, 0) + remove(path)
    locale_data = root / "babel" / "locale-data"
    if locale_data.is_dir():
        keep = {p for pattern in BABEL_KEEP for p in locale_data.glob(pattern)}
        for path in locale_data.iterdir():
            if path not in keep:
                freed["babel locale data"] = freed.get("babel locale data", 0) + remove(path)
    for package in [p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".dist-info")]:
        for name in TEST_DIRECTORIES:
            for path in list(package.rglob(name)):
                # A package's own test suite: a tests/ or test/ directory holding test modules.
                if path.is_dir() and (any(path.rglob("test_*.py")) or any(path.rglob("*_test.py"))):
                    freed["test suites"] = freed.get("test suites", 0) + remove(path)
    for cache in list(root.rglob("__pycache__")):
        remove(cache)  # stale bytecode from the source tree; compileall writes it afresh
    return freed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layer", type=Path)
    parser.add_argument("--provided-by", type=Path, help="an installed common layer: its distributions go")
    args = parser.parse_args()
    freed = prune(args.layer, args.provided_by)
    for what, size in sorted(freed.items(), key=lambda kv: -kv[1]):
        print(f"pruned {size / 1_048_576:6.1f} MiB  {what}", file=sys.stderr)


if __name__ == "__main__":
    main()
