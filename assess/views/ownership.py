"""An organisation's data in its people's hands: the export page and downloads, deleting and
restoring an organisation, deleting one's own account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assess.access import get_org_for_user, is_owner, require_owner, require_two_factor_policy
from assess.models import DataExport, Membership, Organization, OrganizationDeletion
from assess.ownership import deletion, tasks
from assess.services import ServiceError


def _get_export_for_user(request, code):
    """An export the user asked for, of an organisation they still belong to; 404 otherwise."""
    try:
        job = (
            DataExport.objects.filter(organization__in=Organization.objects.for_user(request.user))
            .select_related("organization")
            .defer("archive")
            .get(code=code)
        )
    except (DataExport.DoesNotExist, ValueError) as e:
        raise Http404 from e
    require_two_factor_policy(request, job.organization)
    if job.requested_by_id != request.user.pk:
        raise Http404
    return job


def _data_page(request, org, *, typed_name="", error=""):
    owner = is_owner(request.user, org)
    exports = list(
        DataExport.objects.filter(organization=org, requested_by=request.user)
        .defer("archive")
        .order_by("-created")[:5]
    )
    ctx = {
        "org": org,
        "is_owner": owner,
        "exports": exports,
        "building": any(e.is_unfinished for e in exports),
        "leaving": list(deletion.only_people_of(org).order_by("email")) if owner else [],
        "grace_days": deletion.grace_period().days,
        "typed_name": typed_name,
        "delete_error": error,
    }
    return render(request, "assess/ownership/data.html", ctx)


@login_required
@require_safe
def data_page(request, code):
    return _data_page(request, get_org_for_user(request, code))


@login_required
@require_POST
def export_new(request, code):
    org = get_org_for_user(request, code)
    scope = request.POST.get("scope", "")
    if scope == DataExport.Scope.ORGANIZATION:
        require_owner(request, org)
    try:
        tasks.data_export_request(organization=org, user=request.user, scope=scope)
    except ServiceError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("Your export is being built. This page shows when it is ready.")
        )
    return redirect("org_data", org.code)


@login_required
@require_safe
def export_download(request, code):
    job = _get_export_for_user(request, code)
    if job.status != DataExport.Status.READY or job.is_expired:
        messages.error(
            request,
            _("This export is not available any more. Ask for a new one.")
            if job.is_expired
            else _("This export is not ready yet."),
        )
        return redirect("org_data", job.organization.code)
    content = DataExport.objects.values_list("archive", flat=True).get(pk=job.pk)
    tasks.data_export_downloaded(request, job)
    response = HttpResponse(bytes(content), content_type="application/zip")
    name = f"export-{job.created:%Y-%m-%d}-{job.code}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def organization_delete(request, code):
    try:
        org = get_org_for_user(request, code)
    except Http404:
        if not deletion.pending_for_owner(request.user).filter(organization__code=code).exists():
            raise
        messages.info(request, _("This organisation is already scheduled for deletion."))
        return redirect("account")
    require_owner(request, org)
    typed = request.POST.get("name", "")
    try:
        pending = deletion.organization_delete_request(
            organization=org, user=request.user, typed_name=typed, request=request
        )
    except ServiceError as e:
        return _data_page(request, org, typed_name=typed, error=str(e))
    messages.success(
        request,
        _("%(name)s is deleted. You can restore it until %(when)s; after that it is gone for good.")
        % {"name": org.name, "when": pending.purge_after.strftime("%Y-%m-%d %H:%M UTC")},
    )
    return redirect("account")


@login_required
@require_POST
def organization_restore(request, code):
    membership = (
        Membership.objects.filter(user=request.user, organization__code=code)
        .select_related("organization")
        .first()
    )
    if membership is None:
        raise Http404
    require_two_factor_policy(request, membership.organization)
    if membership.role != Membership.Role.OWNER:
        raise Http404
    pending = OrganizationDeletion.objects.filter(organization=membership.organization).first()
    if pending is None:
        messages.info(request, _("This organisation is not scheduled for deletion."))
        return redirect(membership.organization)
    try:
        org = deletion.organization_restore(deletion=pending, user=request.user, request=request)
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect("account")
    messages.success(request, _("%(name)s is restored, as it was.") % {"name": org.name})
    return redirect(org)


def _account_page(request, *, typed_email="", error=""):
    memberships = list(
        Membership.objects.filter(user=request.user, organization__deletion__isnull=True)
        .select_related("organization")
        .order_by("organization__name")
    )
    ctx = {
        "memberships": memberships,
        "pending": list(deletion.pending_for_owner(request.user)),
        "sole": deletion.sole_owner_of(request.user),
        "typed_email": typed_email,
        "delete_error": error,
    }
    return render(request, "assess/ownership/account.html", ctx)


@login_required
@require_safe
def account(request):
    return _account_page(request)


@login_required
@require_http_methods(["POST"])
def account_delete(request):
    typed = request.POST.get("email", "")
    try:
        deletion.account_delete(user=request.user, typed_email=typed)
    except ServiceError as e:
        return _account_page(request, typed_email=typed, error=str(e))
    logout(request)
    messages.success(request, _("Your account is deleted."))
    return redirect("home")
