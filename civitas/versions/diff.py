"""Word-level differences between two texts, and the text a stored HTML fragment reads as.

Framework-free: the history pages, the draft editor's conflict notice and the amendment
pages all show the same differences, and a test can run this on plain strings.
Words, spaces and punctuation are separate tokens so a changed comma does not mark its
whole word as changed, and a run of unchanged tokens between two changes stays readable.
"""

import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "figure",
        "tr",
        "br",
    }
)

Kind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


class _TextOf(HTMLParser):
    """Collects the text a reader sees, a line break where a block starts or ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def text_of_html(fragment: str) -> str:
    """The words of a sanitized HTML fragment, one paragraph per line."""
    reader = _TextOf()
    reader.feed(fragment or "")
    reader.close()
    lines = ("".join(reader.parts)).replace("\xa0", " ").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new``, neighbours of one kind merged."""
    before, after = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    segments: list[Segment] = []

    def add(kind: Kind, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            add("same", before[a_start:a_end])
        else:
            add("removed", before[a_start:a_end])
            add("added", after[b_start:b_end])
    return segments


def has_changes(segments: list[Segment]) -> bool:
    return any(segment.kind != "same" for segment in segments)
