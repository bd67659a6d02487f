"""The four actions' deadlines as the campaign words them: two weeks, a month, the next half term,
the next term (the last two in days only until staff enter the term dates)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DUE = {
    "write-to-your-union": ("days", 14),
    "contact-colleagues": ("days", 30),
    "raise-it-locally": ("next_half_term", 49),
    "agree-with-governors": ("next_term", 98),
}


def forwards(apps, schema_editor):
    ActionStep = apps.get_model("pledges", "ActionStep")
    for slug, (rule, days) in DUE.items():
        ActionStep.objects.filter(slug=slug).update(due_rule=rule, due_after_days=days)
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lead, _ = Group.objects.get_or_create(name="Campaign lead")
    lead.permissions.add(*Permission.objects.filter(content_type__app_label="pledges", content_type__model="schoolterm"))


class Migration(migrations.Migration):
    dependencies = [("pledges", "0019_school_calendar")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
