"""Residents amend an article; the space's admins decide; residents read the change once
the next version of the text is published, and never the working text before."""

import pytest

from civitas.amendments import services as amendments
from civitas.amendments.services import AmendmentError
from civitas.components.participatory_texts import services
from civitas.components.participatory_texts.models import Article
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.versions.services import latest_version

pytestmark = pytest.mark.django_db


def _first_article(component):
    return (
        Article.objects.filter(component=component, published_at__isnull=False)
        .order_by("position", "pk")
        .first()
    )


def test_an_accepted_amendment_reaches_residents_with_the_next_version(
    published_text, admin_a, org_a, client_a, on_commit
):
    configure_component(published_text, admin_a, comments_enabled=True, amendments_enabled=True)
    resident = UserFactory(organization=org_a)
    article = _first_article(published_text)
    before = article.body
    amendment = amendments.do_create(
        user=resident,
        target=article,
        fields={"title": article.title, "body": "<p>Chaque quartier reçoit une part égale du budget.</p>"},
        base_version=latest_version(article).number,
    )
    client_a.force_login(resident)
    assert "quartier" in client_a.get(f"/amendments/{amendment.pk}/").content.decode()
    # A resident does not decide on the admins' text.
    with pytest.raises(AmendmentError):
        amendments.do_accept(amendment=amendment, user=resident)

    amendments.do_accept(amendment=amendment, user=admin_a)
    article.refresh_from_db()
    assert "Chaque quartier" in article.body
    # The working text changed; what residents read did not, until the admins publish.
    page = client_a.get(published_text.get_absolute_url()).content.decode()
    assert "Chaque quartier" not in page and before[3:30] in page
    with on_commit():
        services.do_publish_version(component=published_text, user=admin_a, note="Après les amendements")
    assert "Chaque quartier" in client_a.get(published_text.get_absolute_url()).content.decode()


def test_amending_follows_the_phase_switch(published_text, admin_a, org_a):
    configure_component(published_text, admin_a, comments_enabled=True, amendments_enabled=False)
    article = _first_article(published_text)
    with pytest.raises(AmendmentError):
        amendments.do_create(
            user=UserFactory(organization=org_a),
            target=article,
            fields={"title": article.title, "body": "<p>Autre chose entièrement.</p>"},
            base_version=latest_version(article).number,
        )


def test_the_working_history_of_an_article_is_the_admins_alone(published_text, admin_a, org_a, client_a):
    article = _first_article(published_text)
    article.apply_change({"body": "<p>Brouillon des admins, pas encore publié.</p>"}, admin_a)
    history = f"/history/participatory_texts.article/{article.pk}/"
    client_a.force_login(UserFactory(organization=org_a))
    assert client_a.get(history).status_code == 404
    assert "Brouillon des admins" not in client_a.get(article.get_absolute_url()).content.decode()
    client_a.force_login(admin_a)
    assert "Brouillon" in client_a.get(history).content.decode()
