from django import forms
from django.contrib import admin
from django.utils.crypto import get_random_string

from assess.models import Webhook


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ("organization", "url", "events", "secret", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secret"].required = False
        self.fields["secret"].help_text = "Left empty, a random one is made."

    def clean_secret(self):
        return self.cleaned_data["secret"] or get_random_string(40)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("url", "organization", "active", "created")
    search_fields = ("url", "organization__name")
    autocomplete_fields = ("organization",)
