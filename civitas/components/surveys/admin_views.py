"""Back-office of a survey: builder, closing, results, paper forms, data entry, exports."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.actionlog.services import log_action, snapshot
from civitas.ballotbox.admin import (
    close_from_admin,
    closing_poll,
    closing_progress,
    key_panel,
    keys_view,
    supplied_trustee_keys,
)
from civitas.ballotbox.services import verify
from civitas.components.models import Component
from civitas.components.surveys import exports, services, themes
from civitas.components.surveys.admin_forms import (
    BatchForm,
    CsvImportForm,
    PrintForm,
    QuestionForm,
    StaffForm,
    SurveyForm,
)
from civitas.components.surveys.models import (
    CHOICE_TYPES,
    MATRIX_TYPES,
    OPTION_TYPES,
    Batch,
    Keying,
    MatrixRow,
    Option,
    PrintRun,
    Question,
    Survey,
    ThemeAnalysis,
)
from civitas.components.surveys.questionnaire import definition_of, payload_to_fields, questionnaire_changed
from civitas.components.surveys.rendering import question_views
from civitas.components.surveys.results import build_results
from civitas.core.confirmation import act_confirmed, confirm_act, confirm_deletion, deletion_confirmed
from civitas.core.streaming import streamed_export
from civitas.spaces import access
from civitas.spaces.models import Space


def survey_admin_view(*, data_entry: bool = False):
    """Space admins; with ``data_entry``, also the survey's data-entry staff."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, space_id, component_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            space = get_object_or_404(
                Space.objects.select_related("active_phase", "organization"),
                organization=request.organization,
                pk=space_id,
            )
            component = get_object_or_404(Component, space=space, pk=component_id, manifest_name="surveys")
            component.space = space
            survey, _created = Survey.objects.get_or_create(component=component)
            survey.component = component
            is_admin = request.user.has_perm("spaces.admin_space", space)
            # Keying paper forms is counting votes: the same two-factor gate as the roles.
            is_clerk = (
                not access.second_factor_missing(request.user)
                and survey.data_entry_staff.filter(pk=request.user.pk).exists()
            )
            if not (is_admin or (data_entry and is_clerk)):
                raise PermissionDenied
            request.survey_is_admin = is_admin
            return view(request, space, component, survey, *args, **kwargs)

        return wrapper

    return decorator


def _admin_url(name: str, component, **kwargs) -> str:
    return reverse(
        f"surveys_admin:{name}",
        kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs},
    )


def _log(request, survey, action, before=None, after=None, target=None):
    log_action(
        organization=request.organization,
        user=request.user,
        action=action,
        target=target or survey,
        space=survey.component.space,
        before=before,
        after=after,
    )


def _locked(survey) -> bool:
    """The questionnaire cannot change once answers exist: they would no longer fit it."""
    return survey.is_frozen or survey.has_ballots() or Keying.objects.filter(batch__survey=survey).exists()


@survey_admin_view(data_entry=True)
def survey_admin_index(request, space, component, survey):
    if not request.survey_is_admin:
        return redirect(_admin_url("batches", component))
    if poll := closing_poll(request, [survey]):
        return poll
    form = SurveyForm(request.POST or None, instance=survey, receipts_locked=_locked(survey))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(Survey.objects.get(pk=survey.pk), form.fields)
            form.save()
            _log(request, survey, "survey.update", before=before, after=snapshot(survey, form.fields))
        messages.success(request, _("The survey settings are saved."))
        return redirect(request.path)
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        "form": form,
        "questions": survey.ordered_questions(),
        "locked": _locked(survey),
        **key_panel(survey),
        "keys_url": _admin_url("keys", component),
        "target": survey,
        "answers": survey.ballot_count(),
        "participations": survey.participations.count(),
        "staff": survey.data_entry_staff.all(),
        "staff_form": StaffForm(),
        "print_form": PrintForm(),
        "print_runs": survey.print_runs.all(),
        # Re-sealing reads every answer (a minute at national volume): on the admin's demand only.
        "problems": verify(survey) if survey.is_frozen and request.GET.get("verify") == "1" else None,
        **closing_progress([survey], _admin_url("index", component)),
    }
    return render(request, "surveys/admin/index.html", context)


def _save_options(question, labels: list[str], other: str) -> None:
    """Keep existing option rows (and their ids) where possible, in the new order."""
    wanted = [(label, False) for label in labels]
    if other and question.type in CHOICE_TYPES:
        wanted.append((other, True))
    if question.type not in OPTION_TYPES:
        wanted = []
    existing = list(question.options.all())
    for index, (label, free_text) in enumerate(wanted):
        if index < len(existing):
            option = existing[index]
            option.label, option.free_text, option.position = label, free_text, index
            option.save()
        else:
            Option.objects.create(question=question, label=label, free_text=free_text, position=index)
    for option in existing[len(wanted) :]:
        option.delete()


def _save_rows(question, labels: list[str]) -> None:
    if question.type not in MATRIX_TYPES:
        labels = []
    existing = list(question.rows.all())
    for index, label in enumerate(labels):
        if index < len(existing):
            existing[index].label, existing[index].position = label, index
            existing[index].save()
        else:
            MatrixRow.objects.create(question=question, label=label, position=index)
    for row in existing[len(labels) :]:
        row.delete()


@survey_admin_view()
def question_edit(request, space, component, survey, question_id=None):
    question = get_object_or_404(Question, survey=survey, pk=question_id) if question_id else None
    if _locked(survey):
        messages.error(request, _("The questionnaire cannot change once answers have been received."))
        return redirect(_admin_url("index", component))
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(question) if question else None
            item = form.save(commit=False)
            item.survey = survey
            if not question:
                item.position = (survey.questions.aggregate(top=Max("position"))["top"] or 0) + 1
            item.condition_option = form.cleaned_data["condition_option"]
            item.condition_negated = form.cleaned_data["condition_negated"]
            item.save()
            _save_options(item, form.cleaned_data["options"], form.cleaned_data["other"])
            _save_rows(item, form.cleaned_data["rows"])
            _log(request, survey, "survey.question_save", before=before, after=snapshot(item), target=item)
        messages.success(request, _("The question is saved."))
        if form.ignored:
            messages.info(
                request,
                _(
                    "A “%(type)s” question does not use these fields, "
                    "so what they held was not kept: %(fields)s."
                )
                % {"type": item.get_type_display(), "fields": ", ".join(form.ignored)},
            )
        return redirect(_admin_url("index", component))
    return render(
        request,
        "surveys/admin/question.html",
        {"space": space, "component": component, "survey": survey, "form": form, "question": question},
    )


@require_POST
@survey_admin_view()
def question_delete(request, space, component, survey, question_id):
    question = get_object_or_404(Question, survey=survey, pk=question_id)
    if _locked(survey):
        messages.error(request, _("The questionnaire cannot change once answers have been received."))
    elif not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=question.label,
            consequence=_("The question, its options and its rows are deleted for good."),
            back_url=_admin_url("index", component),
            context={"space": space},
        )
    else:
        with transaction.atomic():
            _log(request, survey, "survey.question_delete", before=snapshot(question), target=question)
            question.delete()
        messages.success(request, _("The question is deleted."))
    return redirect(_admin_url("index", component))


@require_POST
@survey_admin_view()
def question_move(request, space, component, survey, question_id):
    if _locked(survey):
        messages.error(request, _("The questionnaire cannot change once answers have been received."))
        return redirect(_admin_url("index", component))
    questions = list(survey.ordered_questions())
    index = next((i for i, q in enumerate(questions) if q.pk == question_id), None)
    if index is None:
        raise PermissionDenied
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
        with transaction.atomic():
            for position, question in enumerate(questions):
                Question.objects.filter(pk=question.pk).update(position=position)
            # A condition must refer to an earlier question; moving may break that.
            for position, question in enumerate(questions):
                if question.condition_option_id:
                    source = next(
                        (i for i, q in enumerate(questions) if q.pk == question.condition_option.question_id),
                        None,
                    )
                    if source is None or source >= position:
                        Question.objects.filter(pk=question.pk).update(condition_option=None)
            _log(request, survey, "survey.question_move", after={"order": [q.pk for q in questions]})
            # Bulk updates send no signal: renew the cached questionnaire here.
            questionnaire_changed(survey.pk)
    return redirect(_admin_url("index", component))


@require_POST
@survey_admin_view()
def close(request, space, component, survey):
    close_from_admin(
        request,
        targets=[survey],
        close_now=lambda: services.do_close(
            survey=survey, user=request.user, trustee_keys=supplied_trustee_keys(request, survey)
        ),
        error_class=services.SurveyError,
        done_message=_("The consultation is closed and sealed."),
    )
    return redirect(_admin_url("index", component))


@require_POST
@survey_admin_view()
def counting_keys(request, space, component, survey):
    return keys_view(request, target=survey, space=space, back_url=_admin_url("index", component))


@require_POST
@survey_admin_view()
def publish_results(request, space, component, survey):
    publishing = request.POST.get("published") == "1"
    if publishing and survey.is_frozen and not act_confirmed(request):
        return confirm_act(
            request,
            title=_("Publish the results?"),
            consequence=_(
                "The results and the sealed answers become public. They can be unpublished later, "
                "but whoever saw or downloaded them keeps them."
            ),
            button=_("Publish the results"),
            back_url=_admin_url("index", component),
            context={"space": space, "component": component},
        )
    try:
        services.do_set_results_published(
            survey=survey, user=request.user, published=request.POST.get("published") == "1"
        )
    except services.SurveyError as error:
        messages.error(request, error.message)
    return redirect(_admin_url("index", component))


@survey_admin_view()
def admin_results(request, space, component, survey):
    if not survey.is_frozen:
        messages.error(request, _("Results exist once the consultation is closed."))
        return redirect(_admin_url("index", component))
    context = {"space": space, "component": component, "survey": survey, **build_results(survey)}
    context["hidden"] = list(survey.hidden_texts.all())
    return render(request, "surveys/admin/results.html", context)


@require_POST
@survey_admin_view()
def hide_text(request, space, component, survey):
    try:
        services.do_set_text_hidden(
            survey=survey,
            user=request.user,
            answer_id=request.POST.get("answer_id"),
            question_key=request.POST.get("question_key", "")[:20],
            hidden=request.POST.get("hidden") == "1",
        )
    except (services.SurveyError, ValueError):
        messages.error(request, _("This answer does not exist."))
    return redirect(_admin_url("results", component))


@survey_admin_view()
def export(request, space, component, survey):
    if not survey.is_frozen:
        # Answers are encrypted until closing: an export now could only be empty.
        messages.error(request, _("Answers can be exported once the consultation is closed."))
        return redirect(_admin_url("index", component))
    definition = survey.sealed_definition or definition_of(survey)
    columns = exports.columns_of(definition)
    # CSV and XLSX cells are neutralised by the shared writer; JSON keeps what was typed.
    rows = exports.iter_rows(survey, definition)
    filename = f"survey-{component.pk}-answers"
    export_format = request.GET.get("format", "csv")
    with transaction.atomic():
        _log(request, survey, "survey.export", after={"format": export_format})
    if export_format == "xlsx":
        return exports.xlsx_response(filename=filename, columns=columns, rows=rows)
    names = [name for name, _header in columns]
    return streamed_export(
        filename=filename,
        export_format="json" if export_format == "json" else "csv",
        columns=names,
        rows=rows,
    )


@require_POST
@survey_admin_view()
def staff(request, space, component, survey):
    form = StaffForm(request.POST)
    user_model = get_user_model()
    if request.POST.get("remove"):
        person = get_object_or_404(survey.data_entry_staff, pk=request.POST["remove"])
        with transaction.atomic():
            survey.data_entry_staff.remove(person)
            _log(request, survey, "survey.staff_remove", before={"user": person.pk})
    elif form.is_valid():
        person = user_model.objects.filter(
            organization=request.organization, email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if person is None:
            messages.error(request, _("No account of this organization has this e-mail."))
        else:
            with transaction.atomic():
                survey.data_entry_staff.add(person)
                _log(request, survey, "survey.staff_add", after={"user": person.pk})
            messages.success(request, _("%(name)s can now key paper forms.") % {"name": person.nickname})
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect(_admin_url("index", component))


@survey_admin_view(data_entry=True)
def print_forms(request, space, component, survey):
    """Paper forms, one per serial number; a new run of serials, or a past run again."""
    if request.method == "POST":
        form = PrintForm(request.POST)
        if form.is_valid():
            run = services.do_print_run(survey=survey, user=request.user, copies=form.cleaned_data["copies"])
            return redirect(_admin_url("print_run", component, run_id=run.pk))
        messages.error(
            request, _("Print between 1 and %(max)s copies at a time.") % {"max": services.MAX_COPIES}
        )
        return redirect(_admin_url("index", component))
    raise PermissionDenied


@survey_admin_view(data_entry=True)
def print_run(request, space, component, survey, run_id):
    run = get_object_or_404(PrintRun, survey=survey, pk=run_id)
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        "serials": services.serials_of(run),
        "questions": question_views(survey.ordered_questions()),
        "run": run,
    }
    return render(request, "surveys/admin/paper.html", context)


@survey_admin_view(data_entry=True)
def batches(request, space, component, survey):
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.do_create_batch(survey=survey, user=request.user, **form.cleaned_data)
        except services.SurveyError as error:
            messages.error(request, error.message)
        else:
            return redirect(_admin_url("batch", component, batch_id=batch.pk))
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        "form": form,
        "batches": survey.batches.all(),
        "is_admin": request.survey_is_admin,
    }
    return render(request, "surveys/admin/batches.html", context)


@survey_admin_view(data_entry=True)
def batch_detail(request, space, component, survey, batch_id):
    batch = get_object_or_404(Batch, survey=survey, pk=batch_id)
    batch.survey = survey
    questions = list(survey.ordered_questions())
    data, errors, serial = None, {}, ""
    editing = None
    if request.GET.get("edit"):
        editing = get_object_or_404(Keying, batch=batch, pk=request.GET["edit"], keyed_by=request.user)
        data, serial = payload_to_fields(questions, editing.payload), editing.serial
    if request.method == "POST":
        action = request.POST.get("action", "key")
        try:
            if action == "key":
                serial = request.POST.get("serial", "")
                keying = services.do_key_form(
                    batch=batch,
                    user=request.user,
                    serial=serial,
                    data=request.POST,
                    replace=bool(request.POST.get("replace")),
                )
                messages.success(request, _("Form %(serial)s keyed.") % {"serial": keying.serial})
                return redirect(request.path)
            if action == "import":
                form = CsvImportForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise services.SurveyError(_("Choose a CSV file."))
                count = services.do_import_csv(batch=batch, user=request.user, file=form.cleaned_data["file"])
                imported = ngettext("%(count)s form imported.", "%(count)s forms imported.", count)
                messages.success(request, imported % {"count": count})
            elif action == "resolve":
                keeping = get_object_or_404(Keying, batch=batch, pk=request.POST.get("keep"))
                services.do_resolve(batch=batch, user=request.user, serial=keeping.serial, keeping=keeping)
                messages.success(
                    request, _("Difference resolved for form %(serial)s.") % {"serial": keeping.serial}
                )
            elif action == "delete":
                keying = get_object_or_404(Keying, batch=batch, pk=request.POST.get("keying"))
                if keying.keyed_by_id != request.user.pk and not request.survey_is_admin:
                    raise PermissionDenied
                if not deletion_confirmed(request):
                    return confirm_deletion(
                        request,
                        name=_("Keying of form %(serial)s") % {"serial": keying.serial},
                        consequence=_(
                            "This keying of the paper form is deleted for good: the form must be keyed again."
                        ),
                        back_url=request.path,
                        context={"space": space},
                    )
                services.do_delete_keying(keying=keying, user=request.user)
                messages.success(request, _("Keying deleted."))
            elif action == "count":
                count = services.do_count_batch(batch=batch, user=request.user)
                added = ngettext(
                    "Batch counted: %(count)s answer added.", "Batch counted: %(count)s answers added.", count
                )
                messages.success(request, added % {"count": count})
            return redirect(request.path)
        except services.SurveyError as error:
            if action == "key":
                data, errors = request.POST, error.errors
            messages.error(request, error.message)
    status = services.batch_status(batch)
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        "batch": batch,
        "questions": question_views(questions, data, errors),
        "serial": serial,
        "serial_error": errors.get("serial", ""),
        "editing": editing,
        "status": status,
        "mine": [keying for keying in status["keyings"] if keying.keyed_by_id == request.user.pk],
        "count_blocker": services.check_can_count(batch),
        "import_form": CsvImportForm(),
        "csv_columns": ["serial"]
        + [view.key for view in question_views(questions) if view.type != "section"],
        "is_admin": request.survey_is_admin,
    }
    return render(request, "surveys/admin/batch.html", context, status=400 if errors else 200)


@survey_admin_view()
def themes_page(request, space, component, survey):
    analysis = ThemeAnalysis.objects.filter(survey=survey).first()
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        "analysis": analysis,
        "reason": themes.check_can_analyse(survey),
        "themes": themes.displayed_themes(survey),
        "edits": survey.theme_edits.select_related("created_by"),
        "suggested_seed": analysis.seed if analysis else themes.new_seed(),
        "progress_percent": round(100 * analysis.progress) if analysis else 0,
        "working": analysis is not None
        and analysis.state in (ThemeAnalysis.State.QUEUED, ThemeAnalysis.State.RUNNING),
    }
    return render(request, "surveys/admin/themes.html", context)


def _confirm_theme_edit(request, space, component, *, title, consequence, button):
    """Merges and splits stay in the published edit log for good: the admin ticks a box first."""
    return confirm_act(
        request,
        title=title,
        consequence=consequence,
        button=button,
        back_url=_admin_url("themes", component),
        context={"space": space, "component": component},
    )


def _theme_action(request, component, action, success: str):
    try:
        action()
    except services.SurveyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_admin_url("themes", component))


@require_POST
@survey_admin_view()
def themes_run(request, space, component, survey):
    try:
        seed = int(request.POST.get("seed", ""))
    except ValueError:
        messages.error(request, _("The seed is a whole number."))
        return redirect(_admin_url("themes", component))
    return _theme_action(
        request,
        component,
        lambda: themes.do_start_analysis(survey=survey, user=request.user, seed=seed),
        _("The analysis is queued; this page follows its progress."),
    )


@require_POST
@survey_admin_view()
def theme_name(request, space, component, survey):
    return _theme_action(
        request,
        component,
        lambda: themes.do_name_theme(
            survey=survey,
            user=request.user,
            question_key=request.POST.get("question", "")[:20],
            theme=request.POST.get("theme", "")[:200],
            name=request.POST.get("name", ""),
        ),
        _("The theme's name is saved."),
    )


@require_POST
@survey_admin_view()
def theme_merge(request, space, component, survey):
    if not act_confirmed(request):
        return _confirm_theme_edit(
            request,
            space,
            component,
            title=_("Merge these two themes?"),
            consequence=_(
                "The merge is kept in the themes' edit log and published with the results; "
                "every later run of the analysis applies it. It cannot be taken back."
            ),
            button=_("Merge"),
        )
    return _theme_action(
        request,
        component,
        lambda: themes.do_merge_themes(
            survey=survey,
            user=request.user,
            question_key=request.POST.get("question", "")[:20],
            theme=request.POST.get("theme", "")[:200],
            other=request.POST.get("other", "")[:200],
        ),
        _("The two themes are merged; the analysis runs again with the edit log."),
    )


@require_POST
@survey_admin_view()
def theme_split(request, space, component, survey):
    if not act_confirmed(request):
        return _confirm_theme_edit(
            request,
            space,
            component,
            title=_("Split this theme in two?"),
            consequence=_(
                "The split is kept in the themes' edit log and published with the results; "
                "every later run of the analysis applies it. It cannot be taken back."
            ),
            button=_("Split in two"),
        )
    return _theme_action(
        request,
        component,
        lambda: themes.do_split_theme(
            survey=survey,
            user=request.user,
            question_key=request.POST.get("question", "")[:20],
            theme=request.POST.get("theme", "")[:200],
        ),
        _("The theme is being split in two; the analysis runs again with the edit log."),
    )
