from __future__ import annotations

import copy
import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from pausecampaign.ids import parse_id, parse_source
from pledges.addresses import clean_address, is_invisible
from pledges.models import BoardResolution, Pledge, Region, Role, School, Signature, Union
from pledges.schools import constituency_of_postcode, parse_postcode
from pledges.services import Signer

NAME_MAX = 100
# Real names in any script carry at most a few marks on one letter (Vietnamese two,
# Devanagari and Thai three); dozens stacked on one letter only make a name unreadable.
MAX_MARKS_PER_LETTER = 4


def clean_person_name(value: str) -> str:
    # A no-break or other space (pasted from a word processor) is a space.
    value = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)
    value = unicodedata.normalize("NFC", value.strip())
    if len(value) > NAME_MAX:
        raise ValidationError(_("Full name must be %(max)d characters or fewer"), params={"max": NAME_MAX})
    if any(is_invisible(ch) and ch != " " for ch in value):
        raise ValidationError(_("Full name must be on one line, without special or hidden characters"))
    if not unicodedata.category(value[0]).startswith("L"):
        # Also keeps spreadsheet formulas (=, +, -, @) out of every export.
        raise ValidationError(_("Full name must start with a letter"))
    if "@" in value or "://" in value or value.lower().startswith("www."):
        raise ValidationError(_("Enter your name, not an email or web address"))
    if sum(unicodedata.category(ch) in {"Lu", "Ll", "Lt", "Lo"} for ch in value) < 2:
        raise ValidationError(_("Enter your full name using letters"))
    marks = 0
    for ch in value:
        marks = marks + 1 if unicodedata.category(ch).startswith("M") else 0
        if marks > MAX_MARKS_PER_LETTER:
            raise ValidationError(_("Full name has too many accents or marks on one letter"))
    return " ".join(value.split())


class SharedFields(dict):
    """A form class's fields, shared by its instances instead of deep-copied for each one.

    Django deep-copies every field and widget into each form, so that one request's changes
    cannot reach another's. A form made on every signing need not pay for that: only the
    fields named in `per_instance` are changed after the class is made (the schools found
    for this signer), so only those are copied.
    """

    def __init__(self, fields: dict, per_instance: frozenset[str]) -> None:
        super().__init__(fields)
        self.per_instance = per_instance

    def __deepcopy__(self, memo: dict) -> dict:
        return {name: copy.deepcopy(f, memo) if name in self.per_instance else f for name, f in self.items()}


def shares_fields(*per_instance: str):
    """Class decorator: the form's instances share every field but these (see SharedFields)."""

    def decorate(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
        form_class.base_fields = SharedFields(form_class.base_fields, frozenset(per_instance))
        return form_class

    return decorate


class PledgeCheckboxes(forms.CheckboxSelectMultiple):
    """Marks the pledges that ask the inspector question, so the page reveals it (in CSS) when one is ticked."""

    def create_option(self, *args, **kwargs) -> dict:
        option = super().create_option(*args, **kwargs)
        pledge = getattr(option["value"], "instance", None)
        if pledge is not None and pledge.asks_inspector_status:
            option["attrs"]["data-asks-inspector"] = "true"
        return option


class ChoicesWhenListed(BaseChoiceIterator):
    """A widget's choices, asked of its field each time the widget lists them (lazy, as Django's own)."""

    def __init__(self, field: forms.ChoiceField) -> None:
        self.field = field

    def __iter__(self):
        return iter(self.field.choices)


class PledgeChoiceField(forms.ModelMultipleChoiceField):
    """The pledges taking signatures now: worked out when asked, so a form that is only
    validated (every signing) never builds the query, and one field serves every form."""

    @property
    def queryset(self):
        return Pledge.objects.open().filter(is_paused=False)

    @queryset.setter
    def queryset(self, value) -> None:
        # Not an iterator made now: that would hold the query, and its clock, of the moment it was made.
        self.widget.choices = ChoicesWhenListed(self)

    def label_from_instance(self, obj: Pledge) -> str:
        return obj.title

    def _check_values(self, value):
        # Refuse what cannot be a pledge id before it reaches the database, where a
        # 20-digit number overflows the column type and would be a 500.
        for item in value:
            if parse_id(item) is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        # The hot path: every choice is a pledge taking signatures now, as this process holds them.
        signable = Pledge.signable()
        chosen = [signable.get(parse_id(item)) for item in dict.fromkeys(value)]
        if chosen and None not in chosen:
            return sorted(chosen, key=lambda pledge: (pledge.position, pledge.pk))
        try:
            return super()._check_values(value)
        except ValidationError:
            # A pledge that stopped taking signatures while the form was open says so by name.
            offered = set(self.queryset.values_list("pk", flat=True))
            stopped = Pledge.objects.public().filter(pk__in={parse_id(item) for item in value} - offered).first()
            if stopped is None:
                raise
            raise ValidationError(
                _("“%(title)s” is not taking signatures at the moment."), params={"title": stopped.title}
            ) from None


class SignerDetailsForm(forms.Form):
    """Who the signer is: on the signing form, and on My details to correct it."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=10_000,  # the real limit is checked in characters by clean_person_name
        error_messages={"required": _("Enter your full name")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("What is your role?"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select your role"), "invalid_choice": _("Select your role from the list")},
    )
    school_query = forms.CharField(
        label=_("Find your school"),
        help_text=_("Search by name, town or URN. Leave blank if you do not work at a school."),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search for your school using 100 characters or fewer")},
    )
    school = forms.TypedChoiceField(
        label=_("Your school"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select your school from the search results")},
    )
    region = forms.ChoiceField(
        label=_("Your region"),
        help_text=_("If you do not work at a school. We take a school's region from the school."),
        choices=[("", _("Choose your region")), *list(Region.choices)],
        required=False,
        error_messages={"invalid_choice": _("Select your region from the list")},
    )

    postcode = forms.CharField(
        label=_("Your postcode (optional)"),
        help_text=_(
            "If you do not work at a school: we use it once, to count you in your parliamentary constituency "
            "so MPs can see support where they stand, and do not keep it."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
        error_messages={"max_length": _("Enter a real postcode, like SW1A 1AA")},
    )

    def __init__(self, *args, schools: list[School] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.schools = list(schools or [])
        self.fields["school"].choices = [(s.urn, str(s)) for s in self.schools]

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "").strip()
        if value and parse_postcode(value) is None:
            raise ValidationError(_("Enter a real postcode, like SW1A 1AA"))
        return value

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    def clean_school(self) -> School | None:
        urn = self.cleaned_data.get("school")
        if urn is None:
            return None
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise ValidationError(_("Select your school from the search results"))
        return school

    def clean(self) -> dict:
        data = super().clean()
        school = data.get("school")
        if school and not school.region and not data.get("region") and "region" not in self.errors:
            # A school outside England's regions (in Wales, say): the region must come from the signer.
            self.add_error("region", _("Your school is not in one of England's regions: select your region"))
        query = (data.get("school_query") or "").strip()
        if not school and query and len(self.schools) == 1 and not data.get("region") and "school" not in self.errors:
            # One school matches what the signer typed: that is their school, ticked or not.
            data["school"] = school = self.schools[0]
            if not school.region and not data.get("region") and "region" not in self.errors:
                self.add_error("region", _("Your school is not in one of England's regions: select your region"))
        if not school and not data.get("region") and "region" not in self.errors:
            if query and self.schools:
                self.add_error("school", _("Select your school from the search results, or clear the search"))
            elif query:
                self.add_error(
                    "school_query",
                    _("No school matches that search: check the spelling, or clear it and select your region"),
                )
            else:
                self.add_error("region", _("Select your region, or find your school"))
        return data


@shares_fields("school")
class SignForm(SignerDetailsForm):
    """The signing form. Field order is the order on the page."""

    field_order = [
        "pledges", "name", "email", "role", "school_query", "school", "region", "postcode", "inspector_status",
        "stand_down_after", "appearance", "name_after", "union_consent", "union", "consent", "website",
    ]  # fmt: skip

    pledges = PledgeChoiceField(
        queryset=None,
        widget=PledgeCheckboxes,
        label=_("Which pledges are you signing?"),
        help_text=_("Select all that apply."),
        error_messages={
            "required": _("Select at least one pledge"),
            "invalid_choice": _("Select a pledge from the list"),
            "invalid_pk_value": _("Select a pledge from the list"),
            "list": _("Select a pledge from the list"),
        },
    )
    email = forms.CharField(
        label=_("Email address"),
        help_text=_("We will email you a link to confirm your signature. We never publish your address."),
        error_messages={"required": _("Enter your email address")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    inspector_status = forms.ChoiceField(
        label=_("If you are signing the pledge to stand down as an Ofsted Inspector, what have you done?"),
        choices=[
            (status.value, status.label)
            for status in Signature.InspectorStatus
            if status != Signature.InspectorStatus.RETURNED
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Select what you have done from the list")},
    )
    stand_down_after = forms.TypedChoiceField(
        label=_("How many others in your Ofsted region?"),
        help_text=_("We email you once when that many have stood down, and count you separately until then."),
        choices=[(n, _("%(n)d others") % {"n": n}) for n in Signature.STAND_DOWN_AFTER],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select how many others from the list")},
    )
    appearance = forms.ChoiceField(
        label=_("How should you appear on the public list of signers?"),
        help_text=_("Staff check names before they are shown. You can change this later."),
        choices=Signature.Appearance.choices,
        initial=Signature.Appearance.COUNTED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you want to appear"), "invalid_choice": _("Select an option")},
    )
    name_after = forms.IntegerField(
        label=_("Only show my name once this many others in my region have signed (optional)"),
        help_text=_("For example 20. Leave blank to be shown once staff have checked your name."),
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a whole number, like 20"),
            "min_value": _("Enter a number of 1 or more"),
            "max_value": _("Enter a number of 100,000 or fewer"),
        },
    )
    union_consent = forms.BooleanField(
        label=_("Optional: I agree that #PauseOfsted may record which union or association I belong to"),
        help_text=_(
            "Union membership is special category data. We keep it only with this consent, use it only to "
            "report support by union, and delete it if you withdraw consent."
        ),
        required=False,
    )
    union = forms.ChoiceField(
        label=_("Your union or professional association"),
        choices=[("", _("Choose your union")), *list(Union.choices)],
        required=False,
        error_messages={"invalid_choice": _("Select your union from the list")},
    )
    consent = forms.BooleanField(
        label=_("I agree that #PauseOfsted may record my support for the campaign and the details above"),
        help_text=_(
            "We use your details to count your support, to show it only in the way you chose, to email you about "
            "this campaign and to check signatures are genuine. Support for a campaign can reveal political "
            "opinions, so we need your explicit consent. You can withdraw or erase your signature at any time."
        ),
        error_messages={"required": _("Tick the box to agree to us recording your support, or you cannot sign")},
    )
    # The honeypot: hidden from people (and from screen readers), filled in by bots.
    website = forms.CharField(required=False, max_length=10_000)
    # Where the signer came from (a campaign link's src): carried, never shown, never an error.
    src = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_email(self) -> str:
        return clean_address(self.cleaned_data["email"])

    def clean_src(self) -> str:
        return parse_source(self.cleaned_data.get("src", ""))

    def clean(self) -> dict:
        data = super().clean()
        pledges = data.get("pledges") or []
        if any(p.asks_inspector_status for p in pledges) and not data.get("inspector_status"):
            self.add_error(
                "inspector_status",
                _(
                    "Select whether you have made yourself unavailable or resigned as an Ofsted Inspector, "
                    "or will once others have"
                ),
            )
        conditional = data.get("inspector_status") == Signature.InspectorStatus.CONDITIONAL
        if any(p.asks_inspector_status for p in pledges) and conditional and not data.get("stand_down_after"):
            self.add_error("stand_down_after", _("Select how many others in your region must stand down first"))
        school = data.get("school")
        region = school.region if school and school.region else data.get("region")
        if conditional and region == Region.OUTSIDE:
            self.add_error(
                "stand_down_after", _("A commitment that waits for others needs your region in England: select it")
            )
        role = data.get("role")
        for pledge in pledges:
            if pledge.roles and role and role not in pledge.roles:
                self.add_error("pledges", _("“%(title)s” is not for your role") % {"title": pledge.title})
        if data.get("union") and not data.get("union_consent"):
            self.add_error("union_consent", _("Tick the box to let us record your union, or leave the union blank"))
        return data

    def signer(self) -> Signer:
        data = self.cleaned_data
        return Signer(
            name=data["name"],
            email=data["email"],
            role=data["role"],
            region=data.get("region") or "",
            school=data.get("school"),
            union=data.get("union") or "",
            union_consent=bool(data.get("union_consent") and data.get("union")),
            inspector_status=data.get("inspector_status") or "",
            appearance=data["appearance"],
            name_after=data.get("name_after"),
            stand_down_after=data.get("stand_down_after"),
            source=data.get("src") or "",
            constituency=data["school"].constituency
            if data.get("school")
            else constituency_of_postcode(data.get("postcode") or ""),
        )


# The signed-in signer's forms


class AppearanceForm(forms.Form):
    appearance = forms.ChoiceField(
        label="How you appear", choices=Signature.Appearance.choices, widget=forms.RadioSelect
    )


class DateInputForm(forms.Form):
    """A date in the GOV.UK manner: day, month and year as three boxes, checked together."""

    # Text, not numbers: one date gets one message (on the day box, where the summary links), never three.
    day = forms.CharField(label=_("Day"), required=False, max_length=20)
    month = forms.CharField(label=_("Month"), required=False, max_length=20)
    year = forms.CharField(label=_("Year"), required=False, max_length=20)

    @property
    def date_parts(self) -> list:
        return [self["day"], self["month"], self["year"]]

    def clean_date(self) -> date | None:
        parts = [parse_id(str(self.cleaned_data.get(name, "")).strip()) for name in ("day", "month", "year")]
        for name in ("month", "year"):
            self.errors.pop(name, None)
        self.errors.pop("day", None)
        day, month, year = parts
        if None in parts or not 2000 <= year <= 2100:
            self.add_error("day", _("Enter a real date, for example 27 3 2026"))
            return None
        try:
            return date(year, month, day)
        except ValueError:
            self.add_error("day", _("Enter a real date, for example 27 3 2026"))
            return None


class InspectorStatusForm(DateInputForm):
    status = forms.ChoiceField(
        label=_("What have you done?"),
        choices=Signature.InspectorStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you have done"), "invalid_choice": _("Select an option")},
    )
    stand_down_after = forms.TypedChoiceField(
        label=_("If you will wait for others: how many in your Ofsted region?"),
        choices=[("", _("Not waiting for others")), *[(n, str(n)) for n in Signature.STAND_DOWN_AFTER]],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Select how many others from the list")},
    )

    def clean(self) -> dict:
        data = super().clean()
        data["on"] = self.clean_date()
        if data.get("on") and data["on"] > timezone.localdate():
            self.add_error("day", _("The date must be today or in the past"))
        conditional = data.get("status") == Signature.InspectorStatus.CONDITIONAL
        if conditional and not data.get("stand_down_after"):
            self.add_error("stand_down_after", _("Select how many others in your region must stand down first"))
        return data


class ResolutionForm(DateInputForm):
    """Recording a board resolution: which school (or its trust), when, and who is recording it."""

    school_query = forms.CharField(
        label=_("Find the school"),
        help_text=_("Search by name, town or URN. For a trust board, find any school of the trust."),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search for the school using 100 characters or fewer")},
    )
    school = forms.TypedChoiceField(
        label=_("The school"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select the school from the search results")},
    )
    body = forms.ChoiceField(
        label=_("Which board resolved it?"),
        choices=BoardResolution.Body.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select which board resolved it"), "invalid_choice": _("Select an option")},
    )
    recorder_name = forms.CharField(
        label=_("Your full name"),
        max_length=10_000,
        error_messages={"required": _("Enter your full name")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    recorder_email = forms.CharField(
        label=_("Your email address"),
        help_text=_("We email you a link to confirm it. We never publish your name or address."),
        error_messages={"required": _("Enter your email address")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    recorder_role = forms.ChoiceField(
        label=_("Your role"),
        choices=BoardResolution.RecorderRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select your role"), "invalid_choice": _("Select your role from the list")},
    )
    named = forms.BooleanField(
        label=_("The school or trust may be named on the public list of boards that have resolved this"),
        help_text=_("Optional. Unticked, it is counted but not named."),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I confirm the board resolved this at that meeting, and I may record it"),
        error_messages={"required": _("Tick the box to confirm the board resolved this")},
    )
    website = forms.CharField(required=False, max_length=10_000)

    field_order = [
        "school_query", "school", "body", "day", "month", "year", "recorder_name", "recorder_email",
        "recorder_role", "named", "confirm", "website",
    ]  # fmt: skip

    def __init__(self, *args, schools: list[School] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.schools = list(schools or [])
        # A trust leader sees which trust a school is in before recording for the whole trust.
        self.fields["school"].choices = [
            (s.urn, f"{s} ({_('in %(trust)s') % {'trust': s.trust_name}})" if s.trust_name else str(s))
            for s in self.schools
        ]

    def clean_recorder_name(self) -> str:
        return clean_person_name(self.cleaned_data["recorder_name"])

    def clean_recorder_email(self) -> str:
        return clean_address(self.cleaned_data["recorder_email"])

    def clean(self) -> dict:
        data = super().clean()
        data["meeting_on"] = self.clean_date()
        if data.get("meeting_on") and data["meeting_on"] > timezone.localdate():
            self.add_error("day", _("The meeting date must be today or in the past"))
        urn = data.get("school")
        if urn is None and len(self.schools) == 1 and (data.get("school_query") or "").strip():
            urn = self.schools[0].urn  # one school matches what was typed: that is the school
        school = School.objects.filter(urn=urn, is_open=True).first() if urn is not None else None
        if school is None and "school" not in self.errors:
            self.add_error("school", _("Find the school, then select it from the search results"))
        data["school"] = school
        if school and data.get("body") == BoardResolution.Body.TRUST and not school.trust_name:
            self.add_error("body", _("That school is not in a trust in the register: choose its governing body"))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        help_text="This helps the campaign. Staff see it; it is never published.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )


class EraseForm(forms.Form):
    sure = forms.BooleanField(
        label="I understand that my account and all my signatures will be deleted and cannot be restored",
        error_messages={"required": "Tick the box to confirm you want to erase your data"},
    )
