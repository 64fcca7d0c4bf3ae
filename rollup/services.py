"""Every write of the roll-up: upward links (create, revoke), the import of a package (checked first, then in
one transaction, idempotent by stable ids), the review of received activities (a state machine), and at the
sending level the link to the province, the push 「上报」 and the pull of decisions 「获取省级决定」.

A package is refused as a whole, with a Chinese reason and nothing written, when its token does not fit
(unknown, revoked, another city's), its campaign or level is not the link's, a file fails the checks (the zip
guard, a listed file missing, a member not listed, a content type that the bytes deny), a checksum differs, the
manifest breaks the schema, or it is older than the one already held. Files are stored under their SHA-256
before the transaction (content-addressed, so a retry stores nothing twice); rows only inside it.
"""

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.models import AuditEntry
from audit.services import audit_record
from core import clock
from core.crypto import decrypt_text, encrypt_text
from core.exceptions import TransitionNotAllowed
from core.zipguard import ContainerRejected, check_container
from organisations.models import REGION_UNIT_TYPES, Unit
from uploads.filetypes import sniff

from . import levels
from .auth import token_hash, token_new
from .models import (
    Decision,
    ProvinceDecision,
    ProvinceLink,
    ReceivedFile,
    ReceivedPackage,
    ReceivedRecord,
    RecordKind,
    UpwardLink,
)
from .package import SCHEMA_VERSION, schema_errors

CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
PACKAGE_PARTS = ("manifest.json", "report/", "activities/", "role_models/")
TOKEN_PURPOSE = "rollup.province-token"


def max_package_bytes() -> int:
    return settings.SCIDAY_ROLLUP_MAX_PACKAGE_BYTES


class PackageRefused(Exception):
    """The whole package is refused; ``message`` says why (Chinese through gettext), ``code`` for machines."""

    status = 422

    def __init__(self, code: str, message: str, *, status: int = 422, errors: list[str] | None = None):
        super().__init__(message)
        self.code, self.message, self.status, self.errors = code, message, status, errors or []


@dataclass
class ImportSummary:
    package_id: str = ""
    dry_run: bool = False
    package: str = "new"  # new, updated, unchanged
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"package_id": self.package_id, "dry_run": self.dry_run, "package": self.package,
                "counts": {"new": len(self.new), "updated": len(self.updated), "unchanged": len(self.unchanged),
                           "removed": len(self.removed), "refused": len(self.refused)},
                "records": {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                            "removed": self.removed, "refused": self.refused}}


# --- upward links (at the receiving level) --------------------------------------------------------

def link_create(*, actor, campaign, unit: Unit, sender_campaign: str = "") -> tuple[UpwardLink, str]:
    """A new upward link for ``unit`` in ``campaign``; returns it and its token, shown this once."""
    require(actor, "rollup.manage", campaign)
    errors = {}
    if unit.unit_type not in REGION_UNIT_TYPES or not unit.region_code:
        errors["unit"] = _("Choose a unit of the level below (市科协, 市科技局, 省科协, 省科技厅) that has a region code.")
    if errors:
        from django.core.exceptions import ValidationError

        raise ValidationError(errors)
    token = token_new()
    with transaction.atomic():
        link = UpwardLink.objects.create(campaign=campaign, unit=unit, token_hash=token_hash(token),
                                         token_prefix=token[:10], sender_campaign=sender_campaign, created_by=actor)
        audit_record(action="rollup.link.created", actor=actor, obj=link,
                     changes={"unit": unit.name, "region_code": unit.region_code, "campaign": campaign.slug})
    return link, token


def link_revoke(*, actor, link: UpwardLink) -> UpwardLink:
    require(actor, "rollup.manage", link.campaign)
    with transaction.atomic():
        link = UpwardLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = clock.now()
            link.save(update_fields=["revoked_at"])
            audit_record(action="rollup.link.revoked", actor=actor, obj=link, changes={"unit": link.unit.name})
    return link


# --- reading and checking a package ----------------------------------------------------------------

def _open_zip(fileobj) -> zipfile.ZipFile:
    try:
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(0)
    except (OSError, AttributeError):
        size = 0
    if size > max_package_bytes():
        raise PackageRefused("too_large", _("The package is larger than %(max)d MB.") % {
            "max": max_package_bytes() // (1024 * 1024)}, status=413)
    try:
        check_container(fileobj, parts=PACKAGE_PARTS, max_member_bytes=max_package_bytes(),
                        max_total_bytes=max_package_bytes())
    except ContainerRejected as exc:
        raise PackageRefused("file_check", _("The package failed the file checks: %(reason)s") % {
            "reason": exc.message}) from None
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageRefused("file_check", _("The file is not an upward package (.zip).")) from None


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        info = archive.getinfo("manifest.json")
    except KeyError:
        raise PackageRefused("schema", _("The package has no manifest.json.")) from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageRefused("schema", _("The package's manifest.json is too large."))
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile):
        raise PackageRefused("schema", _("The package's manifest.json is not valid JSON.")) from None
    if not isinstance(manifest, dict) or manifest.get("schema_version") != SCHEMA_VERSION:
        version = manifest.get("schema_version") if isinstance(manifest, dict) else None
        raise PackageRefused("schema", _("The package has version %(version)s; this sciday reads version "
                                         "%(expected)s. Update sciday at the sending end and send it again.")
                             % {"version": version or "?", "expected": SCHEMA_VERSION})
    errors = schema_errors(manifest)
    if errors:
        raise PackageRefused("schema", _("The package's manifest does not follow the upward package schema "
                                         "(%(count)d problems, the first: %(first)s).")
                             % {"count": len(errors), "first": errors[0][:300]}, errors=errors[:20])
    return manifest


def _file_entries(manifest: dict):
    """(record stable id or None, entry) for every file the manifest lists."""
    yield None, manifest["report"]["docx"]
    yield None, manifest["report"]["workbook"]
    for activity in manifest["activities"]:
        for photo in activity["photos"]:
            yield activity["id"], photo
        if activity["video"]:
            yield activity["id"], activity["video"]
    for person in manifest["role_models"]:
        if person["photo"]:
            yield person["id"], person["photo"]


def _check_files(archive: zipfile.ZipFile, manifest: dict) -> None:
    listed = {}
    for _record, entry in _file_entries(manifest):
        listed[entry["file"]] = entry
    members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    unlisted = sorted(set(members) - set(listed) - {"manifest.json"})
    if unlisted:
        raise PackageRefused("file_check", _("The package holds a file its manifest does not list: %(name)s.")
                             % {"name": unlisted[0][:120]})
    for name, entry in listed.items():
        info = members.get(name)
        if info is None:
            raise PackageRefused("checksum", _("The file %(name)s listed in the manifest is missing from the "
                                               "package.") % {"name": name[:120]})
        if info.file_size != entry["bytes"]:
            raise PackageRefused("checksum", _("The file %(name)s does not match its checksum: the package was "
                                               "damaged or changed on the way.") % {"name": name[:120]})
        digest = hashlib.sha256()
        with archive.open(info) as stream:
            head = stream.read(64)
            digest.update(head)
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise PackageRefused("checksum", _("The file %(name)s does not match its checksum: the package was "
                                               "damaged or changed on the way.") % {"name": name[:120]})
        declared = entry["content_type"]
        found = sniff(head)
        if declared.startswith(("image/", "video/")) and found != declared:
            raise PackageRefused("file_check", _("The file %(name)s is not the %(type)s it claims to be.")
                                 % {"name": name[:120], "type": declared})
        if declared.startswith("application/"):
            parts = ("[Content_Types].xml", "_rels/", "docProps/", "word/" if name.endswith(".docx") else "xl/",
                     "customXml/")
            with archive.open(info) as stream, tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as copy:
                shutil.copyfileobj(stream, copy, CHUNK)
                try:
                    check_container(copy, parts=parts)
                except ContainerRejected as exc:
                    raise PackageRefused("file_check", _("The file %(name)s failed the file checks: %(reason)s")
                                         % {"name": name[:120], "reason": exc.message}) from None


def _bound_sender(manifest: dict, *, link: UpwardLink | None, campaign, unit: Unit | None) -> tuple:
    """The campaign and sender unit the package belongs to at this level, or PackageRefused."""
    sender = manifest["sender"]
    expected_level = levels.SENDER_LEVEL.get(levels.level())
    if expected_level is None:
        raise PackageRefused("level", _("This sciday runs at the city level and receives no upward packages."),
                             status=409)
    if sender["level"] != expected_level or manifest["campaign"]["level"] != expected_level:
        raise PackageRefused("level", _("The package comes from the %(sent)s level; this %(level)s receives "
                                        "packages from the %(expected)s level.")
                             % {"sent": levels.LEVEL_LABELS.get(sender["level"], sender["level"]),
                                "level": levels.LEVEL_LABELS[levels.level()],
                                "expected": levels.LEVEL_LABELS[expected_level]}, status=409)
    if link is not None:
        campaign, unit = link.campaign, link.unit
        if sender["region_code"] != unit.region_code:
            raise PackageRefused("wrong_sender", _("This token belongs to %(unit)s (region %(code)s), but the "
                                                   "package comes from region %(sent)s. Use your own city's token.")
                                 % {"unit": unit.name, "code": unit.region_code, "sent": sender["region_code"]},
                                 status=403)
        if link.sender_campaign and link.sender_campaign != manifest["campaign"]["slug"]:
            raise PackageRefused("wrong_campaign", _("This token is for the campaign %(expected)s; the package is "
                                                     "of %(sent)s.") % {"expected": link.sender_campaign,
                                                                         "sent": manifest["campaign"]["slug"]},
                                 status=409)
    elif unit is None:
        unit = (Unit.objects.filter(region_code=sender["region_code"], unit_type__in=REGION_UNIT_TYPES,
                                    is_active=True).order_by("unit_type", "pk").first())
        if unit is None:
            raise PackageRefused("wrong_sender", _("No unit here has the region code %(code)s of the package's "
                                                   "sender.") % {"code": sender["region_code"]}, status=403)
    elif sender["region_code"] != unit.region_code:
        raise PackageRefused("wrong_sender", _("The package comes from region %(sent)s, not from %(unit)s.")
                             % {"sent": sender["region_code"], "unit": unit.name}, status=403)
    if manifest["campaign"]["year"] != campaign.year:
        raise PackageRefused("wrong_campaign", _("The package is of the %(sent)d campaign; this link is for the "
                                                 "%(year)d campaign %(title)s.")
                             % {"sent": manifest["campaign"]["year"], "year": campaign.year,
                                "title": campaign.title}, status=409)
    if manifest["package_id"] != f"{sender['region_code']}/{manifest['campaign']['slug']}":
        raise PackageRefused("schema", _("The package id does not name its sender and campaign."))
    return campaign, unit


def _record_entries(manifest: dict):
    for kind, key in ((RecordKind.ACTIVITY, "activities"), (RecordKind.SUMMARY, "summaries"),
                      (RecordKind.ROLE_MODEL, "role_models")):
        for entry in manifest[key]:
            title = {RecordKind.ACTIVITY: "title", RecordKind.SUMMARY: "unit", RecordKind.ROLE_MODEL: "name"}[kind]
            yield kind, entry, entry[title]


def _content_hash(entry: dict) -> str:
    return hashlib.sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _plan(manifest: dict, *, campaign, unit: Unit, summary: ImportSummary) -> list[tuple]:
    """Which records are new, updated, unchanged or refused (and which the newer package drops)."""
    sender = manifest["sender"]
    own_prefix = f"{manifest['package_id']}/"
    existing = {r.stable_id: r for r in ReceivedRecord.objects.filter(campaign=campaign)
                .select_related("package").only("stable_id", "content_hash", "package__unit_id", "decision")}
    plan, seen = [], set()
    for kind, entry, title in _record_entries(manifest):
        stable = entry["id"]
        if stable in seen:
            summary.refused.append({"id": stable, "reason": _("The id appears twice in the package.")})
            continue
        seen.add(stable)
        if not stable.startswith(own_prefix) and not (
                sender["level"] == levels.PROVINCE and entry.get("selected_by")
                and stable[:2] == sender["region_code"][:2]):
            summary.refused.append({"id": stable, "reason": _("The record's id is not the sender's.")})
            continue
        if stable.split("/")[2] != kind:
            summary.refused.append({"id": stable, "reason": _("The record's id does not name its kind.")})
            continue
        found = existing.get(stable)
        if found is not None and found.package.unit_id != unit.pk:
            summary.refused.append({"id": stable, "reason": _("Another sender already sent a record with this id.")})
            continue
        digest = _content_hash(entry)
        if found is None:
            summary.new.append(stable)
            plan.append(("new", kind, entry, title, digest))
        elif found.content_hash != digest:
            summary.updated.append(stable)
            plan.append(("updated", kind, entry, title, digest))
        else:
            summary.unchanged.append(stable)
    summary.removed = sorted(s for s, r in existing.items()
                             if r.package.unit_id == unit.pk and s not in seen and r.decision == Decision.PENDING)
    return plan


def _store(archive: zipfile.ZipFile, entry: dict) -> str:
    """Store one listed file under its SHA-256 (once); return its storage name."""
    extension = entry["file"].rsplit(".", 1)[-1].lower()
    name = f"rollup/{entry['sha256'][:2]}/{entry['sha256']}.{extension}"
    if not default_storage.exists(name):
        with archive.open(entry["file"]) as stream:
            name = default_storage.save(name, File(stream, name=name))
    return name


def package_import(*, fileobj, link: UpwardLink | None = None, campaign=None, unit: Unit | None = None,
                   actor=None, dry_run: bool = False) -> dict:
    """Check and import one upward package; the import summary. ``link`` when pushed with a token; else
    (by hand) ``campaign`` and the organiser ``actor`` (the sender is found by its region code, or ``unit``)."""
    if link is None:
        require(actor, "rollup.manage", campaign)
    target = link or campaign
    try:
        with _open_zip(fileobj) as archive:
            manifest = _manifest(archive)
            campaign, unit = _bound_sender(manifest, link=link, campaign=campaign, unit=unit)
            _check_files(archive, manifest)
            digest = _sha256_of(fileobj)
            package = ReceivedPackage.objects.filter(campaign=campaign, unit=unit).first()
            generated = parse_datetime(manifest["generated_at"])
            if package is not None and generated is not None and generated < package.generated_at \
                    and package.sha256 != digest:
                raise PackageRefused("older", _("This package was made at %(sent)s, before the one already received "
                                                "(%(held)s); only a newer package replaces it.")
                                     % {"sent": manifest["generated_at"], "held": package.generated_at.isoformat()},
                                     status=409)
            summary = ImportSummary(package_id=manifest["package_id"], dry_run=dry_run)
            plan = _plan(manifest, campaign=campaign, unit=unit, summary=summary)
            summary.package = "new" if package is None else ("unchanged" if package.sha256 == digest
                                                              else "updated")
            if dry_run:
                audit_record(action="rollup.package.dry_run", actor=actor, obj=link or package,
                             changes={"package_id": summary.package_id, **summary.as_dict()["counts"]})
                return summary.as_dict()
            if summary.package == "unchanged" and not plan:
                audit_record(action="rollup.package.unchanged", actor=actor, obj=package,
                             changes={"package_id": summary.package_id})
                return summary.as_dict()
            stored = {}
            for _record, entry in _file_entries(manifest):
                stored[entry["file"]] = _store(archive, entry)
    except PackageRefused as refusal:
        audit_record(action="rollup.package.refused", actor=actor, obj=target, outcome=AuditEntry.Outcome.FAILURE,
                     actor_name="" if actor else (link.unit.name if link else ""),
                     changes={"code": refusal.code, "reason": refusal.message, "dry_run": dry_run})
        raise
    _write(manifest=manifest, plan=plan, summary=summary, campaign=campaign, unit=unit, link=link, digest=digest,
           size=_size_of(fileobj), stored=stored, actor=actor)
    return summary.as_dict()


def _sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _size_of(fileobj) -> int:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _write(*, manifest, plan, summary, campaign, unit, link, digest, size, stored, actor) -> None:
    now = clock.now()
    entries = {entry["file"]: entry for _r, entry in _file_entries(manifest)}
    with transaction.atomic():
        package, created = ReceivedPackage.objects.select_for_update().get_or_create(
            campaign=campaign, unit=unit,
            defaults={"package_id": manifest["package_id"], "sha256": digest, "bytes": size,
                      "generated_at": parse_datetime(manifest["generated_at"]), "received_at": now,
                      "first_received_at": now, "link": link, "by_hand": link is None})
        package.package_id = manifest["package_id"]
        package.sha256, package.bytes = digest, size
        package.generated_at = parse_datetime(manifest["generated_at"])
        package.received_at = now
        package.link = link or package.link
        package.by_hand = link is None
        package.sender, package.sender_campaign = manifest["sender"], manifest["campaign"]
        package.figures, package.report = manifest["figures"], manifest["report"]
        package.save()
        for path in (manifest["report"]["docx"]["file"], manifest["report"]["workbook"]["file"]):
            entry = entries[path]
            ReceivedFile.objects.update_or_create(
                package=package, path=path,
                defaults={"record": None, "content_type": entry["content_type"], "sha256": entry["sha256"],
                          "bytes": entry["bytes"], "file": stored[path]})
        for _state, kind, entry, title, digest_ in plan:
            record, _created = ReceivedRecord.objects.update_or_create(
                campaign=campaign, stable_id=entry["id"],
                defaults={"package": package, "kind": kind, "content_hash": digest_, "title": title[:200],
                          "data": entry})
            record.files.all().delete()
            files = [f for f in (entry.get("photos") or []) + [entry.get("video"), entry.get("photo")] if f]
            ReceivedFile.objects.bulk_create([
                ReceivedFile(package=package, record=record, path=f["file"], content_type=f["content_type"],
                             sha256=f["sha256"], bytes=f["bytes"], file=stored[f["file"]]) for f in files])
        if summary.removed:
            ReceivedRecord.objects.filter(campaign=campaign, stable_id__in=summary.removed).delete()
        if link is not None:
            link.last_used_at = now
            fields = ["last_used_at"]
            if not link.sender_campaign:
                link.sender_campaign = manifest["campaign"]["slug"]
                fields.append("sender_campaign")
            link.save(update_fields=fields)
        audit_record(action="rollup.package.imported", actor=actor, obj=package,
                     actor_name="" if actor else unit.name,
                     changes={"package_id": package.package_id, "sha256": digest, "by_hand": link is None,
                              **summary.as_dict()["counts"]})


# --- the review of received activities (择优纳入) ----------------------------------------------------

TRANSITIONS = {
    (Decision.PENDING, "select"): Decision.SELECTED,
    (Decision.PENDING, "decline"): Decision.DECLINED,
    (Decision.SELECTED, "decline"): Decision.DECLINED,
    (Decision.DECLINED, "select"): Decision.SELECTED,
    (Decision.SELECTED, "reopen"): Decision.PENDING,
    (Decision.DECLINED, "reopen"): Decision.PENDING,
}
REASON_REQUIRED = {"select", "decline"}


def record_decide(*, actor, record: ReceivedRecord, action: str, reason: str = "") -> ReceivedRecord:
    """Select a received activity as a key activity (择优纳入), decline it, or reopen the decision."""
    require(actor, "rollup.manage", record.campaign)
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Give the reason: the city sees it.")})
    with transaction.atomic():
        record = ReceivedRecord.objects.select_for_update().get(pk=record.pk)
        target = TRANSITIONS.get((record.decision, action))
        if record.kind != RecordKind.ACTIVITY or target is None:
            raise TransitionNotAllowed(_("This decision cannot be made on this record now."))
        before = record.decision
        record.decision = target
        record.decision_reason = reason if target != Decision.PENDING else ""
        record.decided_at = clock.now()
        record.decided_by = actor
        record.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by", "updated_at"])
        audit_record(action=f"rollup.record.{action}", actor=actor, obj=record,
                     changes={"decision": [before, target], "reason": record.decision_reason})
    return record


# --- at the sending level: the link to the province, push and pull ---------------------------------

def province_link_save(*, actor, campaign, address: str, token: str = "") -> ProvinceLink:
    """Enter the province's address and the token it gave (kept encrypted; empty token keeps the old one)."""
    require(actor, "rollup.manage", campaign)
    address = address.strip().rstrip("/")
    with transaction.atomic():
        link = ProvinceLink.objects.select_for_update().filter(campaign=campaign).first()
        if link is None:
            link = ProvinceLink(campaign=campaign)
        changed = {"address": [link.address, address]}
        link.address = address
        if token.strip():
            link.token_encrypted = encrypt_text(token.strip(), purpose=TOKEN_PURPOSE)
            changed["token"] = "replaced"
        link.save()
        audit_record(action="rollup.province_link.saved", actor=actor, obj=link, changes=changed)
    return link


def province_token(link: ProvinceLink) -> str:
    return decrypt_text(link.token_encrypted, purpose=TOKEN_PURPOSE)


AUDITED_RESULT_KEYS = ("status", "package_id", "package", "counts", "code", "detail")


def push_record(*, actor, link: ProvinceLink, result: dict, ok: bool) -> None:
    """Note a push 「上报」 and its answer (audited whatever the outcome)."""
    ProvinceLink.objects.filter(pk=link.pk).update(last_push_at=clock.now(), last_push_result=result)
    audit_record(action="rollup.package.pushed", actor=actor, obj=link,
                 outcome=AuditEntry.Outcome.SUCCESS if ok else AuditEntry.Outcome.FAILURE,
                 changes={"address": link.address,
                          # the answer's figures, not its lists of record ids (those stay on the link's page)
                          **{key: result[key] for key in AUDITED_RESULT_KEYS if key in result}})


def decisions_apply(*, actor, link: ProvinceLink, decisions: list[dict], cursor: str) -> dict:
    """Apply the decisions pulled from the province to this level's activities (notifying their hosts)."""
    from activities.models import Activity
    from notifications.services import notify

    campaign = link.campaign
    prefix = f"{levels.region_code()}/{campaign.slug}/activity/"
    applied, skipped = [], []
    with transaction.atomic():
        for item in decisions:
            stable = str(item.get("id", ""))
            decision = item.get("decision")
            decided_at = parse_datetime(str(item.get("decided_at", "")))
            key = stable.removeprefix(prefix)
            if not stable.startswith(prefix) or not key.isdigit() or decision not in Decision.values \
                    or not isinstance(decided_at, datetime):
                skipped.append(stable)
                continue
            activity = Activity.objects.filter(campaign=campaign, pk=int(key)).select_related("unit").first()
            if activity is None:
                skipped.append(stable)
                continue
            reason = str(item.get("reason", ""))[:2000]
            current = ProvinceDecision.objects.filter(activity=activity).first()
            if current is not None and (current.decision, current.reason, current.decided_at) == (
                    decision, reason, decided_at):
                continue
            if decision == Decision.PENDING:
                if current is not None:
                    current.delete()
                    applied.append(stable)
                continue
            ProvinceDecision.objects.update_or_create(activity=activity, defaults={
                "decision": decision, "reason": reason, "decided_at": decided_at})
            applied.append(stable)
            title = (_("Selected as a provincial key activity: %(title)s") if decision == Decision.SELECTED
                     else _("Not selected by the province: %(title)s")) % {"title": activity.title}
            recipients = [m.user for m in activity.unit.memberships.select_related("user")]
            notify(recipients=recipients, title=title, body=reason, url=activity.get_absolute_url(),
                   kind=f"rollup.decision.{decision}")
        ProvinceLink.objects.filter(pk=link.pk).update(last_pull_at=clock.now(), pull_since=cursor or link.pull_since)
        audit_record(action="rollup.decisions.pulled", actor=actor, obj=link,
                     changes={"applied": applied, "skipped": skipped, "cursor": cursor})
    return {"applied": len(applied), "skipped": len(skipped)}
