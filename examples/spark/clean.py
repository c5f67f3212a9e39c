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

The binary is `--rinse PATH`, else $RINSE, else `rinse` on PATH, else this checkout's
target/release/rinse (after `cargo build --release`). On a cluster, ship the binary with
`--files target/release/rinse` (it lands in each executor's working directory; pass
`--rinse ./rinse`), or bake it into the executor image. See docs/scale.md.
"""

import argparse
import os
import shlex
import shutil
import sys

from pyspark.sql import SparkSession


def clean_partition(rules):
    """The mapPartitions function of the module path: JSON Lines in, JSON Lines out, in
    order, exactly as `rinse clean --format jsonl -` writes them."""

    def run(lines):
        import rinse

        # One Cleaner per Python worker (Spark reuses workers): the rules are compiled
        # once, not per partition. The cache hangs on the imported module because this
        # function's own globals are pickled with it, afresh for every task.
        cleaners = rinse.__dict__.setdefault("_spark_cleaners", {})
        key = tuple(rules)
        if key not in cleaners:
            cleaners[key] = rinse.Cleaner(rules=list(rules))
        # One thread: Spark already runs one task per executor core.
        return cleaners[key].clean_jsonl(lines, threads=1)

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
    if args.module:
        cleaned = lines.mapPartitions(clean_partition(args.rules))
    else:
        # One rinse process per partition: records in on stdin, records out on stdout, in
        # order. One thread per process: Spark already runs one task per executor core.
        command = [args.rinse, "clean", "--format", "jsonl", "-", "-o", "-", "--quiet", "--jobs", "1"] + extra
        cleaned = lines.pipe(" ".join(shlex.quote(c) for c in command))
    cleaned.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
