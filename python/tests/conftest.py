"""Shared fixtures: the checkout, the command line built from it, the shared dev sets.

Tests that need something from outside the repository (the shared dev sets beside the
checkout, the command-line binary, pyspark and Java, datatrove) are skipped, visibly, with
the reason when it is missing; with ``CI`` set, as ``.ci/run`` sets it, they fail instead,
so CI cannot pass without running them.
"""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DEV_SETS = {
    "html-dev": SHARED / "corpus" / "html-dev",
    "text-dev": SHARED / "corpus" / "text-dev",
    "repost-dev": SHARED / "corpus" / "repost-dev",
    "repost-dev2": SHARED / "corpus" / "repost-dev2",
    "seeds": SHARED / "seeds",
}


def missing(reason):
    """Skip the test, or fail it under CI, where every prerequisite is required."""
    if os.environ.get("CI"):
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def rinse_bin():
    """The command line of this checkout ($RINSE_BIN, else target/release/rinse)."""
    path = pathlib.Path(os.environ.get("RINSE_BIN", ROOT / "target" / "release" / "rinse"))
    if not path.is_file():
        missing(f"no rinse binary at {path}: run `cargo build --release` first")
    return path


@pytest.fixture
def cli(rinse_bin):
    """Runs the command line; returns the completed process."""

    def run(*args, cwd=None, check=True, stdin=None):
        p = subprocess.run(
            [str(rinse_bin), *map(str, args)],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        if check and p.returncode != 0:
            raise AssertionError(f"rinse {' '.join(map(str, args))} failed:\n{p.stderr.decode()}")
        return p

    return run


def dev_set(name):
    path = DEV_SETS[name]
    if not path.is_dir():
        missing(f"{path} is missing: the shared dev sets are expected beside the checkout")
    return path
