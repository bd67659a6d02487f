from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges and signatures"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from pausecampaign import checks  # noqa: F401 - registers the deployment checks
        from pledges.sign_in import record_second_factor

        # allauth's own hook for the moment an authenticator is added (there is no adapter method for it).
        authenticator_added.connect(
            lambda sender, request, user, authenticator, **kwargs: record_second_factor(request, user, authenticator),
            weak=False,
            dispatch_uid="record_second_factor",
        )
