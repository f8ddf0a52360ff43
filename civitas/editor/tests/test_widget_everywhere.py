"""Every form field that feeds rich text (HTML the models sanitize) uses the editor's widget.

Walks every form class of the project: a field of a model form is rich text when its model
sanitizes it on save (``self.<field> = sanitize_html(self.<field>)``, found by reading the
models' source); a field of a plain form is rich text when the text it posts becomes such a
field, which the list below says. A textarea that is neither is named in PLAIN_TEXT with its
reason. A new rich-text field, or a new textarea, fails here until it is one or the other.
"""

import ast
import importlib
import inspect
import pkgutil

from django import forms

import civitas
from civitas.editor.widgets import RichTextWidget

# Plain forms whose fields become sanitized HTML: form class → (field, uploads allowed).
PLAIN_FORM_RICH_FIELDS = {
    "civitas.components.debates.forms.ConclusionForm": {"conclusion": True},
    "civitas.amendments.forms.AmendmentForm": {"body": False},
    "civitas.components.petitions.forms.DraftForm": {"body": False},
    "civitas.components.petitions.forms.DeclineForm": {"reason": True},
    "civitas.components.petitions.forms.AnswerForm": {"answer": True},
    "civitas.legal.forms.TermsVersionForm": {"body": True},
    "civitas.homepage.forms.FreeTextForm": {"body": True},
    "civitas.newsletters.forms.NewsletterForm": {"body": True},
    # A proposal an admin writes when merging, splitting or importing: saved as Proposal.body.
    "civitas.components.proposals.synthesis_forms.PartForm": {"body": False},
}
# Participants' forms: rich text without pictures.
PARTICIPANT_FORMS = {
    "civitas.components.proposals.forms.ProposalForm",
    "civitas.components.proposals.forms.DraftForm",
    "civitas.components.debates.forms.ParticipantDebateForm",
    "civitas.components.petitions.forms.DraftForm",
    # An admin writes it, but it becomes a proposal's body: as pictureless as a participant's.
    "civitas.components.proposals.synthesis_forms.PartForm",
    "civitas.amendments.forms.AmendmentForm",
}
# Textareas that hold plain text (lists, notes, reasons…), each with why.
PLAIN_TEXT = {
    "civitas.legal.forms.TermsVersionForm.summary": "one or two sentences, shown as text",
    "civitas.homepage.forms.HeroForm.text": "a banner's few lines, shown as text",
    "civitas.homepage.builtin.HighlightForm.text": "a highlight's few lines, shown as text",
    "civitas.spaces.home.GroupHighlightForm.text": "a group highlight's few lines, shown as text",
    "civitas.components.proposals.admin_forms.NoteForm.body": "a private note, shown as text",
    "civitas.amendments.forms.RejectForm.reason": "why an amendment is rejected, shown with line breaks",
    "civitas.components.surveys.admin_forms.SurveyForm.introduction": "shown with linebreaks",
    "civitas.components.meetings.forms.CloseForm.attending_organizations": "a list, one per line",
    "civitas.accounts.forms.ProfileForm.about": "a profile's few lines, shown as text",
    "civitas.backoffice.views.CaptchaQuestionForm.answers": "accepted answers, one per line",
    "civitas.components.sortition.forms.CancelPublicationForm.explanation": "shown as text",
    "civitas.components.sortition.forms.FeatureForm.values": "values, one per line",
    "civitas.components.sortition.forms.ProposalDrawForm.contributors": "seed contributions, one per line",
    "civitas.components.sortition.forms.SeedSourceForm.contributors": "seed contributions, one per line",
    "civitas.components.surveys.admin_forms.QuestionForm.description": "shown with linebreaks",
    "civitas.components.surveys.admin_forms.QuestionForm.options_text": "options, one per line",
    "civitas.components.surveys.admin_forms.QuestionForm.rows_text": "matrix rows, one per line",
    "civitas.moderation.forms.BlockForm.justification": "a moderator's reason, shown as text",
    "civitas.moderation.forms.HideForm.reason": "a moderator's reason, shown as text",
    "civitas.moderation.forms.ReportForm.details": "a report's details, shown as text",
    "civitas.organizations.forms.OrganizationSettingsForm.external_domain_allowlist": "domains, one per line",
    "civitas.organizations.forms.SystemOrganizationForm.external_domain_allowlist": "domains, one per line",
    "civitas.organizations.forms.NewOrganizationForm.external_domain_allowlist": "domains, one per line",
    "civitas.components.majority_judgment.admin_forms.ElectionForm.grades": "grades, one per line",
    "civitas.organizations.forms.SystemOrganizationForm.secondary_hosts": "host names, one per line",
    "civitas.organizations.forms.NewOrganizationForm.secondary_hosts": "host names, one per line",
}


def _modules():
    for info in pkgutil.walk_packages(civitas.__path__, "civitas."):
        if ".tests" in info.name or ".migrations" in info.name or info.name.endswith("test_settings"):
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:
            continue


def _form_classes():
    seen = set()
    for module in _modules():
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__.startswith("civitas.")
                and value not in seen
            ):
                seen.add(value)
                yield value


def _sanitized_model_fields() -> set[tuple[type, str]]:
    """(model, field) pairs that a model's save() runs through sanitize_html."""
    from django.apps import apps

    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("civitas."):
            continue
        try:
            source = inspect.getsource(model)
        except (OSError, TypeError):
            continue
        tree = ast.parse(inspect.cleandoc("\n" + source) if source.startswith(" ") else source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "sanitize_html":
                for argument in node.args:
                    if isinstance(argument, ast.Attribute) and getattr(argument.value, "id", "") == "self":
                        found.add((model, argument.attr))
    return found


def _path(form_class) -> str:
    return f"{form_class.__module__}.{form_class.__qualname__}"


def test_the_walk_finds_the_known_rich_text_fields():
    from civitas.components.pages.models import Page
    from civitas.components.proposals.models import Proposal
    from civitas.spaces.models import Space

    fields = _sanitized_model_fields()
    assert {(Space, "description"), (Page, "body"), (Proposal, "body")} <= fields
    assert len(list(_form_classes())) > 40


def test_every_rich_text_field_uses_the_editor_and_every_textarea_is_accounted_for():
    sanitized = _sanitized_model_fields()
    problems = []
    rich_seen = 0
    for form_class in _form_classes():
        path = _path(form_class)
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        declared = PLAIN_FORM_RICH_FIELDS.get(path, {})
        for name, field in form_class.base_fields.items():
            rich = (model, name) in sanitized if model is not None else name in declared
            widget = field.widget
            if rich:
                rich_seen += 1
                if not isinstance(widget, RichTextWidget):
                    problems.append(f"{path}.{name}: rich text without RichTextWidget")
                    continue
                participant = path in PARTICIPANT_FORMS
                if widget.uploads == participant:
                    wrong = "offered to participants" if participant else "missing"
                    problems.append(f"{path}.{name}: pictures {wrong}")
            elif isinstance(widget, forms.Textarea) and f"{path}.{name}" not in PLAIN_TEXT:
                if isinstance(widget, RichTextWidget):
                    problems.append(f"{path}.{name}: editor on a field that is not sanitized HTML")
                else:
                    problems.append(f"{path}.{name}: a textarea neither rich text nor listed as plain text")
    assert rich_seen >= 25
    assert not problems, "\n".join(problems)
