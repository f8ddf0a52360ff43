"""The task queue's part of sending: queueing the deliveries, then paced batches."""

from huey.contrib.djhuey import task

from civitas.newsletters import services


@task(retries=2, retry_delay=30)
def send_test(newsletter_id: int, user_id: int) -> None:
    services.send_test_now(newsletter_id, user_id)


@task(retries=2, retry_delay=30)
def queue_newsletter(newsletter_id: int) -> None:
    services.queue_deliveries(newsletter_id)
    send_batch(newsletter_id)


@task(retries=10, retry_delay=120)
def send_batch(newsletter_id: int) -> None:
    """One batch, then the next one scheduled when the rate allows it (never two at once).

    A mail server that cannot be reached fails the batch before any delivery is claimed:
    the queue tries it again later rather than marking every recipient failed.
    """
    result = services.send_next_batch(newsletter_id)
    if result.remaining:
        send_batch.schedule((newsletter_id,), delay=result.wait_seconds)
