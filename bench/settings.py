"""Settings for the throughput benchmark's server: the app's own, plus one page that is a
hand-written template of the same size as the questionnaire step (bench/urls.py)."""

from assess.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
