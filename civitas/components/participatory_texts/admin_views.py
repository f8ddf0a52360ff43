"""Back-office pages of a participatory text: import, edit the working text, publish versions."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.components.participatory_texts import services
from civitas.components.participatory_texts.forms import ArticleForm, ImportForm, PublishForm, SectionForm
from civitas.components.participatory_texts.models import Article, Section, TextVersion
from civitas.components.views import admin_component_view
from civitas.core.confirmation import act_confirmed, confirm_act, confirm_deletion, deletion_confirmed

# The preview carries the cut document to the confirming POST, signed: nothing is stored
# until the admin confirms, and an hour-old or altered preview is refused.
PREVIEW_SALT = "participatory_texts.import"
PREVIEW_MAX_AGE = 3600


def _index_url(space, component) -> str:
    return reverse(
        "participatory_texts_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk}
    )


@admin_component_view("participatory_texts")
def index(request, space, component):
    parts = services.working_text(component)
    number = 0
    rows = []
    for part in parts:
        if isinstance(part, Article):
            number += 1
            rows.append({"article": part, "number": number})
        else:
            rows.append({"section": part})
    versions = list(TextVersion.objects.filter(component=component).order_by("-number"))
    context = {
        "space": space,
        "component": component,
        "rows": rows,
        "article_count": number,
        "versions": versions,
        "publish_form": PublishForm(),
        "can_import": not versions,
    }
    return render(request, "participatory_texts/admin/index.html", context)


@admin_component_view("participatory_texts")
def import_document(request, space, component):
    context = {"space": space, "component": component}
    try:
        services.check_can_import(component)
    except services.TextError as error:
        messages.error(request, str(error))
        return redirect(_index_url(space, component))
    if request.method == "POST" and "preview" in request.POST:
        try:
            payload = signing.loads(
                request.POST["preview"], salt=f"{PREVIEW_SALT}:{component.pk}", max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("The preview is too old or was altered: import the document again."))
            return redirect(request.path)
        try:
            services.do_import(
                component=component, user=request.user, items=payload["items"], file_name=payload["file_name"]
            )
        except services.TextError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(request, _("The document is imported. Check the articles, then publish the text."))
        return redirect(_index_url(space, component))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            items = services.check_split(upload.read(), upload.name)
        except services.TextError as error:
            form.add_error("document", str(error))
        else:
            payload = {"file_name": upload.name, "items": [item.as_dict() for item in items]}
            number = 0
            preview = []
            for item in items:
                if item.kind == "article":
                    number += 1
                preview.append({**item.as_dict(), "number": number})
            context.update(
                preview=preview,
                file_name=upload.name,
                article_count=number,
                section_count=len(items) - number,
                replaced=Article.objects.filter(component=component).count(),
                signed=signing.dumps(payload, salt=f"{PREVIEW_SALT}:{component.pk}", compress=True),
            )
            return render(request, "participatory_texts/admin/preview.html", context)
    context["form"] = form
    return render(request, "participatory_texts/admin/import.html", context)


@admin_component_view("participatory_texts")
def article_edit(request, space, component, article_id=None):
    article = (
        get_object_or_404(Article.objects.current(), component=component, pk=article_id)
        if article_id
        else None
    )
    if article is not None:
        article.component = component
    form = ArticleForm(request.POST or None, instance=article, component=component)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_article(
                component=component,
                user=request.user,
                article=article,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                section=form.cleaned_data["section"],
            )
        except services.TextError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The article is saved. Residents will read it once a new version is published.")
            )
            return redirect(_index_url(space, component))
    context = {"space": space, "component": component, "article": article, "form": form}
    return render(request, "participatory_texts/admin/article.html", context)


@require_POST
@admin_component_view("participatory_texts")
def article_move(request, space, component, article_id):
    article = get_object_or_404(Article.objects.current(), component=component, pk=article_id)
    article.component = component
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.do_move_article(article=article, user=request.user, direction=direction)
    return redirect(f"{_index_url(space, component)}#article-{article.pk}")


@require_POST
@admin_component_view("participatory_texts")
def article_delete(request, space, component, article_id):
    article = get_object_or_404(Article.objects.current(), component=component, pk=article_id)
    article.component = component
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=str(article),
            consequence=(
                _(
                    "The article is taken out of the text: the next version will not hold it. "
                    "The published versions, its comments and its history stay readable."
                )
                if article.published_at
                else _("The article, never published, is deleted for good with its history.")
            ),
            back_url=_index_url(space, component),
            context={"space": space},
        )
    services.do_delete_article(article=article, user=request.user)
    messages.success(request, _("The article is deleted."))
    return redirect(_index_url(space, component))


@admin_component_view("participatory_texts")
def section_edit(request, space, component, section_id):
    section = get_object_or_404(Section, component=component, pk=section_id)
    section.component = component
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        services.do_save_section(
            section=section,
            user=request.user,
            title=form.cleaned_data["title"],
            level=form.cleaned_data["level"],
        )
        messages.success(request, _("The section is saved."))
        return redirect(_index_url(space, component))
    context = {"space": space, "component": component, "section": section, "form": form}
    return render(request, "participatory_texts/admin/section.html", context)


@require_POST
@admin_component_view("participatory_texts")
def publish(request, space, component):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The name of the version is too long (200 characters at most)."))
        return redirect(_index_url(space, component))
    if not act_confirmed(request):
        return confirm_act(
            request,
            title=_("Publish a new version of the text"),
            consequence=_(
                "Residents will read the text as it is now; this version stays public for good "
                "and can be compared with the others."
            ),
            button=_("Publish this version"),
            back_url=_index_url(space, component),
            context={"space": space},
        )
    try:
        version = services.do_publish_version(
            component=component, user=request.user, note=form.cleaned_data["note"]
        )
    except services.TextError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Version %(number)s of the text is published.") % {"number": version.number}
        )
    return redirect(_index_url(space, component))
