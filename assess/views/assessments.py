from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assess import report as reports
from assess import tasks
from assess.access import get_assessment_for_user
from assess.insights import shown
from assess.models import AccessEvent, Assessment, ReportPDF
from assess.people import access_log
from assess.questionnaire.runner import (
    member_step,
    moves,
    refused_in_background,
    saving_in_background,
)
from assess.report import exports, result_context
from assess.selectors import answers_of, bank_view, review_sheet
from assess.services import ServiceError, assessment_copy, assessment_submit


@login_required
def assessment_resume(request, code):
    return redirect(get_assessment_for_user(request, code))


@login_required
@require_http_methods(["GET", "POST"])
def section(request, code, number):
    assessment = get_assessment_for_user(request, code)
    if not assessment.is_draft:
        if request.method == "POST" and saving_in_background(request):
            return refused_in_background(
                _("This assessment was submitted, so its answers can no longer change.")
            )
        messages.info(request, _("This assessment is submitted; here is its result."))
        return redirect("result", assessment.code)

    def later():
        messages.success(
            request,
            _("Your answers are saved. Pick up where you left off from the dashboard at any time."),
        )
        return redirect(assessment.organization)

    after = moves(
        number,
        section=lambda n: redirect("section", assessment.code, n),
        done=lambda: redirect("review", assessment.code),
        later=later,
    )
    return member_step(
        request,
        assessment=assessment,
        number=number,
        after=after,
        step_base=reverse("section", args=[assessment.code, 1]).removesuffix("1/"),
    )


@login_required
def review(request, code):
    assessment = get_assessment_for_user(request, code)
    if not assessment.is_draft:
        return redirect("result", assessment.code)
    view = bank_view(assessment.bank)
    sections, missing = review_sheet(view, answers_of(assessment, view))
    return render(
        request,
        "assess/review.html",
        {
            "assessment": assessment,
            "org": assessment.organization,
            "sections": sections,
            "missing": missing,
        },
    )


@login_required
@require_POST
def submit(request, code):
    assessment = get_assessment_for_user(request, code)
    try:
        assessment_submit(assessment=assessment, user=request.user)
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect(assessment.get_absolute_url())
    messages.success(
        request,
        _(
            "Submitted. This result is now frozen: later edits to the "
            "question bank or catalogue will not change it."
        ),
    )
    return redirect("result", assessment.code)


def _previous(assessment):
    return (
        Assessment.objects.submitted()
        .filter(organization=assessment.organization, submitted_at__lt=assessment.submitted_at)
        .order_by("-submitted_at")
        .first()
    )


@login_required
def result(request, code):
    assessment = get_assessment_for_user(request, code)
    if assessment.is_draft:
        messages.info(request, _("Submit the assessment from the review page to see its result."))
        return redirect("review", assessment.code)
    ctx = result_context(assessment, _previous(assessment), **shown.for_result(assessment))
    ctx.update(
        {
            "assessment": assessment,
            "org": assessment.organization,
            "pdf": tasks.report_pdf_wanted(assessment),
        }
    )
    access_log.record_assessment(request, assessment, AccessEvent.Action.VIEWED_RESULT)
    return render(request, "assess/result.html", ctx)


def _no_report_yet(request, assessment):
    messages.info(request, _("A draft has no report yet: submit it from the review page first."))
    return redirect("review", assessment.code)


@login_required
def report(request, code):
    assessment = get_assessment_for_user(request, code)
    if assessment.is_draft:
        return _no_report_yet(request, assessment)
    access_log.record_assessment(request, assessment, AccessEvent.Action.VIEWED_REPORT)
    html = reports.report_html(assessment, **shown.for_report(assessment), request=request)
    return HttpResponse(html)


@login_required
def report_pdf(request, code):
    """The stored PDF, or a page saying it is being prepared (or failed): this view never
    renders one, so a burst of downloads cannot tie up the web workers. It never loads the
    frozen result either: the stored digest names the PDF wanted."""
    assessment = get_assessment_for_user(request, code, with_result=False)
    if assessment.is_draft:
        return _no_report_yet(request, assessment)
    wanted = reports.source_hash(assessment)
    etag = quote_etag(wanted)
    response = get_conditional_response(request, etag=etag)
    if response is None:  # not a revalidation of the current file
        pdf = ReportPDF.objects.filter(
            assessment=assessment, language=translation.get_language(), source_hash=wanted
        ).first()
        if pdf is None:
            return _pdf_not_ready(request, assessment, tasks.report_pdf_wanted(assessment, wanted))
        response = HttpResponse(bytes(pdf.content), content_type="application/pdf")
        access_log.record_assessment(request, assessment, AccessEvent.Action.DOWNLOADED_PDF)
        response["Content-Disposition"] = reports.content_disposition(assessment)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _pdf_not_ready(request, assessment, status):
    ctx = {"assessment": assessment, "org": assessment.organization, "pdf": status}
    response = render(request, "assess/report_pending.html", ctx, status=202)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def report_pdf_status(request, code):
    """Where the PDF stands, as JSON, for static/js/report_status.js to poll."""
    assessment = get_assessment_for_user(request, code, with_result=False)
    if assessment.is_draft:
        raise Http404
    status = tasks.report_pdf_wanted(assessment)
    response = JsonResponse(
        {
            "state": status.state,
            "size": status.size,
            # Written the way the page's language writes sizes ("99,0 Ko", "99,0 KB").
            "size_label": filesizeformat(status.size) if status.size else "",
            "slow": status.slow,
        }
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def report_pdf_retry(request, code):
    assessment = get_assessment_for_user(request, code)
    if assessment.is_draft:
        return _no_report_yet(request, assessment)
    if tasks.report_pdf_status(assessment).state in (tasks.FAILED, tasks.STOPPED, tasks.MISSING):
        tasks.report_pdf_queue(assessment)
    return redirect("report_pdf", assessment.code)


@login_required
@require_safe
def answers_csv(request, code):
    """The submitted answers as a spreadsheet, from the frozen snapshot."""
    assessment = get_assessment_for_user(request, code)
    if assessment.is_draft:
        return _no_report_yet(request, assessment)
    response = exports.csv_response(
        exports.answers_csv(assessment), exports.answers_csv_disposition(assessment)
    )
    access_log.record_assessment(request, assessment, AccessEvent.Action.DOWNLOADED_CSV)
    return response


@login_required
@require_POST
def copy(request, code):
    assessment = get_assessment_for_user(request, code)
    new = assessment_copy(assessment=assessment, user=request.user)
    messages.success(
        request,
        _(
            "A new draft with your previous answers. Change what is "
            "different now, then submit to compare."
        ),
    )
    return redirect(reverse("section", args=[new.code, 1]))
