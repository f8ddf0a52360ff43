"""Small documents of each format, written by the libraries the import reads them with."""

import io
import tempfile

MARKDOWN = """# Titre I — Dispositions générales

Ce titre fixe le cadre.

## Article 1 — Objet

Le présent règlement organise le **budget participatif**.

## Article 2

Toute personne habitant la commune peut proposer un projet :

- d'intérêt général ;
- relevant de la commune.

# Titre II — Le vote

## Article 3 — Qui vote

Les habitants de plus de seize ans.
"""


def docx_bytes(blocks=None) -> bytes:
    """(style, text) pairs; a heading style opens sections and articles."""
    import docx

    document = docx.Document()
    for style, text in blocks or [
        ("Heading 1", "Titre I — Dispositions générales"),
        ("Heading 2", "Article 1 — Objet"),
        ("Normal", "Le présent règlement organise le budget participatif."),
        ("Heading 2", "Article 2 — Qui propose"),
        ("Normal", "Toute personne habitant la commune."),
        ("List Bullet", "d'intérêt général ;"),
        ("List Bullet", "relevant de la commune."),
        ("Heading 1", "Titre II — Le vote"),
        ("Heading 2", "Article 3 — Qui vote"),
        ("Normal", "Les habitants de plus de seize ans."),
    ]:
        if style.startswith("Heading"):
            document.add_heading(text, level=int(style.rsplit(" ", 1)[1]))
        else:
            paragraph = document.add_paragraph(style=style)
            run = paragraph.add_run(text)
            run.bold = text.startswith("Le présent")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    from odfdo import Document, Header, List, Paragraph

    document = Document("text")
    body = document.body
    body.clear()
    body.append(Header(1, "Préambule"))
    body.append(Paragraph("Les membres du conseil s'engagent à écouter."))
    body.append(Paragraph("Chacun peut prendre la parole."))
    body.append(Header(2, "Organisation"))
    body.append(List(["une séance par mois", "un compte rendu public"]))
    with tempfile.NamedTemporaryFile(suffix=".odt") as handle:
        document.save(handle.name)
        return open(handle.name, "rb").read()
