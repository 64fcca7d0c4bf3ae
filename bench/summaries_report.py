"""Summaries at scale: the consolidated report (.docx) and the workbook (.xlsx) for 1,000 units and
100,000 activities. Prints figures; asserts nothing.

    .venv/bin/python bench/summaries_report.py                 # scratch SQLite file, 1,000 units, 100,000 activities
    .venv/bin/python bench/summaries_report.py --n 10000       # a quick look
    .venv/bin/python bench/summaries_report.py --database-url postgres://postgres@127.0.0.1:5432/sciday_bench_sum

Steps: a scratch database is migrated and the 2022 campaign loaded; 1,000 units (every type and
district), N activities (spread over categories, modes and states, participants and views on the
held ones), 20 % of N check-ins, 5 % of N media reports and 800 summaries (with starred highlights)
are bulk-inserted. Then each builder runs once, timed, with tracemalloc's peak of Python objects
and the process's VmHWM (peak resident memory) before and after.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import bench_env  # noqa: E402


def vm_hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def populate(n: int, units_n: int = 1000, seed: int = 2022) -> dict:
    import datetime

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from activities.models import Activity, CheckIn, MediaCoverage, Mode, State
    from campaigns.models import ActivityForm, Campaign
    from campaigns.seeding import campaign_load_seed
    from organisations.models import District, Unit, UnitType
    from summaries.models import Highlight, Summary, SummaryState

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the database cache the settings use without Redis
    campaign_load_seed(slug="qingdao-2022")
    campaign = Campaign.objects.get(slug="qingdao-2022")
    rng = random.Random(seed)
    districts = list(District.objects.all())
    forms = list(ActivityForm.objects.filter(category__campaign=campaign).select_related("category"))
    types = [t for t, _label in UnitType.choices]
    Unit.objects.bulk_create([Unit(name=f"基准单位{i:04d}", unit_type=types[i % len(types)],
                                   district=districts[i % len(districts)]) for i in range(units_n)],
                             batch_size=1000)
    units = list(Unit.objects.all())
    states = [State.HELD] * 5 + [State.APPROVED] * 3 + [State.CANCELLED, State.RECOMMENDED, State.RECOMMENDED_UP,
                                                         State.DRAFT]
    start = timezone.make_aware(datetime.datetime(2022, 5, 11, 9))
    began = time.perf_counter()
    for first in range(0, n, 5000):
        batch = []
        for i in range(first, min(n, first + 5000)):
            form = rng.choice(forms)
            state = rng.choice(states)
            held = state in (State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP)
            starts = start + datetime.timedelta(days=rng.randrange(40), hours=rng.randrange(10))
            batch.append(Activity(
                campaign=campaign, unit=units[i % len(units)], category=form.category, form=form,
                title=f"基准活动{i}", mode=rng.choice([Mode.ONLINE, Mode.OFFLINE, Mode.HYBRID]), starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2), contact_person="李老师", contact_phone="13912345678",
                description="面向社区居民的科普活动。", state=state,
                actual_participants=rng.randint(10, 500) if held else None,
                online_views=rng.randint(0, 5000) if held else None))
        with transaction.atomic():
            Activity.objects.bulk_create(batch)
    ids = list(Activity.objects.filter(state__in=[State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP])
               .values_list("pk", flat=True))
    with transaction.atomic():
        CheckIn.objects.bulk_create([CheckIn(activity_id=ids[i % len(ids)], name="张三", phone=f"139{i:08d}")
                                     for i in range(n // 5)], batch_size=5000)
        MediaCoverage.objects.bulk_create([
            MediaCoverage(activity_id=ids[(i * 7) % len(ids)], outlet="青岛日报", title=f"报道{i}",
                          date=datetime.date(2022, 5, 31)) for i in range(n // 20)], batch_size=5000)
        summary_states = list(SummaryState.values)
        summaries = Summary.objects.bulk_create([
            Summary(campaign=campaign, unit=unit, office=campaign.office_for(unit.unit_type),
                    state=summary_states[i % len(summary_states)], is_late=i % 13 == 0, work_done="开展了活动。")
            for i, unit in enumerate(units[:800])])
        Highlight.objects.bulk_create([Highlight(summary=s, title=f"亮点{i}", text="成效明显。", is_starred=i % 20 == 0)
                                       for i, s in enumerate(summaries)])
    return {"insert_seconds": round(time.perf_counter() - began, 1)}


def measure(name: str, build) -> dict:
    """Time one build on its own (tracemalloc slows Python down), then build again under tracemalloc."""
    hwm_before = vm_hwm_kib()
    began = time.perf_counter()
    content = build()
    seconds = time.perf_counter() - began
    hwm_after = vm_hwm_kib()
    tracemalloc.start()
    build()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"file": name, "seconds": round(seconds, 2), "bytes": len(content),
            "tracemalloc_peak_mib": round(peak / 2**20, 1), "vmhwm_before_mib": round(hwm_before / 1024, 1),
            "vmhwm_after_mib": round(hwm_after / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="activities")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="sciday-bench-summaries-")
    env = bench_env(SCIDAY_CLOCK="2022-06-16T10:00+08:00", ALLOWED_HOSTS="127.0.0.1,localhost")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = os.path.join(scratch, "bench.sqlite3")
    os.environ.update(env)
    if not args.database_url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.utils import translation

    from campaigns.models import Campaign
    from summaries.reports import consolidated_docx, workbook_xlsx

    try:
        figures = {"activities": args.n, "units": args.units, **populate(args.n, args.units)}
        campaign = Campaign.objects.get(slug="qingdao-2022")
        with translation.override("zh-hans"):
            figures["report"] = measure("consolidated-report.docx", lambda: consolidated_docx(campaign=campaign))
            figures["workbook"] = measure("figures.xlsx", lambda: workbook_xlsx(campaign=campaign))
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)  # the scratch database and anything written beside it


if __name__ == "__main__":
    main()
