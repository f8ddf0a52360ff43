"""Public pages: the text (latest published version), one article with its comments, the
versions of the text and their comparison, the Markdown export.

Each page makes a fixed number of queries, whatever the number of articles or comments
(``tests/test_queries.py``): entries of a version come in one query with their comment
counts, and an article page reads its neighbours and its section in one query each.
"""

from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext

from civitas.components.participatory_texts import services
from civitas.components.participatory_texts.apps import article_heading
from civitas.components.participatory_texts.models import Article, TextVersion, VersionEntry
from civitas.components.views import public_component_view
from civitas.core.links import sanitize_user_html

BODY_SECONDS = 24 * 3600


def _outline(entries) -> list[dict]:
    """The table of contents: sections with their articles (articles before any section first)."""
    outline: list[dict] = [{"section": None, "articles": []}]
    for entry in entries:
        if entry.kind == "section":
            outline.append({"section": entry, "articles": []})
        else:
            outline[-1]["articles"].append(entry)
    return [part for part in outline if part["section"] is not None or part["articles"]]


def _heading_levels(entries) -> None:
    """A part is an <h2>, a chapter an <h3>, deeper sections <h4>; an article's heading sits
    one level below its section's (an <h2> when it comes before any section)."""
    article_level = 2
    for entry in entries:
        if entry.kind == "section":
            entry.tag_level = min(4, entry.level + 1)
            article_level = entry.tag_level + 1
        else:
            entry.tag_level = article_level


def _prepare(request, component, version, entries) -> None:
    """What each entry shows, made once here rather than by template tags 300 times over:
    its heading, its address, its comment count in words and its sanitized HTML. A
    version never changes, so its sanitized bodies are cached for the organization's
    current link settings (the key moves when the organization is saved)."""
    organization = request.organization
    key = (
        f"participatory_texts:{version.pk}:{organization.pk}:"
        f"{organization.updated_at.timestamp():.6f}:{get_language()}"
    )
    cache = caches["fragments"]
    bodies = cache.get(key)
    if bodies is None:
        bodies = {
            entry.pk: sanitize_user_html(entry.body, organization)
            for entry in entries
            if entry.kind == "article"
        }
        cache.set(key, bodies, BODY_SECONDS)
    base = component.get_absolute_url()
    for entry in entries:
        if entry.kind != "article":
            continue
        entry.heading = article_heading(entry.number, entry.title)
        entry.html = mark_safe(bodies.get(entry.pk) or sanitize_user_html(entry.body, organization))  # noqa: S308
        entry.url = f"{base}articles/{entry.article_id}/" if entry.article_id else ""
        count = entry.comments or 0
        entry.comments_label = ngettext("%(counter)s comment", "%(counter)s comments", count) % {
            "counter": count
        }


def _text_page(request, space, component, version, *, latest):
    entries = services.entries_of(version) if version else []
    _heading_levels(entries)
    if version is not None:
        _prepare(request, component, version, entries)
    context = {
        "space": space,
        "component": component,
        "version": version,
        "latest": latest,
        "entries": entries,
        "outline": _outline(entries),
        "article_count": sum(entry.kind == "article" for entry in entries),
    }
    return render(request, "participatory_texts/text.html", context)


@public_component_view("participatory_texts")
def text(request, space, component):
    version = services.latest_version(component)
    return _text_page(request, space, component, version, latest=version)


@public_component_view("participatory_texts")
def text_version(request, space, component, number):
    versions = list(TextVersion.objects.filter(component=component).order_by("-number")[:1])
    version = get_object_or_404(TextVersion, component=component, number=number)
    return _text_page(request, space, component, version, latest=versions[0])


@public_component_view("participatory_texts")
def article(request, space, component, article_id):
    article = get_object_or_404(Article, component=component, pk=article_id)
    article.component = component
    if not request.user.has_perm("participatory_texts.view_article", article):
        raise Http404
    version = services.latest_version(component)
    entry = (
        VersionEntry.objects.filter(version=version, article=article).first() if version is not None else None
    )
    taken_out_in = None
    if entry is None and article.published_at is not None:
        # Taken out of the text since: shown as the last version that held it.
        entry = (
            VersionEntry.objects.filter(article=article)
            .select_related("version")
            .order_by("-version__number")
            .first()
        )
        taken_out_in = version
    neighbours = {}
    section = None
    if entry is not None:
        around = VersionEntry.objects.filter(version_id=entry.version_id)
        following = list(around.filter(kind="article", position__gt=entry.position).order_by("position")[:1])
        section = list(around.filter(kind="section", position__lt=entry.position).order_by("-position")[:1])
        previous_article = list(
            around.filter(kind="article", position__lt=entry.position).order_by("-position")[:1]
        )
        neighbours = {
            "previous": previous_article[0] if previous_article and not taken_out_in else None,
            "next": following[0] if following and not taken_out_in else None,
        }
        section = section[0] if section else None
    context = {
        "space": space,
        "component": component,
        "article": article,
        "entry": entry,
        "version": version,
        "taken_out_in": taken_out_in,
        "section": section,
        **neighbours,
    }
    return render(request, "participatory_texts/article.html", context)


@public_component_view("participatory_texts")
def versions(request, space, component):
    all_versions = list(TextVersion.objects.filter(component=component).order_by("-number"))
    return render(
        request,
        "participatory_texts/versions.html",
        {"space": space, "component": component, "versions": all_versions},
    )


def _number(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@public_component_view("participatory_texts")
def compare(request, space, component):
    all_versions = list(TextVersion.objects.filter(component=component).order_by("number"))
    if not all_versions:
        raise Http404
    by_number = {version.number: version for version in all_versions}
    newest = all_versions[-1]
    default_old = all_versions[-2] if len(all_versions) > 1 else newest
    old = by_number.get(_number(request.GET.get("from"), default_old.number), default_old)
    new = by_number.get(_number(request.GET.get("to"), newest.number), newest)
    if old.number > new.number:
        old, new = new, old
    changes = services.compare_versions(old, new)
    counts = {
        kind: sum(change.kind == kind for change in changes)
        for kind in ("added", "removed", "changed", "same")
    }
    context = {
        "space": space,
        "component": component,
        "versions": all_versions,
        "old": old,
        "new": new,
        "changes": [change for change in changes if change.kind != "same"],
        "counts": counts,
    }
    return render(request, "participatory_texts/compare.html", context)


@public_component_view("participatory_texts")
def markdown(request, space, component):
    number = request.GET.get("version")
    versions_of = TextVersion.objects.filter(component=component)
    version = (
        versions_of.filter(number=_number(number, 0)).first()
        if number
        else versions_of.order_by("-number").first()
    )
    if version is None:
        raise Http404
    response = HttpResponse(
        services.markdown_of(version, component.name), content_type="text/markdown; charset=utf-8"
    )
    name = slugify(component.name) or "texte"
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.md"'
    return response
