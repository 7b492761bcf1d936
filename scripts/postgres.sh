# Sourced by scripts/run-tests, scripts/bench and scripts/soak: a throwaway PostgreSQL server.
#   start_postgres   initdb in a temporary folder, start on a free port, export DATABASE_URL
#   stop_postgres    stop it and delete the folder
# PostgreSQL refuses to run as root: as root, the server runs as the postgres user on a folder
# it owns. Missing binaries are installed with apt-get rather than skipped.
# Expects PYTHON (a Python to pick a free port with) and ARTIFACTS (a folder for logs).

as_root() { [ "$(id -u)" = 0 ]; }

die() {
  echo "ERROR: $*" >&2
  exit 1
}

apt_install() {
  as_root || die "$1 is missing and this user cannot install it; run: sudo apt-get install $*"
  echo "--- installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null ||
    die "apt-get could not install $*"
}

# PostgreSQL ---------------------------------------------------------------------------------------

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PG_ROOT=""
PG_AS=()

stop_postgres() {
  if [ -n "$PG_ROOT" ] && [ -d "$PG_ROOT/data" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_ROOT"
  fi
}

start_postgres() {
  PG_BIN=$(pg_bin_dir)
  if [ -z "$PG_BIN" ]; then
    apt_install postgresql
    PG_BIN=$(pg_bin_dir)
    [ -n "$PG_BIN" ] || die "PostgreSQL binaries not found after installing"
  fi
  PG_ROOT=$(mktemp -d /tmp/netfree-pg.XXXXXX)
  # PostgreSQL refuses to run as root: run it as the postgres user on a folder it owns.
  if as_root; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    chown postgres: "$PG_ROOT"
    chmod 700 "$PG_ROOT"
    PG_AS=(runuser -u postgres --)
  fi
  local port
  port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_ROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$ARTIFACTS/postgres-initdb.log" 2>&1 || {
    cat "$ARTIFACTS/postgres-initdb.log" >&2
    die "initdb failed"
  }
  # fsync off: a throwaway test cluster; a crash loses nothing of value.
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/server.log" -w -t 60 \
    -o "-p $port -k $PG_ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
    start >/dev/null || {
    cat "$PG_ROOT/server.log" >&2
    die "PostgreSQL did not start"
  }
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "--- PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port ($PG_ROOT)"
}

