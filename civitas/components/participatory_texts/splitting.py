"""Reading an imported document and cutting it into sections and articles.

Framework-free (no Django): the back-office preview, the import itself and the tests run
the same code, and ``python -m civitas.components.participatory_texts.splitting FILE``
prints how a document would be cut.

A document is first read as a flat sequence of blocks: headings (with their level) and
top-level blocks of text (a paragraph, a list, a table, a quotation). The rule that cuts it:

1. When at least one heading reads like an article ("Article 3", "Art. 12", "Article
   premier", "Article IV"), those headings open articles and every other heading opens a
   section. An article holds all the blocks that follow its heading up to the next
   heading. Blocks found under a section heading before any article heading become one
   article without a title (a preamble, a section's introduction).
2. Otherwise every heading opens a section (its level kept), and each top-level block
   becomes an article of its own, without a title, in the section of the nearest heading
   above it (the deepest one open there): a charter of numbered paragraphs reads as
   numbered articles.

Text before any heading belongs to no section; an article's title is its heading without
the "Article N" words ("Article 2 — Objet" gives "Objet"; "Article 2" alone gives none).
"""

from __future__ import annotations

import html
import io
import re
import sys
from dataclasses import dataclass, field

ARTICLE_HEADING = re.compile(
    r"^\s*(?:article|art\.)\s*(?:\d+(?:[-.]\d+)*|premier|1er|[ivxlcdm]+)\b\s*(?:er\b)?[\s:.—–-]*",
    re.IGNORECASE,
)
FORMATS = {"md": "markdown", "markdown": "markdown", "txt": "markdown", "docx": "docx", "odt": "odt"}
MAX_BYTES = 10 * 1024 * 1024
MAX_ARTICLES = 2000


class SplitError(ValueError):
    """A document that cannot be imported; the message says why, for the admin."""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Block:
    html: str


@dataclass
class Item:
    kind: str  # "section" or "article"
    title: str
    level: int = 0  # of a section's heading, 1 to 6
    body: str = ""  # an article's HTML
    parts: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "level": self.level, "body": self.body}


# --- Reading each format as headings and blocks -------------------------------------------


def _text(value: str) -> str:
    return html.escape(" ".join(value.split()), quote=False)


def read_markdown(data: bytes) -> list[Heading | Block]:
    from markdown_it import MarkdownIt

    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SplitError("not UTF-8") from error
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(source)
    blocks: list[Heading | Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = index
        if token.nesting == 1:
            depth = 0
            for end in range(index, len(tokens)):
                depth += tokens[end].nesting
                if depth == 0:
                    break
        if token.type == "heading_open":
            inline = tokens[index + 1]
            blocks.append(Heading(int(token.tag[1]), " ".join(inline.content.split())))
        elif token.type not in ("hr",):
            rendered = md.renderer.render(tokens[index : end + 1], md.options, {}).strip()
            if rendered:
                blocks.append(Block(rendered))
        index = end + 1
    return blocks


def _docx_heading_level(paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    match = re.match(r"^(?:heading|titre)\s*(\d)$", name.strip(), re.IGNORECASE)
    if match:
        return max(1, min(6, int(match.group(1))))
    if name.strip().lower() in ("title", "titre"):
        return 1
    return 0


def _docx_runs(paragraph) -> str:
    parts = []
    for run in paragraph.runs:
        text = html.escape(run.text, quote=False)
        if not text:
            continue
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        parts.append(text)
    return " ".join("".join(parts).split()) if parts else _text(paragraph.text)


def _docx_list_kind(paragraph) -> str | None:
    name = ((paragraph.style.name if paragraph.style is not None else "") or "").lower()
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    if "number" in name or "numéro" in name:
        return "ol"
    if "list" in name or "liste" in name or numbered:
        return "ul"
    return None


def read_docx(data: bytes) -> list[Heading | Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    blocks: list[Heading | Block] = []
    pending_list: tuple[str, list[str]] | None = None

    def close_list():
        nonlocal pending_list
        if pending_list:
            tag, items = pending_list
            blocks.append(Block(f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"))
        pending_list = None

    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            text = _docx_runs(paragraph)
            if not text.strip():
                continue
            level = _docx_heading_level(paragraph)
            kind = None if level else _docx_list_kind(paragraph)
            if kind:
                if pending_list and pending_list[0] != kind:
                    close_list()
                pending_list = pending_list or (kind, [])
                pending_list[1].append(text)
                continue
            close_list()
            if level:
                blocks.append(Heading(level, " ".join(paragraph.text.split())))
            else:
                blocks.append(Block(f"<p>{text}</p>"))
        elif tag == "tbl":
            close_list()
            table = Table(element, document)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_text(cell.text)}</td>" for cell in row.cells) + "</tr>"
                for row in table.rows
            )
            if rows:
                blocks.append(Block(f"<table><tbody>{rows}</tbody></table>"))
    close_list()
    return blocks


def _odt_list(element) -> str:
    items = []
    for item in element.children:
        if item.tag != "text:list-item":
            continue
        inner = []
        for child in item.children:
            if child.tag == "text:list":
                inner.append(_odt_list(child))
            elif child.text_recursive.strip():
                inner.append(_text(child.text_recursive))
        items.append("<li>" + " ".join(inner) + "</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def read_odt(data: bytes) -> list[Heading | Block]:
    import tempfile

    # odfdo opens paths, and reads the archive lazily: everything is read before the
    # temporary file goes.
    with tempfile.NamedTemporaryFile(suffix=".odt") as handle:
        handle.write(data)
        handle.flush()
        return _odt_blocks(handle.name)


def _odt_blocks(path: str) -> list[Heading | Block]:
    from odfdo import Document

    document = Document(path)
    if document.get_type() != "text":
        raise SplitError("not a text document")
    blocks: list[Heading | Block] = []
    for element in document.body.children:
        if element.tag == "text:h":
            text = " ".join(element.text_recursive.split())
            if text:
                level = int(element.get_attribute("text:outline-level") or 1)
                blocks.append(Heading(max(1, min(6, level)), text))
        elif element.tag == "text:p":
            if element.text_recursive.strip():
                blocks.append(Block(f"<p>{_text(element.text_recursive)}</p>"))
        elif element.tag == "text:list":
            rendered = _odt_list(element)
            if rendered:
                blocks.append(Block(rendered))
        elif element.tag == "table:table":
            rows = []
            for row in element.get_elements("table:table-row"):
                cells = "".join(
                    f"<td>{_text(cell.text_recursive)}</td>" for cell in row.get_elements("table:table-cell")
                )
                rows.append(f"<tr>{cells}</tr>")
            if rows:
                blocks.append(Block("<table><tbody>" + "".join(rows) + "</tbody></table>"))
    return blocks


READERS = {"markdown": read_markdown, "docx": read_docx, "odt": read_odt}
FORMAT_NAMES = {"markdown": "Markdown", "docx": "Word (DOCX)", "odt": "OpenDocument (ODT)"}


# --- Cutting ------------------------------------------------------------------------------


def article_title(heading: str) -> str | None:
    """The title left once "Article N" is taken off, or None when the heading is no article."""
    match = ARTICLE_HEADING.match(heading)
    if not match:
        return None
    return heading[match.end() :].strip(" \t—–-:.")


def cut(blocks: list[Heading | Block]) -> list[Item]:
    items: list[Item] = []
    by_articles = any(isinstance(b, Heading) and article_title(b.text) is not None for b in blocks)
    current: Item | None = None  # the article being filled (rule 1)
    for block in blocks:
        if isinstance(block, Heading):
            title = article_title(block.text) if by_articles else None
            if title is not None:
                current = Item("article", title)
                items.append(current)
            else:
                current = None
                items.append(Item("section", block.text, level=block.level))
        elif by_articles:
            if current is None:
                current = Item("article", "")
                items.append(current)
            current.parts.append(block.html)
        else:
            items.append(Item("article", "", parts=[block.html]))
    for item in items:
        item.body = "\n".join(item.parts)
    return items


def split(data: bytes, filename: str) -> list[Item]:
    """The sections and articles of an uploaded file, or SplitError saying what is wrong."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = FORMATS.get(extension)
    if kind is None:
        raise SplitError("unsupported")
    if not data.strip():
        raise SplitError("empty")
    if len(data) > MAX_BYTES:
        raise SplitError("too large")
    try:
        blocks = READERS[kind](data)
    except SplitError:
        raise
    except Exception as error:  # each library fails its own way on a damaged file
        raise SplitError("unreadable") from error
    items = cut(blocks)
    if not any(item.kind == "article" and (item.body or item.title) for item in items):
        raise SplitError("no articles")
    if sum(item.kind == "article" for item in items) > MAX_ARTICLES:
        raise SplitError("too many")
    return items


def format_of(filename: str) -> str | None:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return FORMATS.get(extension)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m civitas.components.participatory_texts.splitting FILE", file=sys.stderr)
        return 2
    with open(argv[0], "rb") as handle:
        try:
            items = split(handle.read(), argv[0])
        except SplitError as error:
            print(f"refused: {error}", file=sys.stderr)
            return 1
    number = 0
    for item in items:
        if item.kind == "section":
            print(f"{'#' * item.level} {item.title}")
        else:
            number += 1
            words = len(re.sub(r"<[^>]+>", " ", item.body).split())
            print(f"  Article {number}{' — ' + item.title if item.title else ''} ({words} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
