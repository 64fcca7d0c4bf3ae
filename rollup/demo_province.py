"""The province demo (`manage.py load_province_demo`): Shandong's 2022 campaign, its organiser office and the 16
cities' associations with their GB/T 2260 codes, all from the data file rollup/fixtures/shandong-2022.json."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.dateparse import parse_date

from core.upsert import upsert

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "shandong-2022.json"
DATE_FIELDS = ("issue_date", "key_day", "window_start", "window_end", "summary_deadline", "service_opens_on",
               "survey_opens_on")


@transaction.atomic
def province_demo_load(*, path: Path = FIXTURE, password: str) -> dict:
    from campaigns.models import ActivityForm, Campaign, CampaignContact, Category, RoutingRule
    from core.demo import _user
    from organisations.models import Office, OfficeMembership, Unit

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    offices = {}
    for office in data["offices"]:
        offices[office["code"]], _outcome = upsert(Office, {"code": office["code"]},
                                                   {k: v for k, v in office.items() if k != "code"})
    values = {k: (parse_date(v) if k in DATE_FIELDS and v else v) for k, v in data["campaign"].items()
              if k not in ("slug", "lead_office")}
    values["lead_office"] = offices[data["campaign"]["lead_office"]]
    campaign, _outcome = upsert(Campaign, {"slug": data["campaign"]["slug"]}, values)
    for category_data in data["categories"]:
        category, _outcome = upsert(Category, {"campaign": campaign, "number": category_data["number"]},
                                    {k: v for k, v in category_data.items() if k not in ("number", "forms")})
        for order, (name, name_en) in enumerate(category_data["forms"], start=1):
            upsert(ActivityForm, {"category": category, "name": name}, {"name_en": name_en, "order": order})
    for unit_type, code in data["routing"].items():
        upsert(RoutingRule, {"campaign": campaign, "unit_type": unit_type}, {"office": offices[code]})
    for contact in data["contacts"]:
        upsert(CampaignContact, {"campaign": campaign, "office": offices[contact["office"]]},
               {k: v for k, v in contact.items() if k != "office"})
    for unit in data["units"]:
        upsert(Unit, {"name": unit["name"]}, {"unit_type": unit["unit_type"], "region_code": unit["region_code"]})
    organiser = data["organiser"]
    user = _user(organiser["username"], full_name=organiser["full_name"])
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    OfficeMembership.objects.get_or_create(user=user, office=offices[organiser["office"]])
    return {"campaign": campaign, "units": len(data["units"]), "organiser": user.username,
            "region_code": data["region_code"]}
