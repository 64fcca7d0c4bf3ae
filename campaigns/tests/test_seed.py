import datetime

from django.core.management import call_command

from campaigns.models import ActivityForm, Campaign, Category, RoutingRule
from campaigns.seeding import campaign_load_seed
from organisations.models import District, Office, UnitType, level_unit_types


def test_the_2022_campaign_carries_the_facts_of_the_notice(qingdao):
    assert qingdao.theme == "创新争先、自立自强"
    assert qingdao.key_day == datetime.date(2022, 5, 30)
    assert qingdao.document_number == "青科协字〔2022〕37号"
    assert qingdao.issue_date == datetime.date(2022, 5, 10)
    assert qingdao.summary_deadline == datetime.date(2022, 6, 15)
    assert qingdao.window_start <= qingdao.key_day <= qingdao.window_end
    assert qingdao.window_start <= qingdao.summary_deadline <= qingdao.window_end
    assert qingdao.edition == 6
    assert Category.objects.filter(campaign=qingdao).count() == 6
    assert ActivityForm.objects.filter(category__campaign=qingdao, name="科普进社区").exists()


def test_routing_sends_district_bureaus_to_the_bureau_and_everyone_else_to_the_association(qingdao):
    rules = {r.unit_type: r.office.name for r in RoutingRule.objects.filter(campaign=qingdao)}
    assert rules.pop(UnitType.DISTRICT_BUREAU) == "市科技局科技人才处"
    assert set(rules) == set(level_unit_types()) - {UnitType.DISTRICT_BUREAU}
    assert set(rules.values()) == {"市科协组织人事部"}


def test_contacts_name_both_offices_with_phone_and_email(qingdao):
    contacts = {(c.office.name, c.person, c.phone, c.email) for c in qingdao.contacts.all()}
    assert contacts == {
        ("市科协组织人事部", "王馨", "85916831", "kexiezurenbu@qd.shandong.cn"),
        ("市科技局科技人才处", "王文娟", "85911893", "kjjrencaichu@qd.shandong.cn"),
    }


def test_the_ten_districts_of_qingdao_are_loaded(qingdao):
    assert list(District.objects.values_list("name", flat=True)) == [
        "市南区", "市北区", "李沧区", "崂山区", "西海岸新区", "城阳区", "即墨区", "胶州市", "平度市", "莱西市"]


def test_loading_twice_changes_nothing(qingdao):
    before = Campaign.objects.get(pk=qingdao.pk).updated_at
    counts = (Office.objects.count(), Category.objects.count(), ActivityForm.objects.count(), RoutingRule.objects.count())
    outcomes = campaign_load_seed(slug="qingdao-2022")
    assert outcomes["created"] == outcomes["updated"] == 0
    assert Campaign.objects.get(pk=qingdao.pk).updated_at == before
    assert counts == (Office.objects.count(), Category.objects.count(), ActivityForm.objects.count(),
                      RoutingRule.objects.count())


def test_loading_repairs_a_changed_fact(qingdao):
    Campaign.objects.filter(pk=qingdao.pk).update(theme="别的主题")
    outcomes = campaign_load_seed(slug="qingdao-2022")
    assert outcomes["updated"] == 1
    assert Campaign.objects.get(pk=qingdao.pk).theme == "创新争先、自立自强"


def test_the_command_reports_what_it_did(db, capsys):
    call_command("load_campaign", "qingdao-2022")
    call_command("load_campaign", "qingdao-2022")
    out = capsys.readouterr().out.splitlines()
    assert "0 created, 0 updated" in out[-1]
