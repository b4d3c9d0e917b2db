from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assess import report as reports
from assess.access import get_org_for_user, is_member, require_owner
from assess.holdings import held
from assess.insights import trend
from assess.models import AccessEvent, Assessment, Membership, Organization, QuestionBank, new_token
from assess.people import access_log, addresses
from assess.people.forms import OrganizationForm
from assess.services import ServiceError, assessment_start, organization_create
from assess.tasks import peer_releases_queue

SESSION_ORG = "org"


def _current_org(request):
    orgs = Organization.objects.for_user(request.user).order_by("name")
    code = request.session.get(SESSION_ORG)
    return (code and orgs.filter(code=code).first()) or orgs.first()


def home(request):
    if not request.user.is_authenticated:
        return render(request, "assess/welcome.html")
    org = _current_org(request)
    if org is None:
        return redirect("organization_new")
    return redirect(org)


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request):
    form = OrganizationForm(request.POST or None, submit_label=_("Create organisation"))
    if request.method == "POST" and form.is_valid():
        org = organization_create(user=request.user, **form.cleaned_data)
        request.session[SESSION_ORG] = str(org.code)
        messages.success(
            request, _("%(name)s is set up. Start your first assessment.") % {"name": org.name}
        )
        return redirect(org)
    return render(request, "assess/organization_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, code):
    org = get_org_for_user(request, code)
    require_owner(request, org)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        peer_releases_queue(org)  # a new sector or size moves it between peer groups
        messages.success(request, _("Organisation profile saved."))
        return redirect(org)
    return render(request, "assess/organization_form.html", {"form": form, "org": org})


@login_required
@require_POST
def organization_switch(request):
    org = get_org_for_user(request, request.POST.get("org", ""))
    request.session[SESSION_ORG] = str(org.code)
    return redirect(org)


@login_required
@require_http_methods(["GET", "POST"])
def invite_accept(request, token):
    """Join an organisation through its invite link, after saying yes."""
    org = Organization.objects.live().filter(invite_token=token).first()
    if org is None:
        return render(request, "assess/invite_invalid.html", status=404)
    if is_member(request.user, org):
        messages.info(request, _("You are already a member of %(name)s.") % {"name": org.name})
        return redirect(org)
    verified = addresses.is_verified(request.user)
    if request.method == "POST" and not verified:
        addresses.verification_mail_or_message(request)
        return redirect("invite_accept", token=token)
    if request.method == "POST":
        Membership.objects.get_or_create(user=request.user, organization=org)
        access_log.record(
            request, org, AccessEvent.Action.JOINED, "by the invite link", via="invite_link"
        )
        request.session[SESSION_ORG] = str(org.code)
        messages.success(request, _("You joined %(name)s.") % {"name": org.name})
        return redirect(org)
    ctx = {"invited_to": org, "address_verified": verified}
    return render(request, "assess/invite_accept.html", ctx)


@login_required
@require_POST
def invite_renew(request, code):
    org = get_org_for_user(request, code)
    require_owner(request, org)
    org.invite_token = new_token()
    org.save(update_fields=["invite_token"])
    messages.success(request, _("A new invite link replaces the old one, which no longer works."))
    return redirect(org)


@login_required
def dashboard(request, code):
    org = get_org_for_user(request, code)
    if request.session.get(SESSION_ORG) != str(org.code):
        request.session[SESSION_ORG] = str(org.code)
    assessments = list(
        Assessment.objects.filter(organization=org)
        .select_related("bank", "created_by")
        .order_by("-created")
    )
    members = list(org.membership_set.select_related("user").order_by("created"))
    is_owner = any(
        m.user_id == request.user.id and m.role == Membership.Role.OWNER for m in members
    )
    latest = max(
        (a for a in assessments if a.submitted_at), key=lambda a: a.submitted_at, default=None
    )
    holdings = held.rows(org)
    ctx = {
        "org": org,
        "holdings": holdings,
        "held": reports.held_for(latest, holdings) if latest else None,
        "held_result": latest,
        "assessments": assessments,
        "score_trend": trend.dashboard_trend(assessments),
        "bank": QuestionBank.objects.current(),
        "orgs": Organization.objects.for_user(request.user).order_by("name"),
        "members": members,
        "is_owner": is_owner,
        "invitations": list(org.invitations.pending().order_by("-created")) if is_owner else [],
        "invite_url": request.build_absolute_uri(reverse("invite_accept", args=[org.invite_token])),
    }
    return render(request, "assess/dashboard.html", ctx)


@login_required
@require_POST
def assessment_new(request, code):
    org = get_org_for_user(request, code)
    try:
        assessment = assessment_start(organization=org, user=request.user)
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect(org)
    return redirect("section", assessment.code, 1)
