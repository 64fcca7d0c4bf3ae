"""The working-conditions survey of young S&T workers (青年科技工作者工作状况调查).

Answers are stored apart from any identity: a Response carries no user, only the channel it came
through (open link, unit link or 填答码) and a salted hash of the device, so that one device answers
once. Each answer is one row per (response, question) with an integer option code, a number or a
text, so that every statistic is a GROUP BY in SQL.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ClockDateTimeField
from core.i18n import localized


class QuestionKind(models.TextChoices):
    """The question types an organiser can put in a questionnaire."""

    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Rating scale")
    NUMBER = "number", pgettext_lazy("question type", "Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    DISTRICT = "district", _("District picker")
    UNIT_TYPE = "unit_type", _("Unit type picker")


# Kinds whose answer is an option code (the pickers get their options from the districts and unit types).
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.DISTRICT, QuestionKind.UNIT_TYPE}
# Kinds that can split the respondents into groups (crosstab "by" questions).
GROUPING_KINDS = {QuestionKind.SINGLE, QuestionKind.DISTRICT, QuestionKind.UNIT_TYPE}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
NUMERIC_KINDS = {QuestionKind.SCALE, QuestionKind.NUMBER}


class Survey(models.Model):
    """A questionnaire of a campaign, with its opening dates and what it asks of respondents."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="surveys")
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("English introduction"), blank=True)
    consent_text = models.TextField(
        _("consent statement"),
        help_text=_("Shown before the first question; the respondent must accept it (PIPL)."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    asks_contact = models.BooleanField(
        _("asks for name and phone"), default=False,
        help_text=_("Only if needed: the answers are then stored with an encrypted, masked contact."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="copies")
    # Set by the first real response: from then on only the wording may change.
    locked_at = models.DateTimeField(_("structure locked at"), null=True, blank=True)
    # How many batches of responses have been counted into the tallies (see Tally).
    tally_batches = models.PositiveIntegerField(default=0, editable=False)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens_at__lt=models.F("closes_at")), name="survey_dates_ordered"),
        ]

    def __str__(self):
        return self.title

    @property
    def label(self):
        return localized(self, "title")

    @property
    def introduction_label(self):
        return localized(self, "introduction")

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class Section(models.Model):
    """A titled group of questions, shown in order."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def label(self):
        return localized(self, "title")


class Question(models.Model):
    """One question; ``code`` (q1, q2…) names it in the codebook and the exports."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE,
                                related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("variable name"), max_length=20)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("English question"), max_length=400, blank=True)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    allow_other = models.BooleanField(_("offers “other, please specify”"), default=False)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    # Display logic: shown only if the respondent chose this option of an earlier question.
    show_if_option = models.ForeignKey("Option", verbose_name=_("shown only if the answer is"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="dependants")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="unique_question_code")]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def label(self):
        return localized(self, "text")

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_grouping(self) -> bool:
        return self.kind in GROUPING_KINDS


class Option(models.Model):
    """An answer option with its numeric code (SPSS-friendly); ``is_other`` asks to specify."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SmallIntegerField(pgettext_lazy("answer option", "code"))
    label = models.CharField(_("label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=300, blank=True)
    is_other = models.BooleanField(_("other, please specify"), default=False)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "code"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="unique_option_code")]

    def __str__(self):
        return self.label

    @property
    def localized_label(self):
        return localized(self, "label")


class SurveyLink(models.Model):
    """A way in: the open link (no unit) or one unit's link, whose responses count for that unit."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="survey_links")
    token = models.CharField(_("token"), max_length=32, unique=True)
    expected_headcount = models.PositiveIntegerField(_("expected respondents"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["survey", "unit__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="unique_unit_link"),
            models.UniqueConstraint(fields=["survey"], condition=models.Q(unit__isnull=True),
                                    name="unique_open_link"),
        ]

    def __str__(self):
        return self.token


class AnswerCode(models.Model):
    """A one-time answer code 填答码 handed to one person of a unit; it dies when used."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="answer_codes")
    code = models.CharField(_("answer code"), max_length=16, unique=True)
    batch = models.PositiveIntegerField(_("batch"), default=1)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer code")
        verbose_name_plural = _("answer codes")
        ordering = ["survey", "unit", "batch", "id"]
        indexes = [models.Index(fields=["survey", "unit", "batch"])]

    def __str__(self):
        return self.code


def day_number(moment) -> int:
    """The local day (Asia/Shanghai) of ``moment`` as the integer YYYYMMDD: ordered like the days."""
    local = timezone.localtime(moment)
    return local.year * 10000 + local.month * 100 + local.day


class LocalDayField(models.IntegerField):
    """The local day of the instance's ``source`` datetime as YYYYMMDD, set on every save and bulk insert."""

    def __init__(self, *args, source: str = "submitted_at", **kwargs):
        self.source = source
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if self.source != "submitted_at":
            kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        moment = getattr(model_instance, self.source)
        value = day_number(moment) if moment is not None else None
        setattr(model_instance, self.attname, value)
        return value


class Response(models.Model):
    """One submitted questionnaire. No user, no IP: only the channel and a per-survey device hash."""

    class Channel(models.TextChoices):
        OPEN = "open", _("Open link")  # the public link and QR code
        UNIT = "unit", _("Unit link")  # a unit's own link
        CODE = "code", _("Answer code")  # a one-time 填答码

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    district = models.ForeignKey("organisations.District", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    # sha256(device id, survey): one response per device, unlinkable across surveys. Empty for codes.
    device_hash = models.CharField(max_length=64, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # The day of submitted_at in Asia/Shanghai (YYYYMMDD): date filters compare plain integers.
    day = LocalDayField(_("day submitted"))
    # Which batch counted this response into the tallies; NULL until counted (Tally, tallies_fold).
    tally_batch = models.PositiveIntegerField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("generated for the demo"), default=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "device_hash"], condition=models.Q(device_hash__isnull=False),
                                    name="one_response_per_device"),
        ]
        indexes = [
            models.Index(fields=["survey", "unit"]),
            models.Index(fields=["survey", "district"]),
            models.Index(fields=["survey", "submitted_at"]),
            models.Index(fields=["survey", "day"], name="response_survey_day"),
            models.Index(fields=["survey", "tally_batch"], name="response_survey_tally_batch"),
        ]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def masked_contact(self) -> str:
        """"张* 138****5678" when the respondent left a contact (only if the survey asked), else ""."""
        from core.templatetags.sciday import mask_phone

        from . import crypto

        try:
            contact = self.contact
        except RespondentContact.DoesNotExist:
            return ""
        name = crypto.mask_name(crypto.decrypt(contact.name_encrypted))
        phone = mask_phone(crypto.decrypt(contact.phone_encrypted))
        return " ".join(part for part in (name, phone) if part)


class Answer(models.Model):
    """One answer of a response to a question (a multiple choice gives one row per chosen option)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option_code = models.SmallIntegerField(null=True, blank=True)
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "option_code"], name="answer_question_option"),
            # (question, response, option): the crosstab looks up a respondent's group from here alone.
            models.Index(fields=["question", "response", "option_code"], name="answer_question_response"),
            models.Index(fields=["question", "number"], name="answer_question_number"),
        ]

    def __str__(self):
        return f"{self.question_id}={self.option_code if self.option_code is not None else self.number}"


class RespondentContact(models.Model):
    """A respondent's name and phone, only when the survey asks; encrypted (Fernet), shown masked."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="contact")
    name_encrypted = models.TextField(blank=True)
    phone_encrypted = models.TextField(blank=True)

    class Meta:
        verbose_name = _("respondent contact")
        verbose_name_plural = _("respondent contacts")

    def __str__(self):
        return f"contact of #{self.response_id}"


class Draft(models.Model):
    """A half-finished response, kept on the server under the device's key until it is submitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)
    consented_at = models.DateTimeField(null=True, blank=True)
    updated_at = ClockDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft response")
        verbose_name_plural = _("draft responses")

    def __str__(self):
        return f"draft {self.pk}"


class Tally(models.Model):
    """Counts of the answers, kept so that the results never have to read every answer.

    A submission only inserts its response and answers; ``services.tallies_fold`` later counts every
    response not yet counted (``Response.tally_batch`` is NULL) into these rows, in one transaction
    per batch, and the results fold before they read, so they are always complete.

    ``kind`` says what ``value`` is: ANSWERED (value 0: respondents who answered the question),
    OPTION (an option code) or NUMBER (a number answered). ``dim``, ``key`` and ``key2`` say whom
    the count covers: ALL respondents (key 0), those of one UNIT or DISTRICT (key = its id, 0 =
    none) or of one DAY (key = YYYYMMDD), or of one unit or district on one day (UNIT_DAY,
    DISTRICT_DAY: key = the unit or district, key2 = the day); for the crosstabs, those who chose one option of a grouping
    question (CROSS, key = that Option's id), also within one unit, district or day (CROSS_UNIT,
    CROSS_DISTRICT, CROSS_DAY, key2 = the unit, district or day as above).
    """

    ANSWERED, OPTION, NUMBER = 0, 1, 2
    ALL, UNIT, DISTRICT, DAY, CROSS, CROSS_UNIT, CROSS_DISTRICT, CROSS_DAY, UNIT_DAY, DISTRICT_DAY = range(10)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    dim = models.SmallIntegerField(default=ALL)
    key = models.BigIntegerField(default=0)
    key2 = models.BigIntegerField(default=0)
    kind = models.SmallIntegerField()
    value = models.FloatField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [models.UniqueConstraint(fields=["question", "dim", "key", "key2", "kind", "value"],
                                               name="unique_tally_cell2")]

    def __str__(self):
        return f"{self.question_id}/{self.dim}:{self.key}:{self.key2}/{self.kind}/{self.value:g}={self.n}"
