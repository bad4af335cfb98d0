#!/usr/bin/env bash
# Fills this installation's values into deploy's nginx site and systemd units and writes them to
# OUTPUT_DIR (nginx/jiedao.conf, systemd/jiedao-*.service). Values come from the environment; the
# defaults are the layout of docs/deploy.md. Only ${JIEDAO_…} is replaced: nginx's and systemd's
# own $variables stay as they are.
set -euo pipefail
out=${1:?usage: deploy/render.sh OUTPUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

: "${JIEDAO_DOMAIN:?set JIEDAO_DOMAIN to the host name of the portal}"
export JIEDAO_DOMAIN
export JIEDAO_HOME=${JIEDAO_HOME:-/srv/jiedao}                 # releases/, current -> releases/<r>
export JIEDAO_STATIC_ROOT=${JIEDAO_STATIC_ROOT:-$JIEDAO_HOME/static}  # must equal STATIC_ROOT in the env file
export JIEDAO_ENV_FILE=${JIEDAO_ENV_FILE:-/etc/jiedao/jiedao.env}
export JIEDAO_RUN_DIR=${JIEDAO_RUN_DIR:-/run/jiedao}            # gunicorn's socket (systemd's RuntimeDirectory)
export JIEDAO_STATE_DIR=${JIEDAO_STATE_DIR:-/var/lib/jiedao}    # celery beat's schedule (StateDirectory)
export JIEDAO_TLS_CERT=${JIEDAO_TLS_CERT:-/etc/letsencrypt/live/$JIEDAO_DOMAIN/fullchain.pem}
export JIEDAO_TLS_KEY=${JIEDAO_TLS_KEY:-/etc/letsencrypt/live/$JIEDAO_DOMAIN/privkey.pem}
export JIEDAO_NGINX_LOG_DIR=${JIEDAO_NGINX_LOG_DIR:-/var/log/nginx}
export JIEDAO_HTTP_PORT=${JIEDAO_HTTP_PORT:-80}
export JIEDAO_HTTPS_PORT=${JIEDAO_HTTPS_PORT:-443}

names='${JIEDAO_DOMAIN} ${JIEDAO_HOME} ${JIEDAO_STATIC_ROOT} ${JIEDAO_ENV_FILE} ${JIEDAO_RUN_DIR}
${JIEDAO_STATE_DIR} ${JIEDAO_TLS_CERT} ${JIEDAO_TLS_KEY} ${JIEDAO_NGINX_LOG_DIR} ${JIEDAO_HTTP_PORT} ${JIEDAO_HTTPS_PORT}'
mkdir -p "$out/nginx" "$out/systemd"
envsubst "$names" <"$here/nginx/jiedao.conf" >"$out/nginx/jiedao.conf"
for unit in "$here"/systemd/*.service; do
  envsubst "$names" <"$unit" >"$out/systemd/$(basename "$unit")"
done
if grep -rn '\${JIEDAO_[A-Z]' "$out"; then
  echo "render.sh: a placeholder above has no value" >&2
  exit 1
fi
echo "Rendered into $out"
