"""Python output equals the command line's, byte for byte, on every dev set."""

import json
import re

import pytest

import rinse
from conftest import DEV_SETS, ROOT, dev_set


@pytest.fixture(scope="module")
def cleaner():
    return rinse.Cleaner()


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("name", list(DEV_SETS))
def test_bodies_and_provenance_equal_the_cli(name, fmt, cli, cleaner, tmp_path):
    corpus = dev_set(name)
    out = tmp_path / "out"
    # Exit status 1 means a document warned or was skipped (control bytes, encodings).
    p = cli("clean", corpus, "-o", out, "--body-format", fmt, check=False)
    stderr = p.stderr.decode()
    assert p.returncode in (0, 1) and "FAILED" not in stderr, stderr
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    assert files
    ext = {"text": ".txt", "markdown": ".md"}[fmt]
    items = [(f.read_bytes(), f.relative_to(corpus).as_posix()) for f in files]
    # One document at a time, and many on two threads: the same bytes as the CLI's files.
    many = list(cleaner.clean_many(items, threads=2, format=fmt, return_exceptions=True))
    assert len(many) == len(files)
    cleaned = 0
    for f, (data, rel_name), r in zip(files, items, many):
        rel = f.relative_to(corpus).with_suffix(ext)
        if not (out / rel).exists():
            # The CLI skipped it: Python raises its message.
            assert isinstance(r, rinse.InputError), f"{name}/{rel_name}: cleaned, the CLI skipped it"
            assert f"skipped {r}\n" in stderr
            with pytest.raises(rinse.InputError, match="^" + re.escape(str(r)) + "$"):
                cleaner.clean(data, name=rel_name, format=fmt)
            continue
        cleaned += 1
        one = cleaner.clean(data, name=rel_name, format=fmt)
        body = (out / rel).read_text(encoding="utf-8")
        prov = (out / rel.with_suffix(".json")).read_text(encoding="utf-8")
        assert one.body == body, f"{name}/{rel}: body differs from the CLI's"
        assert one.provenance == prov, f"{name}/{rel}: provenance differs from the CLI's"
        assert r.body == body and r.provenance == prov, f"{name}/{rel}: clean_many differs"
    assert cleaned >= len(files) - 2


def test_json_body_equals_the_cli_on_standard_input(cli):
    seed = sorted((ROOT / "seeds").glob("*.txt"))[1]
    data = seed.read_bytes()
    out = cli("clean", "-", "--body-format", "json", stdin=data).stdout.decode()
    r = rinse.clean(data, format="json")
    assert r.body == out
    v = json.loads(out)
    assert v["title"] == r.title and v["metadata"] == r.metadata
    assert v["body"] == rinse.clean(data).body


def test_records_equal_the_cli_line_for_line(cli, tmp_path):
    """clean_jsonl gives the lines `rinse clean FILE.jsonl` writes, errors included."""
    lines = []
    for i, seed in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        text = seed.read_text(encoding="utf-8")
        # Records with and without ids (named FILE:LINE then), extra fields kept.
        rec = {"text": text, "lang": "zh"} if i % 2 else {"id": seed.stem, "text": text}
        lines.append(json.dumps(rec, ensure_ascii=False))
    lines.insert(2, "not json at all")
    lines.insert(3, json.dumps({"id": "no-content"}))
    lines.append(json.dumps({"id": "page", "html": "<html><body><h1>标题</h1><p>正文。</p></body></html>"}))
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for fmt in ["text", "markdown"]:
        out = tmp_path / f"out-{fmt}.jsonl"
        cli("clean", src, "-o", out, "-q", "--body-format", fmt, check=False)
        want = out.read_text(encoding="utf-8").splitlines()
        # Small windows, so line numbers must carry across rounds.
        for threads in [1, 2]:
            got = list(rinse.Cleaner().clean_jsonl(iter(lines), threads=threads, format=fmt, name="in.jsonl"))
            assert got == want, f"{fmt}, {threads} threads"
    assert json.loads(want[2])["rinse"]["position"] == {"line": 3}


def test_read_records_cleans_as_the_cli_does(cli, tmp_path):
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    warc = tmp_path / "pages.warc"
    warc.write_bytes(b"".join(_warc_record(i, s.read_bytes()) for i, s in enumerate(seeds)))
    out = tmp_path / "out.jsonl"
    cli("clean", warc, "-o", out, "-q")
    want = [json.loads(l)["rinse"] for l in out.read_text(encoding="utf-8").splitlines()]
    records = list(rinse.read_records(warc))
    assert [r.name for r in records] == [f"pages.warc@{r.position}" for r in records]
    assert len(records) == len(seeds) == len(want)
    for i, (rec, w, r) in enumerate(zip(records, want, rinse.Cleaner().clean_many(records, threads=2))):
        assert rec.url == f"http://news.example.cn/{i}.html"
        assert rec.data == seeds[i].read_bytes()
        assert r.body == w["body"]
        assert json.loads(r.provenance) == w["provenance"]


def _warc_record(i, body):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        "WARC-Date: 2024-01-02T03:04:05Z\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000{i}>\r\n"
        f"WARC-Target-URI: http://news.example.cn/{i}.html\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"
