package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
)

func TestParseFlags(t *testing.T) {
	env := map[string]string{"WSCHAT_REDIS_URL": "redis://:pw@10.0.0.13:6379/0"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*config) string
		wantErr string
	}{
		{name: "defaults", args: nil, check: func(c *config) string {
			if c.addr != ":5000" || c.chat.Name != "host1" || c.redis.URL != "" || c.chat.PingInterval != 10*time.Second {
				return "want :5000, the hostname, no Redis, 10s pings"
			}
			if c.chat.MaxConnections != 20000 || c.chat.MaxConnectionsPerIP != 0 || len(c.chat.TrustedProxies) != 0 || c.chat.ConnLogRate != 20 {
				return "want at most 20,000 connections, no per-address cap, no trusted proxy, 20 connection log lines a second"
			}
			return ""
		}},
		{name: "redis from the environment", env: env, check: func(c *config) string {
			if c.redis.URL != env["WSCHAT_REDIS_URL"] {
				return "want the URL from WSCHAT_REDIS_URL"
			}
			return ""
		}},
		{name: "flag beats environment", env: env, args: []string{"--redis", "rediss://r:6380"}, check: func(c *config) string {
			if c.redis.URL != "rediss://r:6380" {
				return "want the flag's URL"
			}
			return ""
		}},
		{name: "origins list", args: []string{"--allowed-origins", " chat.example.com, *.example.org ,"}, check: func(c *config) string {
			if strings.Join(c.chat.AllowedOrigins, "|") != "chat.example.com|*.example.org" {
				return "want two trimmed patterns"
			}
			return ""
		}},
		{name: "rate 0 disables", args: []string{"--rate-limit", "0"}, check: func(c *config) string {
			if c.chat.RateLimit >= 0 {
				return "want a negative (disabled) rate"
			}
			return ""
		}},
		{name: "everything", args: []string{"--addr", "10.0.0.11:5000", "--name", "web-a", "--ping-interval", "5s", "--max-message-bytes", "1024", "--rate-burst", "5", "--send-queue", "16", "--redis-tls", "--log-level", "debug"}, check: func(c *config) string {
			if c.addr != "10.0.0.11:5000" || c.chat.Name != "web-a" || c.chat.PingInterval != 5*time.Second || c.chat.MaxMessageBytes != 1024 ||
				c.chat.RateBurst != 5 || c.chat.SendQueue != 16 || !c.redis.TLS || c.logLevel.String() != "DEBUG" {
				return "flags not all applied"
			}
			return ""
		}},
		{name: "any flag from the environment", env: map[string]string{"WSCHAT_NAME": "web-b", "WSCHAT_PING_INTERVAL": "7s", "WSCHAT_ALLOWED_ORIGINS": "chat.example.com"}, check: func(c *config) string {
			if c.chat.Name != "web-b" || c.chat.PingInterval != 7*time.Second || len(c.chat.AllowedOrigins) != 1 {
				return "want name, ping interval and origins from WSCHAT_*"
			}
			return ""
		}},
		{name: "connection caps", args: []string{"--max-conns-per-ip", "50", "--trusted-proxies", "100.64.0.0/10, 10.0.1.7,2001:db8::/64", "--conn-log-rate", "0"}, check: func(c *config) string {
			var ps []string
			for _, p := range c.chat.TrustedProxies {
				ps = append(ps, p.String())
			}
			if c.chat.MaxConnectionsPerIP != 50 || strings.Join(ps, " ") != "100.64.0.0/10 10.0.1.7/32 2001:db8::/64" || c.chat.ConnLogRate >= 0 {
				return "want 50 per address, three proxies, no log sampling"
			}
			return ""
		}},
		{name: "no connection limit", args: []string{"--max-conns", "0"}, check: func(c *config) string {
			if c.chat.MaxConnections >= 0 {
				return "want a negative (disabled) limit"
			}
			return ""
		}},
		{name: "trusted proxies from the environment", env: map[string]string{"WSCHAT_TRUSTED_PROXIES": "10.0.0.0/8", "WSCHAT_MAX_CONNS_PER_IP": "5"}, check: func(c *config) string {
			if len(c.chat.TrustedProxies) != 1 || c.chat.MaxConnectionsPerIP != 5 {
				return "want the proxies and the cap from WSCHAT_*"
			}
			return ""
		}},
		{name: "bad proxy", args: []string{"--trusted-proxies", "10.0.0.0/33"}, wantErr: `--trusted-proxies "10.0.0.0/33": not a CIDR`},
		{name: "bad proxy address", args: []string{"--trusted-proxies", "lb.example.com"}, wantErr: `--trusted-proxies "lb.example.com"`},
		{name: "negative cap", args: []string{"--max-conns-per-ip", "-1"}, wantErr: "--max-conns-per-ip -1"},
		{name: "bad environment value", env: map[string]string{"WSCHAT_PING_INTERVAL": "often"}, wantErr: "WSCHAT_PING_INTERVAL: parse error"},
		{name: "negative rate", args: []string{"--rate-limit", "-1"}, wantErr: "--rate-limit -1"},
		{name: "stray argument", args: []string{"web-a"}, wantErr: `unexpected argument "web-a"`},
		{name: "bad log format", args: []string{"--log-format", "xml"}, wantErr: "--log-format"},
		{name: "unknown flag", args: []string{"--port", "5000"}, wantErr: "flag provided but not defined: -port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseFlags(tt.args, func(k string) string { return tt.env[k] }, "host1", &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(c); msg != "" {
				t.Fatalf("%s; got %+v", msg, c)
			}
		})
	}
}

// TestSIGTERMSaysGoingAway runs the real binary: SIGTERM must close a
// client's connection with 1001 and let the process exit 0.
func TestSIGTERMSaysGoingAway(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	bin := filepath.Join(t.TempDir(), "wschat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "--addr", addr, "--name", "web-a", "--log-format", "text")
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("wschat did not come up: %v\n%s", err, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if _, data, err := c.Read(ctx); err != nil || !bytes.Contains(data, []byte(`"code":"`+chat.CodeWelcome+`"`)) {
		t.Fatalf("first frame %s, %v: want the welcome", data, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Read(ctx)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway {
		t.Fatalf("after SIGTERM the connection ended with %v, want 1001 going away", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("wschat exited with %v after SIGTERM\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown log line:\n%s", logs.String())
	}
}
