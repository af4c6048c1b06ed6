"""The staff workspace's forms (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from guide.messages import N_

# Limits of a photo's or recording's texts, shared by the upload form and the media list.
MAX_CAPTION = 500
MAX_CREDIT = 200
MAX_LICENCE = 100


# WTForms' own messages that these forms can show. WTForms has no Vietnamese, so they are
# listed here for pybabel and translated with the guide's own messages.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid integer value."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Not a valid choice."),
)


class GuideTranslations:
    """WTForms' messages through the guide's translations, in the page's language."""

    def gettext(self, string: str) -> str:
        """Return ``string`` translated."""
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the singular or plural form, translated."""
        return get_translations().ngettext(singular, plural, n)


class GuideForm(FlaskForm):
    """A form of the workspace: CSRF token, messages in the page's language."""

    class Meta:
        def get_translations(self, form):
            return GuideTranslations()


def longest(limit: int) -> Length:
    """Return a length limit that says so in the page's language."""
    return Length(
        max=limit, message=_l("At most %(max)d characters (this has %(length)d): shorten it.")
    )


class LoginForm(GuideForm):
    """Sign in with an account name and a password."""

    name = StringField(_l("Account name"), validators=[DataRequired(), longest(64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), longest(1024)])


class ActionForm(GuideForm):
    """A form that is only a button (publish, restore, sign out): the CSRF token is all."""


class SiteFormBase(GuideForm):
    """The facts of a site; ``site_form`` adds a name and a narrative per language."""

    slug = StringField(
        _l("Slug (the address of the page)"),
        validators=[Optional(), longest(80)],
        description=_l("Lower-case letters, digits and hyphens; made from the name when empty."),
    )
    # Choices are the catalogue's vocabulary; the reader names any other value.
    kind = SelectField(_l("Kind"), choices=[], validate_choice=False, validators=[DataRequired()])
    rank = SelectField(_l("Heritage rank"), choices=[], validate_choice=False)
    point_text = StringField(
        _l("Paste a point"),
        validators=[Optional(), longest(2000)],
        description=_l(
            "Decimal degrees, degrees-minutes-seconds, or a link from OpenStreetMap or Google Maps."
        ),
    )
    lat = StringField(_l("Latitude"), validators=[Optional(), longest(40)])
    lon = StringField(_l("Longitude"), validators=[Optional(), longest(40)])
    area = SelectField(_l("Area (for a site without a point)"), choices=[], validate_choice=False)
    confirm_different = BooleanField(_l("I checked: this is a different place"))
    address = StringField(_l("Address"), validators=[Optional(), longest(500)])
    ward = StringField(_l("Ward or commune"), validators=[Optional(), longest(200)])
    opening_hours = StringField(
        _l("Opening hours"),
        validators=[Optional(), longest(200)],
        description=_l("Such as 08:00-11:30, 13:30-17:00; empty when unknown."),
    )
    visit_minutes = IntegerField(
        _l("Minutes for a visit"), default=30, validators=[InputRequired(), NumberRange(1, 1440)]
    )
    tags = StringField(
        _l("Tags"), validators=[Optional(), longest(500)], description=_l("Separated by commas.")
    )
    needs_story = BooleanField(
        _l("Needs story: the sources support no longer narrative yet"),
        description=_l(
            "Tick when the narratives stay under 150 words or fewer than two publishers back "
            "them because no more is known; the published site then passes the check."
        ),
    )
    sources = TextAreaField(
        _l("Sources"),
        validators=[Optional(), longest(20000)],
        description=_l("One per line: the link, then | and what it supports."),
    )
    base_digest = HiddenField()
    # The digest of the saved version an edit-conflict page merged into (empty otherwise).
    seen_digest = HiddenField()


def site_form(languages: tuple[str, ...], **kwargs) -> SiteFormBase:
    """Return a site form with a name and a narrative field for each catalogue language."""

    class SiteForm(SiteFormBase):
        pass

    for index, language in enumerate(languages):
        validators = [DataRequired()] if index == 0 else [Optional()]
        setattr(
            SiteForm,
            f"name_{language}",
            StringField(
                _l("Name (%(language)s)", language=language.upper()),
                validators=[*validators, longest(300)],
            ),
        )
        setattr(
            SiteForm,
            f"story_{language}",
            TextAreaField(
                _l("Narrative (%(language)s, Markdown)", language=language.upper()),
                validators=[Optional(), longest(200_000)],
            ),
        )
    return SiteForm(**kwargs)


class MediaForm(GuideForm):
    """Upload a photo or a narration recording; ``media_form`` adds a caption per language."""

    file = FileField(_l("File"), validators=[FileRequired()])
    kind = SelectField(
        _l("What it is"),
        choices=[
            SelectChoice("photo", _l("Photo")),
            SelectChoice("audio", _l("Narration recording")),
        ],
    )
    language = SelectField(_l("Language of the recording"), choices=[], validate_choice=False)
    credit = StringField(_l("Credit (who made it)"), validators=[Optional(), longest(MAX_CREDIT)])
    licence = StringField(_l("Licence"), validators=[Optional(), longest(MAX_LICENCE)])


def media_form(languages: tuple[str, ...], **kwargs) -> MediaForm:
    """Return the upload form with a caption field for each catalogue language."""

    class UploadForm(MediaForm):
        pass

    for language in languages:
        setattr(
            UploadForm,
            f"caption_{language}",
            StringField(
                _l("Caption (%(language)s)", language=language.upper()),
                validators=[Optional(), longest(MAX_CAPTION)],
            ),
        )
    form = UploadForm(**kwargs)
    form.language.choices = [SelectChoice(language, language.upper()) for language in languages]
    return form


class MediaListForm(GuideForm):
    """The photos and recordings of a site: captions, credits, order and removal.

    The rows themselves are plain inputs named ``item-<n>-...`` (their number
    changes with the site); this form carries the CSRF token and the digest of
    the files the page was made from, to notice someone else's save.
    """

    base_digest = HiddenField()


class ImportForm(GuideForm):
    """Upload a CSV or GeoJSON file of sites."""

    file = FileField(_l("CSV or GeoJSON file"), validators=[FileRequired()])


class ConfirmImportForm(GuideForm):
    """Confirm an import checked in a dry run."""

    token = HiddenField(validators=[DataRequired()])
