"""gunicorn settings for one sciday app server: `gunicorn -c deploy/gunicorn.conf.py sciday.wsgi`.

Every figure can be overridden by the environment (systemd's EnvironmentFile, deploy/sciday.env).
"""

import multiprocessing
import os

# Listen where nginx's upstream expects this server (deploy/nginx/sciday.conf); never on a public address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, about four per core: a request mostly waits for PostgreSQL (a survey submission for
# its commit to reach the disk), so more processes than cores keep the cores busy
# (bench/survey_submit.py --workers N measured 8 well ahead of 4 on two cores).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 4))
worker_class = "sync"

# A request taking longer is killed and logged: exports run in the task workers, never here, so a
# page has no reason to take 30 s. graceful_timeout: on SIGTERM/SIGHUP a worker finishes its request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5  # behind nginx's keepalive upstream connections

# Recycle workers now and then (with jitter so they do not restart together): bounds slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500

# Graceful reload: `systemctl reload sciday-app@8000` sends SIGHUP; gunicorn starts new workers with
# the new code and stops the old ones after their current request. preload_app stays off so that a
# reload really reads the new code.
preload_app = False

# Access log: one line per request with nginx's request id (X-Request-ID) and the duration in
# microseconds (%(D)s); the app's own JSON line (ops.middleware) carries the same id and the user id.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(D)sus request_id=%({x-request-id}i)s ' 'ua="%(a)s"'
)
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# nginx on the same host sets X-Forwarded-Proto; sciday reads X-Forwarded-For itself
# (SCIDAY_TRUSTED_PROXIES), gunicorn only needs to trust the scheme header from nginx.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "sciday")
