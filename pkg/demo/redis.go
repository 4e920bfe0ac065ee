package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Redis kinds, as the demo reports them.
const (
	RedisGiven    = "given"        // --redis URL
	RedisServer   = "redis-server" // the redis-server on PATH, started by the demo
	RedisEmbedded = "embedded"     // the embedded Redis-compatible server (miniredis)
)

// redisRun is the Redis of the demo.
type redisRun struct {
	URL  string
	Kind string
	Bin  string // redis-server's path
	stop func()
}

// startRedis uses url when given; else starts redis-server (bin) on a free
// loopback port, its data nowhere on disk; else the embedded server.
func startRedis(ctx context.Context, url, bin, dir string) (*redisRun, error) {
	switch {
	case url != "":
		if err := ping(ctx, url, 5*time.Second); err != nil {
			return nil, withHint(fmt.Errorf("reach the Redis of --redis %s: %w", redact(url), err),
				"check the URL and that this Redis runs; or leave --redis out: the demo then starts redis-server, or an embedded Redis")
		}
		return &redisRun{URL: url, Kind: RedisGiven, stop: func() {}}, nil
	case bin != "":
		var last error
		for range 3 { // the free port may be taken before redis-server binds it
			r, err := startRedisServer(ctx, bin, dir)
			if err == nil {
				return r, nil
			}
			last = err
		}
		return nil, last
	}
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start the embedded Redis: %w", err)
	}
	return &redisRun{URL: "redis://" + m.Addr() + "/0", Kind: RedisEmbedded, stop: m.Close}, nil
}

func startRedisServer(ctx context.Context, bin, dir string) (*redisRun, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir, "--logfile", "redis.log")
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		if err := terminate(cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
			_ = cmd.Process.Kill()
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	url := "redis://127.0.0.1:" + strconv.Itoa(port) + "/0"
	if err := ping(ctx, url, 10*time.Second); err != nil {
		stop()
		return nil, withHint(fmt.Errorf("redis-server did not answer on 127.0.0.1:%d: %w", port, err),
			"read its log, "+filepath.Join(dir, "redis.log")+"; or pass --redis URL to use a Redis that runs already")
	}
	return &redisRun{URL: url, Kind: RedisServer, Bin: bin, stop: stop}, nil
}

// ping waits until the Redis at url answers PING, within d.
func ping(ctx context.Context, url string, d time.Duration) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return err
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		err = c.Ping(ctx).Err()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}
