#!/bin/bash
# setup-redis.sh: Redis for wschat's cross-backend fan-out, on ECS03.
#
# Run it as root on ECS03 (sudo bash setup-redis.sh), or paste the whole file,
# settings filled in, as ECS03's user data: cloud-init runs it at first boot.
# It installs Redis, writes a hardened /etc/redis/redis.conf (private address
# and loopback only, requirepass, protected mode, no persistence) and runs it
# under systemd. Re-running it is safe.
#
# Then allow TCP 6379 in ECS03's security group from the app servers' private
# addresses only, and run setup-app.sh on ECS01 and ECS02 with the same settings.
set -euo pipefail

# --- settings: edit here, or pass them as environment variables ---------------
# ECS03's private (VPC) address; Redis listens there and on loopback, nowhere else.
REDIS_PRIVATE_IP="${REDIS_PRIVATE_IP:-__REDIS_PRIVATE_IP__}"
# 16 or more letters and digits; make one with: openssl rand -hex 24
REDIS_PASSWORD="${REDIS_PASSWORD:-__REDIS_PASSWORD__}"
# -------------------------------------------------------------------------------

fail() { echo "setup-redis: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root: sudo bash $0"
[[ $REDIS_PRIVATE_IP =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || fail "REDIS_PRIVATE_IP=$REDIS_PRIVATE_IP: set it to this server's private IPv4 address"
[[ $REDIS_PASSWORD =~ ^[A-Za-z0-9]{16,}$ ]] || fail "REDIS_PASSWORD: use 16 or more letters and digits (openssl rand -hex 24)"
if command -v ip >/dev/null && ! ip -o addr show | grep -q " $REDIS_PRIVATE_IP/"; then
  fail "$REDIS_PRIVATE_IP is not an address of this server (ip addr shows its addresses)"
fi

echo "setup-redis: installing Redis"
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq redis-server
elif command -v dnf >/dev/null; then
  dnf install -y -q redis
elif command -v yum >/dev/null; then
  yum install -y -q redis
else
  fail "no apt-get, dnf or yum: install Redis (6 or later) yourself, then re-run"
fi
# The distribution's own units would start Redis with its default config.
systemctl disable --now redis.service redis-server.service 2>/dev/null || true
id redis >/dev/null 2>&1 || useradd --system --home-dir /var/lib/redis --shell /usr/sbin/nologin redis

install -d -m 0755 /etc/redis
if [ -f /etc/redis/redis.conf ] && [ ! -f /etc/redis/redis.conf.dist ] && ! grep -q wschat /etc/redis/redis.conf; then
  cp -p /etc/redis/redis.conf /etc/redis/redis.conf.dist
fi
umask 027
cat > /etc/redis/redis.conf <<EOF
# redis.conf: Redis on ECS03 for wschat's cross-backend fan-out (pub/sub).
# Installed by setup-redis.sh as /etc/redis/redis.conf (mode 0640, owner root:redis).
# Hardened: private address only, a password, protected mode on, no persistence
# (pub/sub keeps nothing), dangerous admin commands disabled.

# Listen on loopback and the private (VPC) address only, never 0.0.0.0. Allow
# port 6379 in ECS03's security group from the app servers' private addresses only.
bind 127.0.0.1 ${REDIS_PRIVATE_IP}
port 6379
protected-mode yes
# Clients authenticate with this password (wschat: redis://:PASSWORD@host:6379/0).
requirepass ${REDIS_PASSWORD}

# Commands nobody on the network should run; an administrator on ECS03 can
# still stop Redis through systemd.
rename-command FLUSHALL ""
rename-command FLUSHDB ""
rename-command CONFIG ""
rename-command DEBUG ""
rename-command KEYS ""
rename-command SHUTDOWN ""
rename-command MODULE ""
rename-command SLAVEOF ""
rename-command REPLICAOF ""

# Run in the foreground under systemd, log to the journal.
daemonize no
supervised no
logfile ""
dir /var/lib/redis

# Pub/sub only: nothing to persist.
save ""
appendonly no

# Detect dead clients; never close idle ones (wschat's subscriptions are idle between messages).
tcp-keepalive 60
timeout 0
maxclients 10000
maxmemory 256mb
maxmemory-policy noeviction
# A subscriber that falls this far behind is disconnected (wschat resubscribes).
client-output-buffer-limit pubsub 32mb 8mb 60
EOF
chown root:redis /etc/redis/redis.conf
chmod 0640 /etc/redis/redis.conf

umask 022
cat > /etc/systemd/system/redis-server.service <<'EOF'
# redis-server.service: Redis for wschat on ECS03. Installed by setup-redis.sh as
# /etc/systemd/system/redis-server.service, which takes precedence over the
# distribution's unit of the same name.
[Unit]
Description=Redis for wschat fan-out (deployed with wsdeploy)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=redis
Group=redis
ExecStart=/usr/bin/redis-server /etc/redis/redis.conf
Restart=on-failure
RestartSec=2
LimitNOFILE=65536
StateDirectory=redis
StateDirectoryMode=0750

NoNewPrivileges=yes
CapabilityBoundingSet=
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
UMask=0077

[Install]
WantedBy=multi-user.target
EOF

systemctl daemon-reload
systemctl enable redis-server.service
systemctl restart redis-server.service

for _ in $(seq 1 30); do
  if REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG; then
    echo "setup-redis: Redis answers on 127.0.0.1 and $REDIS_PRIVATE_IP, port 6379, with a password."
    echo "setup-redis: next, on ECS01 and ECS02: REDIS_PRIVATE_IP=$REDIS_PRIVATE_IP REDIS_PASSWORD=... bash setup-app.sh"
    exit 0
  fi
  sleep 1
done
journalctl -u redis-server.service -n 30 --no-pager >&2 || true
fail "Redis did not answer PING within 30 s (its log is above)"
