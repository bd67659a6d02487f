from django.contrib.auth.management import create_permissions
from django.db import migrations

REASONS = [
    "Offensive or abusive name",
    "Not a real person's name",
    "Duplicate of another signature",
    "Not eligible for this pledge",
    "Asked to be removed",
    "Other (see note)",
]

MODERATOR = [
    "pledges.view_signature",
    "pledges.change_signature",
    "pledges.view_pledge",
    "pledges.view_school",
    "pledges.view_auditentry",
    "pledges.view_rejectionreason",
    "pledges.view_invalidation",
]
CAMPAIGN_LEAD = MODERATOR + [
    "pledges.export_signatures",
    "pledges.view_signer_email",
    "pledges.add_pledge",
    "pledges.change_pledge",
    "pledges.view_siteswitches",
    "pledges.change_siteswitches",
    "pledges.add_invalidation",
    "pledges.change_invalidation",
    "pledges.add_rejectionreason",
    "pledges.change_rejectionreason",
    "pledges.delete_rejectionreason",
    "pledges.view_blockeddomain",
    "pledges.add_blockeddomain",
    "pledges.change_blockeddomain",
    "pledges.delete_blockeddomain",
    "pledges.view_email",
    "pledges.view_recount",
]


def seed(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    RejectionReason = apps.get_model("pledges", "RejectionReason")
    for position, text in enumerate(REASONS):
        RejectionReason.objects.get_or_create(text=text, defaults={"position": position})

    apps.get_model("pledges", "SiteSwitches").objects.get_or_create(pk=1)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in [("Moderator", MODERATOR), ("Campaign lead", CAMPAIGN_LEAD)]:
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [("pledges", "0004_moderation"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
