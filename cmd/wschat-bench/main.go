// Command wschat-bench is a load client for wschat (package chatload): it
// measures idle connections, broadcast and latency against running wschat
// processes, reading their memory and CPU time from /proc.
//
//	wschat-bench idle --url ws://127.0.0.1:5000/ws --pid 1234 --conns 10000 --hold 10m
//	wschat-bench broadcast --url ws://127.0.0.1:5001/ws,ws://127.0.0.1:5002/ws --pid 1234,1235 --receivers 1000 --messages 2000
//	wschat-bench latency --from ws://127.0.0.1:5001/ws --to ws://127.0.0.1:5002/ws --count 5000
//
// Run the servers with --rate-limit 0 for broadcast and latency runs (the
// senders send faster than a person types). Nothing here asserts a speed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat/chatload"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wschat-bench:", err)
		}
		os.Exit(1)
	}
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func pids(s string) ([]int, error) {
	var out []int
	for _, p := range list(s) {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("--pid %q: not a process id", p)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("give a mode: idle, broadcast or latency")
	}
	mode, args := args[0], args[1:]
	fs := flag.NewFlagSet("wschat-bench "+mode, flag.ContinueOnError)
	url := fs.String("url", "ws://127.0.0.1:5000/ws", "comma-separated WebSocket URLs of the servers")
	pidList := fs.String("pid", "", "comma-separated process ids of the servers, for memory and CPU time")
	conns := fs.Int("conns", 10000, "idle: connections")
	hold := fs.Duration("hold", 3*time.Minute, "idle: how long to hold them")
	every := fs.Duration("every", 10*time.Second, "idle: sample the server this often")
	receivers := fs.Int("receivers", 1000, "broadcast, latency: receiving clients")
	messages := fs.Int("messages", 2000, "broadcast: chat lines to send")
	window := fs.Int("window", 16, "broadcast: lines in flight at most (0 = a burst, no limit)")
	from := fs.String("from", "", "latency: the senders' servers (default --url's first)")
	to := fs.String("to", "", "latency: the receivers' servers (default --url's last)")
	senders := fs.Int("senders", 1, "latency: senders")
	rate := fs.Float64("rate", 0, "latency: lines per second per sender; 0 = one line at a time")
	duration := fs.Duration("duration", 10*time.Second, "latency with --rate: how long")
	count := fs.Int("count", 5000, "latency without --rate: lines")
	format := fs.String("o", "text", "output: text or json (the result's fields, durations in nanoseconds)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ps, err := pids(*pidList)
	if err != nil {
		return err
	}
	urls := list(*url)
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-o %q: want text or json", *format)
	}
	asJSON := func(v any) error { e := json.NewEncoder(out); e.SetIndent("", "  "); return e.Encode(v) }
	switch mode {
	case "idle":
		if len(ps) != 1 || len(urls) != 1 {
			return errors.New("idle: give one --url and its server's --pid")
		}
		r, err := chatload.Idle(ctx, chatload.IdleConfig{URL: urls[0], Conns: *conns, Hold: *hold, Every: *every, PID: ps[0],
			Progress: func(s chatload.Sample, open int64) {}})
		if err != nil {
			return err
		}
		if *format == "json" {
			return asJSON(r)
		}
		fmt.Fprintf(out, "server before: RSS %.1f MB\n", float64(r.Before.RSS)/1e6)
		t0 := r.Samples[0].At
		for _, s := range r.Samples {
			fmt.Fprintf(out, "t=%4.0fs RSS %7.1f MB  %6.0f B/conn (%.1f KB)  CPU %.2fs\n", s.At.Sub(t0).Seconds(),
				float64(s.RSS)/1e6, r.PerConn(s), r.PerConn(s)/1024, s.CPU.Seconds())
		}
		first, last := r.Samples[0], r.Samples[len(r.Samples)-1]
		fmt.Fprintf(out, "idle: %d connections, %.1f KB each when open, %.1f KB after %s (%.0f per GiB); %d lost\n",
			r.Conns, r.PerConn(first)/1024, r.PerConn(last)/1024, last.At.Sub(first.At).Round(time.Second), float64(1<<30)/r.PerConn(last), r.Lost)
	case "broadcast":
		r, err := chatload.Broadcast(ctx, chatload.BroadcastConfig{URLs: urls, Receivers: *receivers, Messages: *messages, Window: *window, PIDs: ps})
		if err != nil {
			return err
		}
		if *format == "json" {
			return asJSON(r)
		}
		fmt.Fprintf(out, "broadcast: %d deliveries in %s: %.0f/s; server CPU %s = %.2f ms per 1,000 deliveries (%.0f deliveries per CPU-second); %d missed (gap notices), %d receivers lost\n",
			r.Deliveries, r.Elapsed.Round(time.Millisecond), r.PerSecond(), r.ServerCPU, float64(r.CPUPer1000().Microseconds())/1000,
			float64(r.Deliveries)/r.ServerCPU.Seconds(), r.Missed, r.Lost)
	case "latency":
		f, t := list(*from), list(*to)
		if len(f) == 0 {
			f = urls[:1]
		}
		if len(t) == 0 {
			t = urls[len(urls)-1:]
		}
		r, err := chatload.Latency(ctx, chatload.LatencyConfig{From: f, To: t, Receivers: *receivers, Senders: *senders, Rate: *rate, Duration: *duration, Count: *count})
		if err != nil {
			return err
		}
		if *format == "json" {
			return asJSON(r)
		}
		fmt.Fprintf(out, "latency: %d deliveries timed: p50 %s, p99 %s, max %s; %d missed\n", r.Samples,
			r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond), r.Missed)
	default:
		return fmt.Errorf("unknown mode %q: idle, broadcast or latency", mode)
	}
	return nil
}
