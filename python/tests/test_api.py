"""The Python API: results, edits and their replay, explanations, errors, threads."""

import json
import pathlib
import threading

import pytest

import rinse
from conftest import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def replay(raw, edits):
    """The provenance invariant (docs/provenance.md), on UTF-8 byte offsets."""
    b = raw.encode("utf-8")
    out, pos = b"", 0
    for e in edits:
        assert e.start >= pos and b[e.start : e.end].decode("utf-8").startswith(e.text)
        out += b[pos : e.start] + (e.replacement or "").encode("utf-8")
        pos = e.end
    return (out + b[pos:]).decode("utf-8")


def test_a_document_gives_body_title_metadata_edits_and_provenance():
    r = rinse.clean("标题\n正文第一段。\n责任编辑:张三\n".encode())
    assert r.body == "标题\n正文第一段。\n"
    assert str(r) == r.body
    assert r.title == "标题"
    assert r.metadata == {"title": "标题", "editor": "张三"}
    assert r.quality == "ok" and r.format == "text" and r.path == "-"
    [e] = r.edits
    assert (e.rule, e.category, e.action, e.line) == ("byline.editor", "byline", "meta", 3)
    assert e.span == (e.start, e.end) and e.text == "责任编辑:张三\n" and e.replacement is None
    prov = json.loads(r.provenance)
    assert prov["schema"] == "rinse.provenance/1" and prov["rinse"]["engine"] == rinse.ENGINE
    assert prov["source"] == r.source and r.source["encoding_reason"] == "utf8"
    assert r.stats["chars_out"] == len(r.body)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_replaying_the_edits_on_the_raw_text_gives_the_body(seed):
    r = rinse.clean(seed.read_bytes(), name=seed.name)
    assert r.edits, "the seeds all have noise"
    assert replay(r.raw, r.edits) == r.body


def test_str_is_not_decoded_and_a_name_or_doctype_makes_a_page():
    r = rinse.clean("标题\n正文。\n")
    assert r.source["encoding_reason"] == "record"
    page = "<h1>标题</h1><p>这是正文，说明了事情的经过。</p>"
    assert rinse.clean(page, name="a.html").source["format"] == "html"
    assert rinse.clean(page, name="a.txt").source["format"] == "text"
    assert rinse.clean(page).source["format"] == "text"
    assert rinse.clean("<!DOCTYPE html>" + page).source["format"] == "html"
    gbk = rinse.clean(page.encode("gbk"), name="a.htm")
    assert (gbk.source["encoding"], gbk.source["format"]) == ("gb18030", "html")
    assert gbk.body == rinse.clean(page, name="a.htm").body


def test_markdown_and_json_formats():
    page = (
        "<html><head><title>新闻标题</title></head><body><article><h1>新闻标题</h1>"
        "<p>第一段正文，说明了事情的经过，有逗号和句号。</p>"
        "<ul><li>第一项</li><li>第二项</li></ul></article></body></html>"
    )
    md = rinse.clean(page, name="p.html", format="markdown")
    assert md.format == "markdown"
    assert md.body == "# 新闻标题\n\n第一段正文，说明了事情的经过，有逗号和句号。\n\n- 第一项\n- 第二项\n"
    j = json.loads(rinse.clean(page, name="p.html", format="json").body)
    assert j == {"body": rinse.clean(page, name="p.html").body, "title": "新闻标题", "metadata": md.metadata}
    with pytest.raises(ValueError, match="unknown body format `md` \\(expected text, markdown or json\\)"):
        rinse.clean(page, format="md")


def test_explain_prints_what_the_cli_prints(cli):
    seed = SEEDS[1]
    r = rinse.clean(seed.read_bytes(), name=seed.name)
    removed = sorted({e.line for e in r.edits if e.action != "normalize"})
    for line in removed[:3] + [1]:
        want = cli("explain", f"{seed.name}:{line}", cwd=seed.parent).stdout.decode()
        assert r.explain(line) == want
    n = len(r.raw.splitlines())
    with pytest.raises(ValueError, match=f"has {n} lines; there is no line {n + 1}$"):
        r.explain(n + 1)
    with pytest.raises(ValueError, match="line numbers start at 1"):
        r.explain(0)


def test_a_bad_rule_file_raises_the_cli_message(cli, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.toml").write_text(
        '[[rule]]\nid = "x.y"\ncategory = "footer"\ndescription = "d"\n'
        'regex = "(unclosed"\naction = "drop-line"\n'
    )
    doc = tmp_path / "a.txt"
    doc.write_text("正文。\n")
    p = cli("clean", doc, "-o", tmp_path / "out", "--rules", rules, check=False)
    assert p.returncode == 2
    with pytest.raises(rinse.RulesError) as e:
        rinse.Cleaner(rules=rules)
    assert str(e.value) + "\n" == p.stderr.decode()
    assert e.value.diagnostics == [
        {"file": f"{rules}/bad.toml", "line": 5, "column": 10, "rule": "x.y", "message": "invalid regex: unclosed group"}
    ]
    with pytest.raises(rinse.RulesError, match="^error: rules .*nowhere: No such file"):
        rinse.clean("x", rules=tmp_path / "nowhere")
    assert isinstance(e.value, rinse.RinseError)


def test_rules_layer_over_the_defaults_and_scope_by_name(tmp_path):
    (tmp_path / "mine.toml").write_text(
        '[[rule]]\nid = "mine.promo"\ncategory = "ad-contact"\ndescription = "our promo line"\n'
        'phrases = ["本站推广"]\naction = "drop-line"\n'
    )
    text = "标题\n正文。\n本站推广\n责任编辑:张三\n"
    mine = rinse.Cleaner(rules=[tmp_path / "mine.toml"])
    assert mine.clean(text).body == "标题\n正文。\n"
    assert rinse.clean(text, rules=str(tmp_path)).body == "标题\n正文。\n"
    assert rinse.clean(text).body == "标题\n正文。\n本站推广\n"
    bare = rinse.Cleaner(rules=tmp_path, default_rules=False)
    assert bare.clean(text).body == "标题\n正文。\n责任编辑:张三\n"
    assert mine.fingerprint != rinse.Cleaner().fingerprint


def test_inputs_that_are_not_documents_raise_input_error():
    with pytest.raises(rinse.InputError, match="^x.png: not text: looks like a PNG image; skipped$"):
        rinse.clean(b"\x89PNG\r\n\x1a\n\0\0", name="x.png")
    small = rinse.Cleaner(max_bytes=4)
    with pytest.raises(rinse.InputError, match="too large: 10 bytes exceeds"):
        small.clean(b"0123456789")
    with pytest.raises(TypeError, match="expected bytes, str, a rinse.Record"):
        rinse.clean(12)
    with pytest.raises(ValueError, match="unknown encoding label `nope`"):
        rinse.Cleaner(encoding="nope")
    with pytest.raises(ValueError, match="threads must be at least 1"):
        rinse.Cleaner().clean_many([], threads=0)
    assert issubclass(rinse.InputError, rinse.RinseError) and issubclass(rinse.RulesError, rinse.RinseError)


def test_forced_encoding_decodes_as_told():
    big5 = "標題\n這是正文。\n".encode("big5")
    r = rinse.Cleaner(encoding="big5").clean(big5)
    assert r.source["encoding"] == "Big5" and r.source["encoding_reason"] == "forced"
    assert r.body == "標題\n這是正文。\n"


def test_clean_many_keeps_order_and_is_the_same_for_any_thread_count():
    docs = [s.read_bytes() for s in SEEDS] * 20
    names = [s.name for s in SEEDS] * 20
    items = list(zip(docs, names))
    one = [(r.body, r.provenance) for r in rinse.Cleaner().clean_many(items, threads=1)]
    two = [(r.body, r.provenance) for r in rinse.Cleaner().clean_many(iter(items), threads=2)]
    assert one == two
    assert one[: len(SEEDS)] == [(r.body, r.provenance) for r in map(lambda i: rinse.clean(*i[:1], name=i[1]), items[: len(SEEDS)])]
    assert [r.path for r in rinse.Cleaner().clean_many(items[:5])] == names[:5]
    urls = list(rinse.Cleaner().clean_many([("正文。\n", "a.txt", "https://example.cn/1")]))
    assert urls[0].source["url"] == "https://example.cn/1"


def test_a_failing_document_raises_in_its_place_or_is_returned():
    items = ["一。\n", b"\x89PNG\r\n\x1a\n\0", "二。\n"]
    it = rinse.Cleaner().clean_many(items, threads=2)
    assert next(it).body == "一。\n"
    with pytest.raises(rinse.InputError, match="^-: not text"):
        next(it)
    assert next(it).body == "二。\n"
    out = list(rinse.Cleaner().clean_many(items, return_exceptions=True))
    assert isinstance(out[1], rinse.InputError) and out[2].body == "二。\n"


def test_records_that_cannot_be_read_are_yielded_with_their_error(cli, tmp_path):
    src = tmp_path / "crawl.jsonl.gz"
    import gzip

    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a", "url": "https://example.cn/a", "text": "标题\n正文。\n", "tag": 1}) + "\n")
        f.write("{broken\n")
    recs = list(rinse.read_records(src))
    assert [r.name for r in recs] == ["crawl.jsonl.gz:1", "crawl.jsonl.gz:2"]
    assert (recs[0].id, recs[0].url, recs[0].format, recs[0].data) == ("a", "https://example.cn/a", "text", "标题\n正文。\n")
    assert recs[0].fields["tag"] == 1 and recs[0].error is None
    assert recs[1].data is None and recs[1].error
    p = cli("clean", src, "-o", tmp_path / "out.jsonl", check=False)
    with pytest.raises(rinse.InputError) as e:
        rinse.clean(recs[1])
    assert f"FAILED {e.value}\n" in p.stderr.decode()
    assert rinse.clean(recs[0]).source["path"] == "a"
    (tmp_path / "plain.txt").write_text("正文。\n")
    with pytest.raises(rinse.InputError, match="not a record stream"):
        rinse.read_records(tmp_path / "plain.txt")
    with pytest.raises(FileNotFoundError):
        rinse.read_records(tmp_path / "none.jsonl")


def test_threads_share_one_cleaner():
    cleaner = rinse.Cleaner()
    data = [s.read_bytes() for s in SEEDS]
    want = [cleaner.clean(d).body for d in data]
    got = {}

    def work(k):
        got[k] = [r.body for r in cleaner.clean_many(data, threads=1)]

    ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert got == {k: want for k in range(4)}


def test_the_package_is_typed():
    here = pathlib.Path(rinse.__file__).parent
    assert (here / "py.typed").exists()
    stub = next(here.glob("*.pyi")).read_text()
    for name in ["def clean(", "def read_records(", "class Cleaner", "class Result", "class RulesError", "def clean_many(", "def explain("]:
        assert name in stub
    cargo = (ROOT / "Cargo.toml").read_text()
    assert f'version = "{rinse.__version__}"' in cargo
