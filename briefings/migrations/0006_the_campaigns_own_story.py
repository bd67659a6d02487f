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
ASCL_SITE = "https://www.ascl.org.uk/"

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
    ("NEU", "neu", datetime.date(2020, 2, 10), "2020", "backs",
     "Its Leadership Council backs the campaign and advises members who are Ofsted Inspectors to stop working "
     "for Ofsted. It points to four inspection frameworks in five years and to grades biased against schools in "
     "deprived areas.",
     "NEU press release, 2020", NEU_2020),
    ("ASCL", "ascl", datetime.date(2020, 2, 11), "February 2020", "declines",
     "Advising members on their professional decisions is not its role, it says, and it is not convinced "
     "this is the best route, though it shares concerns about blunt judgements.",
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
     "Press coverage, June 2025", ""),
    ("ASCL and NAHT", "ascl,naht", datetime.date(2025, 6, 24), "June 2025", "considering",
     "Write to the Education Secretary and the Chief Inspector: unless the timetable and the five-point scale both "
     "change, they will consider encouraging members to withdraw as Ofsted Inspectors in the autumn term. ASCL's "
     "Council decided this; it would have been a first for ASCL. They ask for a delay to September 2026.",
     "Schools Week, June 2025; ASCL", ASCL_SITE),
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

We want the routine round of school inspections in England to stop for a while, six to nine months
to begin with, so that what the campaign calls a "high-stakes, cliff-edged" accountability system
can be fundamentally reviewed. Most of Ofsted's contracted inspectors come from schools:
[[figure:serving-leader-share]] of them are serving teachers or school leaders.

So we ask:

- **School leaders who also hold contracts as Ofsted Inspectors (OIs)** to tell Ofsted they are not
  available to inspect, starting now and with no end date set. Some have gone further and resigned.
- **Headteachers, governors, trustees and trust leaders** to stop agreeing to staff spending school
  time on inspections, and to stop backing staff who apply to become inspectors.

## How inspection works now

Since November 2025, HMIs (or OIs with recent HMI experience) have led school inspections, and
serving OIs take part as members of the team (Ofsted's announcement of the renewed framework).
Standing down today means stepping out of those teams. In June 2025 Ofsted said that
[[figure:waiting-list-2025]] school leaders were queuing to train as inspectors. Our ask of heads and
boards covers applications to train, not only time away from school.

## Why

- A regulator should set a floor that every school must reach, and help schools to get there.
- Inspection is leaned on too hard, as a blunt tool. There is little evidence that it is reliable,
  one team can judge differently from another, and grades follow the socio-economic make-up of a
  school's pupils more closely than how effective the school is.
- Schools are funded very unevenly, and grades barely reflect it.
- Performance tables are neither set in context nor comparative.
- The regulator needs more than one tool. A regular safeguarding audit, reported to governors,
  would do that job better than an inspection visit, and would help to tackle off-rolling too.
- Regulation and school improvement should pull in the same direction. Workload driven by
  surveillance makes teachers harder to recruit and to keep; peer review, quality-assured from
  outside and perhaps overseen by HMI, should carry much of the weight.
- Where schools face the toughest circumstances, what helps is co-ordinated action on poverty,
  health, housing and local services, rather than extra inspection.
- A complaint about an inspection should be heard independently, and the report should stay
  unpublished until it has been.

## Four actions, each with a time frame

1. **Within two weeks:** ask your union or professional association, in writing, to support the
   pause and a fundamental review of accountability.
2. **Within a month:** share the campaign's discussion paper with two or three people you know in
   headteacher or governor groups in your region.
3. **Within the next half term:** ask a local association or group to discuss #PauseOfsted at one
   of its meetings, and commit yourself to supporting a fundamental review.
4. **Within the next term:** agree with your governors and trust directors that the school will no
   longer support staff requests to inspect in school time, or applications to join Ofsted's pool
   of inspectors.

Signing a pledge on this site is a start. We will remind you of each step, and you can tell us when
it is done.

## What the campaign wants instead

The campaign is not against regulation. It wants a regulator that fixes a minimum standard and helps
schools to meet it, audit where audit does the job better than inspection, a real part for peer
review, and joined-up help for schools in the hardest circumstances.
"""

FAQ_CHANGES = [
    (
        """It means telling Ofsted (or the contractor you work through) that you are not available for
inspections for the foreseeable future, and turning down inspections you are offered. Some inspectors
have chosen to resign their contract. The pledge asks you to say which you have done. From November
2025, inspections are led by HMIs, with serving OIs as team inspectors: your availability still
decides whether teams can be made up.""",
        """It means telling Ofsted that you are not available for inspections for the foreseeable
future, and saying no to inspections you are offered. Some inspectors have resigned their contracts
instead. The pledge asks which you have done. Since November 2025, inspections have been led by
HMIs, or by OIs with recent HMI experience, and serving OIs take part as team inspectors (Ofsted's
announcement of the renewed framework). Standing down means stepping out of those teams.""",
    ),
    (
        """Not supporting applications from your staff to spend time away from school inspecting, or to train as
inspectors, until the accountability system has been fundamentally reviewed. Agree it with your board
so that it is a decision of the school or trust, not of one person.""",
        """Not supporting requests from your staff to spend school time inspecting, or applications to train
as inspectors. The campaign asks heads to agree this with their governors and trust directors.""",
    ),
    (
        """## Is this against inspectors?

No. It is a request, made by people who make the system work, for time to rebuild it properly.""",
        """## Is the campaign against regulation?

No. It says England does need a regulator that sets a minimum standard. It wants the accountability
system fundamentally reviewed, with routine inspection paused while that happens.""",
    ),
]

OPEN_LETTER = """
*In February 2020 Stephen Tierney, who chairs the Headteachers' Roundtable, sent a letter to every
headteacher in England, backed by the National Education Union ([NEU]({neu})). Below is that letter
retold in our own words; it is not the original text. ([The Roundtable's briefing page]({roundtable});
Schools Week, February 2020.)*

Dear colleague,

We are not arguing against regulation. England does need a regulatory framework: one that fixes a
minimum standard for every school.

What we want is for the usual cycle of inspections to stop for a time, six to nine months to start
with, while the accountability system, which the campaign calls "high-stakes, cliff-edged", has a
fundamental review.

If you work in a school and also hold a contract as an Ofsted Inspector, please tell Ofsted that you
are unavailable to inspect, from today and with no end date set. Some colleagues have already
resigned.

We are asking every school leader to act too, in four steps:

1. **Within two weeks:** ask your union or professional association, in a letter, to support the
   pause and a fundamental review.
2. **Within a month:** send the campaign's discussion paper to two or three people in headteacher or
   governor groups near you.
3. **Within the next half term:** ask a local association or group to discuss #PauseOfsted at one of
   its meetings, and commit yourself to a fundamental review.
4. **Within the next term:** work with your governors and trust directors so that your school stops
   backing staff requests for time away to inspect, and applications to become inspectors.

The campaign calls this a "quiet revolution".

With best wishes,

Stephen Tierney, Chair, Headteachers' Roundtable, with the backing of the National Education Union

## What changed in 2025

In 2025 Ofsted set out plans for report cards, grading schools in up to 11 areas on a five-point
scale, with the new inspections due to begin in November 2025. On 23 June 2025 the leaders of all
four unions (NEU, NASUWT, ASCL and NAHT) wrote together asking for a delay (press coverage, June
2025). ASCL and NAHT then told the Education Secretary and the Chief Inspector that if the timetable
and the five-point scale did not both change, they would consider encouraging their members to step
down as inspectors in the autumn term; Ofsted described this as "disruption tactics" (Schools Week,
June 2025; [ASCL]({ascl_site})). In September 2025 ASCL set that aside and looked to legal action
instead ([Schools Week]({ascl})). Since November 2025, His Majesty's Inspectors, or Ofsted
Inspectors with recent HMI experience, have led inspections, with serving inspectors taking part as
team members (Ofsted's announcement of the renewed framework). Where each union stands now is on
[the unions page](/unions/).
""".format(roundtable=ROUNDTABLE, neu=NEU_2020, ascl=ASCL_2025, ascl_site=ASCL_SITE)

OPEN_LETTER_SUMMARY = (
    "The letter the Headteachers' Roundtable's chair sent to every headteacher in England in February 2020, "
    "retold in our own words, with what changed in 2025."
)

ABOUT = """
## Who started it, and why

The Headteachers' Roundtable, a think tank made up of serving school leaders, launched the
#PauseOfsted campaign. Stephen Tierney, its chair, announced it on 7 February 2020 at the
Roundtable's annual summit, and wrote to every headteacher in England. The campaign describes
itself as a "quiet revolution". It asks school leaders who also inspect to step back, and schools to
stop releasing staff to inspect, so that England's accountability system can have a fundamental
review. ([The Roundtable's briefing page]({roundtable}); Schools Week, February 2020.)

## Who backed it in 2020, and who did not

The National Education Union backed it ([NEU, 2020]({neu})). ASCL declined to (Schools Week,
February 2020). NAHT put inspection on its executive's agenda without taking a position, and NASUWT
did not support it. The [unions page](/unions/) has each position and its source.

## Since then

- **December 2021:** the NEU and NASUWT called for a pause in inspections until February 2022
  ([NEU]({neu2021})).
- **2023:** NAHT's executive agreed a call to members about withdrawing as inspectors (as Schools Week
  recalled in June 2025).
- **2025:** Ofsted planned report cards with a five-point scale. The four general secretaries asked
  for the new inspections to be put back; ASCL and NAHT said they would consider encouraging members
  to withdraw as inspectors unless both the timetable and the scale changed (Schools Week, June 2025;
  [ASCL]({ascl_site})). In September ASCL dropped that idea in favour of legal action
  ([Schools Week]({ascl})). NAHT had applied in May for a judicial review of the framework, and in
  October the NEU and ASCL gave that challenge their support (FE Week, 24 October 2025).

## Who runs this site

[[controller]]
""".format(roundtable=ROUNDTABLE, neu=NEU_2020, neu2021=NEU_2021, ascl=ASCL_2025, ascl_site=ASCL_SITE)

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
    faq = seeded.FAQ
    for before, after in FAQ_CHANGES:
        faq = faq.replace(before, after)
    replace("faq", seeded.FAQ, faq)
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
