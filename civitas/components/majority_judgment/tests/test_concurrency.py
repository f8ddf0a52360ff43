"""Twenty simultaneous submissions by one voter store one ballot.

Real threads, each with its own database connection, on the SQLite file database of the
test settings and on PostgreSQL when DATABASE_URL names one.
"""

import threading

import pytest
from django.db import connection

from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.models import Participation

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_ballots_of_one_voter_store_one(election, candidates, voter):
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def vote(grade):
        try:
            barrier.wait()
            data = {f"candidate-{candidate.pk}": str(grade % 7) for candidate in candidates.values()}
            services.do_vote(election=election, user=voter, data=data)
            outcomes.append("ok")
        except services.VoteError:
            outcomes.append("refused")
        except Exception as error:  # a database busy error is a refusal too: nothing stored
            outcomes.append(f"error: {type(error).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(grade,)) for grade in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert election.envelopes().count() == 1
    assert Participation.objects.filter(election=election, user=voter).count() == 1
    assert not [outcome for outcome in outcomes if outcome.startswith("error")]
