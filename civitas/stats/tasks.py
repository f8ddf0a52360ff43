from huey.contrib.djhuey import db_task

from civitas.stats import services


@db_task(retries=1, retry_delay=60)
def refresh_statistics(key: str) -> None:
    """Recompute figures a page served from the cache after CACHE_SECONDS."""
    services.refresh(key)
