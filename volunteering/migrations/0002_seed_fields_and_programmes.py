"""The starting list of fields of expertise and the three named actions of the 2022 notice."""

from django.db import migrations

FIELDS = [
    ("科普教育", "Science education"),
    ("医疗卫生", "Health and medicine"),
    ("农业技术", "Agricultural technology"),
    ("信息技术", "Information technology"),
    ("海洋科学", "Marine science"),
    ("机械制造", "Mechanical engineering"),
    ("生态环境", "Ecology and environment"),
    ("应急安全", "Emergency and safety"),
    ("企业创新", "Enterprise innovation"),
]

PROGRAMMES = [
    ("silver-bell", "银铃科普行动", "Silver Bell science action", "老年人", "the elderly",
     "面向老年人开展健康养生、防范电信诈骗、智能手机使用等科普服务。"),
    ("dandelion", "蒲公英科普行动", "Dandelion science action", "少年儿童", "children",
     "面向少年儿童开展科学实验、科普讲座、科技场馆研学等服务。"),
    ("double-reduction", "“科创助梦”助力“双减”科普行动",
     "'Innovation helps dreams' science action for the 'double reduction'", "中小学生", "school pupils",
     "配合“双减”政策，组织科技工作者进校园开展课后科技教育服务。"),
]


def seed(apps, schema_editor):
    ExpertiseField = apps.get_model("volunteering", "ExpertiseField")
    Programme = apps.get_model("volunteering", "Programme")
    for order, (name, name_en) in enumerate(FIELDS):
        ExpertiseField.objects.get_or_create(name=name, defaults={"name_en": name_en, "order": order})
    for order, (code, name, name_en, audience, audience_en, description) in enumerate(PROGRAMMES):
        Programme.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "audience": audience, "audience_en": audience_en,
            "description": description, "order": order})


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
