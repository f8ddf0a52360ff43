"""Participatory texts: import, edit the working text, publish it in numbered versions.

Every admin change is logged in its own transaction; every change of an article's words
goes through ``Article.apply_change`` (or, for a new article, ``record_version``) so that
its history is complete.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.components.participatory_texts import splitting
from civitas.components.participatory_texts.models import Article, Section, TextVersion, VersionEntry
from civitas.versions.diff import Segment, text_of_html, word_diff
from civitas.versions.services import record_version


class TextError(Exception):
    """Refused: the message says why, for the admin."""


SPLIT_MESSAGES = {
    "unsupported": lambda: _("Import a Markdown (.md), Word (.docx) or OpenDocument text (.odt) file."),
    "empty": lambda: _("The file is empty."),
    "too large": lambda: _("The file is larger than 10 MB."),
    "unreadable": lambda: _(
        "The file could not be read as %(format)s: it may be damaged, or another kind of file renamed."
    ),
    "not UTF-8": lambda: _("The Markdown file must be saved as UTF-8 text."),
    "not a text document": lambda: _("The OpenDocument file is not a text document (.odt)."),
    "no articles": lambda: _("The document holds no text to cut into articles."),
    "too many": lambda: _("The document would make more than 2,000 articles."),
}


def check_split(data: bytes, filename: str) -> list[splitting.Item]:
    """The document's sections and articles, or TextError with a message for the admin."""
    try:
        return splitting.split(data, filename)
    except splitting.SplitError as error:
        kind = splitting.format_of(filename) or ""
        message = SPLIT_MESSAGES.get(str(error), SPLIT_MESSAGES["unreadable"])()
        raise TextError(
            message % {"format": splitting.FORMAT_NAMES.get(kind, kind)} if "%(" in message else message
        ) from error


def _forget_history(article_ids) -> None:
    """The versions of articles deleted for good go with them (never published: nobody read them)."""
    from django.contrib.contenttypes.models import ContentType

    from civitas.versions.models import Version

    content_type = ContentType.objects.get_for_model(Article, for_concrete_model=False)
    Version.objects.filter(content_type=content_type, object_id__in=list(article_ids)).delete()


def latest_version(component) -> TextVersion | None:
    return TextVersion.objects.filter(component=component).order_by("-number").first()


def check_can_import(component) -> None:
    if TextVersion.objects.filter(component=component).exists():
        raise TextError(
            _(
                "This text has been published: residents have commented on its articles. "
                "Edit, add or take out articles instead of importing a document again."
            )
        )


@transaction.atomic
def do_import(*, component, user, items: list[dict], file_name: str) -> int:
    """Replace the (never published) working text by the document's sections and articles."""
    check_can_import(component)
    if not any(item.get("kind") == "article" for item in items):
        raise TextError(_("The document holds no text to cut into articles."))
    replaced = Article.objects.filter(component=component)
    _forget_history(replaced.values_list("pk", flat=True))
    replaced.delete()
    Section.objects.filter(component=component).delete()
    section = None
    sections = articles = 0
    for position, item in enumerate(items):
        if item["kind"] == "section":
            section = Section.objects.create(
                component=component,
                title=item["title"][:300],
                level=max(1, min(6, int(item["level"]))),
                position=position,
            )
            sections += 1
        else:
            article = Article.objects.create(
                component=component,
                section=section,
                position=position,
                title=item["title"][:300],
                body=item["body"],
            )
            record_version(article, author=user, note=_("Imported from %(file)s") % {"file": file_name[:200]})
            articles += 1
    log_action(
        organization=component.space.organization,
        user=user,
        action="participatory_text.import",
        target=component,
        space=component.space,
        after={"file_name": file_name, "sections": sections, "articles": articles},
    )
    return articles


def _article_record(article) -> dict:
    return snapshot(article, fields=["title", "body", "section", "position"])


@transaction.atomic
def do_save_article(*, component, user, article: Article | None, title: str, body: str, section) -> Article:
    if section is not None and section.component_id != component.pk:
        raise TextError(_("Choose a section of this text."))
    if not text_of_html(body).strip():
        raise TextError(_("Write the text of the article."))
    if article is None:
        last = Article.objects.filter(component=component, section=section).aggregate(last=Max("position"))[
            "last"
        ]
        article = Article.objects.create(
            component=component, section=section, position=(last or 0) + 1, title=title, body=body
        )
        record_version(article, author=user)
        log_action(
            organization=component.space.organization,
            user=user,
            action="participatory_text.article_create",
            target=article,
            space=component.space,
            after=_article_record(article),
        )
        return article
    before = _article_record(article)
    if article.section_id != (section.pk if section else None):
        last = Article.objects.filter(component=component, section=section).aggregate(last=Max("position"))[
            "last"
        ]
        Article.objects.filter(pk=article.pk).update(section=section, position=(last or 0) + 1)
        article.section, article.position = section, (last or 0) + 1
    article.apply_change({"title": title, "body": body}, author=user)
    log_action(
        organization=component.space.organization,
        user=user,
        action="participatory_text.article_update",
        target=article,
        space=component.space,
        before=before,
        after=_article_record(article),
    )
    return article


@transaction.atomic
def do_move_article(*, article: Article, user, direction: str) -> None:
    """Swap with the neighbour above or below, within the article's section."""
    siblings = Article.objects.current().filter(component=article.component_id, section=article.section_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=article.position).order_by("-position", "-pk").first()
    else:
        neighbour = siblings.filter(position__gt=article.position).order_by("position", "pk").first()
    if neighbour is None:
        return
    Article.objects.filter(pk=article.pk).update(position=neighbour.position)
    Article.objects.filter(pk=neighbour.pk).update(position=article.position)
    log_action(
        organization=article.component.space.organization,
        user=user,
        action="participatory_text.article_move",
        target=article,
        space=article.component.space,
        after={"direction": direction},
    )


@transaction.atomic
def do_delete_article(*, article: Article, user) -> None:
    """Never published: deleted. Published: taken out of the working text, so that the
    versions that hold it, its comments and its history stay readable."""
    component = article.component
    before = _article_record(article)
    if article.published_at is None:
        log_action(
            organization=component.space.organization,
            user=user,
            action="participatory_text.article_delete",
            target=article,
            space=component.space,
            before=before,
        )
        _forget_history([article.pk])
        article.delete()
        return
    Article.objects.filter(pk=article.pk).update(removed_at=timezone.now())
    log_action(
        organization=component.space.organization,
        user=user,
        action="participatory_text.article_remove",
        target=article,
        space=component.space,
        before=before,
    )


@transaction.atomic
def do_save_section(*, section: Section, user, title: str, level: int) -> Section:
    before = snapshot(section, fields=["title", "level"])
    section.title, section.level = " ".join(title.split()), level
    section.save(update_fields=["title", "level"])
    log_action(
        organization=section.component.space.organization,
        user=user,
        action="participatory_text.section_update",
        target=section,
        space=section.component.space,
        before=before,
        after=snapshot(section, fields=["title", "level"]),
    )
    return section


def working_text(component) -> list[Section | Article]:
    """Sections and current articles in reading order (two queries)."""
    sections = list(Section.objects.filter(component=component).order_by("position", "pk"))
    articles = list(
        Article.objects.current()
        .filter(component=component)
        .only(
            "pk", "component_id", "section_id", "position", "title", "body", "published_at", "comment_count"
        )
        .order_by("position", "pk")
    )
    by_section: dict[int | None, list[Article]] = {}
    for article in articles:
        by_section.setdefault(article.section_id, []).append(article)
    ordered: list[Section | Article] = list(by_section.get(None, []))
    for section in sections:
        ordered.append(section)
        ordered.extend(by_section.get(section.pk, []))
    return ordered


@transaction.atomic
def do_publish_version(*, component, user, note: str) -> TextVersion:
    """Freeze the working text as version N+1: what residents read from now on."""
    parts = working_text(component)
    if not any(isinstance(part, Article) for part in parts):
        raise TextError(_("The text has no article to publish."))
    # Two admins publishing at once: the unique number refuses the second, not a silent duplicate.
    last = TextVersion.objects.filter(component=component).aggregate(last=Max("number"))["last"] or 0
    now = timezone.now()
    version = TextVersion.objects.create(
        component=component, number=last + 1, note=note.strip()[:200], published_at=now
    )
    entries, number = [], 0
    for position, part in enumerate(parts):
        if isinstance(part, Section):
            entries.append(
                VersionEntry(
                    version=version, position=position, kind="section", level=part.level, title=part.title
                )
            )
        else:
            number += 1
            entries.append(
                VersionEntry(
                    version=version,
                    position=position,
                    kind="article",
                    article_id=part.pk,
                    number=number,
                    title=part.title,
                    body=part.body,
                )
            )
    VersionEntry.objects.bulk_create(entries, batch_size=500)
    Article.objects.filter(component=component, published_at__isnull=True, removed_at__isnull=True).update(
        published_at=now
    )
    log_action(
        organization=component.space.organization,
        user=user,
        action="participatory_text.publish",
        target=version,
        space=component.space,
        after={"version": version.number, "note": version.note, "articles": number},
    )
    from civitas.search.indexing import queue_component

    transaction.on_commit(lambda: queue_component(component.pk))
    return version


# --- Reading ------------------------------------------------------------------------------


def entries_of(version: TextVersion):
    """The version's sections and articles in reading order, with each article's comment count."""
    return list(
        VersionEntry.objects.filter(version=version)
        .annotate(comments=F("article__comment_count"))
        .order_by("position")
    )


@dataclass
class ArticleChange:
    kind: str  # "added", "removed", "changed", "same"
    number: int | None  # in the newer version (the older one for a removed article)
    old_number: int | None
    title: str
    differences: list[tuple[str, list[Segment]]]
    article_id: int | None


def compare_versions(old: TextVersion, new: TextVersion) -> list[ArticleChange]:
    """Each article of either version, in the newer one's order (removed ones where they
    stood), with word differences of its title and text."""
    old_entries = list(VersionEntry.objects.filter(version=old, kind="article").order_by("position"))
    new_entries = list(VersionEntry.objects.filter(version=new, kind="article").order_by("position"))
    old_by_article = {entry.article_id: entry for entry in old_entries}
    new_ids = {entry.article_id for entry in new_entries}
    title_label, body_label = (
        str(Article._meta.get_field("title").verbose_name),
        str(Article._meta.get_field("body").verbose_name),
    )

    def differences(before, after):
        return [
            (title_label, word_diff(before.title if before else "", after.title if after else "")),
            (
                body_label,
                word_diff(
                    text_of_html(before.body) if before else "", text_of_html(after.body) if after else ""
                ),
            ),
        ]

    removed_after: dict[int | None, list] = {}
    previous_kept = None
    for entry in old_entries:
        if entry.article_id in new_ids:
            previous_kept = entry.article_id
        else:
            removed_after.setdefault(previous_kept, []).append(entry)

    def removed(entries):
        return [
            ArticleChange("removed", None, e.number, e.title, differences(e, None), e.article_id)
            for e in entries
        ]

    changes = removed(removed_after.get(None, []))
    for entry in new_entries:
        before = old_by_article.get(entry.article_id)
        if before is None:
            kind = "added"
        elif before.title == entry.title and text_of_html(before.body) == text_of_html(entry.body):
            kind = "same"
        else:
            kind = "changed"
        changes.append(
            ArticleChange(
                kind,
                entry.number,
                before.number if before else None,
                entry.title,
                differences(before, entry) if kind != "same" else [],
                entry.article_id,
            )
        )
        changes.extend(removed(removed_after.get(entry.article_id, [])))
    return changes


def markdown_of(version: TextVersion, title: str) -> str:
    """The version as Markdown: headings for sections, "Article N — title" for articles."""
    from civitas.core.richtext import plain_text

    lines = [
        f"# {title}",
        "",
        _("Version %(number)s, published on %(date)s")
        % {"number": version.number, "date": timezone.localtime(version.published_at).date().isoformat()},
    ]
    if version.note:
        lines += ["", version.note]
    for entry in entries_of(version):
        lines.append("")
        if entry.kind == "section":
            lines.append(f"{'#' * min(6, entry.level + 1)} {entry.title}")
        else:
            heading = _("Article %(number)s") % {"number": entry.number}
            lines.append(f"{'#' * 6} {heading}{' — ' + entry.title if entry.title else ''}")
            lines.append("")
            lines.append(_markdown_body(entry.body) or plain_text(entry.body))
    return "\n".join(lines).strip() + "\n"


def _markdown_body(body: str) -> str:
    """Paragraphs and list items of an article as Markdown text (inline formatting dropped)."""
    import re

    from civitas.versions.diff import text_of_html as text

    out = []
    for block in re.findall(r"<(p|li|h[2-4]|blockquote|tr|pre)\b[^>]*>(.*?)</\1>", body, re.S):
        tag, inner = block
        words = " ".join(text(inner).split())
        if not words:
            continue
        out.append({"li": f"- {words}", "blockquote": f"> {words}"}.get(tag, words))
    return "\n\n".join(out)
