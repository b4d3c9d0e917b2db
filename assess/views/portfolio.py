from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from assess import vocabulary
from assess.access import get_org_for_user, require_owner, require_two_factor_policies
from assess.holdings import held
from assess.insights import portfolio
from assess.report.exports import csv_response
from assess.tasks import peer_releases_queue


@login_required
@require_safe
def portfolio_page(request):
    require_two_factor_policies(request)
    everyone = portfolio.clients(request.user)
    filters = portfolio.Filters.from_query(request.GET)
    rows = portfolio.chosen(everyone, filters)
    sectors, countries = portfolio.choices(everyone)
    outcomes = [*vocabulary.outcome_labels().items(), (portfolio.NO_RESULT, _("No result yet"))]
    query = request.GET.copy()
    query.pop("sort", None)
    sorts = [
        ("name", _("Organisation")),
        ("sector", _("Sector")),
        ("country", _("Headquarters")),
        ("outcome", _("Latest result")),
        ("date", pgettext("date column", "Submitted")),
    ]
    ctx = {
        "renewals": held.renewals_due(request.user),
        "renewals_days": held.RENEWALS_AHEAD,
        "rows": rows,
        "total": len(everyone),
        "filters": filters,
        "sectors": sectors,
        "countries": countries,
        "outcomes": outcomes,
        "filter_query": query.urlencode(),
        "csv_query": request.GET.urlencode(),
        "sorts": sorts,
        # Each cell names its column when the table stacks into cards on a phone.
        "labels": dict(sorts),
    }
    return render(request, "assess/portfolio.html", ctx)


@login_required
@require_safe
def portfolio_csv(request):
    require_two_factor_policies(request)
    rows = portfolio.chosen(
        portfolio.clients(request.user), portfolio.Filters.from_query(request.GET)
    )
    return csv_response(portfolio.portfolio_csv(rows), 'attachment; filename="portfolio.csv"')


@login_required
@require_POST
def peer_consent(request, code):
    org = get_org_for_user(request, code)
    require_owner(request, org)
    choice = request.POST.get("consent")
    if choice not in ("yes", "no"):
        messages.error(request, _("Choose whether to contribute to peer comparisons."))
        return redirect(org)
    org.peer_consent = choice == "yes"
    org.save(update_fields=["peer_consent"])
    peer_releases_queue()
    if org.peer_consent:
        messages.success(
            request,
            _(
                "Your latest submitted result now counts, anonymised, in peer comparisons. "
                "You can withdraw at any time."
            ),
        )
    else:
        messages.success(
            request,
            _("Your results no longer count in any peer comparison, from now on."),
        )
    return redirect(org)
