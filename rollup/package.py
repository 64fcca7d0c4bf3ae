"""The upward package, version 2 (docs/upward-package.md, docs/upward-package.schema.json): what a city sends to
its province and a province to the nation. The same builder at every level: a province's package holds its own
recommended activities plus those it selected from its cities' packages (择优纳入), and the cities' figures.

``package_write`` streams the .zip to a file (videos are copied in chunks, never held in memory);
``package_bytes`` returns it for the background exporter. Every file is listed with its SHA-256 and size;
every record carries a stable id ``<region>/<campaign slug>/<kind>/<key>`` so that re-sending replaces.
"""

import hashlib
import html
import json
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jsonschema_rs
import nh3
from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityPhoto
from campaigns.models import Campaign
from core import clock
from core.htmltext import html_to_text

from . import levels

SCHEMA_VERSION = "2.0"
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "upward-package.schema.json"
MAX_PHOTOS = 9
CHUNK = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "video/mp4": "mp4"}
SUMMARY_SECTIONS = ("work_done", "results", "experience", "suggestions")

Progress = Callable[[int], None]


def _noop(_percent: int) -> None:
    pass


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator():
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=True)


def schema_errors(manifest) -> list[str]:
    """Every way ``manifest`` breaks the schema, as ``<path>: <message>`` lines (empty: valid)."""
    errors = []
    for error in _validator().iter_errors(manifest):
        where = "/".join(str(p) for p in error.instance_path) or "$"
        errors.append(f"{where}: {error.message}")
    return errors


def stable_id(*, campaign: Campaign, kind: str, key) -> str:
    return f"{levels.region_code()}/{campaign.slug}/{kind}/{key}"


def package_id(campaign: Campaign) -> str:
    return f"{levels.region_code()}/{campaign.slug}"


def rich_text(value: str | None) -> dict:
    """The text as plain text and as cleaned HTML (a plain-text field becomes paragraphs)."""
    value = value or ""
    if "<" in value and ">" in value:
        markup = value
    else:
        markup = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in value.split("\n\n") if p.strip())
    return {"text": html_to_text(markup).replace("<", "＜"), "html": nh3.clean(markup)}


class _Files:
    """The files the package will hold: path in the zip → a callable opening the source (or bytes)."""

    def __init__(self):
        self.sources: list[tuple[str, object]] = []

    def add_bytes(self, path: str, data: bytes, content_type: str) -> dict:
        self.sources.append((path, data))
        return {"file": path, "content_type": content_type, "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data)}

    def add_stored(self, path: str, field, content_type: str, *, sha256: str = "", size: int = 0) -> dict | None:
        """A stored file (an upload's asset, a received file): hashed as it is read, unless its hash is known."""
        storage, name = field.storage, field.name
        if not name or not storage.exists(name):
            return None
        if not sha256 or not size:
            digest, size = hashlib.sha256(), 0
            with storage.open(name, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
            sha256 = digest.hexdigest()
        if not size:
            return None
        self.sources.append((path, (storage, name)))
        return {"file": path, "content_type": content_type, "sha256": sha256, "bytes": size}


def _asset_entry(files: _Files, folder: str, stem: str, asset) -> dict | None:
    content_type = asset.content_type
    if content_type not in EXTENSIONS:
        return None
    return files.add_stored(f"{folder}/{stem}.{EXTENSIONS[content_type]}", asset.file, content_type,
                            sha256=asset.sha256, size=asset.size)


def _sender(campaign: Campaign) -> dict:
    office = campaign.report_lead_office()
    contact = None
    if office is not None:
        contact = next((c for c in campaign.contacts.all() if c.office_id == office.pk), None)
    unit = (office.organisation or office.name) if office is not None else campaign.issuers.splitlines()[0]
    return {"level": levels.level(), "region_code": levels.region_code(), "unit": unit,
            "contact": {"person": contact.person if contact else (office.contact_person if office else ""),
                        "phone": contact.phone if contact else (office.phone if office else ""),
                        "email": (contact.email if contact else "") or (office.email if office else "")}}


def _activities(campaign: Campaign, files: _Files) -> list[dict]:
    activities = list(Activity.objects.filter(campaign=campaign, state="recommended_up")
                      .select_related("unit", "category", "form", "video").order_by("unit__name", "starts_at", "pk")
                      .annotate(checkin_n=Count("checkins", distinct=True)))
    photos = defaultdict(list)
    for photo in (ActivityPhoto.objects.filter(activity__in=[a.pk for a in activities])
                  .select_related("asset").order_by("activity_id", "-is_highlight", "pk")):
        if len(photos[photo.activity_id]) < MAX_PHOTOS:
            photos[photo.activity_id].append(photo.asset)
    coverage = defaultdict(list)
    from activities.models import MediaCoverage

    for item in MediaCoverage.objects.filter(activity__in=[a.pk for a in activities]).order_by("date", "pk"):
        coverage[item.activity_id].append({"outlet": item.outlet, "title": item.title, "url": item.link,
                                           "date": item.date.isoformat()})
    entries = []
    for activity in activities:
        folder = f"activities/{activity.pk}"
        photo_entries = [e for i, asset in enumerate(photos[activity.pk], start=1)
                         if (e := _asset_entry(files, folder, f"photo-{i}", asset)) is not None
                         and e["content_type"].startswith("image/")]
        video = None
        if activity.video is not None and activity.video.content_type == "video/mp4":
            video = _asset_entry(files, folder, "video", activity.video)
        entries.append({
            "id": stable_id(campaign=campaign, kind="activity", key=activity.pk),
            "title": activity.title, "unit": activity.unit.name, "unit_type": activity.unit.unit_type,
            "category": activity.category.name, "form": activity.form.name if activity.form_id else "",
            "mode": activity.mode,
            "starts_at": timezone.localtime(activity.starts_at).isoformat(),
            "ends_at": timezone.localtime(activity.ends_at).isoformat(),
            "description": rich_text(activity.description), "outcome": rich_text(activity.outcome),
            "figures": {"participants": activity.actual_participants or 0, "online_views": activity.online_views or 0,
                        "checkins": activity.checkin_n, "coverage": len(coverage[activity.pk])},
            "photos": photo_entries, "video": video, "coverage": coverage[activity.pk],
        })
    return entries


def _selected_from_below(campaign: Campaign, files: _Files) -> list[dict]:
    """At a province: the activities it selected from its cities' packages, with their files (the recursion)."""
    from .models import Decision, ReceivedRecord, RecordKind

    entries = []
    records = (ReceivedRecord.objects.filter(campaign=campaign, kind=RecordKind.ACTIVITY, decision=Decision.SELECTED)
               .select_related("package").prefetch_related("files").order_by("stable_id"))
    for record in records:
        stored = {f.path: f for f in record.files.all()}
        entry = dict(record.data)
        folder = "activities/below/" + hashlib.sha256(record.stable_id.encode()).hexdigest()[:16]

        def copy(item, stored=stored, folder=folder):
            received = stored.get(item["file"]) if item else None
            if received is None:
                return None
            name = item["file"].rsplit("/", 1)[-1]
            return files.add_stored(f"{folder}/{name}", received.file, received.content_type,
                                    sha256=received.sha256, size=received.bytes)

        entry["photos"] = [e for p in entry.get("photos", []) if (e := copy(p)) is not None]
        entry["video"] = copy(entry.get("video"))
        entry["selected_by"] = record.package.package_id
        entries.append(entry)
    return entries


def _summaries(campaign: Campaign) -> list[dict]:
    from summaries.models import Summary

    labels = {"work_done": _("Activities carried out"), "results": _("Results achieved"),
              "experience": _("Typical experience"), "suggestions": _("Opinions and suggestions")}
    entries = []
    for summary in (Summary.objects.filter(campaign=campaign, state__in=["submitted", "accepted"])
                    .select_related("unit").order_by("unit__name")):
        sections = []
        for key in SUMMARY_SECTIONS:
            text = rich_text(getattr(summary, key))
            sections.append({"key": key, "title": str(labels[key]), **text})
        entries.append({
            "id": stable_id(campaign=campaign, kind="summary", key=summary.unit_id), "unit": summary.unit.name,
            "unit_type": summary.unit.unit_type, "state": summary.state,
            "submitted_at": timezone.localtime(summary.submitted_at).isoformat() if summary.submitted_at else None,
            "is_late": summary.is_late, "sections": sections,
        })
    return entries


def _role_models(campaign: Campaign, files: _Files) -> list[dict]:
    """The released role models' public profiles only: never an ID number, a mobile, a birth date or a consent."""
    from awards.models import Nomination, Selection

    selection = Selection.objects.filter(campaign=campaign, stage=Selection.Stage.RELEASED).first()
    if selection is None:
        return []
    entries = []
    for nomination in (selection.nominations.filter(status=Nomination.Status.WINNER)
                       .select_related("unit", "id_photo").order_by("name")):
        photo = None
        if nomination.consent_publish and nomination.id_photo is not None:
            photo = _asset_entry(files, f"role_models/{nomination.public_id}", "photo", nomination.id_photo)
        entries.append({
            "id": stable_id(campaign=campaign, kind="role_model", key=nomination.public_id),
            "title": selection.title, "name": nomination.name, "gender": nomination.gender,
            "unit": nomination.unit.name, "workplace": nomination.workplace or nomination.unit.name,
            "position": nomination.position, "field": nomination.field, "deeds_summary": nomination.deeds_summary,
            "achievements": nomination.achievements if nomination.consent_publish else "", "photo": photo,
        })
    return entries


def _received(campaign: Campaign) -> list[dict]:
    from .models import ReceivedPackage

    return [{"package_id": p.package_id, "region_code": p.unit.region_code or p.sender.get("region_code", ""),
             "unit": p.unit.name, "received_at": timezone.localtime(p.received_at).isoformat(),
             "totals": p.figures.get("totals", {})}
            for p in ReceivedPackage.objects.filter(campaign=campaign).select_related("unit")]


def package_manifest(*, campaign: Campaign, progress: Progress = _noop) -> tuple[dict, _Files]:
    """The manifest and the files that go beside it."""
    from dashboard.selectors import dashboard_figures
    from summaries import selectors as summary_selectors
    from summaries.reports import consolidated_docx, workbook_xlsx

    files = _Files()
    report = files.add_bytes("report/consolidated-report.docx",
                             consolidated_docx(campaign=campaign, progress=lambda p: progress(p * 4 // 10)), DOCX)
    workbook = files.add_bytes("report/workbook.xlsx", workbook_xlsx(campaign=campaign), XLSX)
    progress(50)
    figures = summary_selectors.campaign_figures(campaign=campaign)
    activities = _activities(campaign, files) + (_selected_from_below(campaign, files) if levels.receives() else [])
    issuing = campaign.issuers.replace("\r", "").split("\n")
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "package_id": package_id(campaign),
        "generated_at": timezone.localtime(clock.now()).isoformat(),
        "campaign": {"slug": campaign.slug, "year": campaign.year, "title": campaign.title, "theme": campaign.theme,
                     "key_day": campaign.key_day.isoformat(), "level": levels.level(),
                     "issuing_body": "、".join(i.strip() for i in issuing if i.strip()),
                     "document_number": campaign.document_number},
        "sender": _sender(campaign),
        "figures": {
            "totals": {"activities": figures["total"], "held": figures["held"], "cancelled": figures["cancelled"],
                       "participants": figures["participants"], "online_views": figures["online_views"],
                       "checkins": figures["checkins"], "coverage": figures["coverage"],
                       "recommended": figures["recommended"], "recommended_up": figures["recommended_up"]},
            "dashboard": json.loads(json.dumps(dashboard_figures(campaign=campaign), default=str)),
        },
        "report": {"docx": report, "workbook": workbook},
        "summaries": _summaries(campaign),
        "activities": activities,
        "role_models": _role_models(campaign, files),
        "received": _received(campaign) if levels.receives() else [],
    }
    progress(60)
    return manifest, files


def package_write(*, campaign: Campaign, target, progress: Progress = _noop) -> dict:
    """Write the package's .zip to ``target`` (a path or a binary file); return its manifest. Stored files are
    copied in 1 MB chunks (media already compressed are stored, not deflated)."""
    manifest, files = package_manifest(campaign=campaign, progress=progress)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        count = max(1, len(files.sources))
        for index, (path, source) in enumerate(files.sources):
            if isinstance(source, bytes):
                archive.writestr(path, source)
            else:
                storage, name = source
                compress = zipfile.ZIP_STORED if path.endswith((".mp4", ".jpg", ".png", ".webp")) \
                    else zipfile.ZIP_DEFLATED
                info = zipfile.ZipInfo(path, date_time=timezone.localtime(clock.now()).timetuple()[:6])
                info.compress_type = compress
                with storage.open(name, "rb") as src, archive.open(info, "w", force_zip64=True) as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
            progress(60 + 35 * (index + 1) // count)
    return manifest


def package_bytes(*, campaign: Campaign, progress: Progress = _noop) -> bytes:
    """The package as bytes (the background exporter stores them)."""
    with tempfile.TemporaryFile() as handle:
        package_write(campaign=campaign, target=handle, progress=progress)
        handle.seek(0)
        return handle.read()
