from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assess.views import accounts, assessments, organizations, portfolio, whatif, workshops

urlpatterns = [
    path("", organizations.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.EmailLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("orgs/new/", organizations.organization_new, name="organization_new"),
    path("orgs/switch/", organizations.organization_switch, name="organization_switch"),
    path("orgs/join/<str:token>/", organizations.invite_accept, name="invite_accept"),
    path("orgs/<uuid:code>/", organizations.dashboard, name="dashboard"),
    path("orgs/<uuid:code>/peers/", portfolio.peer_consent, name="peer_consent"),
    path("portfolio/", portfolio.portfolio_page, name="portfolio"),
    path("portfolio.csv", portfolio.portfolio_csv, name="portfolio_csv"),
    path("orgs/<uuid:code>/edit/", organizations.organization_edit, name="organization_edit"),
    path("orgs/<uuid:code>/invite/renew/", organizations.invite_renew, name="invite_renew"),
    path("orgs/<uuid:code>/assessments/new/", organizations.assessment_new, name="assessment_new"),
    path("a/<uuid:code>/", assessments.assessment_resume, name="assessment"),
    path("a/<uuid:code>/s/<int:number>/", assessments.section, name="section"),
    path("a/<uuid:code>/review/", assessments.review, name="review"),
    path("a/<uuid:code>/submit/", assessments.submit, name="submit"),
    path("a/<uuid:code>/result/", assessments.result, name="result"),
    path("a/<uuid:code>/copy/", assessments.copy, name="copy"),
    path("a/<uuid:code>/what-if/", whatif.what_if, name="what_if"),
    path("a/<uuid:code>/what-if/verdict/", whatif.what_if_verdict, name="what_if_verdict"),
    path("a/<uuid:code>/report/", assessments.report, name="report"),
    path("a/<uuid:code>/report.pdf", assessments.report_pdf, name="report_pdf"),
    path("a/<uuid:code>/report/status/", assessments.report_pdf_status, name="report_pdf_status"),
    path("a/<uuid:code>/report/retry/", assessments.report_pdf_retry, name="report_pdf_retry"),
    path("a/<uuid:code>/answers.csv", assessments.answers_csv, name="answers_csv"),
    path("orgs/<uuid:code>/workshops/new/", workshops.workshop_new, name="workshop_new"),
    path("workshops/<uuid:code>/", workshops.board, name="workshop_board"),
    path("workshops/<uuid:code>/consensus/", workshops.consensus, name="workshop_consensus"),
    path("workshops/<uuid:code>/present/", workshops.presenter, name="workshop_presenter"),
    path("workshops/<uuid:code>/<slug:action>/", workshops.workshop_action, name="workshop_action"),
    path("join/", workshops.join_code, name="workshop_code"),
    path("w/<str:token>/", workshops.join, name="workshop_join"),
    path(
        "p/<str:token>/s/<int:number>/", workshops.participant_section, name="participant_section"
    ),
    path("p/<str:token>/done/", workshops.participant_done, name="participant_done"),
    path("admin/", admin.site.urls),
]
