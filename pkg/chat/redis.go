package chat

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions configure a RedisBus.
type RedisOptions struct {
	// URL is redis://[user:password@]host:port[/db], or rediss://… for TLS;
	// with templates/app/redis.conf, redis://wschat:PASSWORD@host:6379/0.
	URL string
	// TLS forces TLS even for a redis:// URL.
	TLS bool
	// CAFile is a PEM file of CAs to trust for TLS instead of the system's.
	CAFile string
	// Channel is the pub/sub channel of the room (default "wschat"). Every
	// backend of one room uses the same channel.
	Channel string
	// HealthInterval is how often a quiet subscription is pinged (default 2s).
	HealthInterval time.Duration
	Logger         *slog.Logger
}

// RedisBus is a Bus over Redis pub/sub: every backend publishes to one
// channel and subscribes to it. Pub/sub keeps nothing: events published
// while a backend's subscription is down do not reach that backend's
// clients, which is why /healthz fails then and the load balancer stops
// sending new clients to it.
type RedisBus struct {
	rdb     *redis.Client
	channel string
	health  time.Duration
	log     *slog.Logger

	mu         sync.Mutex
	subscribed bool
	lastErr    error
}

var _ Bus = (*RedisBus)(nil)

// NewRedisBus checks the options and builds the client; it does no I/O, so
// a backend can start while Redis is still down (its /healthz fails until
// Redis answers).
func NewRedisBus(o RedisOptions) (*RedisBus, error) {
	opt, err := redis.ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("parse the Redis URL %s: %s", redactURL(o.URL), redactErr(err, o.URL))
	}
	if o.TLS && opt.TLSConfig == nil {
		host, _, _ := net.SplitHostPort(opt.Addr)
		opt.TLSConfig = &tls.Config{ServerName: host}
	}
	if o.CAFile != "" {
		if opt.TLSConfig == nil {
			return nil, fmt.Errorf("a Redis CA file was given but the connection is not TLS: use a rediss:// URL or TLS")
		}
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read the Redis CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("read the Redis CA file %s: no PEM certificate in it", o.CAFile)
		}
		opt.TLSConfig.RootCAs = pool
	}
	if opt.TLSConfig != nil && opt.TLSConfig.MinVersion < tls.VersionTLS12 {
		opt.TLSConfig.MinVersion = tls.VersionTLS12
	}
	// No CLIENT SETINFO on connect: Redis's user wschat (templates/app/redis.conf)
	// may run only what wschat needs, and Redis before 7.2 has no SETINFO.
	opt.DisableIdentity = true
	opt.DialTimeout = 2 * time.Second
	opt.ReadTimeout = 2 * time.Second
	opt.WriteTimeout = 2 * time.Second
	opt.MaxRetries = 1
	b := &RedisBus{rdb: redis.NewClient(opt), channel: o.Channel, health: o.HealthInterval, log: o.Logger}
	if b.channel == "" {
		b.channel = "wschat"
	}
	if b.health <= 0 {
		b.health = 2 * time.Second
	}
	if b.log == nil {
		b.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return b, nil
}

// Close releases the client's connections.
func (b *RedisBus) Close() error { return b.rdb.Close() }

// Publish sends e to every backend subscribed to the channel.
func (b *RedisBus) Publish(ctx context.Context, e Event) error {
	payload, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	if err := b.rdb.Publish(ctx, b.channel, payload).Err(); err != nil {
		return fmt.Errorf("publish to Redis channel %s: %w", b.channel, err)
	}
	return nil
}

// Run subscribes to the channel and delivers its events until ctx ends. A
// lost subscription is re-established with backoff; Check fails meanwhile.
func (b *RedisBus) Run(ctx context.Context, deliver func(Event)) error {
	for ctx.Err() == nil {
		b.subscribe(ctx, deliver)
	}
	b.mu.Lock()
	b.subscribed, b.lastErr = false, errors.New("stopped")
	b.mu.Unlock()
	return nil
}

// subscribe runs one subscription until it is found dead or ctx ends.
func (b *RedisBus) subscribe(ctx context.Context, deliver func(Event)) {
	ps := b.rdb.Subscribe(ctx, b.channel) // an error here shows up in Receive, which redials
	defer ps.Close()
	// A read waits up to the health interval and does not watch ctx: closing
	// the subscription when ctx ends cuts it short, so a shutdown need not wait.
	defer context.AfterFunc(ctx, func() { _ = ps.Close() })()
	backoff := 50 * time.Millisecond
	lastHeard := time.Now()
	for {
		msg, err := ps.ReceiveTimeout(ctx, b.health)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				if time.Since(lastHeard) > 3*b.health {
					// Pings go unanswered: the connection is dead without having said so.
					b.setDown(fmt.Errorf("no answer from Redis for %s", time.Since(lastHeard).Round(time.Millisecond)))
					return
				}
				if err := ps.Ping(ctx); err != nil {
					b.setDown(err)
				}
				continue
			}
			b.setDown(err)
			lastHeard = time.Now() // the next connection gets a full grace period
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		lastHeard = time.Now()
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" && m.Channel == b.channel {
				b.setUp()
			}
		case *redis.Message:
			var e Event
			if err := json.Unmarshal([]byte(m.Payload), &e); err != nil {
				b.log.Warn("ignored a malformed event on the Redis channel", "channel", b.channel, "err", err)
				continue
			}
			deliver(e)
		case *redis.Pong:
		}
	}
}

func (b *RedisBus) setUp() {
	b.mu.Lock()
	was := b.subscribed
	b.subscribed, b.lastErr = true, nil
	b.mu.Unlock()
	if !was {
		b.log.Info("subscribed to the Redis channel", "channel", b.channel)
	}
}

func (b *RedisBus) setDown(err error) {
	b.mu.Lock()
	was := b.subscribed
	b.subscribed, b.lastErr = false, err
	b.mu.Unlock()
	if was {
		b.log.Error("lost the Redis subscription; retrying", "channel", b.channel, "err", err)
	}
}

// Check fails while the subscription is down or Redis does not answer a PING.
func (b *RedisBus) Check(ctx context.Context) error {
	b.mu.Lock()
	up, lastErr := b.subscribed, b.lastErr
	b.mu.Unlock()
	if !up {
		if lastErr == nil {
			lastErr = errors.New("not subscribed yet")
		}
		return fmt.Errorf("redis subscription to %s is down: %w", b.channel, lastErr)
	}
	if err := b.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping Redis: %w", err)
	}
	return nil
}

// redactURL hides the password of a Redis URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL, not shown: it may contain a password)"
	}
	return u.Redacted()
}

// redactErr removes the raw URL (and so its password) from an error's text.
func redactErr(err error, raw string) string {
	s := err.Error()
	if raw != "" {
		s = strings.ReplaceAll(s, raw, redactURL(raw))
	}
	if u, perr := url.Parse(raw); perr == nil {
		if p, ok := u.User.Password(); ok && p != "" {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	return s
}
