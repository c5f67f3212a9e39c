"""The datatrove step (examples/datatrove) cleans documents in a small local pipeline: the
bodies are rinse's, metadata goes along, empty documents are dropped."""

import json
import subprocess
import sys

import pytest

import rinse
from conftest import ROOT, missing


@pytest.fixture(scope="module")
def datatrove_ready():
    try:
        import datatrove  # noqa: F401
    except ImportError:
        missing("datatrove is not installed (bash .ci/run installs it)")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_local_datatrove_pipeline_cleans_with_rinse(fmt, datatrove_ready, tmp_path):
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    src = tmp_path / "in"
    src.mkdir()
    docs = [{"id": s.stem, "text": s.read_text(encoding="utf-8")} for s in seeds]
    docs.append({"id": "only-noise", "text": "责任编辑:张三\n"})
    with open(src / "part.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "datatrove" / "pipeline.py"), str(src), str(out),
         "--format", fmt, "--logs", str(tmp_path / "logs")],
        capture_output=True,
    )
    assert p.returncode == 0, p.stderr.decode()[-4000:]
    got = [json.loads(l) for f in sorted(out.glob("*.jsonl")) for l in f.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [s.stem for s in seeds], "the empty document is dropped, order kept"
    cleaner = rinse.Cleaner()
    for g, d in zip(got, docs):
        r = cleaner.clean(d["text"], name=d["id"], format=fmt)
        assert g["text"] == r.body
        meta = g["metadata"]["rinse"]
        assert meta["title"] == r.title and meta["quality"] == r.quality and meta["edits"] == len(r.edits)
    stats = json.loads(next((tmp_path / "logs" / "stats").glob("*.json")).read_text())
    step = next(s for s in stats if "rinse" in s["name"])
    assert step["stats"]["dropped_empty"] == 1
