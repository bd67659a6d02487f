from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges and signatures"

    def ready(self) -> None:
        from pausecampaign import checks  # noqa: F401 - registers the deployment checks
