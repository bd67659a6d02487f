"""The campaign's own story, sourced: its letter retold, an about page, dated union positions,
and every figure crediting who said it.

Written in our own words from the campaign's facts. As before, a page, figure or position that
staff have changed is never overwritten: pages are replaced only while they still hold the text
first seeded, and figures only while they still hold their first source.
"""

import datetime
import importlib

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import briefings.models

SCHOOLS_WEEK_2022 = "https://schoolsweek.co.uk/ofsted-inspector-ranks-reduced-by-86-as-leaders-told-to-focus-on-school-roles/"
SCHOOLS_WEEK_2023 = "https://schoolsweek.co.uk/trust-leaders-more-likely-to-work-part-time-for-ofsted/"
ROUNDTABLE = "https://headteachersroundtable.wordpress.com/pauseofsted-briefing-page/"
NEU_2020 = "https://neu.org.uk/press-releases/neu-backs-pauseofsted-campaign"
NEU_2021 = "https://neu.org.uk/pause-ofsted"
ASCL_2025 = "https://schoolsweek.co.uk/ascl-drops-ofsted-inspector-threat-but-mulls-legal-action"

FIGURE_SOURCES = {
    # key: (old source, new source, url, as_of)
    "school-ois-2022": ("Ofsted figures reported by Schools Week", "Ofsted's figures, reported by Schools Week", SCHOOLS_WEEK_2022, "January 2022"),
    "serving-leader-ois-2022": ("Ofsted figures reported by Schools Week", "Ofsted's figures, reported by Schools Week", SCHOOLS_WEEK_2022, "January 2022"),
    "school-hmis-2022": ("Ofsted figures reported by Schools Week", "Ofsted's figures, reported by Schools Week", SCHOOLS_WEEK_2022, "January 2022"),
    "serving-leader-share": ("Ofsted, as reported in 2025", "Schools Week's reporting of Ofsted's figures", "", "June 2025"),
    "ois-2023": ("Schools Week", "Schools Week", SCHOOLS_WEEK_2023, "late 2023"),
    "hmis-2023": ("Schools Week", "Schools Week", SCHOOLS_WEEK_2023, "late 2023"),
    "waiting-list-2025": ("Ofsted, as reported in 2025", "Ofsted", "", "June 2025"),
}

POSITIONS = [
    # organisation, union codes, date (for order), date as shown, stance, summary, source, source url
    ("Headteachers' Roundtable", "", datetime.date(2020, 2, 7), "7 February 2020", "backs",
     "Launches #PauseOfsted at its annual summit. Its chair, Stephen Tierney, writes to every headteacher in "
     "England.",
     "Headteachers' Roundtable briefing page; Schools Week, February 2020", ROUNDTABLE),
    ("NEU", "neu", datetime.date(2020, 2, 10), "February 2020", "backs",
     "Its Leadership Council backs the campaign and advises members who are Ofsted Inspectors to stop working "
     "for Ofsted. It points to four inspection frameworks in five years and to grades biased against schools in "
     "deprived areas.",
     "NEU press release, February 2020", NEU_2020),
    ("ASCL", "ascl", datetime.date(2020, 2, 11), "February 2020", "declines",
     "Declines to back it: advising members on their professional decisions is not its role, and it is not "
     "convinced this is the best route, though it shares concerns about blunt judgements.",
     "Schools Week, February 2020", ""),
    ("NAHT", "naht", datetime.date(2020, 2, 12), "February 2020", "no_position",
     "Puts inspection on its national executive's agenda for March 2020, without taking a position.",
     "Press coverage of the launch, February 2020", ""),
    ("NASUWT", "nasuwt", datetime.date(2020, 2, 13), "February 2020", "declines",
     "Does not support it, saying the revised inspection framework has answered teachers' concerns.",
     "Press coverage of the launch, February 2020", ""),
    ("NEU and NASUWT", "neu,nasuwt", datetime.date(2021, 12, 1), "December 2021", "other",
     "Ask for inspections to be paused until February 2022.",
     "NEU, December 2021", NEU_2021),
    ("NAHT", "naht", datetime.date(2023, 6, 1), "2023", "other",
     "Its national executive agrees a call to members about withdrawing as Ofsted Inspectors.",
     "Schools Week, June 2025, looking back", ""),
    ("NAHT", "naht", datetime.date(2025, 5, 1), "May 2025", "other",
     "Files for a judicial review of Ofsted's new inspection framework.",
     "FE Week, 24 October 2025", ""),
    ("NAHT", "naht", datetime.date(2025, 6, 20), "20 June 2025", "considering",
     "Its national executive resolves that, unless both the timetable and the five-point scale of the new report "
     "cards change, it will consider encouraging members to withdraw as Ofsted Inspectors in the autumn term.",
     "Schools Week, June 2025", ""),
    ("NEU, NASUWT, ASCL and NAHT", "neu,nasuwt,ascl,naht", datetime.date(2025, 6, 23), "23 June 2025", "other",
     "The four general secretaries write jointly, asking for the new inspections to be delayed.",
     "Schools Week, June 2025", ""),
    ("ASCL and NAHT", "ascl,naht", datetime.date(2025, 6, 24), "June 2025", "considering",
     "Write to the Education Secretary and the Chief Inspector: unless the timetable and the five-point scale both "
     "change, they will consider encouraging members to withdraw as Ofsted Inspectors in the autumn term. ASCL's "
     "Council decided this; it would have been a first for ASCL. They ask for a delay to September 2026.",
     "Schools Week, June 2025; ASCL", "https://www.ascl.org.uk/"),
    ("Ofsted", "", datetime.date(2025, 6, 25), "June 2025", "other",
     "Calls the threat to withdraw inspectors \u201cdisruption tactics\u201d.",
     "Schools Week, June 2025", ""),
    ("ASCL", "ascl", datetime.date(2025, 9, 1), "September 2025", "other",
     "Sets the threat to withdraw inspectors aside in favour of legal action.",
     "Schools Week, September 2025", ASCL_2025),
    ("NEU and ASCL", "neu,ascl", datetime.date(2025, 10, 24), "October 2025", "other",
     "Back NAHT's judicial review of the framework.",
     "FE Week, 24 October 2025", ""),
]

BRIEFING = """
## What we are asking

We want the normal cycle of school inspection in England to pause, at first for six to nine months,
so that what the campaign calls a "high-stakes, cliff-edged" accountability system can have a
fundamental review. Most of Ofsted's contracted inspectors come from schools:
[[figure:serving-leader-share]] of them are serving teachers or school leaders.

So we ask:

- **School leaders who are also contracted Ofsted Inspectors (OIs)** to make themselves unavailable
  for inspections, starting now and for the foreseeable future. Some have chosen to resign outright.
- **Headteachers, governors, trustees and trust leaders** to stop supporting staff requests for time
  away from school to inspect, and new applications to become inspectors.

## How inspection works now

Since November 2025, school inspections have been led by His Majesty's Inspectors (HMIs), or by OIs
with recent HMI experience; serving OIs take part as team inspectors (Ofsted's announcement of the
renewed framework). Standing down today means stepping out of those teams. Ofsted said in June 2025
that [[figure:waiting-list-2025]] school leaders were on its waiting list to train as inspectors. Our
ask of heads and boards covers new applications to become inspectors as well as release time.

## Why

- England needs a regulator that sets a minimum standard and helps every school to reach it.
- Inspection is overused as a blunt instrument. The evidence for its reliability is weak, inspection
  teams vary, and judgements follow a school's socio-economic intake more closely than how effective
  it is.
- School budgets differ widely, and judgements give that little weight.
- Performance tables are neither put in context nor comparative.
- The regulator needs a wider set of tools. Safeguarding would be better checked by a regular audit
  reported to governors, which would also help to tackle off-rolling, than by inspection.
- Regulation should work alongside school improvement. Workload driven by surveillance harms the
  recruitment and retention of teachers; peer review with external quality assurance, possibly
  overseen by HMI, should play a major part.
- Schools in the most challenging areas need joined-up action on poverty, health, housing and local
  services, not more inspection.
- Complaints about Ofsted need an independent hearing, with the report left unpublished while the
  complaint is heard.

## Four actions, each with a time frame

1. **Within two weeks:** write to your union or professional association asking it to back the pause
   and a fundamental review of accountability.
2. **Within a month:** get in touch with two or three members of headteacher or governor groups in
   your region and pass on the campaign's discussion paper.
3. **Within the next half term:** put #PauseOfsted on the agenda of a meeting of a local association
   or group, and commit to backing a fundamental review.
4. **Within the next term:** agree with your governors and trust directors to stop supporting staff
   requests for time away from school to inspect, and new applications to become inspectors.

Signing a pledge on this site is a start. We will remind you of each step, and you can tell us when
it is done.

## What a pause would allow

Time to agree what schools should answer for and how: a minimum standard that every school can be
helped to reach, a regulator with more tools than inspection, audit where audit does the job better,
peer review that is quality-assured from outside, and joined-up help for schools in the most
challenging areas. The campaign is not against regulation: it says that England does need one.
"""

FAQ_TEAMS = (
    "From November\n2025, inspections are led by HMIs, with serving OIs as team inspectors: your availability still\n"
    "decides whether teams can be made up.",
    "Since November\n2025, inspections have been led by HMIs, or by OIs with recent HMI experience, and serving OIs\n"
    "take part as team inspectors (Ofsted's announcement of the renewed framework). Standing down means\n"
    "stepping out of those teams.",
)

OPEN_LETTER = """
*In February 2020 Stephen Tierney, chair of the Headteachers' Roundtable, wrote to every headteacher
in England with the backing of the National Education Union. What follows is that letter retold in
our own words, not its original text. ([The Roundtable's briefing page]({roundtable}); Schools Week,
February 2020.)*

Dear colleague,

We are not arguing against regulation. England does need a regulatory framework, one that sets a
minimum standard for every school.

What we are asking for is a pause in the normal cycle of school inspection, at first for six to nine
months, so that England's accountability system, which the campaign calls "high-stakes, cliff-edged",
can be fundamentally reviewed.

If you work in a school and are also employed as an Ofsted Inspector, please make yourself
unavailable for inspections, from today and for the foreseeable future. Some colleagues have
already resigned.

We are asking every school leader to act too, in four steps:

1. **Within two weeks:** write to your union or professional association and ask it to support the
   pause and a fundamental review of accountability.
2. **Within a month:** talk to two or three members of headteacher or governor groups in your
   region, and send them the campaign's discussion paper.
3. **Within the next half term:** ask for #PauseOfsted to be discussed at a meeting of a local
   association or group, and commit yourself to a fundamental review.
4. **Within the next term:** work with your governors and trust directors so that your school stops
   supporting staff requests for time away to inspect, and new applications to become inspectors.

The campaign calls this a "quiet revolution".

With best wishes,

Stephen Tierney, Chair, Headteachers' Roundtable, with the backing of the National Education Union

### What changed in 2025

Ofsted planned report cards grading schools on a five-point scale across up to 11 areas, with new
inspections from November 2025. On 23 June 2025 the general secretaries of the NEU, NASUWT, ASCL and
NAHT asked jointly for the new inspections to be delayed. ASCL and NAHT then told the Education
Secretary and the Chief Inspector that, unless both the timetable and the five-point scale changed,
they would consider encouraging members to withdraw as inspectors in the autumn term; Ofsted called
this "disruption tactics" (Schools Week, June 2025). In September 2025 ASCL set that aside in favour
of legal action ([Schools Week]({ascl})). Since November 2025, inspections have been led by His
Majesty's Inspectors, or by Ofsted Inspectors with recent HMI experience, with serving inspectors
taking part as team members (Ofsted's announcement of the renewed framework). Where each union
stands now is on [the unions page](/unions/).
""".format(roundtable=ROUNDTABLE, ascl=ASCL_2025)

OPEN_LETTER_SUMMARY = (
    "The letter the Headteachers' Roundtable's chair sent to every headteacher in England in February 2020, "
    "retold in our own words, with what changed in 2025."
)

ABOUT = """
## Who started it, and why

The #PauseOfsted campaign was launched by the Headteachers' Roundtable, a think tank of serving
school leaders. Its chair, Stephen Tierney, announced it at the group's annual summit on 7 February
2020, and wrote to every headteacher in England. The campaign describes itself as a "quiet
revolution". It asks school leaders who also inspect to step back, and schools to stop releasing
staff to inspect, until England's accountability system has had a fundamental review.
([The Roundtable's briefing page]({roundtable}); Schools Week, February 2020.)

## Who backed it in 2020, and who did not

The National Education Union backed it ([NEU, February 2020]({neu})). ASCL declined to (Schools Week,
February 2020). NAHT put inspection on its executive's agenda without taking a position, and NASUWT
did not support it. Each position, with its source, is on the [unions page](/unions/).

## Since then

- **December 2021:** the NEU and NASUWT asked for inspections to be paused until February 2022
  ([NEU]({neu2021})).
- **2023:** NAHT's executive agreed a call to members about withdrawing as inspectors (as Schools Week
  recalled in June 2025).
- **2025:** Ofsted planned report cards with a five-point scale. The four general secretaries asked
  for the new inspections to be delayed; ASCL and NAHT said they would consider encouraging members
  to withdraw as inspectors unless the timetable and the scale both changed (Schools Week, June 2025).
  In September ASCL set that aside in favour of legal action ([Schools Week]({ascl})). NAHT had filed
  for a judicial review of the framework in May, and the NEU and ASCL backed it in October (FE Week,
  24 October 2025).

## Who runs this site

[[controller]]
""".format(roundtable=ROUNDTABLE, neu=NEU_2020, neu2021=NEU_2021, ascl=ASCL_2025)

UNIONS = """
Where the unions and professional associations have stood, with the date and the source of each.
Staff keep this list up to date in the admin; every row below comes from it.

[[positions]]

Each entry is the organisation's position as reported at the time. A union that said it would
*consider* an action is shown as considering it, not as having taken it.
"""


def seeded_summary(slug: str, seeded) -> str:
    return next(summary for page_slug, _, summary, *_ in seeded.PAGES if page_slug == slug)


def update(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lead, _ = Group.objects.get_or_create(name="Campaign lead")
    codes = [f"{action}_position" for action in ("add", "change", "view", "delete")]
    lead.permissions.add(*Permission.objects.filter(content_type__app_label="briefings", codename__in=codes))

    Figure = apps.get_model("briefings", "Figure")
    Page = apps.get_model("briefings", "Page")
    Position = apps.get_model("briefings", "Position")
    seeded = importlib.import_module("briefings.migrations.0002_initial_content")

    for key, (old, new, url, as_of) in FIGURE_SOURCES.items():
        Figure.objects.filter(key=key, source=old).update(source=new, source_url=url, as_of=as_of)

    if not Position.objects.exists():
        for organisation, union, date, label, stance, summary, source, url in POSITIONS:
            Position.objects.create(
                organisation=organisation, union=union, date=date, date_label=label, stance=stance,
                summary=summary, source=source, source_url=url,
            )  # fmt: skip

    Revision = apps.get_model("briefings", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type, _ = ContentType.objects.get_or_create(app_label="briefings", model="page")

    def keep_revision(page) -> None:
        data = {"title": page.title, "summary": page.summary, "body": page.body, "status": page.status,
                "slug": page.slug, "publish_at": page.publish_at.isoformat(), "nav_position": page.nav_position,
                "show_sign_button": page.show_sign_button}  # fmt: skip
        Revision.objects.create(content_type=page_type, object_id=page.pk, data=data, note="the campaign's own story")

    def replace(slug: str, old_body: str, new_body: str) -> None:
        page = Page.objects.filter(slug=slug, body=old_body.strip()).first()
        if page:
            page.body = new_body.strip()
            page.save(update_fields=["body"])
            keep_revision(page)

    letter = Page.objects.filter(slug="open-letter").first()
    if letter:
        letter.show_sign_button = True
        fields = ["show_sign_button"]
        if letter.summary == seeded_summary("open-letter", seeded):
            letter.summary = OPEN_LETTER_SUMMARY
            fields.append("summary")
        letter.save(update_fields=fields)
    replace("open-letter", seeded.OPEN_LETTER, OPEN_LETTER)
    replace("unions", seeded.UNIONS, UNIONS)
    replace("briefing", seeded.BRIEFING, BRIEFING)
    replace("faq", seeded.FAQ, seeded.FAQ.replace(*FAQ_TEAMS))
    about, created = Page.objects.get_or_create(
        slug="about",
        defaults={
            "title": "About the campaign",
            "summary": "Who started #PauseOfsted, when and why, who backed it, what has happened since, and who runs this site.",
            "body": ABOUT.strip(),
            "status": "published",
            "nav_position": 0,
            "show_sign_button": True,
        },
    )
    if created:
        keep_revision(about)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0005_content_history")]
    operations = [
        migrations.AlterField(
            model_name="position",
            name="union",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The codes of the unions this is about, as on the sign form (neu, naht, ascl, nasuwt), "
                    "separated by commas: 'neu,nasuwt' for a joint statement. Leave empty for anyone else."
                ),
                max_length=60,
                validators=[briefings.models.validate_union_codes],
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="show_sign_button",
            field=models.BooleanField(
                default=False, help_text="End the page with a 'Sign a pledge' button, as the open letter does."
            ),
        ),
        migrations.RunPython(update, migrations.RunPython.noop),
    ]
