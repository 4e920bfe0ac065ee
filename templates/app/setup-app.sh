#!/bin/bash
# setup-app.sh: the wschat backend on an app server (ECS01, ECS02).
#
# Run it as root on each app server (sudo bash setup-app.sh), or paste the
# whole file, settings filled in, as the instance's user data: cloud-init runs
# it at first boot. It installs /usr/local/bin/wschat, writes its settings to
# /etc/wschat/wschat.env (root-only: it holds the Redis password) and runs it
# under systemd on port 5000, where the load balancer's server group sends
# traffic. Re-running it (e.g. with a new binary) is safe.
#
# The binary: build it with
#   GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -o wschat ./cmd/wschat
# and copy it to /usr/local/bin/wschat (scp), or publish it (e.g. in OSS) and
# set WSCHAT_URL and WSCHAT_SHA256 below.
set -euo pipefail

# --- settings: edit here, or pass them as environment variables ---------------
# This backend's name, shown to clients as "backend": web-a on ECS01, web-b on ECS02.
BACKEND_NAME="${BACKEND_NAME:-$(hostname -s)}"
# ECS03's private address.
REDIS_PRIVATE_IP="${REDIS_PRIVATE_IP:-__REDIS_PRIVATE_IP__}"
# The password of Redis user wschat, the one given to setup-redis.sh. Never put
# it on a command line (ps and the shell history keep it). Either copy the same
# password file here (scp, then chmod 600) and let the script read it (default:
# ./redis-password):
#   sudo BACKEND_NAME=web-a REDIS_PRIVATE_IP=10.0.0.13 bash setup-app.sh
# or export it without echoing and let sudo pass it on:
#   read -rs REDIS_PASSWORD && export REDIS_PASSWORD
#   sudo --preserve-env=REDIS_PASSWORD BACKEND_NAME=web-a REDIS_PRIVATE_IP=10.0.0.13 bash setup-app.sh
# or, in user data, write it here in place of __REDIS_PASSWORD__.
REDIS_PASSWORD="${REDIS_PASSWORD:-__REDIS_PASSWORD__}"
REDIS_PASSWORD_FILE="${REDIS_PASSWORD_FILE:-redis-password}"
# Hosts of pages on other domains allowed to connect, comma-separated (the page
# wschat serves itself is always allowed). Never "*".
ALLOWED_ORIGINS="${ALLOWED_ORIGINS:-}"
# wsdeploy.yaml backends.port.
APP_PORT="${APP_PORT:-5000}"
# Below every listener's idle timeout (wsdeploy.yaml listeners[].idleTimeout).
PING_INTERVAL="${PING_INTERVAL:-10s}"
# Connections this backend accepts at most (an idle one costs about 8 KB; keep
# wschat.service's MemoryMax= above MAX_CONNS x 50 KB).
MAX_CONNS="${MAX_CONNS:-20000}"
# Optional: connections one client address may hold (0 = no cap). Behind an
# ALB or a CLB HTTP/HTTPS listener, also set TRUSTED_PROXIES.
MAX_CONNS_PER_IP="${MAX_CONNS_PER_IP:-0}"
# The load balancer's source addresses (comma-separated CIDRs), whose
# X-Forwarded-For header is believed: for an ALB its vSwitches' CIDRs, for a
# CLB HTTP/HTTPS listener 100.64.0.0/10. Empty: no header is believed.
TRUSTED_PROXIES="${TRUSTED_PROXIES:-}"
# Optional: download the binary from here; its SHA-256 is then required.
WSCHAT_URL="${WSCHAT_URL:-}"
WSCHAT_SHA256="${WSCHAT_SHA256:-}"
# -------------------------------------------------------------------------------

fail() { echo "setup-app: $*" >&2; exit 1; }
# read_password: REDIS_PASSWORD from the environment or the script, else from
# REDIS_PASSWORD_FILE, which must be a regular file no one but its owner can read.
read_password() {
  if [ "$REDIS_PASSWORD" != "__REDIS_PASSWORD__" ]; then
    return
  fi
  local f="$REDIS_PASSWORD_FILE" mode
  if [ ! -e "$f" ]; then
    fail "no Redis password: copy the password file given to setup-redis.sh to $f (mode 600), set REDIS_PASSWORD_FILE, or export REDIS_PASSWORD (never on the command line)"
  fi
  [ -f "$f" ] || fail "REDIS_PASSWORD_FILE=$f is not a regular file"
  mode=$(stat -L -c %a "$f")
  if (( (8#$mode & 077) != 0 )); then
    fail "$f is readable by others (mode $mode): chmod 600 $f"
  fi
  [ -r "$f" ] || fail "cannot read $f: run the script as root (sudo)"
  REDIS_PASSWORD=$(tr -d ' \t\r\n' < "$f")
}
read_password
[[ $BACKEND_NAME =~ ^[A-Za-z0-9._-]{1,64}$ ]] || fail "BACKEND_NAME=$BACKEND_NAME: use 1-64 letters, digits, '.', '_' or '-'"
[[ $REDIS_PRIVATE_IP =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || fail "REDIS_PRIVATE_IP=$REDIS_PRIVATE_IP: set it to ECS03's private IPv4 address"
[[ $REDIS_PASSWORD =~ ^[A-Za-z0-9]{16,}$ ]] || fail "the Redis password must be the one given to setup-redis.sh (16 or more letters and digits)"
[[ $ALLOWED_ORIGINS =~ ^[A-Za-z0-9.*:/,_-]*$ ]] || fail "ALLOWED_ORIGINS=$ALLOWED_ORIGINS: comma-separated host patterns such as chat.example.com"
case ",$ALLOWED_ORIGINS," in *,\*,*) fail "ALLOWED_ORIGINS must not be \"*\": list the hosts of your pages";; esac
if ! [[ $APP_PORT =~ ^[0-9]{1,5}$ ]] || [ "$APP_PORT" -lt 1024 ] || [ "$APP_PORT" -gt 65535 ]; then
  fail "APP_PORT=$APP_PORT: use 1024-65535"
fi
[[ $PING_INTERVAL =~ ^[0-9]+(ms|s)$ ]] || fail "PING_INTERVAL=$PING_INTERVAL: a duration such as 10s"
[[ $MAX_CONNS =~ ^[0-9]{1,7}$ ]] || fail "MAX_CONNS=$MAX_CONNS: a number such as 20000"
[[ $MAX_CONNS_PER_IP =~ ^[0-9]{1,7}$ ]] || fail "MAX_CONNS_PER_IP=$MAX_CONNS_PER_IP: a number, 0 for no cap"
[[ $TRUSTED_PROXIES =~ ^[0-9A-Fa-f.:/,]*$ ]] || fail "TRUSTED_PROXIES=$TRUSTED_PROXIES: comma-separated CIDRs such as 10.0.1.0/24,10.0.2.0/24"
# --- settings checked: nothing above changes the system -------------------------
[ "$(id -u)" = 0 ] || fail "run as root: sudo bash $0"

if [ -n "$WSCHAT_URL" ]; then
  [[ $WSCHAT_SHA256 =~ ^[0-9a-f]{64}$ ]] || fail "WSCHAT_SHA256: the binary's sha256sum is required with WSCHAT_URL"
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  echo "setup-app: downloading wschat"
  curl -fsSL --retry 3 -o "$tmp" "$WSCHAT_URL"
  echo "$WSCHAT_SHA256  $tmp" | sha256sum -c --quiet - || fail "the download's SHA-256 does not match WSCHAT_SHA256"
  install -m 0755 "$tmp" /usr/local/bin/wschat
fi
[ -x /usr/local/bin/wschat ] || fail "no /usr/local/bin/wschat: copy the binary there, or set WSCHAT_URL and WSCHAT_SHA256"

install -d -m 0755 /etc/wschat
umask 077
cat > /etc/wschat/wschat.env <<EOF
# /etc/wschat/wschat.env: wschat's settings, read by wschat.service. Mode 0600, owner root.
# Every wschat flag can be set here as WSCHAT_<FLAG> (see wschat --help).
# This backend's name, shown to clients as "backend" (e.g. web-a on ECS01, web-b on ECS02).
WSCHAT_NAME=${BACKEND_NAME}
# The load balancer's server group sends traffic to this port.
WSCHAT_ADDR=:${APP_PORT}
# Redis on ECS03, by private address, as Redis user wschat (see redis.conf).
WSCHAT_REDIS_URL=redis://wschat:${REDIS_PASSWORD}@${REDIS_PRIVATE_IP}:6379/0
# Hosts of pages on other domains allowed to connect (comma-separated); the
# page wschat serves itself is always allowed. Never "*".
WSCHAT_ALLOWED_ORIGINS=${ALLOWED_ORIGINS}
# Below the listener's idle timeout (wsdeploy.yaml listeners[].idleTimeout, 60 s by default).
WSCHAT_PING_INTERVAL=${PING_INTERVAL}
# Connections this backend accepts at most (503 beyond); 0 = no limit.
WSCHAT_MAX_CONNS=${MAX_CONNS}
# Connections one client address may hold (429 beyond); 0 = no cap.
WSCHAT_MAX_CONNS_PER_IP=${MAX_CONNS_PER_IP}
# The load balancer's source addresses, whose X-Forwarded-For is believed
# (ALB: its vSwitches' CIDRs; CLB HTTP/HTTPS listeners: 100.64.0.0/10).
WSCHAT_TRUSTED_PROXIES=${TRUSTED_PROXIES}
EOF
chmod 0600 /etc/wschat/wschat.env

umask 022
cat > /etc/systemd/system/wschat.service <<'EOF'
# wschat.service: the chat backend on an app server (ECS01, ECS02).
# Installed by setup-app.sh as /etc/systemd/system/wschat.service.
# Settings live in /etc/wschat/wschat.env (root-only: it holds the Redis password).
[Unit]
Description=wschat WebSocket chat backend (deployed with wsdeploy)
Documentation=https://github.com/wsdeploy/wsdeploy
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
EnvironmentFile=/etc/wschat/wschat.env
ExecStart=/usr/local/bin/wschat
# SIGTERM closes every WebSocket with 1001 "going away" (clients reconnect to
# the other backend) within --shutdown-timeout (10 s); allow a little more.
KillSignal=SIGTERM
TimeoutStopSec=20
Restart=on-failure
RestartSec=2
# One file descriptor per connection: room for well over 10,000 clients.
LimitNOFILE=65536

# Least privilege: a throw-away user, no capabilities, read-only system.
DynamicUser=yes
CapabilityBoundingSet=
AmbientCapabilities=
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectClock=yes
ProtectHostname=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM
ProtectProc=invisible
UMask=0077
# wschat never needs the ECS metadata service: a compromised process must not
# fetch the instance's RAM role credentials from it.
IPAddressDeny=100.100.100.200
# Ceilings: about 8 KB per idle connection, so 1 GiB holds --max-conns (20,000 by
# default) several times over; raise both together. Threads for the Go runtime.
MemoryMax=1G
TasksMax=512

[Install]
WantedBy=multi-user.target
EOF

systemctl daemon-reload
systemctl enable wschat.service
systemctl restart wschat.service

for _ in $(seq 1 30); do
  if curl -fsS "http://127.0.0.1:${APP_PORT}/healthz" >/dev/null 2>&1; then
    echo "setup-app: wschat ($BACKEND_NAME) is healthy on port $APP_PORT, fanning out through Redis at $REDIS_PRIVATE_IP."
    exit 0
  fi
  sleep 1
done
journalctl -u wschat.service -n 30 --no-pager >&2 || true
fail "wschat's /healthz still fails after 30 s. If the log above says Redis is unreachable, check ECS03's security group (TCP 6379 from this server); WRONGPASS means the password differs from the one given to setup-redis.sh"
