from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civitas.search import indexing


@db_task(retries=2, retry_delay=30)
def reindex_resources(keys: list[tuple[str, int]]) -> None:
    indexing.reindex_keys(keys)


@db_task(retries=2, retry_delay=30)
def reindex_component(component_id: int) -> None:
    indexing.reindex_component(component_id)


@db_task(retries=2, retry_delay=30)
def reindex_author(user_id: int) -> None:
    indexing.reindex_author(user_id)


@db_periodic_task(crontab(hour="3", minute="40"))
def rebuild_index_every_night() -> int:
    """A safety net for changes made outside the ORM's signals (raw SQL, data migrations)."""
    return indexing.rebuild()
