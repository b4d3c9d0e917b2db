"""/health/ for monitors and load balancers (django-health-check): 200 when every check
passes, 500 naming the failing one; JSON with `Accept: application/json` or `?format=json`.
No one's data, no session, no sign-in. /health/app/ leaves out the task worker."""

from health_check.views import MainView

health = MainView.as_view()
