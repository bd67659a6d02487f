from django.contrib.auth.management import create_permissions
from django.db import migrations

UNION_LETTER = """Dear colleagues,

I am writing as a member of {union}, and as {role} at {school}, to ask the union to back #PauseOfsted: a pause in
routine school inspection while England's accountability system is fundamentally reviewed.

I have signed {pledges}. I believe we need a regulator that sets a clear minimum standard and helps
every school to reach it, and that judgements which follow a school's intake more than its work do
harm to pupils, staff and recruitment.

Please will the union:
- publicly support a pause and a fundamental review of school accountability;
- support members who choose to make themselves unavailable as Ofsted Inspectors;
- raise this at its next national executive meeting.

Yours sincerely,

{name}
"""

STEPS = [
    {
        "slug": "write-to-your-union",
        "title": "Write to your union or professional association",
        "what_to_do": "Within two weeks of signing, ask your union or association to back a pause and a "
        "fundamental review of school accountability.",
        "help_text": "A short, personal letter works best. Use ours as a start and change it as you like.",
        "template_letter": UNION_LETTER,
        "due_after_days": 3,
        "position": 1,
    },
    {
        "slug": "contact-colleagues",
        "title": "Contact two or three colleagues",
        "what_to_do": "Within a month, contact two or three members of headteacher or governor groups in your "
        "region and share the campaign's discussion paper.",
        "help_text": "You can invite them from this page: we send one short email naming you, and do not keep "
        "their addresses.",
        "invites_colleagues": True,
        "due_after_days": 14,
        "position": 2,
    },
    {
        "slug": "raise-it-locally",
        "title": "Raise it at a local meeting",
        "what_to_do": "Within the next half term, put #PauseOfsted on the agenda of a local association or group "
        "meeting and commit to backing a fundamental review.",
        "due_after_days": 35,
        "position": 3,
    },
    {
        "slug": "agree-with-governors",
        "title": "Agree it with your governors or trust board",
        "what_to_do": "Within the next term, agree with governors and trust directors to stop supporting staff "
        "applications to inspect, and new applications to become inspectors.",
        "help_text": "Make it a decision of the board, recorded in its minutes, rather than of one person.",
        "due_after_days": 70,
        "position": 4,
    },
]


def seed(apps, schema_editor):
    ActionStep = apps.get_model("pledges", "ActionStep")
    Pledge = apps.get_model("pledges", "Pledge")
    school_pledges = list(Pledge.objects.filter(slug__in=["stand-down", "refuse-release"]))
    every_pledge = list(Pledge.objects.all())
    for fields in STEPS:
        step, created = ActionStep.objects.get_or_create(slug=fields["slug"], defaults=fields)
        if created:
            step.pledges.set(every_pledge if fields["slug"] == "write-to-your-union" else school_pledges)

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lead, _ = Group.objects.get_or_create(name="Campaign lead")
    codes = ["add_broadcast", "change_broadcast", "view_broadcast", "send_broadcast",
             "add_actionstep", "change_actionstep", "view_actionstep", "view_emailpreference"]
    lead.permissions.add(*Permission.objects.filter(content_type__app_label="pledges", codename__in=codes))


class Migration(migrations.Migration):
    dependencies = [("pledges", "0007_action_plan")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
