"""Forms of people and organisations: sign-up, sign-in, the two-factor code, the
organisation's profile and invitations."""

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assess.models import Membership, Organization


class SignupForm(forms.Form):
    """Sign-up's first step: the address, to which the link that finishes it is mailed.
    Whether it has an account is never said here (the mail says it)."""

    email = forms.EmailField(label=_("Work email"), max_length=150)

    def clean_email(self):
        from assess.people.addresses import domain_claimed

        email = self.cleaned_data["email"].strip().lower()
        if domain_claimed(email):
            raise forms.ValidationError(
                _(
                    "Addresses at %(domain)s sign in through their organisation's single "
                    "sign-on, not with a password here. Use “Sign in with your company "
                    "account” on the sign-in page."
                ),
                params={"domain": email.rpartition("@")[2]},
            )
        return email


class SignupCompleteForm(SetPasswordMixin, forms.Form):
    """Sign-up's second step, from the mailed link: a name and a password."""

    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        self.validate_passwords()
        user = get_user_model()(
            username=self.email, email=self.email, first_name=self.cleaned_data.get("name", "")
        )
        self.validate_password_for_user(user)
        return super().clean()

    def save(self):
        user = get_user_model()(
            username=self.email, email=self.email, first_name=self.cleaned_data.get("name", "")
        )
        return self.set_password_and_save(user)


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery=True, current=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not recovery:  # setting up: there are no recovery codes yet
            self.fields["code"].help_text = _("The 6-digit code your authenticator app shows.")
        if current:  # replacing an app in use: a code from it (or a recovery code) first
            self.fields = {"current": _current_code_field(), **self.fields}
            self.fields["code"].label = _("Code from the new app")
            self.fields["code"].widget.attrs.pop("autofocus", None)


def _current_code_field():
    return forms.CharField(
        label=_("Current code"),
        max_length=32,
        help_text=_("The code your current authenticator app shows now, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )


class TwoFactorRenewForm(forms.Form):
    """New recovery codes: a current code first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current"] = _current_code_field()


# Other names people type for a country in the filter of the countries list.
COUNTRY_ALIASES = {
    "GB": "UK Britain England Scotland Wales Northern Ireland",
    "US": "USA America",
    "AE": "UAE Emirates",
    "KR": "Korea",
    "KP": "Korea",
    "NL": "Holland",
    "CZ": "Czech Republic",
    "TR": "Turkey",
}


def _folded(text):
    """Words in lower case without accents or punctuation, so "cote" finds Côte d'Ivoire in
    the countries filter, which matches the start of words."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ("name", "sector", "size_band", "headquarters", "countries")
        help_texts = {
            "sector": _("Used to match sector ISACs and the sector's law."),
            "headquarters": _("Used to match national schemes and the law that applies."),
            "countries": _(
                "Where you operate. Used to match national schemes and legal caveats. "
                "Tick every country that applies."
            ),
        }
        widgets = {"countries": forms.CheckboxSelectMultiple}

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headquarters"].required = True
        self.helper = FormHelper()
        # The countries are a checkbox list of their own (with a filter when JavaScript runs):
        # a 250-line multi-select lost every choice on one plain click.
        self.helper.layout = Layout(
            "name",
            "sector",
            "size_band",
            "headquarters",
            Field("countries", template="assess/_countries_field.html"),
        )
        self.helper.add_input(Submit("submit", submit_label or _("Save")))

    def clean_name(self):
        # A name is one line: it goes into mail subjects and headers, where a line break
        # would start a new header. Every run of spaces and line breaks becomes one space.
        return " ".join(self.cleaned_data["name"].split())

    def country_options(self):
        """Every country as {code, name, chosen, search} for the checkbox list: the chosen
        ones first, so an edit page shows them without scrolling, then the rest by name.
        Chosen means as posted when the form is bound, so a page sent back with an error
        keeps every tick."""
        if hasattr(self, "_country_options"):
            return self._country_options
        chosen = {str(code) for code in (self["countries"].value() or ())}
        options = [
            {
                "code": code,
                "name": name,
                "chosen": code in chosen,
                "search": _folded(f"{name} {code} {COUNTRY_ALIASES.get(code, '')}"),
            }
            for code, name in self.fields["countries"].choices
        ]
        self._country_options = [o for o in options if o["chosen"]] + [
            o for o in options if not o["chosen"]
        ]
        return self._country_options

    def countries_chosen(self):
        return sum(o["chosen"] for o in self.country_options())


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_("One or more, separated by commas, spaces or new lines (at most 50)."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        max_length=10000,
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("account role", "Role"),
        choices=Membership.Role.choices,
        initial="member",
        help_text=_(
            "Owners also manage members, invitations and the access log. Members and "
            "consultants see and answer the organisation's assessments."
        ),
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", " ").replace(";", " ").split()
        emails, bad = [], []
        for item in raw:
            try:
                forms.EmailField().clean(item)
            except forms.ValidationError:
                bad.append(item)
            else:
                if item.lower() not in (e.lower() for e in emails):
                    emails.append(item.lower())
        if bad:
            raise forms.ValidationError(
                gettext("These are not e-mail addresses: %(bad)s. Correct them and send again.")
                % {"bad": ", ".join(bad)}
            )
        if not emails:
            raise forms.ValidationError(gettext("Type at least one e-mail address."))
        if len(emails) > 50:
            raise forms.ValidationError(gettext("Send at most 50 invitations at a time."))
        return emails
