#!/usr/bin/env bash
# Measures wschat with wschat-bench: two backends on one redis-server, all on
# this machine, each in its own process. Prints what the README's "Figures"
# table shows. Usage: cmd/wschat-bench/bench.sh [idle|broadcast|latency|all]
# Env: WSCHAT_BIN (a wschat binary to measure instead of building one),
# IDLE_CONNS (10000), IDLE_HOLD (3m), BCAST_MESSAGES (2000), BCAST_WINDOW (16), RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-all}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/wschat-bench" ./cmd/wschat-bench
bin=${WSCHAT_BIN:-}
if [ -z "$bin" ]; then go build -o "$tmp/wschat" ./cmd/wschat; bin=$tmp/wschat; fi
ulimit -n "$(ulimit -Hn)"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.1; done; echo "backend on $1 did not get healthy" >&2; exit 1; }
start() { # name port [redis-url]
	WSCHAT_REDIS_URL=${3:-} "$bin" --addr "127.0.0.1:$2" --name "$1" --rate-limit 0 --max-conns 0 --log-level warn 2>>"$tmp/$1.log" &
	pids+=($!)
	eval "pid_$1=$!"
	wait_http "$2"
}

if [ "$mode" = idle ] || [ "$mode" = all ]; then
	p=$(port); start idle "$p"
	"$tmp/wschat-bench" idle --url "ws://127.0.0.1:$p/ws" --pid "$pid_idle" --conns "${IDLE_CONNS:-10000}" --hold "${IDLE_HOLD:-3m}" --every 30s
	kill "$pid_idle"
fi
if [ "$mode" = idle ]; then exit 0; fi

rp=$(port)
redis-server --port "$rp" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$rp" ping >/dev/null 2>&1 && break; sleep 0.1; done
pa=$(port); start web_a "$pa" "redis://127.0.0.1:$rp/0"
pb=$(port); start web_b "$pb" "redis://127.0.0.1:$rp/0"
urls="ws://127.0.0.1:$pa/ws,ws://127.0.0.1:$pb/ws"
for _ in $(seq "${RUNS:-3}"); do
	if [ "$mode" = broadcast ] || [ "$mode" = all ]; then
		"$tmp/wschat-bench" broadcast --url "$urls" --pid "$pid_web_a,$pid_web_b" --receivers 1000 --messages "${BCAST_MESSAGES:-2000}" --window "${BCAST_WINDOW:-16}"
	fi
	if [ "$mode" = latency ] || [ "$mode" = all ]; then
		"$tmp/wschat-bench" latency --from "ws://127.0.0.1:$pa/ws" --to "ws://127.0.0.1:$pb/ws" --receivers 1 --count 5000
		"$tmp/wschat-bench" latency --from "$urls" --to "$urls" --receivers 1000 --senders 10 --rate 10 --duration 10s
	fi
done
