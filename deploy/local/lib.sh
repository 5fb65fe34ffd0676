# Shared helpers of deploy/local/up, deploy/local/down and .ci/run. Sourced, never run.
# Callers set -euo pipefail themselves.

log()  { printf '%s [lookout] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@" || sudo "$@"
  else die "need root for: $* (no sudo found)"; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $* : not a Debian/Ubuntu machine (no apt-get); install it by hand"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# port_open PORT [HOST] — true when something accepts TCP connections there.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/${2:-127.0.0.1}/$1" >/dev/null 2>&1
}

# wait_until SECONDS DESCRIPTION COMMAND... — polls COMMAND once a second.
wait_until() {
  local limit=$1 what=$2; shift 2
  local start=$SECONDS
  until "$@"; do
    if [ $((SECONDS - start)) -ge "$limit" ]; then return 1; fi
    sleep 1
  done
  log "$what ready after $((SECONDS - start)) s"
}

PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAt)

postgres_answers() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1 || port_open 5432; }

ensure_postgres() {
  local installed_now=0
  if postgres_answers; then
    log "PostgreSQL answers on 127.0.0.1:5432"
  else
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
      apt_install postgresql
      installed_now=1
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    [ -n "$version" ] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"
    log "starting PostgreSQL $version/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_until 60 "PostgreSQL" postgres_answers || die "PostgreSQL did not start (see /var/log/postgresql/)"
    if [ "$installed_now" -eq 1 ]; then
      trust_local_postgres "$version"
    fi
  fi
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  if ! "${PSQL[@]}" -d postgres -c 'select 1' >/dev/null 2>&1; then
    die "cannot connect as postgres@127.0.0.1:5432 without a password; Lookout's local defaults expect trust auth for 127.0.0.1 (pg_hba.conf: 'host all postgres 127.0.0.1/32 trust'), or set PGPASSWORD and QUARKUS_DATASOURCE_PASSWORD"
  fi
}

# A PostgreSQL we installed ourselves: let the local postgres user in without a password, as on our dev machines.
trust_local_postgres() {
  local hba=/etc/postgresql/$1/main/pg_hba.conf
  if ! as_root grep -q '^host all postgres 127.0.0.1/32 trust' "$hba"; then
    log "pg_hba.conf: trust postgres on 127.0.0.1 and ::1 (freshly installed local database)"
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$1" main reload
  fi
}

ensure_database() {
  local db=$1
  if [ -z "$("${PSQL[@]}" -d postgres -c "select 1 from pg_database where datname = '$db'")" ]; then
    log "creating database $db"
    "${PSQL[@]}" -d postgres -c "create database \"$db\""
  fi
}

rabbitmq_answers() { port_open 5672; }

ensure_rabbitmq() {
  if rabbitmq_answers; then
    log "RabbitMQ answers on 127.0.0.1:5672"
    return
  fi
  command -v rabbitmq-server >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    apt_install rabbitmq-server
    # apt may have started it through its init script already
    if wait_until 20 "RabbitMQ" rabbitmq_answers; then return; fi
  fi
  log "starting RabbitMQ"
  as_root rabbitmq-plugins enable --offline rabbitmq_management >/dev/null 2>&1 || true
  as_root rabbitmq-server -detached || true
  as_root rabbitmqctl await_startup >/dev/null 2>&1 || true
  wait_until 90 "RabbitMQ" rabbitmq_answers || die "RabbitMQ did not start (see /var/log/rabbitmq/)"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  # without a CJK font the Chinese demo questions render as boxes in the browser tests' screenshots
  if [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
    apt_install fonts-wqy-zenhei
  fi
}

# The training-loop system test runs a real PyTorch loop in a venv made by the README's install line: Debian's
# python3-torch installs into /usr/bin/python3 only, and its venv module needs python3-venv.
ensure_python_torch() {
  if ! /usr/bin/python3 -c 'import torch, venv, ensurepip' >/dev/null 2>&1; then
    apt_install python3-torch python3-venv
  fi
}

# ---- processes started by deploy/local/up: one pid file per component in $PIDS (line 1 pid, line 2 a
# string its command line must contain, so a recycled pid is never killed).

pid_of() {   # prints the pid of a running component, or nothing
  local file=$PIDS/$1.pid pid marker
  [ -f "$file" ] || return 0
  pid=$(sed -n 1p "$file"); marker=$(sed -n 2p "$file")
  if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"; then
    echo "$pid"
  fi
}

# descendants PID — the pid's children, grandchildren, … (kc.sh runs Java as its child)
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    echo "$child"; descendants "$child"
  done
}

alive() {   # running and not a zombie
  [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

stop_component() {
  local name=$1 pid pids p
  pid=$(pid_of "$name")
  if [ -z "$pid" ]; then rm -f "$PIDS/$name.pid"; return 0; fi
  pids="$pid $(descendants "$pid" | tr '\n' ' ')"
  log "stopping $name (pid $pids)"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local start=$SECONDS
  for p in $pids; do
    while alive "$p"; do
      if [ $((SECONDS - start)) -ge 30 ]; then kill -KILL "$p" 2>/dev/null || true; break; fi
      sleep 0.5
    done
  done
  rm -f "$PIDS/$name.pid"
}
