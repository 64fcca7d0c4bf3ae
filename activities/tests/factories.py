import datetime

import factory
from django.utils import timezone

from activities.models import Activity, Mode, State
from campaigns.models import ActivityForm, Campaign


def at(day: int, hour: int = 9, month: int = 5) -> datetime.datetime:
    """An aware date-time in 2022 (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime(2022, month, day, hour, 0))


def form_named(name: str = "科普进社区") -> ActivityForm:
    return ActivityForm.objects.select_related("category").filter(name=name).first()


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    campaign = factory.LazyFunction(lambda: Campaign.objects.get(slug="qingdao-2022"))
    form = factory.LazyFunction(form_named)
    category = factory.LazyAttribute(lambda o: o.form.category)
    unit = None
    title = factory.Sequence(lambda n: f"科普活动{n}")
    mode = Mode.ONLINE
    frugality_pledge = True  # every activity makes the pledge (online ones too)
    starts_at = factory.LazyFunction(lambda: at(28, 9))
    ends_at = factory.LazyFunction(lambda: at(28, 11))
    platform = "腾讯会议"
    link = "https://meeting.example.com/123"
    contact_person = "李老师"
    contact_phone = "13912345678"
    audiences = factory.LazyFunction(lambda: ["residents"])
    state = State.DRAFT


def pdf_file(name: str = "plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name: str = "photo.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
