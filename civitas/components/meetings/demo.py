"""The demo's meetings: a past council meeting with its minutes, two to come with registrations."""

from datetime import timedelta

from django.utils import timezone

from civitas.components.demo import ASSEMBLY_SPACE, demo_place_data

# (title, days from now, hour, kind, address, online address, description, agenda, capacity)
MEETINGS = [
    (
        "Séance publique du conseil de quartier",
        -20,
        18,
        "in_person",
        "Maison de quartier des Tilleuls, 4 rue des Écoles",
        "",
        "<p>Bilan des travaux de la rue des Écoles et premières idées pour le budget participatif.</p>",
        "<ol><li>Travaux de la rue des Écoles</li><li>Budget participatif 2027</li>"
        "<li>Questions diverses</li></ol>",
        None,
    ),
    (
        "Balade urbaine : les chemins de l'école",
        9,
        10,
        "in_person",
        "Départ devant l'école Jules-Ferry, rue des Écoles",
        "",
        "<p>Une marche d'une heure et demie pour repérer ensemble les passages dangereux sur le chemin "
        "de l'école.</p>",
        "<p>Rendez-vous à 10 h, retour vers 11 h 30. Les enfants sont les bienvenus.</p>",
        25,
    ),
    (
        "Atelier : les priorités du quartier pour 2027",
        23,
        19,
        "hybrid",
        "Salle polyvalente, 12 place du Marché",
        "https://visio.demoville.example/atelier-tilleuls",
        "<p>Les résultats de la consultation présentés et discutés, en salle ou en ligne.</p>",
        "<ol><li>Résultats de la consultation</li><li>Travail en petits groupes</li>"
        "<li>Restitution</li></ol>",
        40,
    ),
]
# The meetings' pictures, drawn (scene, palette, text alternative), in the order above.
PICTURES = [
    (
        "gathering",
        ((250, 225, 190), (40, 90, 160), (220, 90, 70), (90, 160, 110)),
        "Des habitants réunis autour d'une table.",
    ),
    ("town", ((150, 190, 230), (220, 180, 120), (200, 110, 90)), "La rue des Écoles et ses immeubles."),
    (
        "gathering",
        ((225, 235, 250), (150, 90, 160), (230, 160, 60), (60, 130, 150)),
        "Un atelier en petits groupes.",
    ),
]
MINUTES = (
    "<p>Vingt-trois habitants présents. Les travaux de la rue des Écoles se terminent en mars ; "
    "le conseil demande un passage piéton surélevé devant l'école. Trois idées seront déposées "
    "au budget participatif : un jardin partagé, des bancs place du Marché et l'éclairage du "
    "chemin du Stade.</p>"
)


def seed(site) -> None:
    from civitas.components.meetings.forms import CloseForm, MeetingForm
    from civitas.components.meetings.models import Meeting
    from civitas.components.meetings.services import (
        do_close_meeting,
        do_register,
        do_save_meeting,
        do_set_meeting_published,
    )
    from civitas.core.illustrations import illustration

    component = site.component(site.spaces[ASSEMBLY_SPACE], "meetings", "Réunions")
    if component is None:
        return
    today = timezone.localdate()
    for index, (title, days, hour, kind, address, online, description, agenda, capacity) in enumerate(
        MEETINGS
    ):
        scene, palette, alt = PICTURES[index]
        start = f"{today + timedelta(days=days):%Y-%m-%d} {hour:02d}:00"
        end = f"{today + timedelta(days=days):%Y-%m-%d} {hour + 2:02d}:00"
        form = MeetingForm(
            data={
                "title": title,
                "kind": kind,
                "start_time": start,
                "end_time": end,
                **demo_place_data(site.organization, address),
                "online_url": online,
                "description": description,
                "agenda": agenda,
                "registrations_enabled": "on" if capacity else "",
                "capacity": capacity or 0,
                "image_alt": alt,
            },
            files={"image": illustration(scene, palette, seed=index)},
            instance=Meeting(component=component),
        )
        if not form.is_valid():
            raise ValueError(f"demo meeting {title!r}: {form.errors.as_json()}")
        meeting = do_save_meeting(form=form, user=site.admin, component=component)
        do_set_meeting_published(meeting=meeting, user=site.admin, published=True)
        if days < 0:
            close = CloseForm(
                data={
                    "minutes": MINUTES,
                    "attendee_count": 23,
                    "attending_organizations": "Les Jardins des Tilleuls",
                },
                instance=meeting,
            )
            if not close.is_valid():
                raise ValueError(f"demo minutes: {close.errors.as_json()}")
            do_close_meeting(form=close, user=site.admin)
        elif capacity:
            for person in site.people[: 4 + days // 5]:
                do_register(user=person, meeting=meeting)
