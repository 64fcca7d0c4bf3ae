import datetime

import factory

from campaigns.models import Campaign


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    year = 2022
    title = factory.Sequence(lambda n: f"测试活动{n}")
    issuers = "青岛市科学技术协会"
    theme = "创新争先、自立自强"
    key_day = datetime.date(2022, 5, 30)
    window_start = datetime.date(2022, 5, 11)
    window_end = datetime.date(2022, 6, 20)
    summary_deadline = datetime.date(2022, 6, 15)
