"""The interface language a person chose: kept in their session (a workshop participant
has no account) and, signed in, on their account (UserPreference), applied again at every
sign-in. Before any choice, the browser's Accept-Language is the guess (LocaleMiddleware)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from assess.middleware import SESSION_LANGUAGE
from assess.models import UserPreference

# The language question banks, the catalogue and frozen results are written in. A text that
# comes in another language says so by being a Text (assess.languages.Text("...", "fr")).
SOURCE_LANGUAGE = "en"


class Text(str):
    """A str that knows its language, for `|text_lang`: a text in another language than the
    page's (a frozen result's words in the language it was submitted in, say)."""

    def __new__(cls, value, language):
        text = super().__new__(cls, value)
        text.language = language
        return text


def text_language(value):
    """The language of a text shown on a page if the text says (a `Text`, or a bank or
    catalogue text that fell back to English, `translations.Fallback`), else None: a plain
    string is in the page's language."""
    return getattr(value, "language", None) or getattr(value, "lang", None)


def offered(language):
    """The language code if it is one of settings.LANGUAGES, else None."""
    return language if language in dict(settings.LANGUAGES) else None


def language_remember(request, language):
    """Keep the choice in the session, and on the account of a signed-in user."""
    request.session[SESSION_LANGUAGE] = language
    if request.user.is_authenticated:
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})


@receiver(user_logged_in, dispatch_uid="assess.languages.apply_at_sign_in")
def apply_at_sign_in(sender, request, user, **kwargs):
    """The account's language wins from the first page after sign-in; an account with none
    yet keeps the language the person is using now."""
    if request is None or not hasattr(request, "session"):
        return
    stored = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    language = offered(stored)
    if language is None:
        # The language of the sign-in page (LocaleMiddleware set it); none outside a request.
        language = offered(getattr(request, "LANGUAGE_CODE", None))
        if language is None:
            return
        UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    request.session[SESSION_LANGUAGE] = language
    request.LANGUAGE_CODE = language
