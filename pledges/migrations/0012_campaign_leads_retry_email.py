from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lead, _ = Group.objects.get_or_create(name="Campaign lead")
    lead.permissions.add(Permission.objects.get(content_type__app_label="pledges", codename="retry_email"))
    # Queued messages from before lanes existed: bulk keys go in the bulk lane.
    Email = apps.get_model("pledges", "Email")
    for prefix in ("broadcast:", "step:", "invite:"):
        Email.objects.filter(key__startswith=prefix).exclude(key__contains=":test:").update(priority=1)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0011_outbox_lanes_leases_and_retries")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
