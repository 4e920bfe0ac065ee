#!/bin/bash
# setup-redis.sh: Redis for wschat's cross-backend fan-out, on ECS03.
#
# Run it as root on ECS03 (sudo bash setup-redis.sh), or paste the whole file,
# settings filled in, as ECS03's user data: cloud-init runs it at first boot.
# It installs Redis (6.2 or later), writes a hardened /etc/redis/redis.conf
# (private address and loopback only, the default user off, one user wschat
# that may only publish and subscribe on its channel, protected mode, no
# persistence) and runs it under systemd. Re-running it is safe.
#
# Then allow TCP 6379 in ECS03's security group from the app servers' private
# addresses only, and run setup-app.sh on ECS01 and ECS02 with the same password.
set -euo pipefail

# --- settings: edit here, or pass them as environment variables ---------------
# ECS03's private (VPC) address; Redis listens there and on loopback, nowhere else.
REDIS_PRIVATE_IP="${REDIS_PRIVATE_IP:-__REDIS_PRIVATE_IP__}"
# The password of Redis user wschat: 16 or more letters and digits. Never put it
# on a command line (ps and the shell history keep it). Either keep it in a
# file only its owner can read, which the script reads (default: ./redis-password):
#   (umask 077; openssl rand -hex 24 > redis-password)
#   sudo REDIS_PRIVATE_IP=10.0.0.13 bash setup-redis.sh
# or export it without echoing and let sudo pass it on:
#   read -rs REDIS_PASSWORD && export REDIS_PASSWORD
#   sudo --preserve-env=REDIS_PASSWORD REDIS_PRIVATE_IP=10.0.0.13 bash setup-redis.sh
# or, in user data, write it here in place of __REDIS_PASSWORD__.
REDIS_PASSWORD="${REDIS_PASSWORD:-__REDIS_PASSWORD__}"
REDIS_PASSWORD_FILE="${REDIS_PASSWORD_FILE:-redis-password}"
# -------------------------------------------------------------------------------

fail() { echo "setup-redis: $*" >&2; exit 1; }
# read_password: REDIS_PASSWORD from the environment or the script, else from
# REDIS_PASSWORD_FILE, which must be a regular file no one but its owner can read.
read_password() {
  if [ "$REDIS_PASSWORD" != "__REDIS_PASSWORD__" ]; then
    return
  fi
  local f="$REDIS_PASSWORD_FILE" mode
  if [ ! -e "$f" ]; then
    fail "no Redis password: put it in $f, readable by its owner only ((umask 077; openssl rand -hex 24 > $f)), set REDIS_PASSWORD_FILE, or export REDIS_PASSWORD (never on the command line)"
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
[[ $REDIS_PRIVATE_IP =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || fail "REDIS_PRIVATE_IP=$REDIS_PRIVATE_IP: set it to this server's private IPv4 address"
[[ $REDIS_PASSWORD =~ ^[A-Za-z0-9]{16,}$ ]] || fail "the Redis password must be 16 or more letters and digits (openssl rand -hex 24)"
# redis.conf holds the password's SHA-256 only.
REDIS_PASSWORD_SHA256=$(printf %s "$REDIS_PASSWORD" | sha256sum | cut -d' ' -f1)
# --- settings checked: nothing above changes the system -------------------------
[ "$(id -u)" = 0 ] || fail "run as root: sudo bash $0"
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
# The users in redis.conf (channel rules, resetchannels) need Redis 6.2 or later.
version=$(redis-server --version | sed -n 's/.* v=\([0-9]*\.[0-9]*\).*/\1/p')
major=${version%%.*} minor=${version#*.}
if [ -z "$version" ] || [ "$major" -lt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -lt 2 ]; }; then
  fail "this system's Redis is ${version:-of unknown version}; wschat's redis.conf needs 6.2 or later (Debian 12, Ubuntu 24.04 and Alibaba Cloud Linux 3 have it; on Ubuntu 22.04 install Redis from packages.redis.io)"
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
# Hardened: private address only, one user that can only publish and subscribe
# on wschat's channel, protected mode on, no persistence (pub/sub keeps
# nothing), dangerous admin commands disabled. Needs Redis 6.2 or later.

# Listen on loopback and the private (VPC) address only, never 0.0.0.0. Allow
# port 6379 in ECS03's security group from the app servers' private addresses only.
bind 127.0.0.1 ${REDIS_PRIVATE_IP}
port 6379
protected-mode yes

# Users (ACL). The default user, which any client that does not log in is, is
# off: every client must log in. wschat logs in as user wschat
# (WSCHAT_REDIS_URL=redis://wschat:PASSWORD@host:6379/0) and may do exactly
# what wschat does: PUBLISH and SUBSCRIBE on the channel wschat and PING (AUTH
# and HELLO log in). It cannot run Lua (EVAL), change users (ACL SETUSER), read
# or write keys, MIGRATE, MONITOR, BGSAVE, use another channel or run any other
# command. The password is given as its SHA-256, which setup-redis.sh
# computes, so this file holds no password.
# With wschat --redis-channel NAME, write &NAME instead of &wschat.
user default off
user wschat on #${REDIS_PASSWORD_SHA256} resetkeys resetchannels &wschat -@all +publish +subscribe +ping +auth +hello

# TLS (optional: the VPC is private, but TLS also protects the password and
# the chat from anyone who can read traffic inside it). Redis from Debian and
# Ubuntu is built with TLS. Put a certificate for ECS03's private address and
# its key in /etc/redis/tls/ (owner root:redis, key mode 0640), uncomment these
# lines, and in ECS03's security group open 6380 instead of 6379:
#   port 0
#   tls-port 6380
#   tls-cert-file /etc/redis/tls/redis.crt
#   tls-key-file /etc/redis/tls/redis.key
#   tls-auth-clients no
# On the app servers use WSCHAT_REDIS_URL=rediss://wschat:PASSWORD@10.0.0.13:6380/0
# and, for a private CA, WSCHAT_REDIS_CA=/etc/wschat/redis-ca.crt.

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
AmbientCapabilities=
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
ProtectProc=invisible
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM
UMask=0077
# Redis never needs the ECS metadata service (RAM role credentials).
IPAddressDeny=100.100.100.200
# Ceilings: maxmemory (256mb) plus client buffers (pub/sub limit 32mb per
# subscriber) and Redis's own threads.
MemoryMax=1G
TasksMax=64

[Install]
WantedBy=multi-user.target
EOF

systemctl daemon-reload
systemctl enable redis-server.service
systemctl restart redis-server.service

for _ in $(seq 1 30); do
  # REDISCLI_AUTH, not -a: the password stays out of the process list.
  if REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 --user wschat ping 2>/dev/null | grep -q PONG; then
    echo "setup-redis: Redis answers user wschat on 127.0.0.1 and $REDIS_PRIVATE_IP, port 6379; the default user is off."
    echo "setup-redis: next, on ECS01 and ECS02, with the same password file: sudo REDIS_PRIVATE_IP=$REDIS_PRIVATE_IP bash setup-app.sh"
    exit 0
  fi
  sleep 1
done
journalctl -u redis-server.service -n 30 --no-pager >&2 || true
fail "Redis did not answer PING within 30 s (its log is above)"
