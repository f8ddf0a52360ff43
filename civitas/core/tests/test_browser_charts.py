"""Every chart the platform draws, drawn by Chromium in French, at phone and desktop widths.

In French, the default language, the statistics chart once had its SVG coordinates
written with decimal commas (``x1="48,0"``): Chromium drew no bars and piled the axis
labels up. Each page with a chart (statistics of the organization and of each space,
majority-judgment merit profiles, consultation results, budget results, accountability
progress, and the back-office dashboard's weekly activity, read by the organization's
admin) is opened; in each ``<svg>`` every number must be one a browser reads, at least
one shape must have a size on screen, no two labels may overlap and no "NaN" may show;
every gauge (``<progress>``, ``<meter>``) must hold a number. The charts are found in
the pages, so a new chart on these pages is checked without changing this test.
"""

import pytest

from civitas.testing.browser import screenshot
from civitas.testing.factories import OrganizationFactory
from civitas.testing.page_walk import admin_client, session_cookie
from civitas.testing.showcase import build_showcase, delete_sealed_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"

CHART_PROBLEMS = """
() => {
  const problems = [];
  const number = /^-?(\\d+\\.?\\d*|\\.\\d+)(e-?\\d+)?$/;
  const numeric = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'cx', 'cy', 'r'];
  const svgs = [...document.querySelectorAll('svg')].filter((svg) => !svg.closest('a, button, .icon'));
  svgs.forEach((svg, index) => {
    const name = svg.getAttribute('aria-label')
      || svg.querySelector('title, desc')?.textContent || `svg ${index}`;
    for (const el of svg.querySelectorAll('*')) {
      for (const attribute of numeric) {
        const value = el.getAttribute(attribute);
        if (value !== null && !number.test(value.replace('%', '').trim())) {
          problems.push(`${name}: <${el.tagName} ${attribute}="${value}">`);
        }
      }
    }
    const shapes = [...svg.querySelectorAll('rect, path, circle, line')].filter((shape) => {
      const box = shape.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
    if (!shapes.some((shape) => shape.tagName === 'rect' || shape.tagName === 'path')) {
      problems.push(`${name}: no bar drawn`);
    }
    const labels = [...svg.querySelectorAll('text')].map(
      (text) => [text.textContent, text.getBoundingClientRect()]);
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const [a, boxA] = labels[i];
        const [b, boxB] = labels[j];
        const overlapX = Math.min(boxA.right, boxB.right) - Math.max(boxA.left, boxB.left);
        const overlapY = Math.min(boxA.bottom, boxB.bottom) - Math.max(boxA.top, boxB.top);
        if (overlapX > 1 && overlapY > 1) problems.push(`${name}: labels “${a}” and “${b}” overlap`);
      }
    }
    if (/NaN|undefined|Infinity/.test(svg.textContent)) {
      problems.push(`${name}: ${svg.textContent.trim().slice(0, 60)}`);
    }
  });
  for (const gauge of document.querySelectorAll('progress, meter')) {
    for (const attribute of ['value', 'max', 'min']) {
      const value = gauge.getAttribute(attribute);
      if (value !== null && !number.test(value.trim())) {
        problems.push(`<${gauge.tagName} ${attribute}="${value}">`);
      }
    }
  }
  if (/\\bNaN\\b/.test(document.body.innerText)) problems.push('NaN in the page');
  return {svgs: svgs.length, gauges: document.querySelectorAll('progress, meter').length, problems};
}
"""


@pytest.fixture
def showcase():
    world = build_showcase(OrganizationFactory(name="Ville de Démoville", host=HOST))
    yield world
    delete_sealed_records()


def _chart_pages(world) -> dict[str, tuple[str, bool]]:
    """Name -> (path, whether it must draw something). Budget results are a table, no chart."""
    results = world["results"]
    return {
        "statistics": ("/stats/", True),
        "statistics-space": (f"/stats/spaces/{world['space'].slug}/", True),
        "majority-judgment-results": (results["majority_judgment"].get_absolute_url(), True),
        "survey-results": (results["surveys"].get_absolute_url() + "results/", True),
        "budget-results": (results["budgets"].budgets.get().get_absolute_url(), False),
        "accountability": (world["components"]["accountability"].get_absolute_url(), True),
    }


def test_every_chart_draws_in_french(live_server, browser, showcase):
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    problems, drawn = {}, {}
    pages = {**_chart_pages(showcase), "admin-dashboard": ("/admin/", True)}
    for width, height in ((390, 844), (1366, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        page = context.new_page()
        for name, (path, draws) in pages.items():
            if name == "admin-dashboard":
                context.add_cookies([session_cookie(admin_client(showcase), HOST)])
            page.goto(base + path)
            assert page.locator("html").get_attribute("lang") == "fr"
            found = page.evaluate(CHART_PROBLEMS)
            if draws:
                drawn[name] = found["svgs"] + found["gauges"]
            if found["problems"]:
                problems[f"{name} at {width} px"] = found["problems"]
            screenshot(page, f"chart-{name}-{width}")
        context.close()
    # Each page draws something: a chart that disappeared would otherwise pass unseen.
    assert all(drawn.values()), drawn
    assert not problems, "\n".join(f"{where}: {'; '.join(found)}" for where, found in problems.items())
