"""The demo's petitions, in the neighbourhood assembly: one open for signatures, one waiting for review.

Signing needs a person identified by an identity provider (FranceConnect), which a demo
installation has not configured: the open petition starts with no signature, and its page
shows how signing works.
"""

import datetime

from django.utils import timezone

from civitas.components.demo import ASSEMBLY_SPACE

OPEN_TITLE = "Pour un passage piéton éclairé devant l’école Jean-Jaurès"
OPEN_BODY = (
    "<p>Chaque matin, plus de 300 enfants traversent la rue Jean-Jaurès sans passage éclairé. "
    "Nous demandons à la ville d’installer un passage piéton lumineux et un ralentisseur avant "
    "la rentrée de septembre.</p>"
)
DRAFT_TITLE = "Ouvrir la médiathèque le dimanche matin"
DRAFT_BODY = (
    "<p>Les familles et les personnes qui travaillent en semaine ne peuvent venir que le week-end. "
    "Nous demandons une ouverture le dimanche de 10 h à 13 h, à l’essai pendant six mois.</p>"
)


def seed(site) -> None:
    from civitas.authorizations.identity import identity_handlers
    from civitas.components.petitions import services

    component = site.component(
        site.spaces[ASSEMBLY_SPACE],
        "petitions",
        "Pétitions",
        settings_values={"answer_threshold": 500, "debate_threshold": 2000, "signing_days": 90},
        phase_values={"creation_enabled": True, "signing_enabled": True},
    )
    if component is None:
        return
    handlers = identity_handlers()
    handler = "franceconnect" if "franceconnect" in handlers else (handlers[0] if handlers else None)
    opened = services.do_draft(user=site.participant, component=component, title=OPEN_TITLE, body=OPEN_BODY)
    services.do_submit(petition=opened, user=site.participant)
    if handler is not None:
        services.do_publish(
            petition=opened,
            user=site.admin,
            deadline=timezone.localdate() + datetime.timedelta(days=60),
            identity_handler=handler,
        )
    waiting = services.do_draft(
        user=site.residents[0], component=component, title=DRAFT_TITLE, body=DRAFT_BODY
    )
    services.do_submit(petition=waiting, user=site.residents[0])
