"""The site's first content, in our own words from the campaign facts.

Only ever creates: a page or figure that exists (because staff made or edited it)
is never touched, so running this again, or later migrations, cannot undo edits.
"""

from django.db import migrations
from django.utils import timezone

FIGURES = [
    {
        "key": "school-ois-2022",
        "label": "contracted school Ofsted Inspectors",
        "value": "about 1,170",
        "number": 1170,
        "source": "Ofsted figures reported by Schools Week",
        "as_of": "January 2022",
    },
    {
        "key": "serving-leader-ois-2022",
        "label": "contracted school OIs who were serving heads or senior leaders",
        "value": "about 800",
        "number": 800,
        "source": "Ofsted figures reported by Schools Week",
        "as_of": "January 2022",
    },
    {
        "key": "serving-leader-share",
        "label": "share of contracted inspectors who are serving teachers or school leaders",
        "value": "just over two-thirds",
        "source": "Ofsted, as reported in 2025",
        "as_of": "2025",
    },
    {
        "key": "school-hmis-2022",
        "label": "school HMIs",
        "value": "185",
        "number": 185,
        "source": "Ofsted figures reported by Schools Week",
        "as_of": "January 2022",
    },
    {
        "key": "ois-2023",
        "label": "Ofsted Inspectors",
        "value": "about 900",
        "number": 900,
        "source": "Schools Week",
        "as_of": "late 2023",
    },
    {
        "key": "hmis-2023",
        "label": "full-time school HMIs",
        "value": "about 300",
        "number": 300,
        "source": "Schools Week",
        "as_of": "late 2023",
    },
    {
        "key": "waiting-list-2025",
        "label": "school leaders on Ofsted's waiting list to train as inspectors",
        "value": "more than 2,000",
        "number": 2000,
        "source": "Ofsted, as reported in 2025",
        "as_of": "2025",
    },
    {
        "key": "schools-england",
        "label": "schools in England",
        "value": "about 24,450",
        "number": 24450,
        "source": "Department for Education statistics",
        "as_of": "2023/24",
        "show_on_counts": True,
    },
    {
        "key": "state-funded-schools",
        "label": "state-funded schools in England",
        "value": "about 22,000",
        "number": 22000,
        "source": "Department for Education statistics",
        "as_of": "2023/24",
        "show_on_counts": True,
    },
]

BRIEFING = """
## What we are asking

We want routine school inspection in England to pause, at first for six to nine months, so that the
whole accountability system can be looked at again from the ground up. Ofsted relies on serving school
leaders to inspect: [[figure:serving-leader-share]] of its contracted inspectors work in schools. If
those leaders step back, the normal cycle of inspection cannot carry on as before. That is the lever.

So we ask:

- **School leaders who are also contracted Ofsted Inspectors (OIs)** to make themselves unavailable
  for inspections from now on, for the foreseeable future. Some have chosen to resign outright.
- **Headteachers, governors, trustees and trust leaders** to stop supporting staff applications for
  time out of school to inspect, and new applications to train as inspectors.

Since November 2025, school inspections are led by His Majesty's Inspectors (HMIs), or by OIs with
recent HMI experience, with serving OIs joining as team inspectors. Standing down still matters: teams
cannot be made up without them. Ofsted has said that [[figure:waiting-list-2025]] school leaders are waiting
to train as inspectors, which is why asking heads and boards not to release staff is part of the ask.

## Why

- England needs a regulator that sets a clear minimum standard and helps every school to reach it.
- Inspection is used as a blunt instrument. Its reliability is weakly evidenced, teams differ, and
  grades follow a school's intake more closely than the quality of its work.
- School budgets vary widely, and judgements take little account of it.
- Performance tables are neither put in context nor comparable.
- The regulator needs better tools. Safeguarding would be better checked by a regular audit reported
  to governors (which would also help to tackle off-rolling) than by an inspection visit.
- Regulation should work with school improvement. Workload driven by surveillance harms recruitment
  and retention; peer review with external quality assurance, perhaps overseen by HMI, should play a
  large part.
- Schools in the hardest places need joined-up action on poverty, health, housing and local services,
  not more inspection.
- Complaints about inspections need an independent hearing, with the report held back while a
  complaint is heard.

## Four actions, each with a time frame

1. **Within two weeks:** write to your union or professional association asking it to back a pause
   and a fundamental review of accountability.
2. **Within a month:** contact two or three people in headteacher or governor groups in your region
   and share the campaign's discussion paper.
3. **Within the next half term:** put #PauseOfsted on the agenda of a local association or group
   meeting and commit to backing a fundamental review.
4. **Within the next term:** agree with your governors or trust directors to stop supporting staff
   applications to inspect, or to become inspectors.

Signing a pledge on this site is the start. We will remind you of each step, and you can tell us when
it is done.

## What a pause would allow

A pause gives time to agree what schools should be held to account for and how: a minimum standard
that is clear and fair, a regulator that helps schools meet it, audit where audit works better than
inspection, and support for the schools serving the most disadvantaged communities. It is not a pause
in accountability; it is the chance to build a better kind.
"""

OPEN_LETTER = """
Dear colleague,

Many of us have spent years inside the inspection system: as leaders of inspected schools and, for a
good number of us, as Ofsted Inspectors ourselves. We have seen what it does well. We have also seen
how a single word, reached in a day or two, can follow a school and its community for years, and how
closely those words follow the intake of a school rather than the work of its staff.

We do not believe that more adjustments to the framework will fix this. England needs a fundamental
review of school accountability, and a pause in routine inspection while that happens. Ofsted depends
on people like us to inspect. If we step back together, the pause can happen.

We are asking you to do three things:

- **If you are a contracted Ofsted Inspector,** make yourself unavailable for inspections until the
  review has happened. You do not have to resign; some will.
- **If you lead a school or trust, or govern one,** stop supporting applications from staff to inspect
  or to train as inspectors.
- **Whoever you are,** tell your union or professional association that you want it to support a pause
  and a fundamental review, and talk to two or three colleagues about it this month.

None of this is a protest against the people who work for Ofsted. It is a request, from those who
make the system run, for the time to make it better.

Please add your name. You choose whether it is shown; either way, you will be counted.

With best wishes,

Serving school leaders behind #PauseOfsted

[Sign a pledge](/sign/)
"""

UNIONS = """
The positions of the main unions and professional associations, as reported at the time. Each entry
says where it comes from; staff update this page as positions change.

| When | Who | Position | Source |
| --- | --- | --- | --- |
| February 2020 | Headteachers' Roundtable | Launches #PauseOfsted at its annual summit; its chair, Stephen Tierney, writes to every headteacher in England. | Headteachers' Roundtable, February 2020 |
| February 2020 | NEU | Its Leadership Council backs the campaign and advises members who are OIs to stop working for Ofsted, pointing to four frameworks in five years and grades that weigh against schools in deprived areas. | NEU statement (joint general secretaries Mary Bousted and Kevin Courtney), February 2020, as reported in the education press |
| February 2020 | ASCL | Declines to back it: not its role to advise members on professional decisions, and not convinced it is the best route, though it shares concerns about blunt judgements. | ASCL (general secretary Geoff Barton), February 2020, as reported in the education press |
| February 2020 | NAHT | Puts inspection on its national executive's agenda for March 2020, without taking a position. | NAHT (general secretary Paul Whiteman), February 2020, as reported in the education press |
| February 2020 | NASUWT | Does not support it, saying the revised framework addresses teachers' concerns. | NASUWT (acting general secretary Chris Keates), February 2020, as reported in the education press |
| 2023 | NAHT | Its executive agrees a call for members to withdraw as OIs. | NAHT, 2023, as reported in 2025 |
| 2025 | ASCL and NAHT | Write to the Education Secretary and His Majesty's Chief Inspector: unless the timetable and the five-point scale of the proposed report cards change, they will consider encouraging members to withdraw as OIs in the autumn term (a first for ASCL). They ask for a delay to September 2026 and say they could accept three grades per area with exemplary practice described in words; their first preference is met / not met against statutory standards. | Letter from ASCL (Pepe Di'Iasio) and NAHT (Paul Whiteman), 2025, as reported in the education press |
| 20 June 2025 | NAHT | Its executive resolves again to back withdrawal. | NAHT, June 2025 |
| September 2025 | ASCL | Sets the withdrawal threat aside in favour of legal action. | ASCL, September 2025, as reported in the education press |
| 2025 | NAHT, NEU, ASCL | NAHT seeks a judicial review of the new framework, later backed by the NEU and ASCL. | NAHT, 2025, as reported in the education press |

Ofsted's response in 2020 was that inspections are trusted and valued by parents; it later said that
few inspectors had quit. No OI was reported to have formally resigned at first, though one trust
leader said all five inspectors in their trust had withdrawn.
"""

FAQ = """
## I am an Ofsted Inspector. What does standing down mean in practice?

It means telling Ofsted (or the contractor you work through) that you are not available for
inspections for the foreseeable future, and turning down inspections you are offered. Some inspectors
have chosen to resign their contract. The pledge asks you to say which you have done. From November
2025, inspections are led by HMIs, with serving OIs as team inspectors: your availability still
decides whether teams can be made up.

## Will this affect my contract or my job?

We cannot tell you. **The campaign gives no legal or employment advice.** Read your contract and talk
to your union or professional association before you act.

## I am a head, governor or trustee. What does refusing release time mean?

Not supporting applications from your staff to spend time away from school inspecting, or to train as
inspectors, until the accountability system has been fundamentally reviewed. Agree it with your board
so that it is a decision of the school or trust, not of one person.

## Is this against inspectors?

No. It is a request, made by people who make the system work, for time to rebuild it properly.

## What happens to my data?

We use your name, email address, role, school and region to count and, only if you choose, show your
support; to email you about the campaign; and to check that signatures are real. Your email address is
never published or shared. Support for a campaign can reveal political opinions, and union membership
is special category data, so we ask for your explicit consent to each, separately. You can change how
you appear, withdraw, download your data or erase it at any time after signing in with a code sent to
your email. The [privacy notice](/privacy/) has the detail.

## Do I need a password?

No. You sign in with a code we email to you. You can set a password if you prefer.
"""

PRIVACY = """
## Who we are

#PauseOfsted is a campaign run by serving school leaders. For this site we are the data controller.
Contact us at the address given on this site for any question about your data.

## What we collect

- When you sign: your name, email address, role, school (if you give it; we then take its local
  authority and region from the public schools register), your region, how you want to appear, whether
  you have stood down as an Ofsted Inspector (for that pledge), the version of this notice you agreed
  to, and the times you signed and confirmed.
- Your union or professional association, **only** if you tick its own separate box.
- A one-way scrambled form (a keyed hash) of your IP address, to detect abuse. We do not keep the
  address itself.
- If you sign in: your account and its email address, and the sign-in methods you choose.

## Why, and our lawful basis

Your support for the campaign, and your union membership if you give it, are special category data
under UK GDPR. We process them only with your **explicit consent** (Article 9(2)(a)), given by ticking
the boxes on the form, which are never ticked for you. Our lawful basis for the rest is also your
consent (Article 6(1)(a)), together with our legitimate interest in keeping the counts honest (Article
6(1)(f)) for the fraud checks.

We use your data to count your signature; to show your name (and school, if you choose) on the public
list after staff have checked it; to email you to confirm, to remind you of the campaign's actions and
to send updates, each of which you can stop; and to find fraudulent signatures.

We never publish or share your email address. Only a small number of campaign leads can see it.
Published counts and open data contain no personal data.

## How long we keep it

- Unconfirmed signatures: deleted 14 days after signing.
- Confirmed signatures: until the campaign ends, then deleted within six months, unless you withdraw
  or erase them sooner.
- Withdrawn signatures: kept (without being counted) so that you can sign again; erase them at any time.

## Your rights

You can see, download, correct, withdraw or erase your data yourself: sign in with a code sent to your
email and go to **My pledges** or **My data**. Withdrawing consent does not affect what we did before.
You can also complain to the Information Commissioner's Office.
"""

ACCESSIBILITY = """
We want everyone to be able to use this site. It is built to meet the Web Content Accessibility
Guidelines (WCAG) 2.2 at level AA, and follows the form patterns of the GOV.UK Design System.

## What you can do

- Use the whole site with a keyboard, a screen reader or speech recognition.
- Zoom to 400% without losing content; text reflows on narrow screens.
- Use every page without JavaScript. With JavaScript, counts update by themselves and can be paused.
- Read the regional map and charts as tables of the same numbers.

## How we test

Every public page is checked automatically with axe-core in a real browser, in each state of its forms,
and the signing form is tested with the keyboard alone. We also check pages by hand.

## Known issues

Charts are simple pictures of the numbers in the tables beside them. If you find anything hard to use,
tell us and we will fix it: contact us at the address given on this site.

This statement was prepared in November 2026.
"""

PAGES = [
    ("briefing", "The briefing", "What #PauseOfsted asks, why, the four actions and what a pause would allow.", BRIEFING, 1),
    ("open-letter", "Open letter to headteachers", "A letter from serving school leaders to every headteacher in England.", OPEN_LETTER, 2),
    ("unions", "Where the unions stand", "The positions of the unions and associations from 2020 to 2025, with sources.", UNIONS, 3),
    ("faq", "Questions and answers", "For inspectors and heads: what standing down means, and how your data is used.", FAQ, 4),
    ("privacy", "Privacy notice", "What we collect, why, how long we keep it, and your rights.", PRIVACY, 5),
    ("accessibility", "Accessibility statement", "How this site meets WCAG 2.2 AA, and how to tell us about problems.", ACCESSIBILITY, 6),
]


def seed(apps, schema_editor):
    Figure = apps.get_model("briefings", "Figure")
    Page = apps.get_model("briefings", "Page")
    NewsPost = apps.get_model("briefings", "NewsPost")
    Revision = apps.get_model("briefings", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for fields in FIGURES:
        Figure.objects.get_or_create(key=fields["key"], defaults=fields)
    page_type, _ = ContentType.objects.get_or_create(app_label="briefings", model="page")
    now = timezone.now()
    for slug, title, summary, body, position in PAGES:
        page, created = Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": body.strip(),
                "status": "published",
                "publish_at": now,
                "nav_position": position,
            },
        )
        if created:
            data = {"title": title, "summary": summary, "body": page.body, "status": "published", "slug": slug,
                    "publish_at": now.isoformat(), "nav_position": position}
            Revision.objects.create(content_type=page_type, object_id=page.pk, data=data, note="initial content")
    NewsPost.objects.get_or_create(
        slug="site-launched",
        defaults={
            "title": "The #PauseOfsted pledge site is open",
            "summary": "School leaders can now sign, confirm by email and watch the counts rise live.",
            "body": (
                "Today we open the pledge site. Sign one or more of the three pledges, confirm by email, and "
                "watch the [live counts](/counts/). Partner organisations can show the count on their own "
                "sites: each pledge's page has the code to paste."
            ),
            "status": "published",
            "publish_at": now,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("briefings", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
