"""Every page of the platform, for the browser tests that look at all of them.

The list is built from the URL conf (every route, filled with the showcase's objects by
the security tests' ``route_values``), plus what only a query string or a closed vote
shows. A Django test client first keeps the pages that answer 200 with HTML for the
visitor or the admin in question, so that the browser only opens pages it can draw.
"""

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.testing.security import all_routes, fill_route, route_values

# Routes whose GET ends the session or leaves the platform's pages.
SKIPPED = ("logout", "media/", "i18n/setlang/")
LONG_URL = "https://www.example.org/un/chemin/tres/long/vers/une/page/dont/l-adresse/ne/se/coupe/pas?x=1"


def candidate_paths(world: dict) -> list[str]:
    paths = set()
    for route in all_routes():
        if any(part in route for part in SKIPPED):
            continue
        path, _names_object = fill_route(route, route_values(world, route))
        paths.add(path)
    space = world["space"]
    paths |= {
        f"/link/?url={LONG_URL}",
        "/search/?q=SECRETB",
        f"/search/?q=SECRETB&space={space.slug}",
        # An invitation that still waits: the route's token placeholder opens none.
        f"/invitations/{world['invitation_token']}/",
    }
    for name, component in world["results"].items():
        base = component.get_absolute_url()
        admin_base = f"/admin/spaces/{component.space.pk}/components/{component.pk}/{name}/"
        paths |= {base, base + "check/", admin_base, f"/admin/spaces/{component.space.pk}/"}
        if name == "surveys":
            paths |= {base + "results/", admin_base + "results/"}
        if name == "budgets":
            for budget in component.budgets.all():
                paths.add(budget.get_absolute_url())
                paths.add(budget.get_absolute_url() + "check/")
    return sorted(paths)


def admin_client(world: dict) -> Client:
    """The organization's admin, logged in with the second factor, as the back-office wants."""
    client = Client(HTTP_HOST=world["organization"].host, raise_request_exception=False)
    admin = world["admin"]
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def html_pages(client: Client, paths: list[str]) -> tuple[list[str], list[str]]:
    """The paths that answer 200 with an HTML page to this client, and those that fail (5xx)."""
    pages, failing = [], []
    for path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            failing.append(f"{path} ({response.status_code})")
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append(path)
    return pages, failing


def session_cookie(client: Client, host: str) -> dict:
    """The client's session as a cookie the browser can carry."""
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": host, "path": "/"}


# Run in the page: elements that stick out to the right of the viewport, innermost first,
# unless an ancestor that scrolls or clips sideways keeps them inside the viewport.
OVERFLOW_SCRIPT = """
() => {
  const width = window.innerWidth;
  const doc = document.documentElement;
  if (doc.scrollWidth <= width) return null;
  // An absolutely positioned element escapes the scrolling boxes below its containing
  // block (a visually hidden label inside a scrolling table still widens the page).
  const clipped = (el) => {
    let escaping = getComputedStyle(el).position;
    if (escaping === 'fixed') return false;
    escaping = escaping === 'absolute';
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (escaping && style.position === 'static') continue;
      escaping = false;
      if (style.overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const sticking = [...document.body.querySelectorAll('*')].filter(
    (el) => el.getBoundingClientRect().right > width + 1 && !clipped(el));
  const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    return name + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ' px) «' + text + '»';
  };
  return {scrollWidth: doc.scrollWidth, width, offenders: innermost.slice(0, 5).map(describe)};
}
"""

# Run in the page: form controls the stylesheet does not reach (no type, or a type whose
# look falls back to the browser's default inset border).
UNSTYLED_CONTROLS_SCRIPT = """
() => {
  const skip = new Set(['hidden', 'checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'file',
                        'color', 'range']);
  return [...document.querySelectorAll('input, select, textarea')].filter((el) => {
    if (el.tagName === 'INPUT' && !el.hasAttribute('type')) return true;
    if (el.tagName === 'INPUT' && skip.has(el.type)) return false;
    return getComputedStyle(el).borderTopStyle === 'inset';
  }).map((el) => el.outerHTML.slice(0, 120));
}
"""
