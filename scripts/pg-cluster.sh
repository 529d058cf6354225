#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 cluster for tests and benchmarks, and prints its URL.
#   scripts/pg-cluster.sh start DIR   → prints postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh restart DIR [fast|immediate]   (same port and settings; waits until it accepts connections)
#   scripts/pg-cluster.sh stop DIR
# PostgreSQL refuses to run as root, so the cluster runs as the `postgres` user when we are root.
set -euo pipefail
cmd=${1:?start|restart|stop}
dir=${2:?directory}

find_bin() {
  for candidate in "$(command -v "$1" 2>/dev/null || true)" /usr/lib/postgresql/*/bin/"$1" /usr/local/bin/"$1"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  echo "PostgreSQL's $1 not found (apt-get install -y postgresql)" >&2
  return 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "$cmd" in
  start)
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_pg "'$initdb' -D '$dir/data' -U postgres --auth=trust --no-sync -E UTF8 >'$dir/initdb.log' 2>&1"
    as_pg "'$pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null"
    echo "$port" > "$dir/port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  restart)
    pg_ctl=$(find_bin pg_ctl)
    mode=${3:-fast}
    case "$mode" in fast|immediate|smart) ;; *) echo "restart mode: fast|immediate|smart" >&2; exit 2 ;; esac
    # pg_ctl restart starts the server again with the options it was started with (postmaster.opts).
    as_pg "'$pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -m $mode restart >/dev/null"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl)
    if [ -d "$dir/data" ]; then as_pg "'$pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1" || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|restart|stop DIR" >&2; exit 2 ;;
esac
