import re

import numpy as np
import pytest

from civitas.spam import scoring


class FixedModel:
    """Reads the probability from the text ("p=0.70"), so thresholds can be tested exactly."""

    version = "fixed-1"
    metrics: dict = {}

    def __init__(self):
        self.calls = 0
        self.scored = 0

    def predict(self, samples):
        self.calls += 1
        self.scored += len(samples)
        found = [re.search(r"p=([0-9.]+)", sample.text) for sample in samples]
        return np.array([float(match.group(1)) if match else 0.01 for match in found])


@pytest.fixture
def fixed_model():
    return FixedModel()


@pytest.fixture(autouse=True)
def _fresh_model_cache(settings, tmp_path):
    """Organization models go to a temporary folder; the loaded-model cache starts empty."""
    settings.CIVITAS_SPAM_MODEL_DIR = tmp_path / "spam-models"
    scoring._cache.clear()
    yield
    scoring._cache.clear()
