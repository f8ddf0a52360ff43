"""Benchmark: what scoring a new comment for spam at posting adds to posting it.

Comments (and proposals, debates) are scored as soon as their transaction commits, in the
request that posts them (``civitas/spam/signals.py``), so the page that follows can tell
the author the truth: published, or held for a moderator. This measures that price:

- loading the starter model once in a fresh process (the first scoring of a process),
- posting a comment through ``do_add_comment`` with scoring at commit, beside the same
  posting with the scoring receiver disconnected (the reference), in interleaved rounds,
- ``score_contribution`` alone on the posted comments.

One comment in three is spam: a held one costs more (report, hiding, the author's e-mail).

Prints a table and writes bench/results/spam_scoring_at_posting.json.

Run: ``python bench/spam_scoring_at_posting.py`` (``--comments``; SQLite in
bench/var/spam_posting/, wiped at each start).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "spam_posting"
RESULTS = ROOT / "bench" / "results"
BODIES = (
    "Je soutiens cette proposition, il faudrait aussi penser aux poussettes et aux bancs ({n}).",
    "Buy cheap Cialis 20 MG tablets online, 20% savings at https://onlinepharmas.example ({n})",
    "Bonne idée, mais le square est déjà très fréquenté le samedi matin ; et le marché ? ({n})",
)


def setup_environment() -> None:
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "CIVITAS_VAR_DIR": str(VAR),
            "DATABASE_URL": f"sqlite:///{VAR / 'bench.sqlite3'}",
            "CIVITAS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CIVITAS_HUEY_IMMEDIATE": "true",
            "CIVITAS_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], check=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def milliseconds(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200, help="comments posted in each way")
    arguments = parser.parse_args()
    setup_environment()

    from django.db.models.signals import post_save

    from civitas.comments.services import do_add_comment
    from civitas.components.manifest import registry
    from civitas.components.proposals import services as proposals
    from civitas.components.services import do_add_component, do_set_component_published
    from civitas.spaces.services import do_create_space, do_set_published
    from civitas.spam import scoring, services, signals
    from civitas.spam.models import ContributionScore
    from civitas.testing.factories import OrganizationFactory, UserFactory

    organization = OrganizationFactory(name="Banc d'essai", host="bench.test")
    admin = UserFactory(organization=organization, is_organization_admin=True)
    space = do_create_space(organization=organization, user=admin, kind="process", title="Budget")
    do_set_published(space=space, user=admin, published=True)
    component = do_add_component(space=space, user=admin, manifest=registry.get("proposals"), name="Idées")
    do_set_component_published(component=component, user=admin, published=True)
    proposal = proposals.do_create_draft(user=admin, component=component, title="Bancs", body="<p>Oui</p>")
    proposals.do_publish(proposal=proposal, user=admin)
    authors = [UserFactory(organization=organization) for _ in range(20)]

    started = time.perf_counter()
    scoring.model_for(organization)
    model_load = time.perf_counter() - started

    def post(number: int) -> tuple[float, object]:
        started = time.perf_counter()
        comment = do_add_comment(
            user=authors[number % len(authors)],
            resource=proposal,
            body=BODIES[number % len(BODIES)].format(n=number),
        )
        return time.perf_counter() - started, comment

    with_scoring, without_scoring, unscored = [], [], []
    held_ones, published_ones = [], []
    for number in range(arguments.comments):  # interleaved: the machine's noise hits both alike
        elapsed, comment = post(2 * number)
        with_scoring.append(elapsed)
        comment.refresh_from_db(fields=["hidden_at"])
        (held_ones if comment.hidden_at else published_ones).append(elapsed)
        post_save.disconnect(dispatch_uid="spam_score_new_contributions")
        try:
            elapsed, comment = post(2 * number + 1)
        finally:
            post_save.connect(signals.score_new_contribution, dispatch_uid="spam_score_new_contributions")
        without_scoring.append(elapsed)
        unscored.append(comment)
    scoring_alone = []
    for comment in unscored:
        started = time.perf_counter()
        services.score_contribution(comment)
        scoring_alone.append(time.perf_counter() - started)
    held = ContributionScore.objects.filter(held=True).count()

    report = {
        "comments_each_way": arguments.comments,
        "model_load_ms": round(model_load * 1000, 1),
        "posting_with_scoring": milliseconds(with_scoring),
        "posting_with_scoring_published": milliseconds(published_ones),
        "posting_with_scoring_held": milliseconds(held_ones),
        "posting_without_scoring": milliseconds(without_scoring),
        "scoring_alone": milliseconds(scoring_alone),
        "held": held,
    }
    report["added_median_ms"] = round(
        report["posting_with_scoring"]["median_ms"] - report["posting_without_scoring"]["median_ms"], 2
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "spam_scoring_at_posting.json").write_text(json.dumps(report, indent=2))
    print(f"model load, once per process: {report['model_load_ms']} ms")
    names = ("posting_with_scoring", "posting_with_scoring_published", "posting_with_scoring_held")
    for name in (*names, "posting_without_scoring", "scoring_alone"):
        figures = report[name]
        print(f"{name:<32} median {figures['median_ms']:>7} ms   p95 {figures['p95_ms']:>7} ms")
    print(f"added by scoring at posting (median): {report['added_median_ms']} ms; held: {held}")


if __name__ == "__main__":
    main()
