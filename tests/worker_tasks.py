"""A task for tests of the worker process itself: it says which process ran it."""

import os

from django.tasks import task


@task()
def which_process():
    return os.getpid()
