"""The campaign's own story, sourced: its letter retold, an about page, dated union positions,
and every figure crediting who said it.

Written in our own words from the campaign's facts. As before, a page, figure or position that
staff have changed is never overwritten: pages are replaced only while they still hold the text
first seeded, and figures only while they still hold their first source.
"""

import datetime
import importlib

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    ("Headteachers' Roundtable", "", datetime.date(2020, 2, 7), "7 February 2020", "backs",
     "Launches #PauseOfsted at its annual summit; its chair, Stephen Tierney, writes to every headteacher in England.",
     "Headteachers' Roundtable briefing page; Schools Week, February 2020", ROUNDTABLE),
    ("NEU", "neu", datetime.date(2020, 2, 10), "February 2020", "backs",
     "Its Leadership Council backs the campaign and advises members who are Ofsted Inspectors to stop inspecting, "
     "pointing to four frameworks in five years and grades that weigh against schools in deprived areas.",
     "NEU press release, February 2020", NEU_2020),
    ("ASCL", "ascl", datetime.date(2020, 2, 11), "February 2020", "declines",
     "Declines to back it: advising members on professional decisions is not its role, and it is not convinced "
     "this is the best route, though it shares concerns about blunt judgements.",
     "Schools Week, February 2020", ""),
    ("NAHT", "naht", datetime.date(2020, 2, 12), "February 2020", "no_position",
     "Puts inspection on its national executive's agenda for March 2020, without taking a position.",
     "Schools Week's coverage of the launch, February 2020", ""),
    ("NASUWT", "nasuwt", datetime.date(2020, 2, 13), "February 2020", "declines",
     "Does not support it, saying the revised framework has dealt with teachers' concerns.",
     "Schools Week's coverage of the launch, February 2020", ""),
    ("NEU and NASUWT", "", datetime.date(2021, 12, 1), "December 2021", "other",
     "Ask for inspections to be paused until February 2022.",
     "NEU, December 2021", NEU_2021),
    ("NAHT", "naht", datetime.date(2023, 6, 1), "2023", "considering",
     "Its executive agrees a call about members withdrawing as inspectors.",
     "Schools Week, June 2025 (looking back)", ""),
    ("NAHT", "naht", datetime.date(2025, 6, 20), "20 June 2025", "considering",
     "Its executive resolves that, unless the timetable and the five-point scale of the new report cards change, "
     "it will consider encouraging members to withdraw as inspectors in the autumn term.",
     "Schools Week, June 2025", ""),
    ("ASCL", "ascl", datetime.date(2025, 6, 21), "June 2025", "considering",
     "Its Council decides the same, a first for ASCL: with NAHT it writes to the Education Secretary and the Chief "
     "Inspector asking for a delay to September 2026, and says it could accept three grades per area.",
     "Schools Week, June 2025; ASCL", "https://www.ascl.org.uk/"),
    ("NEU, NASUWT, ASCL and NAHT", "", datetime.date(2025, 6, 23), "23 June 2025", "other",
     "The four general secretaries write jointly asking for the new inspections to be delayed.",
     "Schools Week, June 2025", ""),
    ("Ofsted", "", datetime.date(2025, 6, 24), "June 2025", "other",
     "Calls the threat to withdraw inspectors \u201cdisruption tactics\u201d.",
     "Schools Week, June 2025", ""),
    ("NAHT", "naht", datetime.date(2025, 5, 1), "May 2025", "other",
     "Files for a judicial review of the new inspection framework.",
     "FE Week, 24 October 2025", ""),
    ("ASCL", "ascl", datetime.date(2025, 9, 1), "September 2025", "other",
     "Sets the threat to withdraw inspectors aside and considers legal action instead.",
     "Schools Week, September 2025", ASCL_2025),
    ("NEU and ASCL", "", datetime.date(2025, 10, 24), "October 2025", "other",
     "Back NAHT's judicial review of the framework.",
     "FE Week, 24 October 2025", ""),
]

OPEN_LETTER = """
*In February 2020 the chair of the Headteachers' Roundtable, Stephen Tierney, wrote to every
headteacher in England, with the backing of the National Education Union. This is that letter,
told again in our own words. ([The Roundtable's briefing page]({roundtable}); Schools Week,
February 2020.)*

Dear colleague,

England needs a regulator. Parents, pupils and staff are entitled to know that every school meets a
clear minimum standard, and schools need help to reach it. We are not asking for that to go away.

What we are asking for is time. Inspection has become a high-stakes, cliff-edged judgement that
follows a school's intake more closely than its work, and small changes to the framework have not
fixed it. We want the normal cycle of inspection paused, at first for six to nine months, while the
whole accountability system is reviewed from the ground up.

Many school leaders also work as Ofsted Inspectors. We are asking those colleagues to make
themselves unavailable for inspections, with immediate effect and for the foreseeable future. Some
have already resigned.

And we are asking every school leader to take four steps:

1. **Within two weeks:** write to your union or professional association asking it to back a pause
   and a fundamental review of accountability.
2. **Within a month:** contact two or three members of headteacher or governor groups in your region
   and share the campaign's discussion paper.
3. **Within the next half term:** put #PauseOfsted on the agenda of a local association or group
   meeting, and commit to backing a fundamental review.
4. **Within the next term:** with your governors and trust directors, agree to stop supporting staff
   applications for time away from school to inspect, and new applications to become inspectors.

This is a quiet revolution: no strike, no march, just professionals choosing, together, where they
spend their time.

With best wishes,

Stephen Tierney, Chair, Headteachers' Roundtable, with the backing of the National Education Union

### What has changed since (a note added in 2025)

In 2025 Ofsted planned report cards grading schools on a five-point scale, with new inspections from
November 2025. On 23 June 2025 the general secretaries of the NEU, NASUWT, ASCL and NAHT asked for the
new inspections to be delayed, and ASCL and NAHT said they would consider encouraging members to
withdraw as inspectors unless the timetable and the grading changed; Ofsted called this "disruption
tactics" (Schools Week, June 2025). Since November 2025, inspections are led by His Majesty's
Inspectors, or by Ofsted Inspectors with recent HMI experience, with serving inspectors joining as
team members (Ofsted). Where each union stands now is on [the unions page](/unions/).
""".format(roundtable=ROUNDTABLE)

ABOUT = """
## Who started it, and why

#PauseOfsted was launched by the Headteachers' Roundtable, a think tank of serving school leaders.
Its chair, Stephen Tierney, announced it at the group's annual summit on 7 February 2020 and wrote to
every headteacher in England. The campaign calls its approach a "quiet revolution": school leaders
who inspect step back, and schools stop releasing staff to inspect, until the accountability system
has been fundamentally reviewed. ([The Roundtable's briefing page]({roundtable}); Schools Week,
February 2020.)

## Who backed it, and who did not (2020)

The National Education Union backed it from the start ([NEU, February 2020]({neu})). ASCL declined to
back it, NAHT put inspection on its executive's agenda without taking a position, and NASUWT did not
support it (Schools Week, February 2020). The [unions page](/unions/) has each position with its source.

## 2021, 2023 and 2025

- **December 2021:** the NEU and NASUWT asked for inspections to be paused until February 2022
  ([NEU]({neu2021})).
- **2023:** NAHT's executive agreed a call about members withdrawing as inspectors (Schools Week, June
  2025).
- **2025:** Ofsted planned report cards with a five-point scale. The four general secretaries asked
  for a delay; ASCL and NAHT said they would consider encouraging members to withdraw as inspectors
  unless the timetable and the grading changed (Schools Week, June 2025). In September ASCL set that
  aside for legal action ([Schools Week]({ascl})); NAHT's judicial review of the framework was backed
  by the NEU and ASCL in October (FE Week, 24 October 2025).

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

OLD_TEAMS = (
    "Standing down still matters: teams\ncannot be made up without them.",
    "Serving inspectors still make up much of each team, so standing down\nstill matters.",
)
OLD_SHARE = (
    "Ofsted relies on serving school\nleaders to inspect: [[figure:serving-leader-share]] of its contracted inspectors work in schools.",
    "Ofsted relies on serving school\nleaders to inspect: [[figure:serving-leader-share]] of its contracted inspectors work in schools\n(as Schools Week reported Ofsted's figures).",
)
OLD_FAQ = (
    "your availability still\ndecides whether teams can be made up.",
    "serving inspectors are\nstill part of every team.",
)


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
                "slug": page.slug, "publish_at": page.publish_at.isoformat(), "nav_position": page.nav_position}  # fmt: skip
        Revision.objects.create(content_type=page_type, object_id=page.pk, data=data, note="the campaign's own story")

    def replace(slug: str, old_body: str, new_body: str) -> None:
        page = Page.objects.filter(slug=slug, body=old_body.strip()).first()
        if page:
            page.body = new_body.strip()
            page.save(update_fields=["body"])
            keep_revision(page)

    replace("open-letter", seeded.OPEN_LETTER, OPEN_LETTER)
    replace("unions", seeded.UNIONS, UNIONS)
    briefing = Page.objects.filter(slug="briefing", body=seeded.BRIEFING.strip()).first()
    if briefing:
        body = briefing.body
        for old, new in (OLD_TEAMS, OLD_SHARE):
            body = body.replace(old, new)
        briefing.body = body
        briefing.save(update_fields=["body"])
        keep_revision(briefing)
    faq = Page.objects.filter(slug="faq", body=seeded.FAQ.strip()).first()
    if faq:
        faq.body = faq.body.replace(*OLD_FAQ)
        faq.save(update_fields=["body"])
        keep_revision(faq)
    about, created = Page.objects.get_or_create(
        slug="about",
        defaults={
            "title": "About the campaign",
            "summary": "Who started #PauseOfsted, when and why, who backed it, what has happened since, and who runs this site.",
            "body": ABOUT.strip(),
            "status": "published",
            "nav_position": 0,
        },
    )
    if created:
        keep_revision(about)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0005_content_history")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
