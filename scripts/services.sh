#!/usr/bin/env bash
# Source this: exports DATABASE_URL and REDIS_URL for the test suite. Uses PostgreSQL and Redis
# where they answer (the given URLs or 127.0.0.1:5432 / 6379); otherwise installs and starts
# throwaway ones under var/services, on ports of their own.
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
host_port() { python3 -c "import sys, urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(p.hostname or '127.0.0.1', p.port or sys.argv[2])" "$1" "$2"; }

services_dir="$(pwd)/var/services"
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo

# PostgreSQL ---------------------------------------------------------------------------------
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/jiedao}"
read -r pg_host pg_port < <(host_port "$DATABASE_URL" 5432)
if ! answers "$pg_host" "$pg_port"; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  pg_port=55432; pgdata="$services_dir/pg"
  if ! answers 127.0.0.1 $pg_port; then
    echo "Starting a throwaway PostgreSQL on port $pg_port"
    rm -rf "$pgdata"; mkdir -p "$pgdata"; chown postgres "$pgdata" "$services_dir" 2>/dev/null || true
    run_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    run_pg "$bin/initdb" -D "$pgdata" -U postgres -A trust >/dev/null
    run_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1" -w start >/dev/null
  fi
  DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/jiedao"
fi
export DATABASE_URL

# Redis --------------------------------------------------------------------------------------
: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
read -r redis_host redis_port < <(host_port "$REDIS_URL" 6379)
if ! answers "$redis_host" "$redis_port"; then
  command -v redis-server >/dev/null || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server; }
  redis_port=56379
  if ! answers 127.0.0.1 $redis_port; then
    echo "Starting a throwaway Redis on port $redis_port"
    mkdir -p "$services_dir"
    redis-server --daemonize yes --bind 127.0.0.1 --port $redis_port --save "" --appendonly no \
      --dir "$services_dir" --logfile "$services_dir/redis.log"
    for _ in $(seq 50); do answers 127.0.0.1 $redis_port && break; sleep 0.1; done
  fi
  REDIS_URL="redis://127.0.0.1:$redis_port/0"
fi
export REDIS_URL
