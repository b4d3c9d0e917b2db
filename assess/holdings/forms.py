"""Recording one membership or signed pledge."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assess.models import CURRENCIES, Alliance, Holding


class AllianceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if not obj.active:
            return gettext("%(name)s (retired from the catalogue)") % {"name": obj.name}
        return obj.name


class HoldingForm(forms.ModelForm):
    alliance = AllianceChoice(
        queryset=Alliance.objects.none(),
        required=False,
        label=_("Body from the catalogue"),
        empty_label=_("Not in the catalogue: type its name below"),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=[("", "---------"), *((c, c) for c in CURRENCIES)],
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a currency we know: pick one of the list (ISO codes "
                "such as EUR, USD or GBP)."
            )
        },
    )

    class Meta:
        model = Holding
        fields = [
            "alliance",
            "body_name",
            "depth",
            "tier",
            "since",
            "annual_cost",
            "currency",
            "renewal_date",
            "owner_role",
            "owner",
            "contribution",
            "notes",
        ]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "renewal_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contribution": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body_name": _("Only for a body the catalogue does not list."),
            "tier": _("The membership level the body bills, if it has several."),
            "owner_role": _("Who answers for it inside the company, as a role: “SOC lead”."),
            "owner": _("Renewal reminders go to this person; to the owners if nobody is named."),
            "renewal_date": _("Reminders go out before this date."),
        }

    def __init__(self, *args, organization, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        current = self.instance.alliance_id
        self.fields["alliance"].queryset = Alliance.objects.filter(
            Q(active=True) | Q(pk=current)
        ).order_by("name")
        self.fields["owner"].queryset = organization.members.order_by("email")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["annual_cost"].widget.attrs["min"] = "0"
        self.fields["annual_cost"].widget.attrs["step"] = "0.01"
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext("Save")))

    def clean_annual_cost(self):
        cost = self.cleaned_data.get("annual_cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError(
                _("A cost cannot be negative: enter what you pay each year, or leave it empty.")
            )
        return cost

    def clean_renewal_date(self):
        when = self.cleaned_data.get("renewal_date")
        if when is not None and when < self.today:
            raise forms.ValidationError(
                _(
                    "This date has passed: enter the next renewal (often a year after the "
                    "last one), or leave it empty."
                )
            )
        return when

    def clean_since(self):
        when = self.cleaned_data.get("since")
        if when is not None and when > self.today:
            raise forms.ValidationError(_("“Member since” cannot be in the future."))
        return when

    def clean(self):
        data = super().clean()
        if not data.get("alliance") and not (data.get("body_name") or "").strip():
            self.add_error("body_name", _("Pick a body from the catalogue or type its name."))
        if data.get("annual_cost") is not None and not data.get("currency"):
            self.add_error("currency", _("Say which currency the cost is in."))
        return data
