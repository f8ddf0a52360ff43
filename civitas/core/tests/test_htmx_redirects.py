"""An htmx request answered by a redirect loads the target page in the window (HX-Redirect):
swapped into a fragment, a whole log-in, terms or two-factor page would sit inside a box."""

from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from civitas.core.middleware import HtmxRedirectMiddleware


def _answer(location: str, *, htmx: bool):
    middleware = HtmxRedirectMiddleware(lambda request: HttpResponseRedirect(location))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return middleware(RequestFactory().get("/admin/spaces/1/", HTTP_HOST="commune-a.test", **headers))


def test_an_htmx_request_sent_elsewhere_on_the_site_loads_that_page_in_the_window():
    for location in ("/accounts/login/?next=/admin/", "/terms/accept/?next=/", "http://commune-a.test/x/"):
        response = _answer(location, htmx=True)
        assert response.status_code == 204 and response["HX-Redirect"] == location


def test_other_sites_and_plain_requests_keep_their_redirect():
    assert _answer("https://elsewhere.example/", htmx=True).status_code == 302
    assert _answer("/accounts/login/", htmx=False).status_code == 302
    plain = HtmxRedirectMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/", HTTP_HX_REQUEST="true")
    )
    assert plain.status_code == 200 and "HX-Redirect" not in plain
