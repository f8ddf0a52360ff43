"""Recompute a consultation's themes from its published answers file.

``python -m civitas.themes answers.jsonl --seed N [--edits themes.json] [--json OUT]``

The seed is the one the results page publishes. ``--edits`` takes the themes file the
results page offers (or a JSON list of edits) and replays its names, merges and splits;
``--json`` writes the result in the same format as that file; ``--labels`` writes
the theme of every answer (CSV: question, record id, theme), so that anyone holding a
receipt can see where their answer went. The printed themes are the
ones the platform shows for the same file, seed and edits.

Exit status: 0 done, 2 the file or the edits cannot be read.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from civitas.sealing.canonical import RecordError
from civitas.sealing.published import FormatError
from civitas.themes.analysis import analyse, named, share


def _edits(path: str | None) -> list[dict]:
    if not path:
        return []
    with open(path, encoding="utf-8") as stream:
        value = json.load(stream)
    edits = value.get("edits", []) if isinstance(value, dict) else value
    if not isinstance(edits, list) or not all(isinstance(edit, dict) for edit in edits):
        raise ValueError("the edits must be a list of objects")
    return edits


def render(result: dict) -> str:
    lines = [
        f"{result['title']}",
        f"file sha256 {result['file']['sha256']}, seal {result['file']['seal']}",
        f"seed {result['seed']}, method version {result['parameters']['method_version']}, "
        + ", ".join(f"{name} {version}" for name, version in result["versions"].items()),
    ]
    for key, question in result["questions"].items():
        answered = question["answered"]
        lines += [
            "",
            f"{key}: {question['label']}",
            f"  {answered} answers: {question['in_themes']} in {len(question['themes'])} themes"
            f" (k={question['k']}), {question['empty']} empty or meaningless, {question['hidden']} hidden",
        ]
        for theme in question["themes"]:
            name = f" «{theme['name']}»" if theme.get("name") else ""
            lines.append(
                f"  theme {theme['id']}{name}: {share(theme['count'], answered)} % ({theme['count']})"
                f" — {', '.join(theme['words'])}"
            )
            for quote in theme["quotes"]:
                text = quote["text"] if len(quote["text"]) <= 160 else quote["text"][:159] + "…"
                lines.append(f"      “{text}”")
        for refused in question["refused_edits"]:
            lines.append(f"  edit not applied: {refused['reason']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civitas.themes", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="the published answers file (JSON lines)")
    parser.add_argument("--seed", type=int, required=True, help="the seed published with the themes")
    parser.add_argument("--edits", help="the published themes file (or a JSON list of edits) to replay")
    parser.add_argument("--json", help="write the result here as JSON")
    parser.add_argument("--labels", help="write each answer's theme here (CSV: question, record id, theme)")
    args = parser.parse_args(argv)
    try:
        edits = _edits(args.edits)
        with contextlib.ExitStack() as stack:
            stream = stack.enter_context(open(args.file, encoding="utf-8"))
            labels = stack.enter_context(open(args.labels, "w", encoding="utf-8")) if args.labels else None
            result = named(analyse(stream, seed=args.seed, edits=edits, labels_to=labels), edits)
    except (OSError, ValueError, FormatError, RecordError, UnicodeDecodeError) as error:
        print(f"UNREADABLE: {error}")
        return 2
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(result, stream, ensure_ascii=False, indent=1)
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
