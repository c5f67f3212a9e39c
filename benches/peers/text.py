"""The text path side by side: rinse against a plain Python regex cleaner of the same rules
and against `cat`, on the same bytes, in CPU seconds (user + sys of the child), so the
ratio to the physical limit (reading the bytes once) is printed beside the throughput.

usage: python3 benches/peers/text.py --rinse target/release/rinse INPUT... [--repeat 3]

Each INPUT is a folder of text files or a JSON Lines file (`{"id": ..., "text": ...}` a
line). rinse runs on one thread (`--jobs 1`), writing its usual outputs (bodies and full
provenance) to a temporary folder; the Python cleaner applies the default rules' regexes
line by line (drop-line / drop-rest / drop-head / drop-block / meta as "drop the line",
drop-span / replace as substitutions) and writes bodies only, so it does less than rinse
does; `cat` reads the bytes and writes them to /dev/null. The rules are read from the
repository's rules/ folder. Python's `regex` module is used when it is installed (it knows
`\\p{Han}`), `re` otherwise; patterns neither accepts are counted and skipped.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

try:
    import regex as rx
except ImportError:  # pragma: no cover - depends on the machine
    import re as rx


def load_rules(folder):
    """(line patterns, span patterns with replacement) of every rule file under `folder`."""
    line, span, skipped = [], [], 0
    for base, _, files in sorted(os.walk(folder)):
        for f in sorted(files):
            if not f.endswith(".toml"):
                continue
            with open(os.path.join(base, f), "rb") as fh:
                doc = tomllib.load(fh)
            for r in doc.get("rule", []):
                pat = r.get("regex")
                phrases = r.get("phrases")
                if pat is None and phrases:
                    pat = "|".join(rx.escape(p) for p in phrases)
                if pat is None:
                    continue
                try:
                    c = rx.compile(pat)
                except Exception:
                    skipped += 1
                    continue
                if r.get("action") in ("drop-span", "replace"):
                    rep = rx.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: "\\g<%s>" % (m[1] or m[2]), r.get("replace", ""))
                    span.append((c, rep))
                else:
                    line.append(c)
    return line, span, skipped


def clean_text(text, line_rules, span_rules):
    out = []
    for ln in text.splitlines():
        s = ln.strip()
        if not s:
            continue
        for c, rep in span_rules:
            try:
                s = c.sub(rep, s)
            except Exception:
                pass
        if any(c.search(s) for c in line_rules):
            continue
        out.append(s)
    return "\n".join(out) + "\n"


def python_clean(inputs, out_dir):
    """The Python cleaner, run in this (child) process."""
    line_rules, span_rules, _ = load_rules(os.path.join(ROOT, "rules"))
    n = 0
    for inp in inputs:
        if os.path.isdir(inp):
            for base, _, files in sorted(os.walk(inp)):
                for f in sorted(files):
                    with open(os.path.join(base, f), encoding="utf-8", errors="replace") as fh:
                        body = clean_text(fh.read(), line_rules, span_rules)
                    with open(os.path.join(out_dir, f"{n}.txt"), "w", encoding="utf-8") as o:
                        o.write(body)
                    n += 1
        else:
            with open(inp, encoding="utf-8") as fh, open(
                os.path.join(out_dir, "out.jsonl"), "w", encoding="utf-8"
            ) as o:
                for rec in fh:
                    d = json.loads(rec)
                    d["body"] = clean_text(d.get("text", ""), line_rules, span_rules)
                    o.write(json.dumps(d, ensure_ascii=False) + "\n")


def make_inputs(dest, mb, sources):
    """Copies of the texts under `sources` up to `mb` MB: DEST/files/ and DEST/texts.jsonl."""
    texts = []
    for src in sources:
        for f in sorted(os.listdir(src)):
            if f.endswith(".txt"):
                with open(os.path.join(src, f), "rb") as fh:
                    texts.append((os.path.basename(src) + "_" + f, fh.read()))
    target, total, copy = mb * 1000 * 1000, 0, 0
    os.makedirs(os.path.join(dest, "files"), exist_ok=True)
    with open(os.path.join(dest, "texts.jsonl"), "w", encoding="utf-8") as jl:
        while total < target:
            d = os.path.join(dest, "files", f"c{copy:03d}")
            os.makedirs(d, exist_ok=True)
            for name, b in texts:
                if total >= target:
                    break
                with open(os.path.join(d, name), "wb") as o:
                    o.write(b)
                rec = {"id": f"c{copy}/{name}", "text": b.decode("utf-8", "replace")}
                jl.write(json.dumps(rec, ensure_ascii=False) + "\n")
                total += len(b)
            copy += 1


def size_of(inp):
    if os.path.isdir(inp):
        return sum(
            os.path.getsize(os.path.join(b, f)) for b, _, fs in os.walk(inp) for f in fs
        )
    return os.path.getsize(inp)


def files_of(inp):
    if os.path.isdir(inp):
        return sorted(os.path.join(b, f) for b, _, fs in os.walk(inp) for f in fs)
    return [inp]


def cpu_of(cmd, **kw):
    """CPU seconds (user + sys), wall seconds and peak RSS (MB) of one child command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest of any child so far: only a lower bound here.
    return cpu, wall, after.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rinse", default=os.path.join(ROOT, "target/release/rinse"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--python-clean", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--make", metavar="DIR", help="write DIR/files/ and DIR/texts.jsonl and stop")
    ap.add_argument("--mb", type=int, default=64, help="size of --make's inputs")
    ap.add_argument("inputs", nargs="*")
    a = ap.parse_args()
    if a.make:
        make_inputs(a.make, a.mb, a.inputs)
        return
    if a.python_clean:
        python_clean(a.inputs, a.out)
        return
    _, _, skipped = load_rules(os.path.join(ROOT, "rules"))
    print(f"python regex module: {rx.__name__}; rule patterns it cannot compile: {skipped}")
    print("| input | MB | tool | CPU s (best of %d) | MB/s per core | × cat's CPU |" % a.repeat)
    print("| --- | --- | --- | --- | --- | --- |")
    for inp in a.inputs:
        mb = size_of(inp) / 1e6
        files = files_of(inp)
        runs = {}
        with tempfile.TemporaryDirectory() as tmp:
            for tool in ("cat", "rinse", "python"):
                best = None
                for _ in range(a.repeat):
                    out = os.path.join(tmp, f"{tool}-out")
                    subprocess.run(["rm", "-rf", out], check=True)
                    os.makedirs(out)
                    if tool == "cat":
                        # xargs keeps the argument list short for thousands of files.
                        cmd = ["sh", "-c", 'xargs -0 cat > /dev/null']
                        cpu, _, _ = cpu_of(cmd, input="\0".join(files).encode())
                    elif tool == "rinse":
                        dest = os.path.join(out, "o.jsonl") if not os.path.isdir(inp) else out
                        cpu, _, _ = cpu_of(
                            [a.rinse, "clean", inp, "-o", dest, "-q", "--jobs", "1"]
                        )
                    else:
                        cpu, _, _ = cpu_of(
                            [sys.executable, __file__, "--python-clean", "--out", out, inp]
                        )
                    best = cpu if best is None else min(best, cpu)
                runs[tool] = best
        name = os.path.basename(inp.rstrip("/"))
        for tool in ("cat", "rinse", "python"):
            cpu = max(runs[tool], 1e-3)
            ratio = runs[tool] / max(runs["cat"], 1e-3)
            print(f"| {name} | {mb:.1f} | {tool} | {runs[tool]:.2f} | {mb / cpu:.1f} | {ratio:.0f}× |")


if __name__ == "__main__":
    main()
