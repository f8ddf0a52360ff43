"""Pages of organization roles: the participants list and its export, the roles and
invitations (admins only), and the public page where an invitation is accepted."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.paginator import Paginator
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civitas.actionlog.services import log_action
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.core.spreadsheets import csv_lines
from civitas.organizations.access import (
    is_organization_admin_of,
    organization_admin_required,
    participant_manager_required,
)
from civitas.people import participants as listing
from civitas.people import services
from civitas.people.forms import InvitationForm, NewAccountForm
from civitas.people.models import Invitation, InvitedRole

User = get_user_model()
PAGE_SIZE = 50


@participant_manager_required
def participants(request):
    sees_email = is_organization_admin_of(request.user, request.organization.pk)
    filters = listing.Filters.from_data(request.GET)
    people = listing.participants(request.organization, filters, sees_email=sees_email)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "sees_email": sees_email,
        "active_days": listing.ACTIVE_DAYS,
        "column_labels": [
            listing.COLUMN_LABELS[column] for column in listing.export_columns(sees_email=sees_email)
        ],
    }
    return render(request, "people/admin/participants.html", context)


@require_POST
@participant_manager_required
def export(request):
    """The list as CSV, with the filters of the page; each export is written to the action log."""
    sees_email = is_organization_admin_of(request.user, request.organization.pk)
    filters = listing.Filters.from_data(request.POST)
    people = listing.participants(request.organization, filters, sees_email=sees_email)
    columns = listing.export_columns(sees_email=sees_email)
    with transaction.atomic():
        log_action(
            organization=request.organization,
            user=request.user,
            action="people.export",
            target=request.organization,
            after={"rows": people.count(), "columns": ", ".join(columns), "filters": filters.as_dict() or ""},
        )
    response = StreamingHttpResponse(
        csv_lines(columns, listing.export_rows(people)), content_type="text/csv; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="participants-{day}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@organization_admin_required
def roles(request):
    """Admins, user managers and invitations; the form to invite someone."""
    form = InvitationForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_invite(
                organization=request.organization,
                admin=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                space=form.cleaned_data["space"],
            )
        except services.PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The invitation is sent."))
            return redirect("people_admin:roles")
    people = services.people_of(request.organization)
    context = {
        "form": form,
        "groups": [
            (
                _("Organization admins"),
                people.filter(is_organization_admin=True).order_by("name", "pk"),
                InvitedRole.ORGANIZATION_ADMIN,
            ),
            (
                _("User managers"),
                people.filter(is_user_manager=True).order_by("name", "pk"),
                InvitedRole.USER_MANAGER,
            ),
        ],
        "invitations": Invitation.objects.filter(organization=request.organization)
        .select_related("space", "invited_by")
        .order_by("-sent_at", "-pk")[:100],
        "validity_days": services.INVITATION_VALIDITY.days,
    }
    return render(request, "people/admin/roles.html", context, status=400 if form.errors else 200)


def _invitation(request, invitation_id):
    return get_object_or_404(Invitation, organization=request.organization, pk=invitation_id)


@require_POST
@organization_admin_required
def invitation_resend(request, invitation_id):
    try:
        services.do_resend_invitation(invitation=_invitation(request, invitation_id), admin=request.user)
    except services.PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation is sent again with a new link, valid from today."))
    return redirect("people_admin:roles")


@require_POST
@organization_admin_required
def invitation_revoke(request, invitation_id):
    try:
        services.do_revoke_invitation(invitation=_invitation(request, invitation_id), admin=request.user)
    except services.PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation is revoked: its link no longer works."))
    return redirect("people_admin:roles")


@require_POST
@organization_admin_required
def role_remove(request, user_id):
    person = get_object_or_404(User, organization=request.organization, deleted_at__isnull=True, pk=user_id)
    role = request.POST.get("role", "")
    try:
        services.check_remove_role(admin=request.user, person=person, role=role)
    except services.PeopleError as error:
        messages.error(request, error.message)
        return redirect("people_admin:roles")
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=f"{InvitedRole(role).label} · {person.name} (@{person.nickname})",
            consequence=_(
                "The person loses this role at once and is told by e-mail. "
                "Only a new invitation gives it back."
            ),
            back_url=reverse("people_admin:roles"),
        )
    try:
        services.do_remove_role(admin=request.user, person=person, role=role)
    except services.PeopleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role is removed."))
    return redirect("people_admin:roles")


# --- The invited person's side -----------------------------------------------------------------


def _landing(invitation) -> str:
    """Where the new role starts."""
    if invitation.role == InvitedRole.USER_MANAGER:
        return reverse("people_admin:participants")
    if invitation.role == InvitedRole.SPACE_ADMIN:
        return reverse("backoffice:space", args=[invitation.space_id])
    if invitation.role == InvitedRole.ORGANIZATION_ADMIN:
        return reverse("backoffice:dashboard")
    return reverse("spaces:detail", args=[invitation.space.slug])


@never_cache
def accept(request, token):
    try:
        invitation = services.find_invitation(request.organization, token)
    except services.PeopleError as error:
        return render(request, "people/accept_refused.html", {"message": error.message}, status=410)
    account = services.invited_account(invitation)
    context = {"invitation": invitation, "account": account}
    if account is not None:
        if not request.user.is_authenticated:
            context["login_url"] = f"{reverse('accounts:login')}?next={request.path}"
            return render(request, "people/accept.html", context)
        if request.method == "POST":
            try:
                services.do_accept_invitation(invitation=invitation, user=request.user)
            except services.PeopleError as error:
                messages.error(request, error.message)
                return render(request, "people/accept.html", context, status=400)
            messages.success(request, _("Welcome: your new role is active."))
            return redirect(_landing(invitation))
        context["other_account"] = request.user.pk != account.pk
        return render(request, "people/accept.html", context)
    if request.user.is_authenticated:
        context["other_account"] = True
        return render(request, "people/accept.html", context)
    form = NewAccountForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.do_accept_with_new_account(
                invitation=invitation,
                name=form.cleaned_data["name"],
                nickname=form.cleaned_data["nickname"],
                password=form.cleaned_data["password1"],
                locale=request.LANGUAGE_CODE,
            )
        except services.PeopleError as error:
            form.add_error(None, error.message)
        else:
            login(request, person, backend="civitas.accounts.backends.OrganizationAccountBackend")
            messages.success(request, _("Welcome: your account is created and your new role is active."))
            return redirect(_landing(invitation))
    context["form"] = form
    return render(request, "people/accept.html", context, status=400 if form.errors else 200)
