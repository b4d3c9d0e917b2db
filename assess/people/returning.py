"""What the sign-in can truthfully tell someone on their way back to an assessment.

The sign-in page cannot know who is signing in, so it promises nothing about answers: an
invited newcomer has none. Once signed in, the way back is known, and the note is said only
when that assessment is a draft this account can open and it has answers saved."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from assess.models import Answer, Assessment


def _assessment_code(next_url):
    try:
        match = resolve(urlsplit(next_url or "").path)
    except Resolver404:
        return None
    if not match.route.startswith("a/<uuid:code>/"):
        return None
    return match.kwargs.get("code")


def answers_kept(user, next_url):
    """Whether `next_url` goes back to a draft of `user`'s with answers saved in it."""
    code = _assessment_code(next_url)
    if code is None:
        return False
    drafts = Assessment.objects.for_user(user).filter(code=code, status=Assessment.Status.DRAFT)
    return Answer.objects.filter(assessment__in=drafts, participant=None).exists()


def answers_kept_message(request, user, next_url):
    if answers_kept(user, next_url):
        messages.info(request, _("Welcome back: the answers saved so far are kept."))
