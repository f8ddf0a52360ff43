"""Several huey consumers on one Redis (civitas.core.taskqueue): a consumer that dies loses
no task, and a periodic task is enqueued once per period however many consumers check it.

Each test makes its own queues (a fresh name) on the Redis of this test process, as
separate consumer processes would, and removes every key they left.
"""

import datetime
import threading
import uuid

import pytest
from django.conf import settings
from huey import crontab
from huey.api import RedisHuey

from civitas.core.taskqueue import OncePerPeriodScheduler, ReliableRedisHuey

pytestmark = pytest.mark.redis

runs: list[str] = []


def record(label: str) -> None:
    runs.append(label)


def fail_once(label: str) -> None:
    runs.append(label)
    if runs.count(label) == 1:
        raise RuntimeError("first attempt fails")


def nightly() -> None:
    runs.append("nightly")


@pytest.fixture
def consumers():
    """``consumers()`` is one more consumer process of one fresh queue."""
    name = f"test_{uuid.uuid4().hex[:10]}"
    made = []
    runs.clear()

    def make(huey_class=ReliableRedisHuey):
        options = {"lease_seconds": 3} if huey_class is ReliableRedisHuey else {}
        huey = huey_class(name, url=settings.HUEY["url"], results=False, blocking=False, **options)
        huey.record = huey.task(name="record")(record)
        huey.fail_once = huey.task(name="fail_once", retries=1)(fail_once)
        huey.periodic_task(crontab(hour="3", minute="30"), name="nightly")(nightly)
        made.append(huey)
        return huey

    yield make
    for huey in made:
        if hasattr(huey.storage, "stop_heartbeat"):
            huey.storage.stop_heartbeat()
    connection = made[0].storage.conn
    for key in connection.scan_iter(match=f"huey.*{name}*"):
        connection.delete(key)


def die(huey) -> None:
    """What SIGKILL does to a consumer: it stops beating, and its heartbeat key lapses."""
    storage = huey.storage
    storage.stop_heartbeat()
    storage.conn.delete(storage.alive_prefix + storage.consumer_id())


def everything_done(*hueys) -> bool:
    return all(huey.pending_count() == 0 and huey.storage.in_flight_count() == 0 for huey in hueys)


def test_a_task_taken_by_a_consumer_that_dies_runs_on_another(consumers):
    first, second = consumers(), consumers()
    first.record("vote notification")
    assert first.dequeue() is not None
    # Taken: off the queue, but held in the consumer's in-flight list until done.
    assert first.pending_count() == 0 and first.storage.in_flight_count() == 1
    die(first)
    task = second.dequeue()  # a living consumer puts the dead one's task back, and takes it
    assert task is not None
    second.execute(task)
    assert runs == ["vote notification"]
    assert everything_done(first, second)


def test_plain_redis_huey_loses_the_task_of_a_consumer_that_dies(consumers):
    """Why civitas does not use huey's RedisHuey as it is."""
    plain = consumers(RedisHuey)
    plain.record("vote notification")
    assert plain.dequeue() is not None
    # The consumer dies here: nothing in Redis remembers the task any more.
    assert plain.pending_count() == 0 and plain.scheduled_count() == 0
    assert list(plain.storage.conn.scan_iter(match=f"huey.*{plain.name}*")) == []


def test_a_finished_task_is_not_run_again_when_its_consumer_dies(consumers):
    first, second = consumers(), consumers()
    first.record("digest")
    first.execute(first.dequeue())
    die(first)
    assert second.storage.requeue_abandoned() == 0
    assert second.dequeue() is None
    assert runs == ["digest"]


def test_a_living_consumer_keeps_its_tasks(consumers):
    first, second = consumers(), consumers()
    first.record("long export")
    task = first.dequeue()
    assert second.dequeue() is None
    assert second.storage.requeue_abandoned() == 0
    first.execute(task)
    assert runs == ["long export"] and everything_done(first, second)


def test_a_failed_task_goes_back_for_its_retry_once(consumers):
    first, second = consumers(), consumers()
    first.fail_once("index")
    first.execute(first.dequeue())  # fails: huey puts it back for its retry
    assert first.storage.in_flight_count() == 0 and first.pending_count() == 1
    second.execute(second.dequeue())
    assert runs == ["index", "index"] and everything_done(first, second)


def test_a_due_scheduled_task_moves_to_the_queue_in_one_step(consumers):
    first = consumers()
    task = first.record.s("reminder")
    first.storage.add_to_schedule(first.serialize_task(task), datetime.datetime(2020, 1, 1))
    assert first.read_schedule(datetime.datetime(2020, 1, 2)) == []  # nothing for the scheduler to push
    assert first.scheduled_count() == 0 and first.pending_count() == 1


def test_each_periodic_task_runs_once_per_period_whatever_the_consumers(consumers):
    first, second = consumers(), consumers()
    schedulers = [OncePerPeriodScheduler(huey, threading.Event(), 1, True) for huey in (first, second)]
    day = datetime.datetime(2026, 12, 7)
    # Each consumer's scheduler checks every minute, at its own second of the minute.
    for minute in (29, 30, 31):
        schedulers[0].enqueue_periodic_tasks(day.replace(hour=3, minute=minute, second=5))
        schedulers[1].enqueue_periodic_tasks(day.replace(hour=3, minute=minute, second=50))
    assert first.pending_count() == 1
    # The consumer that enqueued it dies; the other one enqueues the next night's run.
    die(first)
    schedulers[1].enqueue_periodic_tasks(day.replace(day=8, hour=3, minute=30, second=50))
    while (task := second.dequeue()) is not None:
        second.execute(task)
    assert runs == ["nightly", "nightly"]
    assert everything_done(first, second)


def test_the_consumer_runs_the_once_per_period_scheduler(consumers):
    assert consumers().create_consumer(workers=1).scheduler_class is OncePerPeriodScheduler


def test_two_threads_holding_copies_of_one_task_each_acknowledge_their_own(consumers):
    """A retry put back at once can be taken by a second worker thread while the first
    still holds the original: each acknowledges its own copy."""
    huey = consumers()
    huey.record("index")
    original = huey.dequeue()  # the first thread holds it
    huey.storage.enqueue(huey.serialize_task(original))  # its copy, back on the queue
    second = threading.Thread(target=lambda: huey.execute(huey.dequeue()))
    second.start()
    second.join()
    assert huey.storage.in_flight_count() == 1  # the first thread's copy, still running
    huey.execute(original)
    assert runs == ["index", "index"] and everything_done(huey)
