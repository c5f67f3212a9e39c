"""Clean a JSON Lines corpus on Apache Spark with rinse: in-process (the Python module) or by
piping each partition through the rinse binary.

    spark-submit examples/spark/clean.py IN OUT --module [--rules PATH] [--partitions N]
    spark-submit examples/spark/clean.py IN OUT [--rinse PATH] [--partitions N] [-- RINSE ARGS...]

With --module, each partition goes through `rinse.Cleaner.clean_jsonl` inside
`mapPartitions` (the executors need the wheel: `pip install ./python`, or ship it with
`--py-files`/an executor image); the rules are compiled once per executor process.
Without it, each partition is piped through the binary, for clusters without the wheel.

IN is a JSON Lines file or folder (gzip and other Hadoop codecs are read by Spark), OUT a
folder Spark writes part files to. Every record goes through the same binary and rules as on
one machine (`rinse clean --format jsonl -`), so the output records are byte-identical to a
single-machine run; partition order and record order inside partitions are kept, so
concatenating OUT's part files in order gives exactly the single-machine output.

Error records name the line of the input where the bad record is, as a single-machine run
does: a first pass counts each partition's lines, and each partition is cleaned with its
first line's number (`clean_jsonl(first_line=N)`, `rinse clean --first-line N`). For a
folder IN, lines are counted through its files in Spark's order: give one file for line
numbers that are those of the file.

The binary is `--rinse PATH`, else $RINSE, else `rinse` on PATH, else this checkout's
target/release/rinse (after `cargo build --release`). On a cluster, ship the binary with
`--files target/release/rinse` (it lands in each executor's working directory; pass
`--rinse ./rinse`), or bake it into the executor image. See docs/scale.md.
"""

import argparse
import os
import shutil
import subprocess
import sys
import threading

from pyspark.sql import SparkSession


def first_lines(lines):
    """The number of each partition's first line in the input: one plus the lines of the
    partitions before it (one counting pass over the data)."""
    counts = dict(lines.mapPartitionsWithIndex(lambda i, it: [(i, sum(1 for _ in it))]).collect())
    firsts, n = [], 1
    for i in range(lines.getNumPartitions()):
        firsts.append(n)
        n += counts.get(i, 0)
    return firsts


def clean_partition(rules, firsts):
    """The mapPartitionsWithIndex function of the module path: JSON Lines in, JSON Lines
    out, in order, exactly as `rinse clean --format jsonl -` writes them, line numbers
    counted from the partition's first line in the input."""

    def run(index, lines):
        import rinse

        # One Cleaner per Python worker (Spark reuses workers): the rules are compiled
        # once, not per partition. The cache hangs on the imported module because this
        # function's own globals are pickled with it, afresh for every task.
        cleaners = rinse.__dict__.setdefault("_spark_cleaners", {})
        key = tuple(rules)
        if key not in cleaners:
            cleaners[key] = rinse.Cleaner(rules=list(rules))
        # One thread: Spark already runs one task per executor core.
        return cleaners[key].clean_jsonl(lines, threads=1, first_line=firsts[index])

    return run


def pipe_partition(command, firsts):
    """The mapPartitionsWithIndex function of the pipe path: the partition's lines through
    `command --first-line N` (records in on stdin, records out on stdout, in order)."""

    def run(index, lines):
        p = subprocess.Popen(
            command + ["--first-line", str(firsts[index])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        failed = []

        def feed():
            try:
                for line in lines:
                    p.stdin.write(line.encode("utf-8") + b"\n")
                p.stdin.close()
            except BaseException as e:  # a broken pipe: rinse's exit status says why
                failed.append(e)

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        for out in p.stdout:
            yield out.rstrip(b"\n").decode("utf-8")
        writer.join()
        # Exit status 1 means some records were reported as error records (kept in the
        # output, as on one machine); anything else is a failure of the task.
        if p.wait() not in (0, 1) or failed:
            raise RuntimeError(f"rinse exited with status {p.returncode} on partition {index}: {failed}")

    return run


def find_rinse(given):
    """The rinse binary to run: as given, on PATH, or built in this checkout."""
    if given:
        return given
    on_path = shutil.which("rinse")
    if on_path:
        return on_path
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "..", "target", "release", "rinse")
    if os.path.isfile(built):
        return os.path.abspath(built)
    sys.exit("clean.py: no rinse binary: build it (cargo build --release), put it on PATH, "
             "or pass --rinse PATH")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--rinse", default=os.environ.get("RINSE"),
                   help="path of the rinse binary on the executors (default: $RINSE, rinse on "
                        "PATH, or this checkout's target/release/rinse)")
    p.add_argument("--partitions", type=int, default=0,
                   help="repartition the input into N partitions first (0: keep Spark's split)")
    p.add_argument("--module", action="store_true",
                   help="clean in-process with the rinse Python module instead of the binary")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="rule file or folder layered over the defaults (repeatable)")
    args, rest = p.parse_known_args(argv)
    extra = [a for a in rest if a != "--"]
    if args.module and extra:
        p.error("--module takes --rules; other rinse options need the pipe variant")
    if not args.module:
        args.rinse = find_rinse(args.rinse)
        extra = [a for r in args.rules for a in ("--rules", r)] + extra

    spark = SparkSession.builder.appName("rinse-clean").getOrCreate()
    sc = spark.sparkContext
    lines = sc.textFile(args.input)
    if args.partitions:
        # coalesce keeps the records' order (repartition would shuffle them).
        lines = lines.coalesce(args.partitions)
    # Each partition's first line in the input, so that error records name true lines.
    firsts = first_lines(lines)
    if args.module:
        cleaned = lines.mapPartitionsWithIndex(clean_partition(args.rules, firsts))
    else:
        # One rinse process per partition: records in on stdin, records out on stdout, in
        # order. One thread per process: Spark already runs one task per executor core.
        command = [args.rinse, "clean", "--format", "jsonl", "-", "-o", "-", "--quiet", "--jobs", "1"] + extra
        cleaned = lines.mapPartitionsWithIndex(pipe_partition(command, firsts))
    cleaned.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
