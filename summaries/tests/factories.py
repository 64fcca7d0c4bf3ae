import factory

from summaries.models import Highlight, Summary, SummaryState


class SummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summary

    campaign = factory.LazyFunction(lambda: __import__("campaigns.models", fromlist=["Campaign"]).Campaign.objects.get(
        slug="qingdao-2022"))
    unit = None
    office = factory.LazyAttribute(lambda o: o.campaign.office_for(o.unit.unit_type))
    state = SummaryState.DRAFT
    work_done = "开展科技工作者座谈会等活动。"
    results = "覆盖科技工作者千余人。"


class HighlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Highlight

    summary = factory.SubFactory(SummaryFactory)
    title = factory.Sequence(lambda n: f"亮点{n}")
    text = "青年科技工作者沙龙成效明显。"
