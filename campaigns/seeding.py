"""Loading a campaign's facts into the database, idempotently (see core.upsert)."""

from collections import Counter

from django.db import transaction
from django.utils.dateparse import parse_date

from audit.services import audit_record
from core.upsert import upsert
from organisations.models import District, Office

from . import seed_qingdao_2022 as qd
from .models import ActivityForm, Campaign, CampaignContact, Category, RoutingRule

SEEDS = {"qingdao-2022": qd}


def _dates(values: dict) -> dict:
    out = dict(values)
    for key in ("issue_date", "key_day", "window_start", "window_end", "summary_deadline", "service_opens_on",
                "survey_opens_on"):
        if isinstance(out.get(key), str):
            out[key] = parse_date(out[key])
    return out


def seed_exhibitions(slug: str) -> list[dict]:
    """The touring exhibitions the seeded campaign ``slug``'s notice names (data, not code); none if unknown."""
    seed = SEEDS.get(slug)
    return list(getattr(seed, "EXHIBITIONS", [])) if seed is not None else []


@transaction.atomic
def load_reference_data(seed=qd) -> Counter:
    """The offices and districts a campaign refers to."""
    outcomes = Counter()
    for office in seed.OFFICES:
        _obj, outcome = upsert(Office, {"code": office["code"]}, {k: v for k, v in office.items() if k != "code"})
        outcomes[outcome] += 1
    for order, (code, name, name_en) in enumerate(seed.DISTRICTS, start=1):
        _obj, outcome = upsert(District, {"code": code}, {"name": name, "name_en": name_en, "order": order})
        outcomes[outcome] += 1
    return outcomes


@transaction.atomic
def campaign_load_seed(*, slug: str, actor=None) -> Counter:
    """Load (or bring back in line) the seeded campaign ``slug``; loading twice changes nothing."""
    seed = SEEDS[slug]
    outcomes = load_reference_data(seed)
    values = _dates({k: v for k, v in seed.CAMPAIGN.items() if k != "slug"})
    campaign, outcome = upsert(Campaign, {"slug": seed.CAMPAIGN["slug"]}, values)
    outcomes[outcome] += 1
    for category_data in seed.CATEGORIES:
        forms = category_data["forms"]
        category_values = {k: v for k, v in category_data.items() if k not in ("number", "forms")}
        category, outcome = upsert(Category, {"campaign": campaign, "number": category_data["number"]},
                                   category_values)
        outcomes[outcome] += 1
        for order, (name, name_en) in enumerate(forms, start=1):
            _obj, outcome = upsert(ActivityForm, {"category": category, "name": name},
                                   {"name_en": name_en, "order": order})
            outcomes[outcome] += 1
    offices = {o.code: o for o in Office.objects.all()}
    for unit_type, office_code in seed.ROUTING.items():
        _obj, outcome = upsert(RoutingRule, {"campaign": campaign, "unit_type": unit_type},
                               {"office": offices[office_code]})
        outcomes[outcome] += 1
    for contact in seed.CONTACTS:
        _obj, outcome = upsert(
            CampaignContact, {"campaign": campaign, "office": offices[contact["office"]]},
            {"person": contact["person"], "phone": contact["phone"], "email": contact["email"],
             "order": contact["order"]},
        )
        outcomes[outcome] += 1
    if outcomes["created"] or outcomes["updated"]:
        audit_record(action="campaigns.campaign.seeded", actor=actor, obj=campaign,
                     changes={"created": outcomes["created"], "updated": outcomes["updated"]},
                     actor_name="" if actor else "manage.py")
    return outcomes
