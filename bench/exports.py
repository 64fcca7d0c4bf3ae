"""How fast and how lean are the raw exports? Prints figures; asserts nothing.

    .venv/bin/python bench/exports.py                         # 100,000 rows on a scratch SQLite file
    .venv/bin/python bench/exports.py --database-url postgres://postgres@127.0.0.1:5432/sciday_bench_exports
                                                              # PostgreSQL (a scratch database: it is migrated)
    .venv/bin/python bench/exports.py --n 5000                # a quick look
    .venv/bin/python bench/exports.py --sqlite-path /tmp/x.sqlite3 --profile surveys-xlsx   # where the time goes

Target (the brief): a raw export streams 100,000 rows in at most 10 s with less than 100 MB of peak
RSS growth, on this 2-core machine. Steps: a scratch database is migrated, the 2022 campaign and
questionnaire are loaded, N activities (bench/activities.py's generator) and N survey responses
(surveys.generate, bulk inserts) are inserted; then each export runs in a fresh process, exactly as its
view builds it and with the file read to the end as the response sends it: the activities .xlsx, the
survey's raw responses .xlsx (with its codebook sheet) and .csv. Each process reports its time, its SQL
queries and its peak RSS growth (VmHWM after minus before, the set-up and a warm-up export of a few rows
being done first). Beside each export, in the same run, the floor: openpyxl write-only (or csv.writer)
writing the same number of rows of the same width, taken in turn from the export's first 1,000 data
rows held in memory, with nothing read from the database; for the .xlsx also "raw", the same cells as
bare sheet XML (a lower bound), and "stream", core.xlsx_stream (what the .xlsx exports now use: it
replaced openpyxl there, which alone took 8-12 s of CPU for 100,000 rows) writing those rows from
memory. With --repeat, the best time of each is shown.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.activities import environment, peak_rss_kib, populate, setup  # noqa: E402

EXPORTS = ("activities-xlsx", "surveys-xlsx", "surveys-csv")


# --- data ---------------------------------------------------------------------------------------------------

def prepare(n: int) -> dict:
    """Migrate and fill the scratch database (once: a database that has the rows already is reused)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from activities.models import Activity
    from surveys.generate import responses_generate
    from surveys.models import Answer, Survey
    from surveys.seeding import survey_load_seed
    from surveys.selectors import questions_of

    began = time.perf_counter()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    reused = Activity.objects.exists()
    if not reused:
        populate(n)
    inserted = time.perf_counter()
    survey = Survey.objects.get(pk=survey_load_seed(slug="qingdao-2022")[0].pk)
    responses = survey.responses.count()
    if responses < n:
        responses_generate(survey=survey, questions=questions_of(survey), count=n - responses, seed=responses + 1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # as autovacuum would after a while
            for table in ("activities_activity", "surveys_response", "surveys_answer"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
    return {"organiser": get_user_model().objects.get(username="bench-organiser").pk, "survey": survey.pk,
            "activities": Activity.objects.count(), "responses": survey.responses.count(),
            "answers": Answer.objects.filter(response__survey=survey).count(),
            "reused": reused, "activities_seconds": round(inserted - began, 1),
            "responses_seconds": round(time.perf_counter() - inserted, 1)}


# --- one measurement, in a process of its own ---------------------------------------------------------------

def _builder(kind: str, data: dict):
    """A function building the export ``kind`` for ``limit`` rows (None: all) and returning a file-like
    object to read to the end, the way its view does."""
    from django.contrib.auth import get_user_model

    if kind == "activities-xlsx":
        from activities import excel, selectors

        organiser = get_user_model().objects.get(pk=data["organiser"])

        def build(limit=None):
            activities = selectors.activity_list(user=organiser)
            return excel.export_file(activities if limit is None else activities[:limit])

        return build

    from surveys import exports, selectors
    from surveys.models import Survey

    survey = Survey.objects.get(pk=data["survey"])
    questions = selectors.questions_of(survey)
    exporter = exports.EXPORTERS[kind.split("-")[1]]

    def build(limit=None):
        # The warm-up asks for the responses before the survey opened: none, but every query runs.
        filters = selectors.Filters() if limit is None else selectors.Filters(
            date_to=survey.opens_at.date() - datetime.timedelta(days=1))
        response = exporter(survey=survey, questions=questions, filters=filters)
        return _Chunks(response.streaming_content)

    return build


class _Chunks:
    """The streaming content of a response, read like a file."""

    def __init__(self, chunks):
        self.chunks = iter(chunks)

    def read(self, _size=-1) -> bytes:
        return next(self.chunks, b"")

    def close(self):
        pass


SAMPLE_ROWS = 1000


def sample_rows(kind: str, data: dict) -> list[list]:
    """The export's first SAMPLE_ROWS data rows (the floor writes them over and over)."""
    if kind == "activities-xlsx":
        from django.contrib.auth import get_user_model

        from activities import excel, selectors

        rows = excel.export_rows(selectors.activity_list(user=get_user_model().objects.get(pk=data["organiser"])))
    else:
        from surveys import exports, selectors
        from surveys.models import Survey

        survey = Survey.objects.get(pk=data["survey"])
        rows = exports.raw_rows(survey=survey, questions=selectors.questions_of(survey), filters=selectors.Filters())
    next(rows)
    sample = [row for _i, row in zip(range(SAMPLE_ROWS), rows, strict=False)]
    rows.close()
    return sample


def raw_sheet(rows, handle) -> None:
    """The cells of ``rows`` as bare SpreadsheetML in a deflated zip member, without openpyxl: what writing
    the same cells costs at least in Python (a lower bound for comparison, not a whole workbook)."""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i) for i in range(1, 200)]
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
        sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for r, row in enumerate(rows, start=1):
            parts = [f'<row r="{r}">']
            for i, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    parts.append(f'<c r="{letters[i]}{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
                else:
                    parts.append(f'<c r="{letters[i]}{r}" t="n"><v>{value}</v></c>')
            parts.append("</row>")
            sheet.write("".join(parts).encode())
        sheet.write(b"</sheetData></worksheet>")


def floor(kind: str, sample: list[list], n: int, how: str = "openpyxl"):
    """openpyxl write-only (or csv.writer, or with ``how="raw"`` bare XML, or with ``how="stream"``
    core.xlsx_stream) writing ``n`` rows, taken in turn from ``sample``, to a temporary file."""
    rows = (sample[i % len(sample)] for i in range(n))
    if how == "raw":
        handle = tempfile.TemporaryFile()  # noqa: SIM115
        raw_sheet(rows, handle)
        return handle
    if how == "stream":
        from core.xlsx_stream import XlsxStreamWriter

        handle = tempfile.TemporaryFile()  # noqa: SIM115
        with XlsxStreamWriter(handle) as workbook:
            workbook.add_sheet("floor").extend(rows)
        return handle
    if kind.endswith("csv"):
        import csv
        import io

        handle = tempfile.TemporaryFile()  # noqa: SIM115
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        csv.writer(text).writerows(rows)
        text.flush()
        return text.detach()
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("floor")
    for row in rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    return handle


def _drain(handle) -> int:
    size = 0
    if hasattr(handle, "seek"):
        handle.seek(0)
    while block := handle.read(1 << 16):
        size += len(block)
    handle.close()
    return size


def child(kind: str, data: dict, sample: list | None, n: int, profile: bool, how: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if sample is None:
        build = _builder(kind, data)
        _drain(build(limit=5))  # warm-up: imports, translations, the first queries
        work = build
    else:
        _drain(floor(kind, sample, 5, how))

        def work():
            return floor(kind, sample, n, how)

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    before = peak_rss_kib()
    with CaptureQueriesContext(connection) as queries:
        began, cpu = time.perf_counter(), time.process_time()
        size = _drain(work())
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    after = peak_rss_kib()
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
            int(os.environ.get("ROWS", "30")))
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "queries": len(queries), "mib": round(size / 2**20, 1),
                      "rss_before_mib": round(before / 1024, 1), "rss_growth_mib": round((after - before) / 1024, 1)}))


def run_child(env: dict, kind: str, data: dict, *, sample=None, n: int = 0, how: str = "openpyxl",
              profile: bool = False) -> dict:
    """Measure in a fresh process: the export ``kind``, or (with ``sample``) its floor of ``n`` rows."""
    args = [sys.executable, __file__, "--child", kind, "--child-data", json.dumps(data), "--n", str(n)]
    if sample is not None:
        args += ["--floor", how]
    if profile:
        args.append("--child-profile")
    done = subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE,
                          stderr=None if profile else subprocess.PIPE, text=True,
                          input=json.dumps(sample, ensure_ascii=False) if sample is not None else "")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="activities and responses (default 100,000)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--sqlite-path", help="keep the SQLite file here (reused, not refilled, if it has the rows)")
    parser.add_argument("--only", choices=EXPORTS, action="append", help="measure only this export (repeatable)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each export and floor (the best is shown)")
    parser.add_argument("--profile", choices=EXPORTS, help="only profile this export (cProfile, to stderr)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-data", help=argparse.SUPPRESS)
    parser.add_argument("--floor", choices=("openpyxl", "raw", "stream"), help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup(dict(os.environ))
        child(args.child, json.loads(args.child_data), json.loads(sys.stdin.read()) if args.floor else None,
              args.n, args.child_profile, args.floor or "")
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(args.database_url, args.sqlite_path or f"{tmp}/bench.sqlite3")
        setup(env)
        from django.conf import settings
        from django.db import connection

        data = prepare(args.n)
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; "
              f"{data['activities']:,} activities, {data['responses']:,} responses with {data['answers']:,} answer "
              "rows " + ("(already there)" if data["reused"] else
                         f"(inserted in {data['activities_seconds']} s and {data['responses_seconds']} s)"))
        ids = {"organiser": data["organiser"], "survey": data["survey"]}
        if args.profile:
            connection.close()
            print(json.dumps(run_child(env, args.profile, ids, profile=True)))
            return
        counts = {"activities-xlsx": data["activities"], "surveys-xlsx": data["responses"],
                  "surveys-csv": data["responses"]}
        print("\ns: wall seconds (the target); cpu: the process's CPU seconds (steadier on a shared machine);"
              "\nRSS+: peak RSS growth; floor: openpyxl write-only (csv.writer for .csv) writing rows of the same"
              "\nshape from memory; raw: the same cells as bare XML without openpyxl (a lower bound); stream:"
              "\ncore.xlsx_stream (the .xlsx exports' writer) writing them from memory")
        print(f"\n{'export':16} {'rows':>8} {'cols':>4} {'s':>6} {'cpu':>6} {'RSS+':>5} {'SQL':>4} {'MiB':>5} | "
              f"{'floor s':>7} {'cpu':>6} {'RSS+':>5} | {'raw s':>6} {'cpu':>5} | {'stream s':>8} {'cpu':>5}")
        results = {}
        for kind in args.only or EXPORTS:
            sample = sample_rows(kind, ids)
            connection.close()
            runs: dict[str, list] = {"export": [], "floor": [], "raw": [], "stream": []}
            for _ in range(args.repeat):
                runs["export"].append(run_child(env, kind, ids))
                runs["floor"].append(run_child(env, kind, ids, sample=sample, n=counts[kind]))
                if kind.endswith("xlsx"):
                    runs["raw"].append(run_child(env, kind, ids, sample=sample, n=counts[kind], how="raw"))
                    runs["stream"].append(run_child(env, kind, ids, sample=sample, n=counts[kind], how="stream"))
            best = {what: min(found, key=lambda r: r["seconds"]) if found else None for what, found in runs.items()}
            results[kind] = {**best, "rows": counts[kind], "columns": len(sample[0])}
            export, bare, raw, stream = best["export"], best["floor"], best["raw"], best["stream"]
            raw_text = f"{raw['seconds']:6.1f} {raw['cpu_seconds']:5.1f}" if raw else " " * 12
            stream_text = f"{stream['seconds']:8.1f} {stream['cpu_seconds']:5.1f}" if stream else ""
            print(f"{kind:16} {counts[kind]:8,} {len(sample[0]):4} {export['seconds']:6.1f} "
                  f"{export['cpu_seconds']:6.1f} {export['rss_growth_mib']:5.0f} {export['queries']:4} "
                  f"{export['mib']:5.1f} | {bare['seconds']:7.1f} {bare['cpu_seconds']:6.1f} "
                  f"{bare['rss_growth_mib']:5.0f} | {raw_text} | {stream_text}", flush=True)
        print(json.dumps({"data": data, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
