#!/usr/bin/env bash
# manage.py of this release with the services' environment, as the services' user:
#   /srv/jiedao/current/deploy/manage.sh migrate --no-input
# Reads JIEDAO_ENV_FILE (default /etc/jiedao/jiedao.env) line by line, without shell expansion,
# as systemd's EnvironmentFile does; run it as root (it switches to JIEDAO_USER, default jiedao).
set -euo pipefail
release=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
env_file=${JIEDAO_ENV_FILE:-/etc/jiedao/jiedao.env}
user=${JIEDAO_USER:-jiedao}
while IFS= read -r line || [[ -n $line ]]; do
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  export "${line%%=*}=${line#*=}"
done <"$env_file"
cd "$release"
if [[ $(id -un) == "$user" ]]; then
  exec .venv/bin/python manage.py "$@"
fi
exec runuser -u "$user" -- .venv/bin/python manage.py "$@"
