from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codes = ["view_boardresolution", "change_boardresolution", "view_inspectorstatuschange"]
    granted = Permission.objects.filter(content_type__app_label="pledges", codename__in=codes)
    for name in ("Moderator", "Campaign lead"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*granted)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0015_stand_down_ledger_and_board_resolutions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
