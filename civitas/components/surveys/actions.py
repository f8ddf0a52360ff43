"""Sentences of the action log for consultations (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "survey.update": _("Changed the consultation's introduction and settings"),
        "survey.question_save": _("Saved a question"),
        "survey.question_delete": _("Deleted a question"),
        "survey.question_move": _("Moved a question"),
        "survey.staff_add": _("Gave someone the keying of paper forms"),
        "survey.staff_remove": _("Took back the keying of paper forms"),
        "survey.print": _("Printed paper forms: %(count)s, from no. %(first)s"),
        "survey.batch_create": _("Opened a batch of answers"),
        "survey.keying_delete": _("Deleted a keyed paper form"),
        "survey.keying_resolve": _("Chose between two keyings of a paper form"),
        "survey.batch_count": _("Counted a batch of answers"),
        "survey.close": _("Closed the consultation, opened and sealed the answers"),
        "survey.results_published": _("Published the results"),
        "survey.results_unpublished": _("Unpublished the results"),
        "survey.text_hidden": _("Hid a written answer from the published results"),
        "survey.text_shown": _("Showed a written answer in the published results again"),
        "survey.export": _("Downloaded the answers"),
        "survey.themes_run": _("Started the theme analysis of the written answers (seed %(seed)s)"),
        "survey.theme_name": _("Named a theme of the written answers"),
        "survey.theme_merge": _("Merged two themes of the written answers"),
        "survey.theme_split": _("Split a theme of the written answers in two"),
    }
)

register_details({"theme": _("theme"), "themes": _("themes")})
