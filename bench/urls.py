"""The app's URLs plus /bench/baseline/: the hand-written page the step is compared with."""

from django.http import HttpResponse
from django.urls import path

from assess.urls import urlpatterns as app_urlpatterns
from bench.twelve import baseline_context, baseline_template

_template = baseline_template()
_context = baseline_context()


def baseline(request):
    return HttpResponse(_template.render(_context, request))


urlpatterns = [path("bench/baseline/", baseline), *app_urlpatterns]
