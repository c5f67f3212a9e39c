"""The Spark example (examples/spark/clean.py) in local mode, both ways: the module inside
mapPartitions and the binary as a pipe each give the bytes of a single-machine run."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED, missing


def corpus(path):
    """Records of the seeds and the HTML pages (the shared html-dev pages when they are
    beside the checkout, else the test fixtures), each with an id, and one line that is not
    a record next to last (in the last partition: its error record must name its line in
    the file). Returns the number of lines and the bad line's number."""
    files = sorted((ROOT / "seeds").glob("*.txt"))
    pages = SHARED / "corpus" / "html-dev"
    if not pages.is_dir():
        pages = ROOT / "tests" / "fixtures" / "html"
    files += sorted(pages.glob("*.html"))
    with open(path, "w", encoding="utf-8") as f:
        for i, p in enumerate(files):
            if i + 1 == len(files):
                f.write('{"id": "broken", "text": \n')
            field = "html" if p.suffix == ".html" else "text"
            text = p.read_bytes().decode("utf-8", errors="replace")
            f.write(json.dumps({"id": p.name, field: text}, ensure_ascii=False) + "\n")
    return len(files) + 1, len(files)


@pytest.fixture(scope="module")
def spark_ready():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing("pyspark is not installed (bash .ci/run installs it)")
    if not shutil.which("java"):
        missing("java is not installed (bash .ci/run installs openjdk-17-jre-headless)")


@pytest.mark.parametrize("variant", ["module", "pipe"])
def test_spark_local_mode_equals_a_single_machine_run(variant, spark_ready, cli, rinse_bin, tmp_path):
    src = tmp_path / "corpus.jsonl"
    n, bad = corpus(src)
    single = tmp_path / "single.jsonl"
    cli("clean", src, "-o", single, "-q", check=False)  # exit 1: the bad line
    out = tmp_path / "spark-out"
    args = ["--module"] if variant == "module" else ["--rinse", str(rinse_bin)]
    env = {
        **os.environ,
        "PYSPARK_SUBMIT_ARGS": "--master local[2] --conf spark.ui.enabled=false pyspark-shell",
        # The executors' Python is this one, which has the module.
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "spark" / "clean.py"), str(src), str(out), "--partitions", "3", *args],
        env=env,
        capture_output=True,
    )
    assert p.returncode == 0, p.stderr.decode()[-4000:]
    parts = sorted(out.glob("part-*"))
    assert len(parts) >= 2, parts
    spark = b"".join(q.read_bytes() for q in parts)
    want = single.read_bytes()
    assert want.count(b"\n") == n
    assert f'"position":{{"line":{bad}}}'.encode() in want
    assert spark == want, f"the {variant} path differs from the single-machine run"
