"""Back-office pages of a citizen panel: set-up, pool, paper keying, lottery, draw."""

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.components.sortition import proposal_draws as proposal_draw_services
from civitas.components.sortition import services
from civitas.components.sortition.forms import (
    CancelPublicationForm,
    DrawForm,
    FeatureForm,
    ImportForm,
    ProposalDrawForm,
    SeedSourceForm,
    SettingsForm,
    SharesForm,
    VolunteerForm,
)
from civitas.components.sortition.lottery import describe_problems, summary, volunteer_probabilities
from civitas.components.sortition.models import Feature, Panel, PaperKeying, ProposalDraw
from civitas.components.sortition.pool import answer_labels, features_with_values
from civitas.components.views import admin_component_view
from civitas.core.confirmation import act_confirmed, confirm_act, confirm_deletion, deletion_confirmed


def _url(name: str, component, **kwargs) -> str:
    return reverse(
        f"sortition_admin:{name}",
        kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs},
    )


def _show_error(form, error: services.SortitionError) -> None:
    """The service's message above the form, and each field's own message beside the field."""
    form.add_error(None, error.message)
    for field, message in error.errors.items():
        if field in form.fields:
            form.add_error(field, message)


def _index_context(request, space, component, panel, **extra) -> dict:
    features = features_with_values(panel)
    active = panel.volunteers.filter(withdrawn_at__isnull=True).count()
    return {
        "space": space,
        "component": component,
        "panel": panel,
        "features": features,
        "active_volunteers": active,
        "settings_form": SettingsForm(instance=panel),
        "feature_form": FeatureForm(),
        "shares_form": SharesForm(),
        "seed_form": SeedSourceForm(),
        "draw_form": DrawForm(rule=panel.seed_rule) if panel.seed_rule else None,
        "setup_blocker": services.check_can_change_setup(panel),
        "features_blocker": services.check_can_change_features(panel),
        "compute_blocker": services.check_can_compute(panel),
        "publish_blocker": services.check_can_publish(panel),
        "draw_blocker": services.check_can_draw(panel),
        "cancel_form": CancelPublicationForm(),
        "cancel_blocker": services.check_can_cancel_publication(panel),
        "summary": summary(panel),
        "problems": describe_problems(panel.problems),
        "public_url": services.public_url(panel),
        **extra,
    }


@admin_component_view("sortition")
def index(request, space, component):
    panel = services.panel_of(component)
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=Panel.objects.get(pk=panel.pk))
        if form.is_valid():
            try:
                services.do_configure(
                    panel=panel,
                    user=request.user,
                    panel_size=form.cleaned_data["panel_size"],
                    alternates=form.cleaned_data["alternates"],
                    method=form.cleaned_data["method"],
                )
            except services.SortitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The panel settings are saved."))
            return redirect(_url("index", component))
        return render(
            request,
            "sortition/admin/index.html",
            _index_context(request, space, component, panel, settings_form=form),
        )
    return render(request, "sortition/admin/index.html", _index_context(request, space, component, panel))


@require_POST
@admin_component_view("sortition")
def add_feature(request, space, component):
    panel = services.panel_of(component)
    form = FeatureForm(request.POST)
    if form.is_valid():
        try:
            services.do_add_feature(
                panel=panel,
                user=request.user,
                name=form.cleaned_data["name"],
                values_text=form.cleaned_data["values"],
                tolerance=form.cleaned_data["tolerance"],
            )
        except services.SortitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The feature is added."))
            return redirect(_url("index", component))
    return render(
        request,
        "sortition/admin/index.html",
        _index_context(request, space, component, panel, feature_form=form),
    )


@require_POST
@admin_component_view("sortition")
def delete_feature(request, space, component, feature_id):
    panel = services.panel_of(component)
    feature = get_object_or_404(Feature, panel=panel, pk=feature_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=feature.name,
            consequence=_("The criterion, its values and its quotas are deleted for good."),
            back_url=_url("index", component),
            context={"space": space},
        )
    try:
        services.do_delete_feature(feature=feature, user=request.user)
    except services.SortitionError as error:
        messages.error(request, error.message)
    return redirect(_url("index", component))


@require_POST
@admin_component_view("sortition")
def quotas(request, space, component):
    panel = services.panel_of(component)
    values = {}
    try:
        for feature in features_with_values(panel):
            for value in feature.values.all():
                low = int(request.POST.get(f"min_{value.pk}", value.minimum))
                high = int(request.POST.get(f"max_{value.pk}", value.maximum))
                if low < 0 or high < 0:
                    raise ValueError
                values[value.pk] = (low, high)
    except (TypeError, ValueError):
        messages.error(request, _("Quotas are whole numbers, zero or more."))
        return redirect(_url("index", component))
    try:
        services.do_set_quotas(panel=panel, user=request.user, quotas=values)
    except services.SortitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The quotas are saved."))
    return redirect(_url("index", component))


@require_POST
@admin_component_view("sortition")
def apply_shares(request, space, component):
    panel = services.panel_of(component)
    form = SharesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The tolerance is a number of percentage points between 0 and 50."))
        return redirect(_url("index", component))
    try:
        services.do_apply_shares(panel=panel, user=request.user, tolerance=form.cleaned_data["tolerance"])
    except services.SortitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The quotas are set from the population shares."))
    return redirect(_url("index", component))


@require_POST
@admin_component_view("sortition")
def compute(request, space, component):
    panel = services.panel_of(component)
    try:
        services.do_start_computation(panel=panel, user=request.user)
    except services.SortitionError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("The lottery is being computed; this page follows its progress."))
    return redirect(_url("index", component))


@admin_component_view("sortition")
def status(request, space, component):
    """The computation's state as JSON, for scripts following a long computation."""
    panel = services.panel_of(component)
    return JsonResponse(
        {
            "state": panel.state,
            "progress": panel.progress,
            "problems": panel.problems,
            "hash": panel.lottery_hash,
        }
    )


@require_POST
@admin_component_view("sortition")
def publish(request, space, component):
    """Publish the lottery with where its seed will come from: never without, never with the seed."""
    panel = services.panel_of(component)
    form = SeedSourceForm(request.POST)
    if form.is_valid():
        if not act_confirmed(request):
            return confirm_act(
                request,
                title=_("Publish the lottery?"),
                consequence=_(
                    "The file, its hash and the seed's source become public for good: the panel will be "
                    "drawn from them. A publication can only be withdrawn with a public explanation."
                ),
                button=_("Publish the lottery, its hash and the seed's source"),
                back_url=_url("index", component),
                context={"space": space, "component": component},
            )
        try:
            services.do_publish(panel=panel, user=request.user, rule=form.cleaned_data["rule"])
        except services.SortitionError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The lottery, its hash and the seed's source are published."))
            return redirect(_url("index", component))
    return render(
        request,
        "sortition/admin/index.html",
        _index_context(request, space, component, panel, seed_form=form),
    )


@require_POST
@admin_component_view("sortition")
def draw_panel(request, space, component):
    panel = services.panel_of(component)
    blocker = services.check_can_draw(panel)
    if blocker:
        # Before the announced time (or once drawn): say why, whatever was typed.
        messages.error(request, blocker)
        return redirect(_url("index", component))
    form = DrawForm(request.POST, rule=panel.seed_rule)
    if form.is_valid():
        if not act_confirmed(request):
            return confirm_act(
                request,
                title=_("Draw the panel?"),
                consequence=_(
                    "The draw is made once: its panel and alternates are published and cannot be drawn again."
                ),
                button=_("Draw the panel"),
                back_url=_url("index", component),
                context={"space": space, "component": component},
            )
        try:
            services.do_draw(
                panel=panel, user=request.user, seed=form.cleaned_data.get("seed", ""), reveals=form.reveals()
            )
        except services.SortitionError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The panel is drawn."))
            return redirect(_url("pool", component))
    return render(
        request,
        "sortition/admin/index.html",
        _index_context(request, space, component, panel, draw_form=form),
    )


@require_POST
@admin_component_view("sortition")
def cancel_publication(request, space, component):
    panel = services.panel_of(component)
    form = CancelPublicationForm(request.POST)
    if form.is_valid():
        try:
            services.do_cancel_publication(
                panel=panel, user=request.user, explanation=form.cleaned_data["explanation"]
            )
        except services.SortitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The publication is withdrawn; the public page says why."))
            return redirect(_url("index", component))
    return render(
        request,
        "sortition/admin/index.html",
        _index_context(request, space, component, panel, cancel_form=form),
    )


@admin_component_view("sortition")
def pool(request, space, component):
    """Every volunteer with their answers and chance: names and answers are for admins only."""
    panel = services.panel_of(component)
    features = features_with_values(panel)
    probabilities = volunteer_probabilities(panel)
    selected = set(panel.selected_codes)
    alternates = {code: rank for rank, code in enumerate(panel.alternate_codes, start=1)}
    rows = [
        {
            "volunteer": volunteer,
            "answers": [answer_labels(features, volunteer.answers)[f.name] for f in features],
            "probability": probabilities.get(volunteer.code),
            "selected": volunteer.code in selected,
            "alternate": alternates.get(volunteer.code),
        }
        for volunteer in panel.volunteers.order_by("withdrawn_at", "name", "pk")
    ]
    if selected:
        rows.sort(key=lambda row: (not row["selected"], row["alternate"] or 10**9, row["volunteer"].name))
    context = {"space": space, "component": component, "panel": panel, "features": features, "rows": rows}
    return render(request, "sortition/admin/pool.html", context)


@require_POST
@admin_component_view("sortition")
def withdraw_volunteer(request, space, component, volunteer_id):
    panel = services.panel_of(component)
    volunteer = get_object_or_404(panel.volunteers, pk=volunteer_id)
    volunteer.panel = panel
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=_("Registration %(code)s") % {"code": volunteer.code},
            consequence=_(
                "The volunteer leaves the pool for good: they will not be drawn, and only a new "
                "registration would bring them back."
            ),
            back_url=_url("pool", component),
            context={"space": space},
        )
    try:
        services.do_withdraw(volunteer=volunteer, user=request.user)
    except services.SortitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The volunteer %(code)s is withdrawn.") % {"code": volunteer.code})
    return redirect(_url("pool", component))


@admin_component_view("sortition")
def paper(request, space, component):
    panel = services.panel_of(component)
    features = features_with_values(panel)
    form = VolunteerForm(request.POST or None, features=features, paper=True)
    if request.method == "POST" and form.is_valid():
        try:
            keying = services.do_key_paper(
                panel=panel,
                user=request.user,
                form_number=form.cleaned_data["form_number"],
                data=form.cleaned_data,
            )
        except services.SortitionError as error:
            _show_error(form, error)
        else:
            if keying.volunteer_id:
                messages.success(
                    request,
                    _("Both keyings of form %(number)s match: the volunteer is registered.")
                    % {"number": keying.form_number},
                )
            else:
                messages.info(
                    request,
                    _("Form %(number)s is keyed; a second person must key it too.")
                    % {"number": keying.form_number},
                )
            return redirect(_url("paper", component))
    context = {
        "space": space,
        "component": component,
        "panel": panel,
        "form": form,
        "status": services.paper_status(panel),
        "mine": panel.keyings.filter(keyed_by=request.user, volunteer__isnull=True),
        "import_form": ImportForm(),
        "csv_columns": ["name", "email", "phone", "consent", *(f.name for f in features)],
    }
    return render(request, "sortition/admin/paper.html", context)


@require_POST
@admin_component_view("sortition")
def delete_keying(request, space, component, keying_id):
    panel = services.panel_of(component)
    keying = get_object_or_404(PaperKeying, panel=panel, pk=keying_id)
    keying.panel = panel
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=_("Keying of form %(number)s") % {"number": keying.form_number},
            consequence=_("This keying of the paper form is deleted for good: the form must be keyed again."),
            back_url=_url("paper", component),
            context={"space": space},
        )
    try:
        services.do_delete_keying(keying=keying, user=request.user)
    except services.SortitionError as error:
        messages.error(request, error.message)
    return redirect(_url("paper", component))


@require_POST
@admin_component_view("sortition")
def import_csv(request, space, component):
    panel = services.panel_of(component)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file."))
        return redirect(_url("paper", component))
    try:
        with transaction.atomic():
            count = services.do_import_csv(panel=panel, user=request.user, file=form.cleaned_data["file"])
    except services.SortitionError as error:
        messages.error(request, error.message)
    else:
        imported = ngettext("%(count)s volunteer imported.", "%(count)s volunteers imported.", count)
        messages.success(request, imported % {"count": count})
    return redirect(_url("pool", component))


@admin_component_view("sortition")
def proposal_draws(request, space, component):
    """Draw N proposals of a proposals component: publish the candidates, then enter the seed."""
    sources = proposal_draw_services.proposal_sources(component)
    form = ProposalDrawForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        if not act_confirmed(request):
            return confirm_act(
                request,
                title=_("Publish the list of candidate proposals?"),
                consequence=_(
                    "The list, its hash and the seed's source become public for good: the proposals "
                    "will be drawn from them."
                ),
                button=_("Publish the list, its hash and the seed's source"),
                back_url=_url("proposal_draws", component),
                context={"space": space, "component": component},
            )
        source = next(c for c in sources if str(c.pk) == form.cleaned_data["source"])
        try:
            proposal_draw_services.do_create_proposal_draw(
                component=component,
                user=request.user,
                source=source,
                count=form.cleaned_data["count"],
                title=form.cleaned_data["title"],
                rule=form.cleaned_data["rule"],
            )
        except services.SortitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The list of candidate proposals, its hash and the seed's source are published.")
            )
            return redirect(_url("proposal_draws", component))
    return render(
        request, "sortition/admin/proposal_draws.html", _proposal_draws_context(space, component, form)
    )


def _proposal_draws_context(space, component, form, bound_draw_forms=None) -> dict:
    """Each draw not yet made, with why it cannot be drawn now or its form (one prefix per draw)."""
    bound_draw_forms = bound_draw_forms or {}
    draws = []
    for draw in component.proposal_draws.select_related("source"):
        entry = {"draw": draw, "blocker": None, "form": None}
        if not draw.drawn_at:
            entry["blocker"] = proposal_draw_services.check_can_draw_proposals(draw)
            if not entry["blocker"]:
                entry["form"] = bound_draw_forms.get(draw.pk) or DrawForm(
                    rule=draw.seed_rule, prefix=f"draw-{draw.pk}"
                )
        draws.append(entry)
    sources = proposal_draw_services.proposal_sources(component)
    return {"space": space, "component": component, "form": form, "sources": sources, "draws": draws}


@require_POST
@admin_component_view("sortition")
def draw_proposals(request, space, component, draw_id):
    draw = get_object_or_404(ProposalDraw, component=component, pk=draw_id)
    blocker = proposal_draw_services.check_can_draw_proposals(draw)
    if blocker:
        messages.error(request, blocker)
        return redirect(_url("proposal_draws", component))
    form = DrawForm(request.POST, rule=draw.seed_rule, prefix=f"draw-{draw.pk}")
    if form.is_valid():
        if not act_confirmed(request):
            return confirm_act(
                request,
                title=_("Draw the proposals?"),
                consequence=_(
                    "The draw is made once: the proposals drawn are published and cannot be drawn again."
                ),
                button=_("Draw the proposals"),
                back_url=_url("proposal_draws", component),
                context={"space": space, "component": component},
            )
        try:
            proposal_draw_services.do_draw_proposals(
                draw=draw, user=request.user, seed=form.cleaned_data.get("seed", ""), reveals=form.reveals()
            )
        except services.SortitionError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The proposals are drawn."))
            return redirect(
                reverse(
                    "sortition:proposal_draw",
                    kwargs={"space_slug": space.slug, "component_id": component.pk, "draw_id": draw.pk},
                )
            )
    sources = proposal_draw_services.proposal_sources(component)
    context = _proposal_draws_context(
        space, component, ProposalDrawForm(sources=sources), bound_draw_forms={draw.pk: form}
    )
    return render(request, "sortition/admin/proposal_draws.html", context)
