"""The site's URLs plus a page that fails, for the error-page tests only."""

from django.urls import path

from assess.urls import urlpatterns as site_urlpatterns

SECRET_DETAIL = "db password is hunter2"


def boom(request):
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [path("test-only/boom/", boom), *site_urlpatterns]
