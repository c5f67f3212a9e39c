"""Clean a folder of JSON Lines documents with datatrove and rinse.

    python examples/datatrove/pipeline.py IN_DIR OUT_DIR [--rules PATH] [--format markdown]
        [--html] [--tasks N]

Reads IN_DIR/*.jsonl (datatrove's JsonlReader: `text` and `id` fields), cleans every
document with the RinseCleaner step, and writes OUT_DIR/*.jsonl (uncompressed) with the
clean bodies in `text` and what rinse found in `metadata.rinse`. Needs `pip install
datatrove ./python`.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from rinse_step import RinseCleaner  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--rules", default=None)
    p.add_argument("--format", default="text", choices=["text", "markdown"])
    p.add_argument("--html", action="store_true", help="every document is an HTML page")
    p.add_argument("--tasks", type=int, default=1)
    p.add_argument("--logs", default=None, help="datatrove's logging folder (default: OUTPUT/.logs)")
    a = p.parse_args(argv)
    LocalPipelineExecutor(
        [
            JsonlReader(a.input, glob_pattern="*.jsonl"),
            RinseCleaner(rules=a.rules, format=a.format, html=a.html or None),
            JsonlWriter(a.output, output_filename="${rank}.jsonl", compression=None),
        ],
        tasks=a.tasks,
        logging_dir=a.logs or os.path.join(a.output, ".logs"),
    ).run()


if __name__ == "__main__":
    main()
