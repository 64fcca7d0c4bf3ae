"""sciday's own Prometheus figures, read when Prometheus scrapes (nothing is counted on the hot path).

django-prometheus gives requests by view and status, latency, and database calls (its database
wrapper, switched on with SCIDAY_METRICS); cache calls are counted by ops.cache.MeteredRedisCache.
Here: the task queue's depth and the exports in progress.
"""

from prometheus_client.core import REGISTRY, GaugeMetricFamily

_registered = False


class SciDayCollector:
    def describe(self):
        # Names only: prometheus_client calls this at registration (in AppConfig.ready), so no query here.
        yield GaugeMetricFamily("sciday_task_queue_depth", "Tasks waiting for a worker", labels=["status"])
        yield GaugeMetricFamily("sciday_exports_in_progress", "Exports queued or running")

    def collect(self):
        from django.db import DatabaseError

        try:
            from django_tasks.base import TaskResultStatus
            from django_tasks_db.models import DBTaskResult

            from summaries.models import Export, ExportStatus

            ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
            running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
            exports = Export.objects.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).count()
        except DatabaseError:
            return
        queue = GaugeMetricFamily("sciday_task_queue_depth", "Tasks waiting for a worker", labels=["status"])
        queue.add_metric(["ready"], ready)
        queue.add_metric(["running"], running)
        yield queue
        yield GaugeMetricFamily("sciday_exports_in_progress", "Exports queued or running", value=exports)


def register():
    global _registered
    if not _registered:
        REGISTRY.register(SciDayCollector())
        _registered = True
