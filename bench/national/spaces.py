"""The 50 participatory processes, made with the real services (50 rows: no need to hurry).

Each process has three phases (information, proposals, synthesis), the proposals phase
active, and a published proposals component in which participants may submit, support and
comment. The processes follow the Grand Débat's four themes (``text.py``): a process's
proposals and comments are written from its theme's claims.
"""

from __future__ import annotations

import datetime

from national import text

THEMES = {
    "ecology": text.ECOLOGY,
    "taxes": text.TAXES,
    "democracy": text.DEMOCRACY,
    "state": text.STATE,
}
# (title, theme): realistic process titles, in the order they are created.
PROCESSES = (
    ("Mobilités du quotidien dans les territoires ruraux", "ecology"),
    ("Rénovation énergétique des logements", "ecology"),
    ("Qualité de l'air dans les villes", "ecology"),
    ("Agriculture, alimentation et circuits courts", "ecology"),
    ("Énergies renouvelables : éolien, solaire, méthanisation", "ecology"),
    ("Protéger l'eau et les rivières", "ecology"),
    ("Réduire et recycler nos déchets", "ecology"),
    ("Biodiversité et espaces naturels", "ecology"),
    ("Le prix des carburants et la fiscalité écologique", "ecology"),
    ("Adapter nos villes aux canicules", "ecology"),
    ("Le vélo pour tous", "ecology"),
    ("Le fret ferroviaire et les petites lignes", "ecology"),
    ("Une fiscalité plus juste", "taxes"),
    ("Impôt sur le revenu : qui paie quoi ?", "taxes"),
    ("La TVA sur les produits de première nécessité", "taxes"),
    ("Les niches fiscales en question", "taxes"),
    ("Dépenses publiques : où faire des économies ?", "taxes"),
    ("Le train de vie de l'État", "taxes"),
    ("Évasion et fraude fiscales", "taxes"),
    ("Retraites et pouvoir d'achat", "taxes"),
    ("Les taxes locales et la taxe foncière", "taxes"),
    ("Financer la dépendance et le grand âge", "taxes"),
    ("Les aides sociales : simplifier et mieux cibler", "taxes"),
    ("Le budget des collectivités", "taxes"),
    ("Le référendum d'initiative citoyenne", "democracy"),
    ("Le vote blanc et le vote obligatoire", "democracy"),
    ("La proportionnelle aux élections législatives", "democracy"),
    ("Le nombre et le rôle des parlementaires", "democracy"),
    ("Conventions citoyennes tirées au sort", "democracy"),
    ("La participation des jeunes à la vie publique", "democracy"),
    ("Laïcité et vivre-ensemble", "democracy"),
    ("Le rôle des maires et des élus locaux", "democracy"),
    ("Transparence et contrôle des élus", "democracy"),
    ("L'engagement associatif et le bénévolat", "democracy"),
    ("Le service civique et le service national universel", "democracy"),
    ("Immigration et intégration", "democracy"),
    ("Les services publics de proximité", "state"),
    ("Déserts médicaux et accès aux soins", "state"),
    ("La dématérialisation des démarches administratives", "state"),
    ("L'école dans les petites communes", "state"),
    ("Les maisons France Services", "state"),
    ("La présence postale dans les territoires", "state"),
    ("Le millefeuille territorial : communes, départements, régions", "state"),
    ("La justice du quotidien", "state"),
    ("Sécurité et gendarmerie de proximité", "state"),
    ("L'accès au numérique et à la fibre", "state"),
    ("Les hôpitaux de proximité et les urgences", "state"),
    ("L'accompagnement des personnes âgées", "state"),
    ("Le logement social", "state"),
    ("Décentralisation : plus de pouvoirs aux territoires ?", "state"),
)
PHASES = (
    ("Information", "<p>Les documents de référence et les chiffres clés du sujet.</p>"),
    ("Propositions", "<p>Déposez vos propositions, soutenez et commentez celles des autres.</p>"),
    ("Synthèse", "<p>Les propositions les plus soutenues sont étudiées et reçoivent une réponse.</p>"),
)


def theme_of(space_index: int) -> tuple:
    """The themes (``text.Theme``) a process's contributions are written from."""
    return THEMES[PROCESSES[space_index % len(PROCESSES)][1]]


def spaces(context) -> None:
    from civitas.components.manifest import registry
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    manifest = registry.get("proposals")
    admin, organization = context.admin, context.organization
    today = context.now.date()
    start = today - datetime.timedelta(days=70)
    processes = PROCESSES[: context.processes or context.scaled(len(PROCESSES))]
    for index, (title, theme) in enumerate(processes):
        claim = THEMES[theme][index % len(THEMES[theme])].label
        space = do_create_space(
            organization=organization,
            user=admin,
            kind="process",
            title=title,
            subtitle=f"Grand Débat National · {claim}",
            description=(
                f"<p>Pendant trois mois, chacun peut proposer, soutenir et débattre : {title.lower()}.</p>"
                "<p>Toutes les contributions sont publiques et seront lues.</p>"
            ),
            start_date=start,
            end_date=today + datetime.timedelta(days=30),
            promoted=index < 4,
        )
        phases = []
        bounds = (
            (start, start + datetime.timedelta(days=13)),
            (start + datetime.timedelta(days=14), today + datetime.timedelta(days=15)),
            (today + datetime.timedelta(days=16), today + datetime.timedelta(days=30)),
        )
        for position, ((phase_title, description), (begins, ends)) in enumerate(
            zip(PHASES, bounds, strict=True)
        ):
            phases.append(
                Phase.objects.create(
                    space=space,
                    title=phase_title,
                    description=description,
                    start_date=begins,
                    end_date=ends,
                    position=position,
                )
            )
        do_activate_phase(space=space, phase=phases[1], user=admin)
        component = do_add_component(space=space, user=admin, manifest=manifest, name="Propositions")
        do_configure_component(
            component=component,
            user=admin,
            name=component.name,
            settings=manifest.settings.clean({}),
            phase_settings={
                str(phases[1].pk): manifest.phase_settings.clean(
                    {"creation_enabled": True, "supports": "enabled", "comments_enabled": True}
                ),
                str(phases[2].pk): manifest.phase_settings.clean(
                    {"supports": "blocked", "comments_enabled": True}
                ),
            },
        )
        do_set_component_published(component=component, user=admin, published=True)
        do_set_published(space=space, user=admin, published=True)
        space.refresh_from_db()
        component.refresh_from_db()
        context.spaces.append(space)
        context.phases[space.pk] = phases
        context.proposal_components.append(component)
    context.count("spaces", len(processes))
    context.count("phases", len(processes) * len(PHASES))
    context.count("components", len(processes))
