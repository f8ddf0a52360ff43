"""The theme analysis runs in the task queue: a national consultation takes minutes."""

from huey.contrib.djhuey import db_task


@db_task()
def compute_themes(survey_id: int, token: str) -> None:
    from civitas.components.surveys.themes import compute

    compute(survey_id, token)
