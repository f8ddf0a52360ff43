from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civitas.components.debates import services
from civitas.components.debates.forms import ParticipantDebateForm
from civitas.components.debates.models import Debate
from civitas.components.views import public_component_view


@public_component_view("debates")
def debate_index(request, space, component):
    debates = Debate.objects.visible().filter(component=component).select_related("author")
    status = request.GET.get("status", "open")
    status = status if status in ("open", "closed") else "open"
    debates = debates.filter(closed_at__isnull=status == "open")
    context = {
        "space": space,
        "component": component,
        "debates": list(debates[:200]),
        "status": status,
        "can_create": request.user.has_perm("debates.create", component),
    }
    return render(request, "debates/index.html", context)


@public_component_view("debates")
def debate_detail(request, space, component, debate_id):
    debate = get_object_or_404(Debate.objects.select_related("author"), component=component, pk=debate_id)
    debate.component = component
    is_author = request.user.is_authenticated and debate.author_id == request.user.pk
    if debate.published_at is None and not request.user.has_perm("spaces.admin_space", space):
        raise Http404
    if debate.hidden_at is not None and not (
        is_author or request.user.has_perm("spaces.moderate_space", space)
    ):
        raise Http404
    context = {
        "space": space,
        "component": component,
        "debate": debate,
        "alignments": services.alignment_counts(debate),
    }
    return render(request, "debates/detail.html", context)


@public_component_view("debates")
def debate_create(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("debates.create", component):
        raise Http404
    form = ParticipantDebateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            debate = services.do_open_debate(user=request.user, component=component, **form.cleaned_data)
        except services.DebateError as error:
            form.add_error(None, str(error))
        else:
            # Spam scoring ran when the debate was committed (civitas.spam.signals): held or not is known.
            debate.refresh_from_db(fields=["hidden_at"])
            if debate.hidden_at is None:
                messages.success(request, _("Your debate is open."))
            else:
                messages.warning(
                    request,
                    _(
                        "Your debate is not open yet: it looks like spam to our automatic check, so "
                        "a moderator will read it first. You will receive an e-mail about it."
                    ),
                )
            return redirect(debate.get_absolute_url())
    return render(request, "debates/form.html", {"space": space, "component": component, "form": form})
