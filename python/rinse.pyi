"""rinse: clean scraped web articles into article bodies, with provenance for every edit.

The same engine, rules and output as the ``rinse`` command line, in-process::

    import rinse
    r = rinse.clean(open("page.html", "rb").read(), name="page.html")
    r.body, r.title, r.metadata, r.quality, r.edits, r.provenance

    cleaner = rinse.Cleaner(rules="my-rules/")       # compiled once
    for r in cleaner.clean_many(pages, threads=4):   # GIL released, order kept
        ...
"""

import os
from typing import Any, Dict, Iterable, Iterator, List, Literal, Optional, Sequence, Tuple, Union

__version__: str
"""The rinse version."""
ENGINE: str
"""The engine fingerprint recorded in every provenance record (``rinse.engine``)."""

BodyFormat = Literal["text", "markdown", "json"]
"""How a body is written: the clean text, Markdown from the page's structure, or JSON."""

StrPath = Union[str, "os.PathLike[str]"]
Data = Union[bytes, bytearray, str, "Record"]
Item = Union[Data, Tuple[Union[bytes, bytearray, str], Optional[str]], Tuple[Union[bytes, bytearray, str], Optional[str], Optional[str]]]

class RinseError(Exception):
    """Base class of the errors rinse raises (also: an internal error, never a crash)."""

class RulesError(RinseError):
    """A rule set that cannot be loaded. ``str(e)`` is the command line's message
    (``file:line:column``, the rule id); ``diagnostics`` lists each problem as a dict with
    ``file``, ``line``, ``column``, ``rule`` and ``message``."""

    diagnostics: List[Dict[str, Any]]

class InputError(RinseError):
    """A document or record that cannot be cleaned (not text, too large, not a record),
    with the command line's message after the document's name."""

class Edit:
    """One recorded change to the raw text."""

    rule: str
    """The rule or built-in stage id (``ad.wechat-prompt``, ``extract.main``)."""
    category: str
    """The rule's category (``footer``, ``byline``, ...)."""
    action: str
    """drop-line, drop-span, replace, drop-rest, drop-head, drop-block, meta or normalize."""
    line: int
    """The 1-based raw line the edit starts on."""
    start: int
    """Byte offset (UTF-8) in ``Result.raw`` where the edit starts."""
    end: int
    """Byte offset where it ends (exclusive)."""
    text: str
    """The text removed (its beginning when ``truncated``)."""
    truncated: bool
    """``text`` holds only the beginning of what was removed."""
    replacement: Optional[str]
    """The text put in its place, if any."""
    reason: Optional[str]
    """Why a built-in stage removed the text, when it says."""
    @property
    def span(self) -> Tuple[int, int]:
        """``(start, end)``: the byte span in ``Result.raw``."""

class Result:
    """The result of cleaning one document."""

    @property
    def body(self) -> str:
        """The body in ``format``. For "text": title first, one paragraph a line, each line
        ending in a newline; the bytes ``rinse clean`` writes to NAME.txt."""
    @property
    def format(self) -> BodyFormat:
        """The format of ``body``."""
    @property
    def title(self) -> Optional[str]:
        """The title: the body's first line when it is short enough to be one."""
    @property
    def metadata(self) -> Dict[str, str]:
        """What was found: title, author, published (ISO 8601), published_raw, source,
        editor, site_name, url, lang (absent keys were not found)."""
    @property
    def quality(
        self,
    ) -> Literal["ok", "removed-most", "kept-most", "garbled", "views-disagree", "implausible"]:
        """The review flag (see the README's quality flags)."""
    @property
    def stats(self) -> Dict[str, Any]:
        """chars_in, chars_out, lines_in, lines_out, removed_chars and edits by category."""
    @property
    def source(self) -> Dict[str, Any]:
        """Where the document came from and how it was decoded (provenance ``source``)."""
    @property
    def path(self) -> str:
        """The document's name as ``rinse clean`` shows it (NAME, ``-``, FILE:LINE, FILE@OFFSET)."""
    @property
    def warnings(self) -> List[str]:
        """Problems that did not stop cleaning (NUL bytes removed, mixed encodings)."""
    @property
    def raw(self) -> str:
        """The decoded text the edits apply to (for HTML, the page's block text)."""
    @property
    def edits(self) -> List[Edit]:
        """Every edit in order; applying them to ``raw`` gives the text body."""
    @property
    def provenance(self) -> str:
        """The provenance record as JSON text: the bytes ``rinse clean`` writes to NAME.json."""
    def explain(self, line: int) -> str:
        """Why raw line ``line`` (1-based) was removed, changed or kept: the text
        ``rinse explain FILE:LINE`` prints. ValueError for a line the document lacks."""

class Record:
    """One record of a JSON Lines, WARC or WET file (see ``read_records``)."""

    @property
    def name(self) -> str:
        """``FILE:LINE`` (JSON Lines) or ``FILE@OFFSET`` (WARC), as ``rinse clean`` names it."""
    @property
    def position(self) -> int:
        """The line number or byte offset."""
    @property
    def id(self) -> Optional[str]:
        """The record's id (``id`` field, ``WARC-Record-ID``)."""
    @property
    def url(self) -> Optional[str]:
        """The page URL (``url`` field, ``WARC-Target-URI``)."""
    @property
    def format(self) -> Optional[Literal["html", "text"]]:
        """What the record holds, as it says."""
    @property
    def data(self) -> Optional[Union[str, bytes]]:
        """The document: str (JSON Lines) or bytes (WARC); None when ``error`` is set."""
    @property
    def fields(self) -> Dict[str, Any]:
        """The input record's fields (WARC: url, id, warc_type, warc_offset, and
        warc_decompressed_offset when the record shares its gzip member)."""
    @property
    def error(self) -> Optional[str]:
        """Why the record holds no document to clean, if so."""

class Cleaner:
    """Compiled rules and reading options, reused for every document.

    ``rules`` is a rule file or folder (or several) layered over the embedded defaults, as
    ``rinse clean --rules PATH`` does; ``default_rules=False`` starts from none. A rule set
    that does not load raises ``RulesError``. ``encoding`` forces a decoder (``gbk``,
    ``big5``, ...); ``max_bytes`` skips larger documents. The field names, ``output_field``
    and ``provenance`` are those of ``rinse clean`` on JSON Lines records.
    """

    def __init__(
        self,
        rules: Optional[Union[StrPath, Sequence[StrPath]]] = None,
        *,
        default_rules: bool = True,
        encoding: Optional[str] = None,
        max_bytes: int = 67108864,
        text_field: str = "text",
        html_field: str = "html",
        id_field: str = "id",
        url_field: str = "url",
        output_field: str = "rinse",
        provenance: Literal["full", "summary", "none"] = "full",
    ) -> None: ...
    @property
    def fingerprint(self) -> str:
        """The rule set's fingerprint, as recorded in provenance."""
    def clean(
        self,
        data: Data,
        *,
        name: Optional[str] = None,
        url: Optional[str] = None,
        format: BodyFormat = "text",
    ) -> Result:
        """Cleans one document: see ``rinse.clean``."""
    def clean_many(
        self,
        items: Iterable[Item],
        *,
        threads: Optional[int] = None,
        format: BodyFormat = "text",
        return_exceptions: bool = False,
    ) -> Iterator[Union[Result, InputError]]:
        """Cleans many documents on ``threads`` threads (default: every core) with the GIL
        released, yielding results in input order, the same for any thread count. Items
        are bytes, str, Records or ``(data, name[, url])`` tuples. A document that cannot
        be cleaned raises ``InputError`` in its place, or, with ``return_exceptions``, is
        yielded as the ``InputError``."""
    def clean_jsonl(
        self,
        lines: Iterable[Union[str, bytes]],
        *,
        threads: Optional[int] = None,
        format: BodyFormat = "text",
        name: str = "-",
        first_line: int = 1,
    ) -> Iterator[str]:
        """Cleans JSON Lines records, yielding the output lines (no newline) that
        ``rinse clean --format jsonl -`` writes for them, in order. Lines that hold no
        record give error records, as on the command line. ``first_line`` is the number
        of the first line (``rinse clean --first-line``): for a part of a larger file, such
        as a Spark partition, the line it starts at in that file."""

def clean(
    data: Data,
    *,
    name: Optional[str] = None,
    url: Optional[str] = None,
    rules: Optional[Union[StrPath, Sequence[StrPath]]] = None,
    format: BodyFormat = "text",
) -> Result:
    """Cleans one document.

    ``data`` is bytes (decoded as rinse decodes files), str (already text; not decoded) or
    a ``Record``. ``name`` is used as a file name is: ``.html``/``.htm`` make the data a
    page, and it is the provenance's ``source.path`` (``-`` when omitted). ``url`` is the
    page's address (site rules scope by host). ``rules`` is layered over the defaults and
    compiled on every call (build a ``Cleaner`` to reuse it). ``format`` is "text",
    "markdown" or "json". Raises ``InputError`` for data that is not text or too large.
    """

def read_records(
    path: StrPath,
    *,
    max_bytes: int = 67108864,
    text_field: str = "text",
    html_field: str = "html",
    id_field: str = "id",
    url_field: str = "url",
) -> Iterator[Record]:
    """The records of a JSON Lines, WARC or WET file (``.gz``/``.zst`` decompressed), read
    lazily: the records ``rinse clean FILE`` cleans. Other names are sniffed; a file that
    is not a record stream raises ``InputError``."""
