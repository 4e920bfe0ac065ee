#!/usr/bin/env bash
# Side by side: wschat, Node socket.io 4 + @socket.io/redis-adapter, and
# Flask-SocketIO (eventlet), each as two backends on one redis-server, all
# measured by the same cmd/wschat-bench with the same parameters. Prints a
# markdown table. CI does not run this. Needs: go, redis-server, node + npm
# (runs `npm ci` in testdata/peers/node), Debian's python3-flask-socketio,
# python3-eventlet and python3-redis (PYTHON, default /usr/bin/python3).
# Env: IDLE_CONNS (1000), IDLE_HOLD (30s), BCAST_RECEIVERS (200),
# BCAST_MESSAGES (500), LAT_COUNT (2000), MOD_CLIENTS (1000), MOD_SECONDS (10s),
# SERVERS ("wschat node flask").
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"
PYTHON=${PYTHON:-/usr/bin/python3}
go build -o "$tmp/wschat-bench" ./cmd/wschat-bench
go build -o "$tmp/wschat" ./cmd/wschat
(cd testdata/peers/node && npm ci --no-audit --no-fund --silent)

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.1; done; echo "backend on $1 did not get healthy" >&2; exit 1; }
start() { # server name port redis-url; sets $last
	case $1 in
	wschat) WSCHAT_REDIS_URL=$4 "$tmp/wschat" --addr "127.0.0.1:$3" --name "$2" --rate-limit 0 --max-conns 0 --log-level warn 2>>"$tmp/$1-$2.log" & ;;
	node) (cd "$root/testdata/peers/node" && PORT=$3 NAME=$2 REDIS_URL=$4 exec node server.js) 2>>"$tmp/$1-$2.log" & ;;
	flask) (cd "$root/testdata/peers/flask" && PORT=$3 NAME=$2 REDIS_URL=$4 exec "$PYTHON" app.py) 2>>"$tmp/$1-$2.log" & ;;
	esac
	last=$!
	pids+=($last)
	wait_http "$3"
}
path() { if [ "$1" = wschat ]; then echo /ws; else echo /socket.io/; fi; }

rp=$(port)
redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$rp" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis="redis://127.0.0.1:$rp/0"
# One run's last line (its result, or its error: the table shows "?" then).
bench() { "$tmp/wschat-bench" "$@" 2>&1 | tail -1 || true; }

declare -A idle bcast cpu low mod
for s in ${SERVERS:-wschat node flask}; do
	echo "== $s" >&2
	pa=$(port); start "$s" web-a "$pa" "$redis"; a=$last
	pb=$(port); start "$s" web-b "$pb" "$redis"; b=$last
	p=$(path "$s")
	ua="ws://127.0.0.1:$pa$p" ub="ws://127.0.0.1:$pb$p"
	l=$(bench idle --url "$ua" --pid "$a" --conns "${IDLE_CONNS:-1000}" --hold "${IDLE_HOLD:-30s}" --every 10s); echo "$l" >&2
	idle[$s]=$(sed -n 's/.*, \([-0-9.]* KB\) each when open, \([-0-9.]* KB\) after .*/\1 \/ \2/p' <<<"$l")
	# Fresh backends for the other modes: a server still tearing down
	# thousands of idle connections (Flask's single eventlet loop takes
	# seconds) would be measured doing that.
	kill "$a" "$b"; wait "$a" "$b" 2>/dev/null || true
	pa=$(port); start "$s" web-a "$pa" "$redis"; a=$last
	pb=$(port); start "$s" web-b "$pb" "$redis"; b=$last
	ua="ws://127.0.0.1:$pa$p" ub="ws://127.0.0.1:$pb$p"
	l=$(bench broadcast --url "$ua,$ub" --pid "$a,$b" --receivers "${BCAST_RECEIVERS:-200}" --messages "${BCAST_MESSAGES:-500}"); echo "$l" >&2
	bcast[$s]=$(sed -n 's/.*: \([0-9]*\)\/s;.*/\1/p' <<<"$l")
	cpu[$s]=$(sed -n 's/.* = \([0-9.]*\) ms per 1,000.*/\1/p' <<<"$l")
	l=$(bench latency --from "$ua" --to "$ub" --receivers 1 --count "${LAT_COUNT:-2000}"); echo "$l" >&2
	low[$s]=$(sed -n 's/.*p50 \([^,]*\), p99 \([^,]*\),.*/\1 \/ \2/p' <<<"$l")
	l=$(bench latency --from "$ua,$ub" --to "$ua,$ub" --receivers "${MOD_CLIENTS:-1000}" --senders 10 --rate 10 --duration "${MOD_SECONDS:-10s}"); echo "$l" >&2
	mod[$s]=$(sed -n 's/.*p50 \([^,]*\), p99 \([^,]*\),.*/\1 \/ \2/p' <<<"$l")
	kill "$a" "$b"; wait "$a" "$b" 2>/dev/null || true
done
echo
echo "| | $(for s in ${SERVERS:-wschat node flask}; do printf '%s | ' "$s"; done)"
echo "|---|$(for s in ${SERVERS:-wschat node flask}; do printf -- '---|'; done)"
row() { local -n m=$2; printf '| %s | ' "$1"; for s in ${SERVERS:-wschat node flask}; do printf '%s | ' "${m[$s]:-?}"; done; echo; }
row "idle memory per connection (${IDLE_CONNS:-1000} conns on one backend; RSS growth over the server's own before them: when open / after ${IDLE_HOLD:-30s})" idle
row "broadcast deliveries/s (${BCAST_RECEIVERS:-200} clients over 2 backends)" bcast
row "ms of server CPU per 1,000 deliveries" cpu
row "cross-backend latency, low load, p50 / p99" low
row "latency, ${MOD_CLIENTS:-1000} clients, 10 senders at 10 msg/s, p50 / p99" mod
