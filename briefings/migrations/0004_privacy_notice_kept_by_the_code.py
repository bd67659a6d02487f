"""The privacy notice and accessibility statement name the controller and show the retention
periods from settings ([[controller]], [[retention]]), and say what the code now does.

Only pages still as first seeded are replaced: a page staff have edited is left alone
(staff add the two blocks themselves).
"""

import importlib

from django.db import migrations

PRIVACY = """
## Who we are

The data controller for this site is named below. Write to them about anything to do with your data.

[[controller]]

## What we collect

- When you sign: your name, email address, role, school (if you give it; we then take its local
  authority and region from the public schools register), your region, how you want to appear, whether
  you have stood down as an Ofsted Inspector (for that pledge), the version of this notice you agreed
  to, and the times you signed and confirmed.
- Your union or professional association, **only** if you tick its own separate box.
- A keyed hash of your IP address and network, to find bulk fake signing. We never store the address
  itself, and our web server logs leave it out too.
- If you sign in: your account, its email address, and the sign-in methods you use.
- If you invite colleagues: their addresses only until the invitation is sent, then only a keyed hash,
  so that nobody can invite them twice.

## Why, and our lawful basis

Your support for the campaign, and your union membership if you give it, are special category data
under UK GDPR. We process them only with your **explicit consent** (Article 9(2)(a)), given by ticking
boxes that are never ticked for you; your union has a consent of its own. Our lawful basis for the
rest is your consent (Article 6(1)(a)), with our legitimate interest in keeping the counts honest
(Article 6(1)(f)) for the fraud checks.

We use your data to count your signature; to show your name (and school, if you choose) on the public
list after staff have checked it; to email you to confirm, to remind you of the campaign's actions and
to send updates, each of which you can stop; and to find fraudulent signatures. We use your union only
for the public report of support by union, which shows totals and never a number small enough to point
to one person.

Only campaign leads can see email addresses, unions and why people withdrew; moderators see names,
roles and schools. No public count, table, map, chart or open data file shows a number of people or
schools below the disclosure threshold.

## How long we keep it

[[retention]]

## Your rights

Sign in with a code sent to your email, then use **My pledges** and **My data** to:

- see and download everything we hold about you, including what staff have recorded;
- correct your name, role, school or region;
- withdraw your consent to us keeping your union (we delete it at once);
- choose which emails you get;
- withdraw a signature, or erase all your data.

Withdrawing consent does not affect what we did before. You can also complain to the Information
Commissioner's Office.
"""

ACCESSIBILITY_CONTACT = (
    "tell us and we will fix it: contact us at the address given on this site.",
    "tell us and we will fix it:\n\n[[controller]]",
)


def update(apps, schema_editor):
    Page = apps.get_model("briefings", "Page")
    seeded = importlib.import_module("briefings.migrations.0002_initial_content")
    privacy = Page.objects.filter(slug="privacy", body=seeded.PRIVACY.strip()).first()
    if privacy:
        privacy.body = PRIVACY.strip()
        privacy.save(update_fields=["body"])
    accessibility = Page.objects.filter(slug="accessibility", body=seeded.ACCESSIBILITY.strip()).first()
    if accessibility:
        accessibility.body = accessibility.body.replace(*ACCESSIBILITY_CONTACT)
        accessibility.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("briefings", "0003_campaign_lead_edits_content")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
