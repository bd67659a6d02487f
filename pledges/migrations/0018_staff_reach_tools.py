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
    moderator, _ = Group.objects.get_or_create(name="Moderator")
    for model in ("campaignsource", "offlinesupport"):
        perms = Permission.objects.filter(content_type__app_label="pledges", content_type__model=model)
        codes = [f"add_{model}", f"change_{model}", f"view_{model}"]
        if model == "offlinesupport":
            codes.append(f"delete_{model}")  # a wrong entry can be taken out (audited)
        lead.permissions.add(*perms.filter(codename__in=codes))
        moderator.permissions.add(*perms.filter(codename=f"view_{model}"))


class Migration(migrations.Migration):
    dependencies = [("pledges", "0017_campaign_sources_verified_addresses_offline_support")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
