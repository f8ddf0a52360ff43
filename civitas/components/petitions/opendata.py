"""The petitions data set of the open-data archive: figures, states, answers."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def petition_row(petition) -> dict:
    counts = petition.counts()
    sealed = petition.sealed_lists.first()
    return {
        "id": petition.pk,
        "space": petition.component.space.slug,
        "component_id": petition.component_id,
        "title": petition.title,
        "text": plain_text(petition.body),
        "state": petition.public_state(),
        "published_on": petition.published_on.isoformat() if petition.published_on else "",
        "deadline": petition.deadline.isoformat() if petition.deadline else "",
        "signatures": counts["total"],
        "signatures_online": counts["online"],
        "signatures_paper": counts["paper"],
        "answer_threshold": petition.answer_threshold,
        "threshold_reached_on": petition.threshold_reached_on.isoformat()
        if petition.threshold_reached_on
        else "",
        "declined_reason": plain_text(petition.declined_reason),
        "answer": plain_text(petition.answer),
        "sealed_list_seal": sealed.seal if sealed else "",
        "url": petition.get_absolute_url(),
    }


def petition_rows(organization):
    from civitas.components.petitions.models import Petition

    petitions = (
        Petition.objects.public()
        .filter(component__published_at__isnull=False, component__space__in=public_spaces(organization))
        .select_related("component__space")
        .order_by("pk")
    )
    for petition in petitions.iterator(chunk_size=200):
        yield petition_row(petition)


register_dataset(
    "petitions",
    _("Petitions"),
    _("Published and declined petitions of the public spaces, with their signature counts and answers."),
    columns=(
        Column("id", _("Number of the petition on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the petitions component within the space")),
        Column("title", _("Title")),
        Column("text", _("Text, as plain text")),
        Column("state", _("open, threshold_reached, answered, closed or declined")),
        Column("published_on", _("Day of publication")),
        Column("deadline", _("Last day of signing")),
        Column("signatures", _("Signatures, online and paper")),
        Column("signatures_online", _("Signatures online")),
        Column("signatures_paper", _("Signatures on paper, keyed twice")),
        Column("answer_threshold", _("Signatures that oblige the institution to answer (0 = none)")),
        Column("threshold_reached_on", _("Day the threshold was reached")),
        Column("declined_reason", _("Why the petition was declined")),
        Column("answer", _("Official answer, as plain text")),
        Column("sealed_list_seal", _("Seal of the latest published signature list")),
        Column("url", _("Address of the petition's page on the platform")),
    ),
    rows=petition_rows,
    position=55,
)
