from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _petition_document(petition):
    from civitas.core.richtext import plain_text
    from civitas.search.builtin import author_is_visible
    from civitas.search.registry import Document

    component = petition.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=petition.title,
        text=" ".join((plain_text(petition.body), plain_text(petition.answer))),
        url=petition.get_absolute_url(),
        # A blocked author's petition keeps its page (it passed the admins' review, and its
        # signatures are other people's), but search stops offering it, as everything else
        # a blocked account wrote.
        hidden=not petition.is_public or not component.is_published or not author_is_visible(petition.author),
        author_id=petition.author_id,
        date=petition.created_at,
    )


def _signing_purpose(request, space_slug, component_id, petition_id):
    """On the page where one links an identity provider, coming from a petition: which one."""
    from civitas.authorizations.identity import IdentityPurpose
    from civitas.components.petitions.models import Petition, Status
    from civitas.components.petitions.services import identity_label

    petition = Petition.objects.filter(
        component__space__organization=request.organization,
        component__space__slug=space_slug,
        component_id=component_id,
        pk=petition_id,
        status=Status.PUBLISHED,  # public: naming it tells nothing
    ).first()
    if petition is None:
        return None
    text = _("To sign the petition “%(title)s”, link your account to %(identity)s.") % {
        "title": petition.title,
        "identity": identity_label(petition.identity_handler),
    }
    return IdentityPurpose(text=str(text), handler=petition.identity_handler)


class PetitionsConfig(AppConfig):
    name = "civitas.components.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from civitas.authorizations.identity import register_identity_purpose
        from civitas.components.manifest import registry
        from civitas.components.petitions import (
            exports,  # noqa: F401  (registers the GDPR exports)
            opendata,  # noqa: F401  (registers its data set)
            services,  # noqa: F401  (registers notification kinds)
        )
        from civitas.components.petitions.manifest import manifest
        from civitas.components.petitions.models import Petition
        from civitas.search.registry import register_searchable

        registry.register(manifest)
        from civitas.components.petitions import attention

        attention.register()
        register_identity_purpose("petitions:detail", _signing_purpose)
        register_searchable(
            "petition",
            _("Petitions"),
            Petition,
            document=_petition_document,
            queryset=lambda: Petition.objects.select_related("component__space", "author"),
            organization_field="component__space__organization",
            component_field="component",
            position=45,
            date_field="created_at",
        )
