#!/usr/bin/env python3
"""rinse from Python against the peers, in one process, on the same HTML pages.

usage: bench.py [--corpus DIR] [--copies N] [--repeat N] [--rinse BIN]

Times, on one core, pages per CPU second (time.process_time: CPU time of this process, so
other work on a shared machine does not count) for:
- rinse: `Cleaner.clean_many(pages, threads=1)` (bytes in, decoded by rinse; the body read
  from every result), and the same while also serialising every provenance record;
- resiliparse `extract_plain_text(main_content=True)`, trafilatura `extract`,
  readability-lxml `Document.summary` (each given the page decoded to str: UTF-8, else
  the declared charset, else GB18030; decoding is not timed for them);
- the rinse command line, `rinse clean DIR --jobs 1` over the same pages (the child's user
  + system CPU time: start-up, compiling the rules, reading the files, writing bodies and
  provenance), when a binary is found (--rinse, $RINSE_BIN, or target/release/rinse).

Every contender sees the pages --copies times per pass; the best of --repeat passes counts.
Peers that are not installed are reported and left out. Run it in a virtual environment
that has the peers and the rinse wheel (see README, "Python").
"""

import argparse
import os
import pathlib
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def decode(data):
    """The page as text for the peers: UTF-8, else its declared charset, else GB18030."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    for enc in ([m.group(1).decode()] if m else []) + ["gb18030"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def best(repeat, run):
    """The smallest CPU time of `repeat` calls of `run`."""
    out = None
    for _ in range(repeat):
        t = time.process_time()
        run()
        dt = time.process_time() - t
        out = dt if out is None else min(out, dt)
    return out


def peers():
    found = {}
    try:
        from resiliparse.extract.html2text import extract_plain_text

        found["resiliparse"] = lambda html: extract_plain_text(html, main_content=True)
    except ImportError as e:
        print(f"resiliparse: unavailable ({e})", file=sys.stderr)
    try:
        import trafilatura

        found["trafilatura"] = lambda html: trafilatura.extract(html, include_comments=False, include_tables=True)
    except ImportError as e:
        print(f"trafilatura: unavailable ({e})", file=sys.stderr)
    try:
        from readability import Document

        found["readability-lxml"] = lambda html: Document(html).summary(html_partial=True)
    except ImportError as e:
        print(f"readability-lxml: unavailable ({e})", file=sys.stderr)
    return found


def cli_speed(binary, pages, copies, repeat):
    """Pages per CPU second of `rinse clean --jobs 1` over the pages, copied `copies` times."""
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "in"
        for k in range(copies):
            (src / str(k)).mkdir(parents=True)
            for p in pages:
                shutil.copy(p, src / str(k) / p.name)
        out = pathlib.Path(tmp) / "out"
        times = []
        for _ in range(repeat):
            shutil.rmtree(out, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([str(binary), "clean", str(src), "-o", str(out), "--jobs", "1", "-q"], check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        return copies * len(pages) / min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=pathlib.Path, default=ROOT.parent / "shared" / "corpus" / "html-dev")
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rinse", type=pathlib.Path, default=pathlib.Path(os.environ.get("RINSE_BIN", ROOT / "target" / "release" / "rinse")))
    a = ap.parse_args()

    import rinse

    pages = sorted(a.corpus.glob("*.html"))
    if not pages:
        sys.exit(f"no *.html pages in {a.corpus}")
    raw = [(p.read_bytes(), p.name) for p in pages] * a.copies
    texts = [decode(d) for d, _ in raw]
    mb = sum(len(d) for d, _ in raw) / a.copies / 1e6
    n = len(raw)
    print(f"{len(pages)} pages ({mb:.1f} MB) x {a.copies}, best of {a.repeat} passes, one core, CPU time\n")

    cleaner = rinse.Cleaner()
    rows = []

    def rinse_bodies():
        for r in cleaner.clean_many(raw, threads=1):
            r.body

    def rinse_with_provenance():
        for r in cleaner.clean_many(raw, threads=1):
            r.body, r.provenance

    rows.append(("rinse (Python, clean_many)", n / best(a.repeat, rinse_bodies)))
    rows.append(("rinse (Python, + provenance JSON)", n / best(a.repeat, rinse_with_provenance)))
    for name, run in peers().items():
        def go(run=run):
            for t in texts:
                try:
                    run(t)
                except Exception:  # a page a peer cannot handle costs what it cost
                    pass

        rows.append((name, n / best(a.repeat, go)))
    if a.rinse.is_file():
        rows.append(("rinse (command line, --jobs 1)", cli_speed(a.rinse, pages, a.copies, a.repeat)))
    else:
        print(f"rinse command line: no binary at {a.rinse} (cargo build --release)", file=sys.stderr)

    print("| extractor | pages per CPU second |")
    print("|---|---|")
    for name, speed in rows:
        print(f"| {name} | {speed:.0f} |")


if __name__ == "__main__":
    main()
