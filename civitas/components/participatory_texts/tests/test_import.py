"""Importing a document: each format cut into sections and articles, shown before anything
is saved; a bad file is refused with a clear message and creates nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.actionlog.models import ActionLogEntry
from civitas.components.participatory_texts import services
from civitas.components.participatory_texts.models import Article, Section
from civitas.components.participatory_texts.splitting import SplitError, article_title, split
from civitas.components.participatory_texts.tests.conftest import admin_base, import_markdown
from civitas.components.participatory_texts.tests.documents import MARKDOWN, docx_bytes, odt_bytes
from civitas.versions.services import versions_of

pytestmark = pytest.mark.django_db


def _shape(items):
    return [(item.kind, item.title) for item in items]


def test_markdown_headings_that_read_like_articles_open_articles():
    items = split(MARKDOWN.encode(), "r.md")
    assert _shape(items) == [
        ("section", "Titre I — Dispositions générales"),
        ("article", ""),  # the section's introduction
        ("article", "Objet"),
        ("article", ""),
        ("section", "Titre II — Le vote"),
        ("article", "Qui vote"),
    ]
    assert "<strong>budget participatif</strong>" in items[2].body
    assert "<ul>" in items[3].body and "<li>relevant de la commune.</li>" in items[3].body


def test_docx_is_cut_by_its_heading_styles_with_lists_and_bold_kept():
    items = split(docx_bytes(), "reglement.docx")
    assert _shape(items) == [
        ("section", "Titre I — Dispositions générales"),
        ("article", "Objet"),
        ("article", "Qui propose"),
        ("section", "Titre II — Le vote"),
        ("article", "Qui vote"),
    ]
    assert items[1].body == "<p><strong>Le présent règlement organise le budget participatif.</strong></p>"
    assert (
        "<ul><li>d&#x27;intérêt général ;</li>" in items[2].body
        or "<ul><li>d'intérêt général ;</li>" in items[2].body
    )


def test_odt_without_article_headings_makes_one_article_per_block():
    items = split(odt_bytes(), "charte.odt")
    assert _shape(items) == [
        ("section", "Préambule"),
        ("article", ""),
        ("article", ""),
        ("section", "Organisation"),
        ("article", ""),
    ]
    assert items[3].level == 2
    assert items[4].body == "<ul><li>une séance par mois</li><li>un compte rendu public</li></ul>"


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Article 1 — Objet", "Objet"),
        ("Article premier : Champ", "Champ"),
        ("Art. 12", ""),
        ("ARTICLE IV - Le vote", "Le vote"),
        ("Article 3.2. Détails", "Détails"),
        ("Articles de presse", None),
        ("Titre I", None),
    ],
)
def test_what_reads_as_an_article_heading(heading, title):
    assert article_title(heading) == title


def test_each_format_imports_through_preview_and_confirmation(client_a, admin_a, text_component):
    client_a.force_login(admin_a)
    url = admin_base(text_component) + "import/"
    for name, data, articles in (
        ("reglement.md", MARKDOWN.encode(), 4),
        ("reglement.docx", docx_bytes(), 3),
        ("charte.odt", odt_bytes(), 3),
    ):
        preview = client_a.post(url, {"document": SimpleUploadedFile(name, data)})
        assert preview.status_code == 200
        page = preview.content.decode()
        assert "Vérifiez l’import" in page or "Check the import" in page
        assert Article.objects.filter(component=text_component).count() in (
            0,
            4,
            3,
        )  # the previous import stays
        signed = preview.context["signed"]
        done = client_a.post(url, {"preview": signed})
        assert done.status_code == 302
        assert Article.objects.filter(component=text_component).count() == articles, name
    article = Article.objects.filter(component=text_component).first()
    [version] = versions_of(article)
    assert "charte.odt" in version.note and version.author == admin_a
    assert ActionLogEntry.objects.filter(action="participatory_text.import").count() == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.md", b"", "vide"),
        (
            "texte.pdf",
            b"%PDF-1.4 ...",
            "Importez un fichier Markdown (.md), Word (.docx) ou OpenDocument texte (.odt).",
        ),
        ("abime.docx", b"PK\x03\x04 pas vraiment un docx", "Word (DOCX)"),
        ("abime.odt", docx_bytes(), "OpenDocument (ODT)"),
        ("titres.md", b"# Un titre\n\n## Un autre\n", "Le document ne contient aucun texte"),
        ("latin1.md", "# Été\n\nÀ l'école".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_created(client_a, admin_a, text_component, name, data, message):
    client_a.force_login(admin_a)
    response = client_a.post(
        admin_base(text_component) + "import/", {"document": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists() and not Section.objects.exists()
    assert not ActionLogEntry.objects.filter(action="participatory_text.import").exists()


def test_an_altered_preview_is_refused(client_a, admin_a, text_component):
    client_a.force_login(admin_a)
    url = admin_base(text_component) + "import/"
    signed = client_a.post(url, {"document": SimpleUploadedFile("r.md", MARKDOWN.encode())}).context["signed"]
    response = client_a.post(url, {"preview": signed[:-3] + "abc"}, follow=True)
    assert (
        "import the document again" in response.content.decode()
        or "importez" in response.content.decode().lower()
    )
    assert not Article.objects.exists()


def test_a_published_text_cannot_be_imported_again(client_a, admin_a, published_text):
    client_a.force_login(admin_a)
    count = Article.objects.count()
    response = client_a.post(
        admin_base(published_text) + "import/", {"document": SimpleUploadedFile("r.md", MARKDOWN.encode())}
    )
    assert response.status_code == 302
    assert Article.objects.count() == count
    with pytest.raises(services.TextError):
        import_markdown(published_text, admin_a)


def test_split_refuses_unknown_formats_without_reading_them():
    with pytest.raises(SplitError):
        split(io.BytesIO(b"x").getvalue(), "notes.rtf")
