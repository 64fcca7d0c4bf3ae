#!/usr/bin/env bash
# `make cluster` / `make cluster-stop`: the production shape on one machine.
#   nginx on CLUSTER_LISTEN (127.0.0.1:8080) -> CLUSTER_APP_PORTS (two gunicorn app servers)
#   two task workers (manage.py db_worker), PostgreSQL database CLUSTER_DB, Redis CLUSTER_REDIS_URL,
#   uploads in var/cluster/media, a directory both app servers share (see docs/deployment.md).
# Everything it starts keeps its pid in var/cluster/*.pid; `stop` ends exactly those.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUN=${CLUSTER_RUN:-$ROOT/var/cluster}
LISTEN=${CLUSTER_LISTEN:-127.0.0.1:8080}
APP_PORTS=${CLUSTER_APP_PORTS:-"8111 8112"}
WORKERS=${CLUSTER_WORKERS:-2}
DB=${CLUSTER_DB:-sciday_cluster}
PGURL=${CLUSTER_PG:-postgres://postgres@127.0.0.1:5432}
REDIS=${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379/11}
CLOCK=${CLUSTER_CLOCK:-2022-05-20T10:00+08:00}
PY=$ROOT/.venv/bin/python

stop_pidfile() {  # a pid file of ours: TERM the process, wait, then KILL
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  if [ -f "$RUN/nginx.pid" ]; then nginx -p "$RUN" -c "$RUN/nginx.conf" -s quit 2>/dev/null || true; sleep 0.5; fi
  stop_pidfile "$RUN/nginx.pid"
  for f in "$RUN"/app-*.pid "$RUN"/worker-*.pid; do [ -e "$f" ] && stop_pidfile "$f"; done
  echo "cluster stopped"
}

write_env() {
  mkdir -p "$RUN/media" "$RUN/static" "$RUN/nginx-tmp" "$RUN/logs"
  [ -s "$RUN/secret_key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(64))" > "$RUN/secret_key"
  cat > "$RUN/env" <<ENV
DEBUG=0
SECRET_KEY=$(cat "$RUN/secret_key")
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://$LISTEN,http://localhost:${LISTEN##*:}
SCIDAY_SITE_URL=http://$LISTEN
DATABASE_URL=$PGURL/$DB
REDIS_URL=$REDIS
MEDIA_ROOT=$RUN/media
STATIC_ROOT=$RUN/static
SCIDAY_ACCEL_REDIRECT=1
SCIDAY_TRUSTED_PROXIES=1
SECURE_SSL_REDIRECT=0
SECURE_HSTS_SECONDS=0
SCIDAY_CLOCK=$CLOCK
SCIDAY_LOG_FORMAT=json
SCIDAY_REQUEST_LOG=${CLUSTER_REQUEST_LOG:-1}
SCIDAY_METRICS=${CLUSTER_METRICS:-1}
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
GUNICORN_WORKERS=${CLUSTER_APP_WORKERS:-3}
GUNICORN_ACCESS_LOG=${CLUSTER_ACCESS_LOG:--}
ENV
}

load_env() { set -a; . "$RUN/env"; set +a; }

prepare() {
  psql -q "$PGURL/postgres" -tc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || psql -q "$PGURL/postgres" -c "CREATE DATABASE $DB"
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py createcachetable
  "$PY" manage.py collectstatic --noinput -v 0
  if [ ! -f "$RUN/loaded" ]; then
    "$PY" manage.py load_holidays
    "$PY" manage.py load_campaign qingdao-2022
    # load_demo refuses with DEBUG off (production); the demo is what a newcomer looks at here.
    DEBUG=1 "$PY" manage.py load_demo
    touch "$RUN/loaded"
  fi
}

start_app() {  # port
  local port=$1
  GUNICORN_BIND=127.0.0.1:$port GUNICORN_PROC_NAME=sciday-cluster-$port \
    "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py sciday.wsgi \
    --daemon --pid "$RUN/app-$port.pid" --error-logfile "$RUN/logs/app-$port.log" \
    --access-logfile "$RUN/logs/app-$port.access.log" --capture-output
}

wait_ready() {  # url
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null -m 5 "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "not ready: $1" >&2; return 1
}

start() {
  stop >/dev/null 2>&1 || true
  write_env
  load_env
  prepare
  upstreams=""
  for port in $APP_PORTS; do
    start_app "$port"
    upstreams+="        server 127.0.0.1:$port max_fails=3 fail_timeout=10s;"$'\n'
  done
  for i in $(seq 1 "$WORKERS"); do
    nohup "$PY" manage.py db_worker --interval 1 --worker-id "cluster-$i" > "$RUN/logs/worker-$i.log" 2>&1 &
    echo $! > "$RUN/worker-$i.pid"
  done
  sed -e "s|@RUN@|$RUN|g" -e "s|@LISTEN@|$LISTEN|g" -e "s|@STATIC@|$RUN/static|g" -e "s|@MEDIA@|$RUN/media|g" \
    deploy/cluster/nginx.conf.in | awk -v ups="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' \
    > "$RUN/nginx.conf"
  nginx -t -q -p "$RUN" -c "$RUN/nginx.conf"
  for port in $APP_PORTS; do wait_ready "http://127.0.0.1:$port/readyz"; done
  nginx -p "$RUN" -c "$RUN/nginx.conf"
  wait_ready "http://$LISTEN/readyz"
  echo "sciday cluster: http://$LISTEN/  (app servers: $APP_PORTS; workers: $WORKERS; database: $DB; clock: $CLOCK)"
  echo "readiness: $(curl -fsS "http://$LISTEN/readyz")"
  echo "metrics (operator only): http://127.0.0.1:${APP_PORTS%% *}/metrics   stop: make cluster-stop"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart-app)  # port: restart one app server (used by bench/deadline_surge.py)
    load_env; stop_pidfile "$RUN/app-$2.pid"; start_app "$2"; wait_ready "http://127.0.0.1:$2/readyz" ;;
  *) echo "usage: $0 start|stop|restart-app PORT" >&2; exit 2 ;;
esac
