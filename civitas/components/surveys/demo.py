"""The demo's consultation: residents answered online, a paper batch was keyed and counted,
and the consultation was closed (sealed) with its results published."""

from civitas.components.demo import ASSEMBLY_SPACE

NEIGHBOURHOODS = ["Les Tilleuls", "Centre-ville", "La Gare", "Le Stade"]
PRIORITIES = ["La propreté des rues", "La sécurité à vélo", "Les espaces verts", "L'animation du quartier"]
# (neighbourhood, priority, satisfaction 1-5, comment) for each online answer.
ONLINE = [
    (0, 2, 4, "Plus d'arbres rue des Écoles, s'il vous plaît."),
    (1, 0, 3, "Les poubelles débordent le lundi matin."),
    (2, 1, 2, "Le carrefour de la gare est dangereux à vélo."),
    (0, 3, 4, "Une fête des voisins organisée avec la ville serait formidable."),
    (3, 2, 5, ""),
    (1, 1, 3, "Des arceaux vélo devant la poste."),
    (0, 0, 4, ""),
    (2, 2, 3, "Le square de la gare mérite des bancs."),
]
PAPER = [(0, 2, 5), (0, 3, 4), (3, 0, 3), (1, 2, 4), (2, 1, 2)]


def _questions(survey):
    from civitas.components.surveys.models import Option, Question

    where = Question.objects.create(survey=survey, type="single", label="Dans quel quartier habitez-vous ?",
                                    mandatory=True, position=0)  # fmt: skip
    for index, label in enumerate(NEIGHBOURHOODS):
        Option.objects.create(question=where, label=label, position=index)
    priority = Question.objects.create(
        survey=survey,
        type="single",
        label="Quelle devrait être la priorité du quartier ?",
        mandatory=True,
        position=1,
    )
    for index, label in enumerate(PRIORITIES):
        Option.objects.create(question=priority, label=label, position=index)
    satisfaction = Question.objects.create(
        survey=survey,
        type="scale",
        label="Êtes-vous satisfait de la vie dans votre quartier ?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Pas du tout",
        scale_max_label="Tout à fait",
        position=2,
    )
    remark = Question.objects.create(
        survey=survey, type="long_text", label="Une remarque, une idée ?", max_length=1000, position=3
    )
    return where, priority, satisfaction, remark


def _form(questions, where, priority, satisfaction, text=""):
    where_q, priority_q, satisfaction_q, remark_q = questions
    return {
        where_q.key: where_q.options.order_by("position")[where].key,
        priority_q.key: priority_q.options.order_by("position")[priority].key,
        satisfaction_q.key: str(satisfaction),
        remark_q.key: text,
    }


def seed(site) -> None:
    from civitas.components.surveys.models import Batch, Survey
    from civitas.components.surveys.services import (
        do_answer,
        do_close,
        do_count_batch,
        do_create_batch,
        do_key_form,
        do_print_run,
        do_set_results_published,
        serials_of,
    )

    space = site.spaces[ASSEMBLY_SPACE]
    component = site.component(
        space, "surveys", "Consultation sur la vie du quartier", phase_values={"answers_enabled": True}
    )
    if component is None:
        return
    survey = Survey.objects.get(component=component)
    survey.introduction = (  # plain text: the page keeps its paragraphs
        "Le conseil de quartier veut connaître vos priorités pour l'année qui vient. "
        "Vos réponses sont anonymes."
    )
    survey.save(update_fields=["introduction"])
    questions = _questions(survey)
    for person, (where, priority, satisfaction, text) in zip(site.residents, ONLINE, strict=False):
        do_answer(survey=survey, user=person, data=_form(questions, where, priority, satisfaction, text))
    run = do_print_run(survey=survey, user=site.admin, copies=len(PAPER) + 5)
    batch = do_create_batch(
        survey=survey, user=site.admin, label="Urne de la mairie annexe", channel=Batch.Channel.PAPER
    )
    for serial, (where, priority, satisfaction) in zip(serials_of(run), PAPER, strict=False):
        do_key_form(
            batch=batch, user=site.admin, serial=serial, data=_form(questions, where, priority, satisfaction)
        )
    do_count_batch(batch=batch, user=site.admin)
    survey.refresh_from_db()
    do_close(survey=survey, user=site.admin)
    do_set_results_published(survey=survey, user=site.admin, published=True)
