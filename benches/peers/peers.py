#!/usr/bin/env python3
"""Run rinse and the peer extractors on a folder of HTML pages; print P/R/F1 and pages/s.

usage: peers.py --rinse BIN --corpus DIR --gold DIR --score SCORE_PY --out DIR

`unseen.sh` runs it on the hand-written held-out pages of `tests/fixtures/unseen`.

Every peer gets the same decoded page (UTF-8 first, else the declared charset, as the
shared eval/dump_text.py decodes) and runs in this process, one page after another, on
one core; its time is the CPU time of the extraction alone (CPU time, not wall time, so
that other work on a shared machine does not count). Peers that return HTML (readability,
magic-html) are turned into text one block a line; peers that return the title apart
(readability, magic-html) get it as the first line, like the gold bodies. rinse runs as
its command line (`rinse clean --jobs 1`) over the pages copied five times, so its time
(the child's user + system CPU time) includes start-up, compiling the rules, reading the
files and writing bodies and provenance.
"""
import argparse
import json
import pathlib
import resource
import shutil
import subprocess
import time
import sys

COPIES = 5

BLOCKS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
    "header", "footer", "ul", "ol", "table", "blockquote", "dd", "dt", "pre", "figure",
    "figcaption", "main", "aside", "nav",
}


def decoder(eval_dir):
    sys.path.insert(0, str(eval_dir))
    import dump_text  # the shared decoding rule

    return dump_text.decode


def html_to_text(fragment):
    """Text of an HTML fragment, one block a line."""
    import lxml.html

    if not fragment or not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    out, buf = [], []

    def flush():
        line = " ".join("".join(buf).split())
        if line:
            out.append(line)
        buf.clear()

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style"):
            if el.tail:
                buf.append(el.tail)
            return
        block = tag in BLOCKS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(root)
    flush()
    return "\n".join(out)


def peer_trafilatura():
    import trafilatura

    def run(html, url):
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
        meta = trafilatura.extract_metadata(html)
        title = meta.title if meta and meta.title else ""
        return (title + "\n" + text) if title else text

    return run


def peer_readability():
    from readability import Document

    def run(html, url):
        d = Document(html)
        return d.short_title() + "\n" + html_to_text(d.summary(html_partial=True))

    return run


def peer_resiliparse():
    from resiliparse.extract.html2text import extract_plain_text

    def run(html, url):
        return extract_plain_text(html, main_content=True)

    return run


def peer_magic_html():
    from magic_html import GeneralExtractor

    ex = GeneralExtractor()

    def run(html, url):
        data = ex.extract(html, base_url=url or "")
        title = data.get("title") or ""
        return title + "\n" + html_to_text(data.get("html") or "")

    return run


PEERS = {
    "trafilatura": peer_trafilatura,
    "readability-lxml": peer_readability,
    "resiliparse": peer_resiliparse,
    "magic-html": peer_magic_html,
}


def score(score_py, gold, out):
    r = subprocess.run(
        [sys.executable, str(score_py), str(gold), str(out), "--json"],
        check=True, capture_output=True, text=True,
    )
    data = json.loads(r.stdout)
    worst = min(data["docs"], key=lambda d: d["f1"])
    return (data["precision"], data["recall"], data["f1"], data["mean_f1"],
            data["pages_below_half"], worst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rinse", required=True)
    ap.add_argument("--corpus", required=True, type=pathlib.Path)
    ap.add_argument("--gold", required=True, type=pathlib.Path)
    ap.add_argument("--score", required=True, type=pathlib.Path)
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--repeat", type=int, default=3, help="timing passes (best is kept)")
    a = ap.parse_args()
    decode = decoder(a.score.parent)
    pages = sorted(a.corpus.glob("*.html"))
    texts = [(p, decode(p.read_bytes())) for p in pages]
    rows = []

    # rinse runs on the pages copied COPIES times, so that its start-up (compiling the
    # rules) weighs per page as little as the peers' imports, which are not timed.
    out = a.out / "rinse"
    many = a.out / "rinse-input"
    shutil.rmtree(many, ignore_errors=True)
    for k in range(COPIES):
        (many / str(k)).mkdir(parents=True)
        for p in pages:
            shutil.copy(p, many / str(k) / p.name)
    best = None
    for _ in range(a.repeat):
        shutil.rmtree(out, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Exit status 1 means a document warned (a replacement character, a quality flag):
        # the bodies are written all the same.
        r = subprocess.run([a.rinse, "clean", str(many), "-o", str(out), "--jobs", "1", "-q"])
        if r.returncode not in (0, 1):
            sys.exit(f"rinse failed with exit status {r.returncode}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        dt = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = dt if best is None else min(best, dt)
    rows.append(("rinse", *score(a.score, a.gold, out / "0"), COPIES * len(pages) / best))

    for name, make in PEERS.items():
        try:
            run = make()
        except Exception as e:  # a peer that does not install or import is reported
            print(f"{name}: unavailable ({e})", file=sys.stderr)
            continue
        out = a.out / name
        out.mkdir(parents=True, exist_ok=True)
        best = None
        for _ in range(a.repeat):
            t = time.process_time()
            results = []
            for p, html in texts:
                try:
                    results.append(run(html, None))
                except Exception as e:
                    print(f"{name}: {p.name}: {e}", file=sys.stderr)
                    results.append("")
            dt = time.process_time() - t
            best = dt if best is None else min(best, dt)
        for (p, _), text in zip(texts, results):
            (out / (p.stem + ".txt")).write_text(text + "\n", encoding="utf-8")
        rows.append((name, *score(a.score, a.gold, out), len(pages) / best))

    print(f"| extractor | P | R | F1 | per-page mean | below .5 | worst page (F1) | pages per CPU second |")
    print(f"|---|---|---|---|---|---|---|---|")
    for name, p, r, f, mean, below, worst, speed in rows:
        w = f"{worst['doc'].removesuffix('.txt')} ({worst['f1']:.2f})"
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {mean:.3f} | {below} | {w} | {speed:.0f} |")


if __name__ == "__main__":
    main()
