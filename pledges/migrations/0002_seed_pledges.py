from django.db import migrations

PLEDGES = [
    {
        "slug": "stand-down",
        "title": "Stand down as an Ofsted Inspector",
        "summary": "For serving school leaders who are also contracted Ofsted Inspectors.",
        "statement": (
            "I work in a school and I am also a contracted Ofsted Inspector. I have made myself unavailable "
            "for inspections, or resigned as an inspector, and I will not inspect until England's school "
            "accountability system has been fundamentally reviewed."
        ),
        "roles": ["head", "senior_leader", "teacher", "school_staff", "trust_leader"],
        "asks_inspector_status": True,
        "denominator": 800,
        "denominator_label": "school-based Ofsted Inspectors who are serving leaders",
        "denominator_source": "About 800 of about 1,170 contracted school OIs (Ofsted, via Schools Week, January 2022)",
        "position": 1,
    },
    {
        "slug": "refuse-release",
        "title": "Refuse release time for inspection",
        "summary": "For headteachers, governors, trustees and trust leaders.",
        "statement": (
            "I will not support applications from staff for time away from school to inspect, nor new "
            "applications to train as Ofsted Inspectors, until England's school accountability system has "
            "been fundamentally reviewed."
        ),
        "roles": ["head", "governor", "trustee", "trust_leader"],
        "position": 2,
    },
    {
        "slug": "support-the-pause",
        "title": "Support the pause",
        "summary": "For anyone: teachers, support staff, parents and everyone who wants a better system.",
        "statement": (
            "I support a pause in routine school inspection while England's high-stakes accountability "
            "system is fundamentally reviewed, and I will tell others why."
        ),
        "roles": [],
        "position": 3,
    },
]


def seed(apps, schema_editor):
    Pledge = apps.get_model("pledges", "Pledge")
    known = {field.name for field in Pledge._meta.get_fields()}
    for fields in PLEDGES:
        # Only ever create: a staff edit to an existing pledge is never overwritten. (Run again by
        # the test suite against today's tables, so fields dropped since are left out.)
        Pledge.objects.get_or_create(slug=fields["slug"], defaults={k: v for k, v in fields.items() if k in known})


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
