"""Sentences of the action log for citizen panels drawn by lot (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "sortition.configure": _("Changed the panel's settings"),
        "sortition.feature_add": _("Added a feature for the quotas"),
        "sortition.feature_delete": _("Deleted a feature of the quotas"),
        "sortition.quotas": _("Set the quotas"),
        "sortition.import": _("Imported volunteers"),
        "sortition.paper_register": _("Keyed a paper registration"),
        "sortition.keying_delete": _("Deleted a keyed paper registration"),
        "sortition.withdraw": _("Withdrew a volunteer"),
        "sortition.compute": _("Computed the lottery"),
        "sortition.publish": _("Published the lottery and where its seed will come from"),
        "sortition.publication_cancel": _("Withdrew the lottery's publication"),
        "sortition.draw": _("Drew the panel"),
        "sortition.proposal_draw_publish": _("Published a list of proposals to draw from"),
        "sortition.proposal_draw": _("Drew proposals at random"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "alternate_codes": _("alternates drawn"),
        "alternates": _("alternates"),
        "cancelled_publications": _("cancelled publications"),
        "computation_seconds": _("computing time (seconds)"),
        "computation_token": _("computation under way"),
        "computed_at": _("computed on"),
        "drawn_at": _("drawn on"),
        "drawn_panel_number": _("number of the panel drawn"),
        "hash": _("fingerprint"),
        "lottery": _("lottery"),
        "lottery_hash": _("fingerprint of the lottery"),
        "method": _("selection method"),
        "panel": _("panel"),
        "problems": _("problems"),
        "progress": _("progress"),
        "reveals": _("secrets revealed"),
        "seed": _("random seed"),
        "seed_reveals": _("secrets revealed"),
        "selected_codes": _("codes selected"),
        "volunteer": _("volunteer"),
        "volunteers": _("volunteers"),
        "chosen": _("drawn by lot"),
        "code": _("code"),
        "person": _("person"),
        "email": _("email address"),
        "phone": _("phone"),
        "consent": _("consent"),
    }
)

# Inside the seed's rule (civitas.sortition.draw.seed_rule): names by default only, since
# other apps log keys such as "kind" or "name" too.
register_details(
    {
        "kind": _("source of the seed"),
        "description": _("description"),
        "draw_at": _("seed known from"),
        "contributors": _("contributors"),
        "commitment": _("commitment (SHA-256 of the secret)"),
        "name": _("name"),
    },
    {
        "kind": {
            "public_draw": _("the numbers of a public draw"),
            "commit_reveal": _("the secrets of named contributors (commit and reveal)"),
        }
    },
    replace=False,
)
