"""Runs one instance through the `sortition-algorithms` package (the Sortition Foundation's).

Executed by the benchmark with the interpreter of a separate virtualenv in which that
package (and optionally gurobipy) is installed — it is not a Civitas dependency:

    python3 -m venv /tmp/sortalg_venv && /tmp/sortalg_venv/bin/pip install sortition-algorithms gurobipy

Reads the instance as JSON on stdin, prints one JSON line of results on stdout.
"""

import csv
import io
import json
import sys
import time


def load(instance):
    from sortition_algorithms.adapters import CSVStringDataSource, SelectionData
    from sortition_algorithms.settings import Settings

    features_csv = io.StringIO()
    writer = csv.writer(features_csv)
    writer.writerow(["feature", "value", "min", "max"])
    for feature in instance["features"]:
        for value, (low, high) in feature["quotas"].items():
            writer.writerow([feature["name"], value, low, high])
    names = [feature["name"] for feature in instance["features"]]
    people_csv = io.StringIO()
    writer = csv.writer(people_csv)
    writer.writerow(["id", *names])
    for person in instance["people"]:
        writer.writerow([person["id"], *(person["answers"][name] for name in names)])
    data = SelectionData(CSVStringDataSource(features_csv.getvalue(), people_csv.getvalue()))
    features, _ = data.load_features(instance["panel_size"])
    settings = Settings(id_column="id", columns_to_keep=[])
    people, _ = data.load_people(settings, features)
    return features, people


def run(algorithm, features, people, panel_size):
    from sortition_algorithms.committee_generation.leximin import find_distribution_leximin
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin

    finder = {"leximin": find_distribution_leximin, "maximin": find_distribution_maximin}[algorithm]
    started = time.monotonic()
    committees, probabilities, _ = finder(features, people, panel_size, [], "highspy")
    seconds = time.monotonic() - started
    per_person = dict.fromkeys(people, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for person in committee:
            per_person[person] += probability
    return {
        "algorithm": algorithm,
        "seconds": seconds,
        "min_probability": min(per_person.values()),
        "sum": sum(per_person.values()),
        "sorted": sorted(per_person.values()),
    }


def main():
    instance = json.load(sys.stdin)
    features, people = load(instance)
    result = {"attempts": []}
    for algorithm in instance["algorithms"]:
        started = time.monotonic()
        try:
            outcome = run(algorithm, features, people, instance["panel_size"])
        except Exception as error:  # report the failure and go on with the next algorithm
            result["attempts"].append(
                {
                    "algorithm": algorithm,
                    "error": f"{type(error).__name__}: {error}"[:300],
                    "seconds": time.monotonic() - started,
                }
            )
            continue
        result["attempts"].append(outcome)
        break
    print(json.dumps(result))


if __name__ == "__main__":
    main()
