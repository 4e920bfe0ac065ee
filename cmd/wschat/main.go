// Command wschat is the chat backend wsdeploy deploys on each app server: a
// WebSocket chat room (endpoint /ws, health check /healthz, page at /) whose
// messages reach every client on every backend through Redis pub/sub.
//
//	WSCHAT_REDIS_URL=redis://wschat:PASSWORD@10.0.0.13:6379/0 (from /etc/wschat/wschat.env)
//	wschat --name web-a --allowed-origins chat.example.com --trusted-proxies 10.0.1.0/24,10.0.2.0/24
//
// Without a Redis URL it runs as a single node. Every flag may also come from the
// environment as WSCHAT_<FLAG> (WSCHAT_REDIS_URL for --redis, WSCHAT_PING_INTERVAL
// for --ping-interval, …; a flag on the command line wins), which is how the
// systemd unit configures it and keeps the Redis password out of the process
// list. SIGTERM closes every connection with 1001 "going away" so clients
// reconnect to another backend.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/templates"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wschat:", err)
		}
		os.Exit(1)
	}
}

// config is everything the flags say.
type config struct {
	addr      string
	redis     chat.RedisOptions
	chat      chat.Options
	pagePath  string
	logFormat string
	logLevel  slog.Level
	debugAddr string
}

func parseFlags(args []string, getenv func(string) string, hostname string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("wschat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var origins, proxies string
	var rate float64
	var logRate int
	fs.StringVar(&c.addr, "addr", ":5000", "listen address")
	fs.StringVar(&c.chat.Name, "name", hostname, "this backend's name, shown to clients as \"backend\"")
	fs.StringVar(&c.redis.URL, "redis", "", "Redis URL for cross-backend fan-out, redis://[:password@]host:port[/db] or rediss:// for TLS; empty = single node")
	fs.BoolVar(&c.redis.TLS, "redis-tls", false, "use TLS to Redis even with a redis:// URL")
	fs.StringVar(&c.redis.CAFile, "redis-ca", "", "PEM file of the CA that signed Redis's certificate (default: system roots)")
	fs.StringVar(&c.redis.Channel, "redis-channel", "wschat", "Redis pub/sub channel; every backend of one room uses the same")
	fs.StringVar(&origins, "allowed-origins", "", "comma-separated hosts of pages allowed to connect, e.g. chat.example.com,*.example.com (the page wschat serves itself is always allowed)")
	fs.DurationVar(&c.chat.PingInterval, "ping-interval", chat.DefaultPingInterval, "ping every connection this often; keep it below the load balancer's idle timeout")
	fs.DurationVar(&c.chat.PongTimeout, "pong-timeout", 0, "close a connection whose ping goes unanswered this long (default: the ping interval)")
	fs.Int64Var(&c.chat.MaxMessageBytes, "max-message-bytes", chat.DefaultMaxMessageBytes, "largest frame a client may send; larger ones close the connection (1009)")
	fs.Float64Var(&rate, "rate-limit", chat.DefaultRateLimit, "frames per second one connection may send, sustained; 0 disables the limit")
	fs.IntVar(&c.chat.RateBurst, "rate-burst", chat.DefaultRateBurst, "frames one connection may send at once")
	fs.IntVar(&c.chat.SendQueue, "send-queue", chat.DefaultSendQueue, "chat lines that may wait for one client whose socket is full; lines beyond it are shed for that client, which gets a gap notice (a client is disconnected only when its socket takes nothing for 10s)")
	fs.IntVar(&c.chat.MaxConnections, "max-conns", chat.DefaultMaxConnections, "refuse WebSocket connections beyond this many (503); 0 = no limit")
	fs.IntVar(&c.chat.MaxConnectionsPerIP, "max-conns-per-ip", 0, "refuse WebSocket connections from one client address (IPv6: one /64) beyond this many (429); 0 = no limit")
	fs.StringVar(&proxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of the load balancer; only connections from these are counted against the client address in X-Forwarded-For")
	fs.IntVar(&logRate, "conn-log-rate", chat.DefaultConnLogRate, "per-connection log lines (connected, disconnected, refused, …) per second; the rest are counted in one summary line; 0 = log every line")
	fs.DurationVar(&c.chat.ShutdownTimeout, "shutdown-timeout", chat.DefaultShutdownTimeout, "on SIGTERM, wait this long for connections to close before cutting them")
	fs.StringVar(&c.pagePath, "page", "", "serve this HTML file at / instead of the built-in chat page")
	fs.StringVar(&c.debugAddr, "debug-addr", "", "serve Go profiles (/debug/pprof/) and runtime metrics (/debug/metrics) on this address, e.g. 127.0.0.1:6060; keep it private; empty = off")
	fs.StringVar(&c.logFormat, "log-format", "json", "log format: json or text")
	fs.TextVar(&c.logLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn or error")
	// The environment first, so the command line wins.
	var envErrs []error
	fs.VisitAll(func(f *flag.Flag) {
		key := envName(f.Name)
		if f.Name == "redis" {
			key = "WSCHAT_REDIS_URL"
		}
		if v := getenv(key); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				envErrs = append(envErrs, fmt.Errorf("%s: %w", key, err))
			}
		}
	})
	if err := errors.Join(envErrs...); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.chat.AllowedOrigins = append(c.chat.AllowedOrigins, o)
		}
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pfx, err := parseProxy(p)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies %q: %w", p, err)
		}
		c.chat.TrustedProxies = append(c.chat.TrustedProxies, pfx)
	}
	switch {
	case c.chat.MaxConnections < 0:
		return nil, fmt.Errorf("--max-conns %d: give a positive number, or 0 for no limit", c.chat.MaxConnections)
	case c.chat.MaxConnections == 0:
		c.chat.MaxConnections = -1 // chat.Options: negative means no limit
	}
	if c.chat.MaxConnectionsPerIP < 0 {
		return nil, fmt.Errorf("--max-conns-per-ip %d: give a positive number, or 0 for no limit", c.chat.MaxConnectionsPerIP)
	}
	switch {
	case logRate < 0:
		return nil, fmt.Errorf("--conn-log-rate %d: give a positive number, or 0 to log every line", logRate)
	case logRate == 0:
		c.chat.ConnLogRate = -1 // chat.Options: negative means no sampling
	default:
		c.chat.ConnLogRate = logRate
	}
	c.chat.RateLimit = rate
	if rate == 0 {
		c.chat.RateLimit = -1 // chat.Options: negative disables
	}
	if rate < 0 {
		return nil, fmt.Errorf("--rate-limit %g: give a positive rate, or 0 for no limit", rate)
	}
	if c.logFormat != "json" && c.logFormat != "text" {
		return nil, fmt.Errorf("--log-format %q: use json or text", c.logFormat)
	}
	return c, nil
}

// parseProxy reads a --trusted-proxies entry: a CIDR (100.64.0.0/10) or one address.
func parseProxy(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("not a CIDR such as 10.0.1.0/24")
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an address or a CIDR such as 10.0.1.0/24")
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// envName is the environment variable of a flag: --ping-interval → WSCHAT_PING_INTERVAL.
func envName(flagName string) string {
	return "WSCHAT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	host, _ := os.Hostname()
	c, err := parseFlags(args, getenv, host, stderr)
	if err != nil {
		return err
	}
	hopts := &slog.HandlerOptions{Level: c.logLevel}
	var h slog.Handler = slog.NewJSONHandler(stderr, hopts)
	if c.logFormat == "text" {
		h = slog.NewTextHandler(stderr, hopts)
	}
	log := slog.New(h)
	redis.SetLogger(redisLog{log.With("component", "go-redis")})

	c.chat.Logger = log
	if c.pagePath != "" {
		if c.chat.Page, err = os.ReadFile(c.pagePath); err != nil {
			return fmt.Errorf("read the page: %w", err)
		}
	} else if c.chat.Page, err = templates.App.ReadFile("app/index.html"); err != nil {
		return fmt.Errorf("read the built-in page: %w", err)
	}
	if c.redis.URL != "" {
		c.redis.Logger = log
		bus, err := chat.NewRedisBus(c.redis)
		if err != nil {
			return err
		}
		defer bus.Close()
		c.chat.Bus = bus
		log.Info("fan-out through Redis", "channel", c.redis.Channel)
	} else {
		log.Warn("no --redis: single node, messages reach only this backend's clients")
	}
	srv, err := chat.New(c.chat)
	if err != nil {
		return err
	}
	if c.debugAddr != "" {
		if err := serveDebug(ctx, c.debugAddr, log); err != nil {
			return err
		}
	}
	start := time.Now()
	err = srv.ListenAndServe(ctx, c.addr)
	log.Info("stopped", "uptime", time.Since(start).Round(time.Second).String())
	return err
}

// redisLog sends go-redis's own log lines to slog.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(format, v...))
}
