"""Sentences of the action log for participatory texts (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "participatory_text.import": _("Imported a document into a participatory text"),
        "participatory_text.article_create": _("Added an article to a participatory text"),
        "participatory_text.article_update": _("Changed an article of a participatory text"),
        "participatory_text.article_move": _("Moved an article of a participatory text"),
        "participatory_text.article_delete": _("Deleted an article of a participatory text"),
        "participatory_text.article_remove": _("Took an article out of a participatory text"),
        "participatory_text.section_update": _("Changed a section of a participatory text"),
        "participatory_text.publish": _("Published a version of a participatory text"),
    }
)
register_details(
    {
        "file_name": _("File imported"),
        "sections": _("Sections"),
        "articles": _("Articles"),
        "version": _("Version of the text"),
        "level": _("Level of the heading"),
        "section": _("Section"),
        "direction": _("Direction"),
        "removed_at": _("Taken out of the text on"),
    },
    {"direction": {"up": _("up"), "down": _("down")}},
    replace=False,
)
