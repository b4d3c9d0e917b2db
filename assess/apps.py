from django.apps import AppConfig


class AssessConfig(AppConfig):
    name = "assess"
    verbose_name = "Alliance readiness"

    def ready(self):
        from assess import access_log, languages, peers, security  # noqa: F401  (connect their signal receivers)
