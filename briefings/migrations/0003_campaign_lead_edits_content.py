from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = [
    f"{action}_{model}"
    for model in ("page", "newspost", "figure")
    for action in ("add", "change", "view", "delete")
] + ["view_revision"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lead, _ = Group.objects.get_or_create(name="Campaign lead")
    lead.permissions.add(*Permission.objects.filter(content_type__app_label="briefings", codename__in=CODES))


class Migration(migrations.Migration):
    dependencies = [("briefings", "0002_initial_content"), ("pledges", "0005_seed_reasons_and_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
