"""A reason that asks a visitor to log in is a link to the log-in page that comes back."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load login_prompt %}{% reason_or_login reason %}")


def _render(reason, user, path="/spaces/x/vote/?tab=2"):
    request = RequestFactory().get(path)
    request.user = user
    return TEMPLATE.render(Context({"request": request, "reason": reason}))


def test_log_in_reasons_become_links_for_visitors_only(user_a):
    with translation.override("fr"):
        link = _render(translation.gettext("Log in to vote."), AnonymousUser())
        assert link == (
            '<a href="/accounts/login/?next=%2Fspaces%2Fx%2Fvote%2F%3Ftab%3D2">Connectez-vous pour voter.</a>'
        )
        assert _render(translation.gettext("Log in to vote."), user_a) == "Connectez-vous pour voter."
        closed = translation.gettext("This vote is closed.")
        assert _render(closed, AnonymousUser()) == closed
        assert _render("<b>Log in to vote.</b>", AnonymousUser()) == "&lt;b&gt;Log in to vote.&lt;/b&gt;"
        assert _render(None, AnonymousUser()) == ""


def test_a_visitor_of_a_sortition_panel_gets_a_log_in_link(world_b):
    component = world_b["components"]["sortition"]
    visitor = Client(HTTP_HOST=world_b["organization"].host)
    html = visitor.get(component.get_absolute_url()).content.decode()
    next_path = component.get_absolute_url().replace("/", "%2F")
    assert (
        f'<a href="/accounts/login/?next={next_path}">Connectez-vous pour vous porter volontaire.</a>' in html
    )
