"""The Redis task queue when several consumers run, on one machine or several.

Two things huey's ``RedisHuey`` does not do, and that several consumers need:

**Nothing acknowledged is lost when a consumer dies.** ``RedisHuey`` takes a task off the
queue with ``BRPOP``: a consumer killed while running it (SIGKILL, the OOM killer, a
machine lost) takes the task with it. huey has no acknowledgement (``RedisExpireHuey``
and the priority variants change how results expire and the order, not this). Here a
consumer moves the task, in one atomic step (``BLMOVE``), from the queue into its own
in-flight list, and removes it only once huey is done with it: run, failed, or put back
for a retry. Each consumer process keeps a heartbeat key that expires after
``lease_seconds``; the in-flight list of a consumer whose heartbeat has expired is put
back on the queue by any living consumer (and by every consumer as it starts). Delivery
is therefore at least once: a task whose consumer died after its effect and before the
acknowledgement runs again, so tasks are written to be idempotent (notifications carry an
event id, digests mark what they e-mailed in the same transaction, indexing recomputes).

**Each periodic task runs once per period.** huey's scheduler runs in every consumer and
enqueues each due periodic task in each of them. Here the scheduler claims the pair
(task, minute) with ``SET NX`` in the same Lua script that enqueues it: the first consumer
to look at that minute enqueues the task, the others find the claim taken. No consumer is
special, so one dying changes nothing (the others keep claiming the next minutes), and as
claim and enqueue are one atomic step, no consumer can die between them. A due scheduled
task (a retry's delay, ``schedule(delay=…)``) likewise moves from the schedule to the
queue in one step, where huey pops it and then pushes it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

from huey import RedisHuey
from huey.consumer import Consumer, Scheduler
from huey.storage import RedisStorage

logger = logging.getLogger(__name__)

# Claim the (task, minute) and enqueue the task at once; 1 if this caller enqueued it.
CLAIM_AND_ENQUEUE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[2])) then
    redis.call('LPUSH', KEYS[2], ARGV[1])
    return 1
end
return 0
"""

# Move every scheduled task due by ARGV[1] onto the queue, atomically.
SCHEDULE_TO_QUEUE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]))
for _, data in ipairs(due) do
    redis.call('ZREM', KEYS[1], data)
    redis.call('LPUSH', KEYS[2], data)
end
return #due
"""

# A claim outlives the minute it names by far more than any clock skew between machines.
CLAIM_SECONDS = 3 * 3600


class ReliableRedisStorage(RedisStorage):
    """``RedisStorage`` whose dequeued tasks stay in an in-flight list until acknowledged."""

    def __init__(self, name="huey", lease_seconds: int = 30, **kwargs):
        super().__init__(name, **kwargs)
        self.lease_seconds = lease_seconds
        self.in_flight_prefix = f"huey.inflight.{self.name}."
        self.alive_prefix = f"huey.alive.{self.name}."
        # The consumers that may hold tasks: read instead of scanning Redis, which also
        # holds the caches' many keys.
        self.consumers_key = f"huey.consumers.{self.name}"
        self._claim_and_enqueue = self.conn.register_script(CLAIM_AND_ENQUEUE)
        self._schedule_to_queue = self.conn.register_script(SCHEDULE_TO_QUEUE)
        self._consumer: tuple[int, str] | None = None  # (pid, consumer id) of this process
        self._consumer_lock = threading.Lock()
        self._stop = threading.Event()

    # --- this process as a consumer -----------------------------------------------------

    def consumer_id(self) -> str:
        """This process's consumer id, made (with its heartbeat) the first time it dequeues.

        A forked child gets its own: the id names the process that holds the tasks.
        """
        with self._consumer_lock:
            if self._consumer is None or self._consumer[0] != os.getpid():
                identity = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
                self._consumer = (os.getpid(), identity)
                self.beat(identity)
                self.requeue_abandoned()
                threading.Thread(target=self._heartbeat, args=(identity,), daemon=True).start()
            return self._consumer[1]

    def beat(self, identity: str) -> None:
        pipe = self.conn.pipeline()
        pipe.set(self.alive_prefix + identity, b"1", ex=self.lease_seconds)
        # Again at each beat: a consumer once taken for dead (a long stall) is listed again.
        pipe.sadd(self.consumers_key, identity)
        pipe.execute()

    def _heartbeat(self, identity: str) -> None:
        # Three beats per lease: one late or failed beat does not declare the consumer dead.
        while not self._stop.wait(self.lease_seconds / 3):
            try:
                self.beat(identity)
                self.requeue_abandoned()
            except Exception:
                logger.exception("task queue heartbeat failed")

    def stop_heartbeat(self) -> None:
        self._stop.set()

    def _in_flight_key(self, identity: str) -> str:
        return self.in_flight_prefix + identity

    # --- the queue ----------------------------------------------------------------------

    def dequeue(self):
        in_flight = self._in_flight_key(self.consumer_id())
        if self.blocking:
            return self.conn.blmove(self.queue_key, in_flight, self.read_timeout, "RIGHT", "LEFT")
        return self.conn.lmove(self.queue_key, in_flight, "RIGHT", "LEFT")

    def acknowledge(self, data: bytes) -> None:
        """huey is done with this task (run, failed, or put back for a retry)."""
        if self._consumer is not None:
            self.conn.lrem(self._in_flight_key(self._consumer[1]), 1, data)

    def requeue_abandoned(self) -> int:
        """Put back on the queue the tasks of every consumer whose heartbeat has expired."""
        moved = 0
        for member in self.conn.smembers(self.consumers_key):
            identity = member.decode()
            if self.conn.exists(self.alive_prefix + identity):
                continue
            # Each move is atomic: two consumers sweeping at once still move each task once.
            # RIGHT to RIGHT: the abandoned tasks are taken next, oldest first.
            abandoned = self._in_flight_key(identity)
            while self.conn.lmove(abandoned, self.queue_key, "RIGHT", "RIGHT") is not None:
                moved += 1
            self.conn.srem(self.consumers_key, identity)
        if moved:
            logger.warning("requeued %d task(s) of consumer(s) that died while running them", moved)
        return moved

    def in_flight_count(self) -> int:
        members = self.conn.smembers(self.consumers_key)
        return sum(self.conn.llen(self._in_flight_key(member.decode())) for member in members)

    def flush_queue(self):
        super().flush_queue()
        for member in self.conn.smembers(self.consumers_key):
            self.conn.delete(self._in_flight_key(member.decode()))
        self.conn.delete(self.consumers_key)

    def read_schedule(self, ts):
        self._schedule_to_queue(keys=[self.schedule_key, self.queue_key], args=[self.convert_ts(ts)])
        return []

    def enqueue_once(self, claim: str, data: bytes) -> bool:
        """Enqueue ``data`` unless ``claim`` was taken; True when this call enqueued it."""
        key = f"huey.periodic.{self.name}.{claim}"
        return bool(self._claim_and_enqueue(keys=[key, self.queue_key], args=[data, CLAIM_SECONDS]))


class OncePerPeriodScheduler(Scheduler):
    def enqueue_periodic_tasks(self, now):
        try:
            self.huey.enqueue_due_periodic_tasks(now)
        except Exception:
            self._logger.exception("Error enqueueing periodic tasks.")


class OncePerPeriodConsumer(Consumer):
    scheduler_class = OncePerPeriodScheduler


class ReliableRedisHuey(RedisHuey):
    """``RedisHuey`` for several consumers: acknowledged tasks, periodic tasks run once."""

    storage_class = ReliableRedisStorage

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A worker thread dequeues a task, then executes it: what it holds is its own (two
        # threads may hold copies of one task id, e.g. a retry put back at once).
        self._held = threading.local()

    def dequeue(self):
        data = self.storage.dequeue()
        if data is None:
            return None
        try:
            task = self.deserialize_task(data)
        except Exception:
            # Unreadable (a task this release no longer has): never runnable, so not kept.
            self.storage.acknowledge(data)
            raise
        self._held.task = (task.id, data)
        return task

    def execute(self, task, timestamp=None):
        try:
            return super().execute(task, timestamp)
        finally:
            held = getattr(self._held, "task", None)
            if held is not None and held[0] == task.id:
                self._held.task = None
                self.storage.acknowledge(held[1])

    def enqueue_due_periodic_tasks(self, timestamp=None) -> list[str]:
        """Enqueue the periodic tasks due at ``timestamp``'s minute that no consumer has
        enqueued yet; returns the names of those this call enqueued."""
        if timestamp is None:
            timestamp = self._get_timestamp()
        minute = timestamp.strftime("%Y-%m-%dT%H:%M")
        enqueued = []
        for task in self.read_periodic(timestamp):
            if task.expires:
                task.resolve_expires(self.utc)
            if self.storage.enqueue_once(f"{task.name}.{minute}", self.serialize_task(task)):
                logger.info("Enqueueing periodic task %s for %s.", task, minute)
                enqueued.append(task.name)
        return enqueued

    def create_consumer(self, **options):
        return OncePerPeriodConsumer(self, **options)
