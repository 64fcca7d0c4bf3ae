"""The whole consolidated report 汇总报告 (every section of the notice) and the workbook beside it.

``report_data`` gathers, for the city or for one office (the units routed to it), the figures of each
section and, for every table of the report, the rows each figure counts. ``report_docx`` writes the
公文 (summaries.docxstyle) and names under each table the workbook sheet that holds those rows (附表);
``report_xlsx`` writes that workbook, one sheet per table. The page's export, the upward package and
``manage.py export_report`` all call these.
"""

from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities.models import Activity, MediaCoverage
from campaigns.models import Campaign
from core import clock
from core.xlsx_stream import XlsxStreamWriter, fitted_widths
from organisations.models import Office, Unit

from . import selectors
from .charts import bar_chart
from .docxstyle import OfficialDocument, date_text
from .models import Summary, SummaryState

CHINESE_NUMBERS = "一二三四五六七八九十"


def _number(index: int) -> str:
    """一 … 十, 十一 … 九十九 for index 0, 1, …"""
    n = index + 1
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


@dataclass
class Sheet:
    """One sheet of the workbook: the rows the figures of one report table count."""

    name: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class ReportData:
    campaign: Campaign
    office: Office | None
    units: list[Unit]
    sheets: dict[str, Sheet] = field(default_factory=dict)
    figures: dict = field(default_factory=dict)

    def sheet(self, key: str, name: str, header: list[str]) -> Sheet:
        self.sheets[key] = Sheet(name=name, header=header)
        return self.sheets[key]


def _scope_units(campaign: Campaign, office: Office | None):
    if office is None:
        return Unit.objects.filter(is_active=True)
    return selectors.routed_units(campaign=campaign, office=office)


def sheet_names() -> dict[str, str]:
    """The workbook's sheet names, in Chinese whatever the requester's language (the report is Chinese)."""
    return {
        "activities": pgettext("report sheet", "Activities in detail"),
        "coverage": pgettext("report sheet", "Media reports"),
        "awards": pgettext("report sheet", "Role models"),
        "stops": pgettext("report sheet", "Exhibition stops"),
        "visits": pgettext("report sheet", "Base visits"),
        "service": pgettext("report sheet", "Volunteer service"),
        "requests": pgettext("report sheet", "Service requests"),
        "survey": pgettext("report sheet", "Survey responses"),
        "problems": pgettext("report sheet", "Urgent problems"),
        "recommended": pgettext("report sheet", "Recommended activities"),
        "summaries": pgettext("report sheet", "Summaries received"),
        "received": pgettext("report sheet", "Packages from below"),
    }


def report_data(*, campaign: Campaign, office: Office | None = None) -> ReportData:  # noqa: C901, PLR0915
    """Every figure of the report and the rows it counts, for the city (office=None) or one office."""
    names = sheet_names()
    units_qs = _scope_units(campaign, office)
    units = list(units_qs.select_related("district").order_by("unit_type", "name"))
    unit_ids = [u.pk for u in units]
    data = ReportData(campaign=campaign, office=office, units=units)
    f = data.figures
    type_labels = {k: str(v) for k, v in Unit._meta.get_field("unit_type").choices}
    mode_labels = {k: str(v) for k, v in Activity._meta.get_field("mode").choices}
    state_labels = {k: str(v) for k, v in Activity._meta.get_field("state").choices}
    yes = pgettext("yes or no", "Yes")

    # --- activities (一、二、三) ---
    counted = selectors.counted_activities(campaign=campaign).filter(unit__in=unit_ids)
    rows = list(counted.order_by("pk").annotate(
        checkin_n=Count("checkins", distinct=True), coverage_n=Count("coverage", distinct=True))
        .values_list("pk", "unit__name", "unit__unit_type", "unit__district__name", "title", "category__name",
                     "mode", "state", "joint_st_week", "video_id", "starts_at", "actual_participants",
                     "online_views", "checkin_n", "coverage_n"))
    sheet = data.sheet("activities", names["activities"], [
        _("Activity id"), _("Unit"), _("Unit type"), _("District"), _("Activity"), _("Category"), _("Mode"),
        _("State"), _("joint S&T Week activity"), _("video"), _("Starts"), _("Participants"), _("Online views"),
        _("Check-ins"), _("Media reports")])
    for r in rows:
        sheet.rows.append([r[0], r[1], type_labels.get(r[2], r[2]), r[3] or "", r[4], r[5],
                           mode_labels.get(r[6], r[6]), state_labels.get(r[7], r[7]), yes if r[8] else "",
                           yes if r[9] else "", timezone.localtime(r[10]).replace(tzinfo=None), r[11] or 0,
                           r[12] or 0, r[13], r[14]])
    f["activities"] = len(rows)
    f["held"] = sum(1 for r in rows if r[7] in selectors.HELD_STATES)
    f["participants"] = sum(r[11] or 0 for r in rows)
    f["online_views"] = sum(r[12] or 0 for r in rows)
    f["checkins"] = sum(r[13] for r in rows)
    f["coverage"] = sum(r[14] for r in rows)
    f["videos"] = sum(1 for r in rows if r[9])
    f["joint"] = [r for r in rows if r[8]]
    f["by_category"] = Counter(r[5] for r in rows).most_common()
    f["by_mode"] = Counter(mode_labels.get(r[6], r[6]) for r in rows).most_common()
    f["by_unit_type"] = Counter(type_labels.get(r[2], r[2]) for r in rows).most_common()
    f["by_district"] = Counter(r[3] or _("No district") for r in rows).most_common()
    active_units = {r[1] for r in rows}
    f["units_expected"] = len(units)
    f["units_with_activity"] = len(active_units)

    sheet = data.sheet("coverage", names["coverage"], [_("Activity id"), _("Unit"), _("Outlet"), _("Report title"),
                                                        _("Date")])
    for r in (MediaCoverage.objects.filter(activity__in=counted).order_by("activity_id", "date", "pk")
              .values_list("activity_id", "activity__unit__name", "outlet", "title", "date")):
        sheet.rows.append(list(r))

    # --- 最美科技工作者 ---
    from awards.models import Nomination, Selection
    selection = Selection.objects.filter(campaign=campaign).first()
    f["selection"] = selection
    sheet = data.sheet("awards", names["awards"], [_("nominee's name"), _("nominating unit"),
                                                     _("date of birth"), _("nomination status")])
    if selection is not None:
        nominations = (Nomination.objects.filter(selection=selection, unit__in=unit_ids)
                       .exclude(status=Nomination.Status.DRAFT).select_related("unit").order_by("unit__name", "name"))
        for n in nominations:
            sheet.rows.append([n.name, n.unit.name, n.birth_date.strftime("%Y年%m月") if n.birth_date else "",
                               n.get_status_display()])
        f["nominations"] = len(sheet.rows)
        f["nominating_units"] = len({r[1] for r in sheet.rows})
        f["winners"] = [r for r in sheet.rows if r[3] == str(Nomination.Status.WINNER.label)]
        f["finalists"] = sum(1 for n in nominations if n.status in (Nomination.Status.FINALIST,
                                                                      Nomination.Status.WINNER))

    # --- exhibitions and bases ---
    from exhibitions.models import ExhibitionStop, Visit, VisitState
    stops = (ExhibitionStop.objects.filter(exhibition__campaign=campaign)
             .select_related("exhibition", "host_unit", "district").order_by("starts_on", "pk"))
    if office is not None:
        stops = stops.filter(host_unit__in=unit_ids)
    sheet = data.sheet("stops", names["stops"], [_("exhibition title"), _("host unit"), _("venue"), _("District"),
                                                   _("first day of the stop"), _("last day of the stop"),
                                                   _("visitor count")])
    for s in stops:
        sheet.rows.append([s.exhibition.title, s.host_unit.name if s.host_unit else s.host_name, s.venue,
                           s.district.name if s.district else "", s.starts_on, s.ends_on, s.visitors or 0])
    f["stops"] = len(sheet.rows)
    f["stop_visitors"] = sum(r[6] for r in sheet.rows)
    visits = (Visit.objects.filter(slot__campaign=campaign, state=VisitState.VISITED)
              .select_related("base", "slot", "unit").order_by("slot__date", "pk"))
    if office is not None:
        visits = visits.filter(Q(base__managing_unit__in=unit_ids) | Q(unit__in=unit_ids))
    sheet = data.sheet("visits", names["visits"], [_("base name"), _("visit date"), _("group name"),
                                                     _("visitors who came")])
    for v in visits:
        sheet.rows.append([v.base.name, v.slot.date, v.group_name, v.visitors or 0])
    f["visits"] = len(sheet.rows)
    f["visit_visitors"] = sum(r[3] for r in sheet.rows)
    f["bases"] = len({r[0] for r in sheet.rows})

    # --- volunteer service ---
    from volunteering.models import ServiceHours, ServiceRecord, ServiceRequest
    # a record belongs to its request's campaign; one without a request to the campaign of its year
    records = (ServiceRecord.objects.filter(Q(request__campaign=campaign)
                                            | Q(request__isnull=True, date__year=campaign.year))
               .select_related("team", "programme")
               .annotate(confirmed=Sum("hours__hours", filter=Q(hours__confirmed_at__isnull=False)))
               .order_by("date", "pk"))
    if office is not None:
        records = records.filter(team__unit__in=unit_ids)
    sheet = data.sheet("service", names["service"], [_("service team"), _("volunteer programme"), _("service date"),
                                                       _("service place"), _("number of beneficiaries"),
                                                       _("confirmed hours")])
    for rec in records:
        sheet.rows.append([rec.team.name, rec.programme.name if rec.programme else "", rec.date, rec.place,
                           rec.beneficiaries, float(rec.confirmed or 0)])
    f["service_records"] = len(sheet.rows)
    f["service_teams"] = len({r[0] for r in sheet.rows})
    f["service_hours"] = round(sum(r[5] for r in sheet.rows), 1)
    f["beneficiaries"] = sum(r[4] for r in sheet.rows)
    f["volunteers"] = (ServiceHours.objects.filter(record__in=records, confirmed_at__isnull=False)
                       .values("volunteer").distinct().count())
    requests = ServiceRequest.objects.filter(campaign=campaign).order_by("created_at", "pk")
    if office is not None:
        requests = requests.filter(team__unit__in=unit_ids)
    sheet = data.sheet("requests", names["requests"], [_("requesting organisation"), _("filed"),
                                                         _("request status")])
    for req in requests:
        sheet.rows.append([req.organisation, timezone.localtime(req.created_at).replace(tzinfo=None),
                           req.get_status_display()])
    f["requests"] = len(sheet.rows)
    f["requests_by_status"] = Counter(r[2] for r in sheet.rows).most_common()

    # --- the young S&T workers' survey (the city's; groups under the small-group rule are withheld) ---
    from surveys import selectors as survey_selectors
    from surveys.models import Response, Survey
    from surveys.privacy import guard
    survey = Survey.objects.filter(campaign=campaign).order_by("pk").first()
    f["survey"] = survey
    sheet = data.sheet("survey", names["survey"], [_("District"), pgettext("survey", "Responses"),
                                                     _("expected respondents")])
    if survey is not None:
        responses = Response.objects.filter(survey=survey)
        if office is not None:
            responses = responses.filter(unit__in=unit_ids)
        total = responses.count()
        f["survey_responses"] = guard({"n": total})["n"]
        by_district = dict(responses.values_list("district__name").annotate(n=Count("id")))
        shown = guard(by_district, total=total)
        for name, n in shown.items():
            sheet.rows.append([name or _("No district"), "<5" if n is None else n, ""])
        findings = []
        if office is None and f["survey_responses"] is not None:
            questions = survey_selectors.questionnaire(survey)
            results = survey_selectors.survey_results(survey=survey, questions=questions,
                                                      filters=survey_selectors.Filters())
            for q in results.questions:
                options = [o for o in q["options"] if o["count"] is not None]
                if options and not q["multiple"]:
                    top = max(options, key=lambda o: o["count"])
                    if top["percent"] is not None:
                        findings.append((q["text"], top["label"], top["percent"]))
                if len(findings) >= 5:
                    break
        f["survey_findings"] = findings

    # --- urgent problems 急难愁盼 ---
    from problems.models import Problem
    from problems.models import Status as ProblemStatus
    problems = Problem.objects.filter(campaign=campaign).select_related("responsible_unit").order_by(
        "created_at", "pk")
    if office is not None:
        problems = problems.filter(Q(responsible_office=office) | Q(responsible_unit__in=unit_ids))
    sheet = data.sheet("problems", names["problems"], [_("title"), _("category"), _("status"), _("raised"),
                                                         _("what was done")])
    for p in problems:
        sheet.rows.append([p.title, p.get_category_display(), p.get_status_display(),
                           timezone.localtime(p.created_at).replace(tzinfo=None), p.resolution])
    f["problems"] = len(sheet.rows)
    f["problems_resolved"] = sum(1 for p in problems if p.status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED))
    f["problems_closed"] = sum(1 for p in problems if p.status == ProblemStatus.CLOSED)
    f["problem_examples"] = [(p.title, p.resolution) for p in problems
                             if p.status in (ProblemStatus.RESOLVED, ProblemStatus.CLOSED) and p.resolution][:3]

    # --- recommended activities and highlights ---
    sheet = data.sheet("recommended", names["recommended"], [_("Unit"), _("Activity"), _("Category"),
                                                               _("Recommendation")])
    for a in (Activity.objects.filter(campaign=campaign, unit__in=unit_ids,
                                      state__in=[selectors.State.RECOMMENDED, selectors.State.RECOMMENDED_UP])
              .select_related("unit", "category").order_by("-state", "unit__name", "starts_at", "pk")):
        sheet.rows.append([a.unit.name, a.title, a.category.name, a.get_state_display()])
    f["highlights"] = list(selectors.starred_highlights(campaign=campaign, office=office)
                           .filter(summary__unit__in=unit_ids))

    # --- summaries received ---
    received = Summary.objects.filter(campaign=campaign, unit__in=unit_ids)
    if office is not None:  # an office sees the summaries routed to it
        received = received.filter(office=office)
    summaries = {s.unit_id: s for s in received}
    extensions = dict(selectors.Extension.objects.filter(campaign=campaign, unit__in=unit_ids)
                      .values_list("unit_id", "until"))
    sheet = data.sheet("summaries", names["summaries"], [_("Unit"), _("Unit type"), _("District"),
                                                          _("Summary status"), _("Deadline"), _("Submitted at"),
                                                          pgettext("summary timeliness", "Timeliness")])
    on_time = late = missing = 0
    for unit in units:
        s = summaries.get(unit.pk)
        submitted = s is not None and s.state in (SummaryState.SUBMITTED, SummaryState.ACCEPTED)
        if submitted:
            timeliness = pgettext("summary timeliness", "Late") if s.is_late else pgettext("summary timeliness",
                                                                                         "On time")
            late += s.is_late
            on_time += not s.is_late
        else:
            timeliness = pgettext("summary timeliness", "Missing")
            missing += 1
        sheet.rows.append([unit.name, type_labels.get(unit.unit_type, unit.unit_type),
                           unit.district.name if unit.district else "",
                           _state_label(s.state if s else selectors.NOT_STARTED),
                           extensions.get(unit.pk, campaign.summary_deadline),
                           timezone.localtime(s.submitted_at).replace(tzinfo=None) if submitted and s.submitted_at else None,
                           timeliness])
    f["summaries_expected"], f["summaries_on_time"] = len(units), on_time
    f["summaries_late"], f["summaries_missing"] = late, missing
    f["suggestions"] = [(s.unit.name, s.suggestions) for s in received.filter(
        state__in=(SummaryState.SUBMITTED, SummaryState.ACCEPTED))
        .exclude(suggestions="").select_related("unit").order_by("unit__name")][:10]
    _received_packages(data, names["received"])
    return data


def _received_packages(data: ReportData, sheet_name: str) -> None:
    """At a province (or the nation), the whole report of the level adds up what the level below sent: one row
    per city (province) with its package's date and totals, and their sums (rollup.selectors.overview)."""
    from rollup import levels
    from rollup import selectors as rollup_selectors

    data.figures["received"] = None
    if data.office is not None or not levels.receives():
        return
    rows = rollup_selectors.overview(campaign=data.campaign)
    sheet = data.sheet("received", sheet_name, [
        _("Region code"), _("Unit"), _("Package received"), pgettext("summary timeliness", "Timeliness"),
        pgettext("a count", "Activities"), _("Activities held"), _("Participants"), _("Online views"),
        _("Check-ins"), _("Media reports"), _("Recommended upward"), _("Selected by this level")])
    for row in rows:
        received = row["received_at"]
        timeliness = (pgettext("summary timeliness", "On time") if row["on_time"] else
                      pgettext("summary timeliness", "Late") if row["late"] else
                      pgettext("summary timeliness", "Missing"))
        sheet.rows.append([row["region_code"], row["unit"].name,
                           timezone.localtime(received).replace(tzinfo=None) if received else None, timeliness,
                           *row["totals"][:6], row["totals"][6], row["selected_n"]])
    data.figures["received"] = {"rows": rows, **rollup_selectors.completeness(rows),
                                "selected": sum(r["selected_n"] for r in rows)}


def _state_label(state: str) -> str:
    if state == selectors.NOT_STARTED:
        return _("Not started")
    return str(dict(SummaryState.choices).get(state, state))


def _annex(doc: OfficialDocument, data: ReportData, key: str, column: str = "") -> None:
    sheet = data.sheets[key]
    if column:
        doc.note(_("Annex: sheet “%(sheet)s” of the workbook (%(rows)d rows), counted by the column “%(column)s”.")
                 % {"sheet": sheet.name, "rows": len(sheet.rows), "column": column})
    else:
        doc.note(_("Annex: sheet “%(sheet)s” of the workbook (%(rows)d rows).")
                 % {"sheet": sheet.name, "rows": len(sheet.rows)})
    doc.blank()


def report_docx(*, campaign: Campaign, office: Office | None = None, data: ReportData | None = None,
                progress=lambda _p: None) -> bytes:
    """The consolidated report as a 公文 (.docx) covering every section of the notice."""
    data = data or report_data(campaign=campaign, office=office)
    f = data.figures
    progress(40)
    doc = OfficialDocument()
    scope = office.name if office else ""
    doc.title((scope + "\n" if scope else "") + _("Consolidated report on the %(title)s") % {"title": campaign.title})
    doc.body(_("In line with the notice %(number)s, the units of the city held activities for the "
               "National S&T Workers' Day under the theme “%(theme)s” and sent their summaries. "
               "This report brings their figures, highlights and recommendations together.")
             % {"number": campaign.document_number or campaign.title, "theme": campaign.theme})
    if office is not None:
        doc.body(_("This report of %(office)s covers the units whose summaries are routed to it.")
                 % {"office": office.name})
    count_label = pgettext("a count", "Number")
    n = iter(range(20))

    doc.heading1(_number(next(n)) + "、" + _("Overall figures"))
    doc.body(_("%(with)d of the %(expected)d units registered at least one approved activity; the units "
               "reported %(total)d activities, of which %(held)d were held; %(participants)d people took part, "
               "online broadcasts were viewed %(views)d times, %(checkins)d people checked in and the media "
               "reported %(coverage)d times.")
             % {"with": f["units_with_activity"], "expected": f["units_expected"], "total": f["activities"],
                "held": f["held"], "participants": f["participants"], "views": f["online_views"],
                "checkins": f["checkins"], "coverage": f["coverage"]})
    doc.table([_("Figure"), count_label], [
        [_("Units expected"), f["units_expected"]], [_("Units with an activity"), f["units_with_activity"]],
        [_("Activities reported"), f["activities"]], [_("Activities held"), f["held"]],
        [_("Participants"), f["participants"]], [_("Online views"), f["online_views"]],
        [_("Check-ins"), f["checkins"]], [_("Media reports"), f["coverage"]], [pgettext("a count", "Short videos"), f["videos"]]])
    _annex(doc, data, "activities")

    if f.get("received"):
        _received_section(doc, data, _number(next(n)), count_label)

    doc.heading1(_number(next(n)) + "、" + _("Theme activities"))
    for index, (heading, key, column) in enumerate([
            (_("By activity category"), "by_category", _("Category")), (_("By mode of holding"), "by_mode", _("Mode")),
            (_("By unit type"), "by_unit_type", _("Unit type")), (_("By district"), "by_district", _("District"))]):
        doc.heading2(f"（{_number(index)}）{heading}")
        doc.table([pgettext("report group", "Group"), pgettext("a count", "Activities")], [list(r) for r in f[key]])
        if f[key]:
            doc.picture(bar_chart(heading, f[key]))
        _annex(doc, data, "activities", column)
    doc.heading2(f"（{_number(4)}）" + _("Publicity and coverage"))
    doc.body(_("The media reported the activities %(coverage)d times; %(videos)d activities published a short video.")
             % {"coverage": f["coverage"], "videos": f["videos"]})
    _annex(doc, data, "coverage")
    progress(55)

    doc.heading1(_number(next(n)) + "、" + _("Joint activities of the S&T Week"))
    doc.body(_("%(n)d activities were held jointly with the National S&T Week.") % {"n": len(f["joint"])})
    _annex(doc, data, "activities", _("joint S&T Week activity"))

    doc.heading1(_number(next(n)) + "、" + _("The most beautiful S&T workers"))
    selection = f["selection"]
    if selection is None:
        doc.body(_("No selection was held in this campaign."))
    else:
        doc.body(_("The selection “%(title)s” is at the stage “%(stage)s”: %(units)d units nominated %(n)d people; "
                   "%(finalists)d were shortlisted for the public notice and %(winners)d were named.")
                 % {"title": selection.title, "stage": selection.get_stage_display(), "units": f["nominating_units"],
                    "n": f["nominations"], "finalists": f["finalists"], "winners": len(f["winners"])})
        if f["winners"]:
            doc.table([_("nominee's name"), _("nominating unit")], [[r[0], r[1]] for r in f["winners"]])
        _annex(doc, data, "awards", _("nomination status"))

    doc.heading1(_number(next(n)) + "、" + _("Exhibitions and scientist-spirit education bases"))
    doc.body(_("The theme exhibitions made %(stops)d stops seen by %(visitors)d visitors; %(bases)d education bases "
               "received %(visits)d group visits with %(base_visitors)d visitors.")
             % {"stops": f["stops"], "visitors": f["stop_visitors"], "bases": f["bases"], "visits": f["visits"],
                "base_visitors": f["visit_visitors"]})
    doc.table([_("Figure"), count_label], [[_("Exhibition stops"), f["stops"]], [_("Exhibition visitors"),
                                                                                f["stop_visitors"]],
                                           [_("Base visits"), f["visits"]], [_("Base visitors"), f["visit_visitors"]]])
    _annex(doc, data, "stops")
    _annex(doc, data, "visits")
    progress(65)

    doc.heading1(_number(next(n)) + "、" + _("Volunteer service"))
    doc.body(_("%(teams)d service teams served %(records)d times for %(beneficiaries)d beneficiaries; "
               "%(volunteers)d volunteers' %(hours)s hours were confirmed; %(requests)d requests for service came in.")
             % {"teams": f["service_teams"], "records": f["service_records"], "beneficiaries": f["beneficiaries"],
                "volunteers": f["volunteers"], "hours": f["service_hours"], "requests": f["requests"]})
    if f["requests_by_status"]:
        doc.table([_("request status"), count_label], [list(r) for r in f["requests_by_status"]])
    _annex(doc, data, "service")
    _annex(doc, data, "requests", _("request status"))

    doc.heading1(_number(next(n)) + "、" + _("Survey of young S&T workers"))
    survey = f["survey"]
    if survey is None:
        doc.body(_("No survey was held in this campaign."))
    elif f["survey_responses"] is None:
        doc.body(_("Fewer than 5 respondents answered, so no results are shown."))
    else:
        doc.body(_("%(n)d young S&T workers answered the survey “%(title)s”. Groups of fewer than 5 respondents "
                   "are not shown separately.") % {"n": f["survey_responses"], "title": survey.title})
        for index, (question, answer, percent) in enumerate(f["survey_findings"], start=1):
            doc.body(_("%(i)d. %(question)s: the answer chosen most often was “%(answer)s” (%(percent)s%%).")
                     % {"i": index, "question": question, "answer": answer, "percent": percent})
        _annex(doc, data, "survey")

    doc.heading1(_number(next(n)) + "、" + _("Urgent problems"))
    doc.body(_("%(n)d urgent problems were raised; %(resolved)d were resolved, of which %(closed)d are closed.")
             % {"n": f["problems"], "resolved": f["problems_resolved"], "closed": f["problems_closed"]})
    for index, (title, resolution) in enumerate(f["problem_examples"]):
        doc.heading2(f"（{_number(index)}）{title}")
        doc.body(resolution)
    _annex(doc, data, "problems", _("status"))
    progress(75)

    doc.heading1(_number(next(n)) + "、" + _("Highlights and recommended activities"))
    recommended = data.sheets["recommended"].rows
    if recommended:
        doc.table(data.sheets["recommended"].header, recommended[:500])
    else:
        doc.body(_("No activity has been recommended yet."))
    _annex(doc, data, "recommended")
    for index, highlight in enumerate(f["highlights"]):
        doc.heading2(f"（{_number(index)}）{highlight.title}（{highlight.summary.unit.name}）")
        doc.body(highlight.text)

    doc.heading1(_number(next(n)) + "、" + _("How the summaries came in"))
    doc.body(_("%(expected)d units were expected to send a summary: %(on_time)d did so on time, %(late)d late, "
               "and %(missing)d have not sent one.")
             % {"expected": f["summaries_expected"], "on_time": f["summaries_on_time"], "late": f["summaries_late"],
                "missing": f["summaries_missing"]})
    doc.table([_("Figure"), count_label], [
        [pgettext("summaries", "Expected"), f["summaries_expected"]], [pgettext("summary timeliness", "On time"), f["summaries_on_time"]],
        [pgettext("summary timeliness", "Late"), f["summaries_late"]],
        [pgettext("summary timeliness", "Missing"), f["summaries_missing"]]])
    _annex(doc, data, "summaries", pgettext("summary timeliness", "Timeliness"))

    doc.heading1(_number(next(n)) + "、" + _("Opinions and suggestions"))
    if f["suggestions"]:
        for unit_name, text in f["suggestions"]:
            doc.body(f"{unit_name}：{text}")
    else:
        doc.body(_("No unit made a suggestion."))
    progress(90)
    doc.closing(office.name if office else campaign.issuers, date_text(clock.today()))
    return doc.save()


def _received_section(doc: OfficialDocument, data: ReportData, number: str, count_label: str) -> None:
    """What the level below reported (a province's cities, the nation's provinces), added up."""
    r = data.figures["received"]
    sums = dict(zip(("activities", "held", "participants", "online_views", "checkins", "coverage", "recommended_up"),
                    r["sums"], strict=True))
    doc.heading1(number + "、" + _("What the level below reported"))
    doc.body(_("%(received)d of the %(expected)d senders sent their upward package, %(on_time)d of them on time. "
               "Together they reported %(activities)d activities, of which %(held)d were held, with %(participants)d "
               "participants, %(views)d online views and %(coverage)d media reports; they recommended "
               "%(recommended)d activities upward, of which %(selected)d were selected here.")
             % {"received": r["received"], "expected": r["expected"], "on_time": r["on_time"],
                "activities": sums["activities"], "held": sums["held"], "participants": sums["participants"],
                "views": sums["online_views"], "coverage": sums["coverage"], "recommended": sums["recommended_up"],
                "selected": r["selected"]})
    header = [_("Unit"), pgettext("a count", "Activities"), _("Activities held"), _("Participants"),
              _("Recommended upward"), _("Selected by this level")]
    rows = [[row["unit"].name, *[row["totals"][i] for i in (0, 1, 2, 6)], row["selected_n"]]
            for row in r["rows"] if row["package"] is not None]
    rows.append([_("Total"), sums["activities"], sums["held"], sums["participants"], sums["recommended_up"],
                 r["selected"]])
    doc.table(header, rows)
    _annex(doc, data, "received")


def report_xlsx(*, campaign: Campaign, office: Office | None = None, data: ReportData | None = None) -> bytes:
    """The workbook beside the report: one sheet per table, holding the rows its figures count."""
    data = data or report_data(campaign=campaign, office=office)
    buffer = BytesIO()
    with XlsxStreamWriter(buffer) as book:
        for sheet in data.sheets.values():
            out = book.add_sheet(sheet.name, header=sheet.header, freeze_header=True,
                                 widths=fitted_widths(sheet.header, sheet.rows))
            for row in sheet.rows:
                out.append(row)
    return buffer.getvalue()
