"""A datatrove pipeline step that cleans documents with rinse, in-process.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from rinse_step import RinseCleaner

    LocalPipelineExecutor([
        JsonlReader("crawl/"),                 # documents with HTML or text in `text`
        RinseCleaner(rules="my-rules/"),       # body, title and metadata from rinse
        JsonlWriter("cleaned/"),
    ], tasks=4).run()

Each document's `text` is replaced by its clean body (`format`: "text" or "markdown"); the
title and what rinse found go into `metadata["rinse"]` (title, author, published, source,
the quality flag, the number of edits, and the provenance record when `provenance=True`).
Documents are cleaned in batches with the GIL released; a document that is not text, or
that has nothing left, is dropped and counted in the step's stats. The URL comes from
`metadata["url"]` (datatrove's WARC reader sets it), so site rules apply.
"""

import json
from itertools import islice
from typing import Optional

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep


class RinseCleaner(PipelineStep):
    """Cleans each document's text with rinse (see the module docstring)."""

    name = "🧼 rinse"
    type = "✂️ - EXTRAC"
    _requires_dependencies = ["rinse"]

    def __init__(
        self,
        rules=None,
        format: str = "text",
        html: Optional[bool] = None,
        batch_size: int = 64,
        threads: int = 1,
        provenance: bool = False,
        keep_empty: bool = False,
    ):
        """`rules`: a rule file or folder layered over the defaults. `html`: True when every
        document is an HTML page, False when none is, None to let rinse tell by the text.
        `threads`: threads per task (datatrove already runs tasks in parallel)."""
        super().__init__()
        self.rules = rules
        self.format = format
        self.html = html
        self.batch_size = batch_size
        self.threads = threads
        self.provenance = provenance
        self.keep_empty = keep_empty

    def name_of(self, doc) -> str:
        """The name rinse sees (its `.html` makes a page; the provenance's source path)."""
        if self.html:
            return f"{doc.id}.html"
        return str(doc.id)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        import rinse

        # Compiled once per task, in the worker (a Cleaner does not travel between processes).
        cleaner = rinse.Cleaner(rules=self.rules)
        data = iter(data)
        while batch := list(islice(data, self.batch_size)):
            items = [(d.text, self.name_of(d), d.metadata.get("url")) for d in batch]
            with self.track_time(unit="batch"):
                results = list(
                    cleaner.clean_many(items, threads=self.threads, format=self.format, return_exceptions=True)
                )
            for doc, r in zip(batch, results):
                self.stat_update("documents")
                if isinstance(r, Exception):
                    self.stat_update("dropped_not_cleaned")
                    continue
                if not r.body and not self.keep_empty:
                    self.stat_update("dropped_empty")
                    continue
                info = {"title": r.title, "quality": r.quality, "edits": len(r.edits)}
                info.update({k: v for k, v in r.metadata.items() if k != "title"})
                if self.provenance:
                    info["provenance"] = json.loads(r.provenance)
                doc.text = r.body
                doc.metadata["rinse"] = info
                self.stat_update(f"quality_{r.quality}")
                self.update_doc_stats(doc)
                yield doc
