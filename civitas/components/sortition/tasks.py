"""The lottery computation runs in the task queue: LEXIMIN can take a minute on a large pool."""

from huey.contrib.djhuey import db_task


@db_task()
def compute_lottery(panel_id: int, token: str) -> None:
    from civitas.components.sortition.lottery import compute

    compute(panel_id, token)
