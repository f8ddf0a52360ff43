from huey.contrib.djhuey import db_task

SEARCH_TYPE = "blog_post"


@db_task(retries=2, retry_delay=30)
def index_post_when_due(post_id: int) -> None:
    """Run at a scheduled post's date: indexed as hidden until then, it becomes findable.

    The document is computed again from the live post, so a date moved since (or a post
    deleted) is simply indexed as it now is.
    """
    from civitas.search.indexing import reindex_keys

    reindex_keys([(SEARCH_TYPE, post_id)])
