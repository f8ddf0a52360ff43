"""The demo's accountability: what became of the 2025 budget's winning projects."""

from datetime import timedelta

from django.utils import timezone

from civitas.components.demo import BUDGET_SPACE

STATUSES = [("Étude", 10), ("Travaux", 50), ("Terminé", 100)]
# (title, description, status, progress, start in days from today, end in days, timeline)
RESULTS = [
    (
        "Rénovation du square Pasteur",
        "<p>Projet lauréat du budget participatif 2025 : nouveaux jeux, bancs et plantations.</p>",
        "Terminé",
        100,
        -300,
        -40,
        [
            (-300, "Études et concertation", "Étude", 10),
            (-150, "Début des travaux", "Travaux", 40),
            (-40, "Inauguration du square", "Terminé", 100),
        ],
    ),
    (
        "Des arceaux vélo dans tous les quartiers",
        "<p>Projet lauréat 2025 : 200 arceaux posés près des commerces, écoles et équipements.</p>",
        "Travaux",
        65,
        -200,
        60,
        [
            (-200, "Choix des emplacements avec les conseils de quartier", "Étude", 15),
            (-60, "120 arceaux posés sur 200", "Travaux", 65),
        ],
    ),
    (
        "Un composteur collectif par quartier",
        "<p>Projet lauréat 2025 : six composteurs partagés, animés par des habitants référents.</p>",
        "Étude",
        20,
        -90,
        180,
        [(-90, "Recherche des emplacements et des référents", "Étude", 20)],
    ),
]


def _saved(form, service, **context):
    if not form.is_valid():
        raise ValueError(f"demo accountability: {form.errors.as_json()}")
    return service(form=form, **context)


def seed(site) -> None:
    from civitas.components.accountability.admin_forms import ResultForm, StatusForm, TimelineEntryForm
    from civitas.components.accountability.models import Result, Status, TimelineEntry
    from civitas.components.accountability.services import (
        do_add_timeline_entry,
        do_save_result,
        do_save_status,
    )

    component = site.component(site.spaces[BUDGET_SPACE], "accountability", "Suivi des projets 2025")
    if component is None:
        return
    statuses = {}
    for position, (name, progress) in enumerate(STATUSES):
        form = StatusForm(
            data={"name": name, "default_progress": progress, "position": position},
            instance=Status(component=component),
            component=component,
        )
        statuses[name] = _saved(form, do_save_status, user=site.admin, component=component)
    today = timezone.localdate()
    for position, (title, description, status, progress, start, end, timeline) in enumerate(RESULTS):
        form = ResultForm(
            data={
                "title": title,
                "description": description,
                "reference": f"BP2025-{position + 1:02d}",
                "status": statuses[status].pk,
                "progress": progress,
                "weight": 1,
                "start_date": f"{today + timedelta(days=start):%Y-%m-%d}",
                "end_date": f"{today + timedelta(days=end):%Y-%m-%d}",
                "position": position,
            },
            instance=Result(component=component),
            component=component,
        )
        result = _saved(form, do_save_result, user=site.admin, component=component)
        for days, what, entry_status, entry_progress in timeline:
            entry = TimelineEntryForm(
                data={
                    "date": f"{today + timedelta(days=days):%Y-%m-%d}",
                    "title": what,
                    "status": statuses[entry_status].pk,
                    "progress": entry_progress,
                },
                instance=TimelineEntry(result=result),
                component=component,
            )
            _saved(entry, do_add_timeline_entry, user=site.admin, result=result)
