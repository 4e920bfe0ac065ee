package demo

// The demo's instance runtime: the local fake cloud hands it each Cloud
// Assistant command that succeeds (fakecloud.Options.InstanceRuntime), and
// it acts out wsdeploy's own commands (pkg/install) on this machine, so
// `wsdeploy demo` deploys through `up`'s app.deploy path as on a real
// account: wsdeploy-install-wschat starts a wschat backend process with the
// command's settings (name, port, ping interval, allowed origins, Redis)
// and maps the instance's port to it; wsdeploy-uninstall-wschat stops it.
// Redis is the demo's own (app.deploy.redis.url points at it): a command
// that installs Redis on an instance fails, saying so.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// runtime starts and stops the demo's backends for the fake cloud.
type runtime struct {
	r *run
	// ctx bounds the backends' start (the demo's context).
	ctx context.Context

	mu       sync.Mutex
	byID     map[string]*backend // instance ID -> its running backend
	order    []string            // instance IDs, first install first
	runDir   string
	redisURL string // the demo's Redis (with its password, if any)
}

var (
	exportRE   = regexp.MustCompile(`(?m)^export ([A-Z_]+=.*)$`)
	assignRE   = regexp.MustCompile(`([A-Z_]+)=('(?:[^']|'\\'')*'|[^ ]*)`)
	redisURLRE = regexp.MustCompile(`(?m)^WSCHAT_REDIS_URL=(\S+)$`)
	secretRE   = regexp.MustCompile(`\{\{oos-secret:([A-Za-z0-9_-]+)\}\}`)
)

// settings reads the `export NAME=value …` lines of an install command.
func settings(content string) map[string]string {
	out := map[string]string{}
	for _, m := range exportRE.FindAllStringSubmatch(content, -1) {
		for _, a := range assignRE.FindAllStringSubmatch(m[1], -1) {
			v := a[2]
			if strings.HasPrefix(v, "'") {
				v = strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'"), `'\''`, "'")
			}
			out[a[1]] = v
		}
	}
	return out
}

// CommandSucceeded acts out one of wsdeploy's commands on instance c.Instance.
func (rt *runtime) CommandSucceeded(_ context.Context, c fakecloud.RuntimeCommand) error {
	switch c.Name {
	case "wsdeploy-install-wschat":
		return rt.installWschat(c)
	case "wsdeploy-uninstall-wschat":
		rt.stopBackend(c.Instance.ID)
		return rt.r.fake.SetInstancePorts(c.Instance.ID, nil)
	case "wsdeploy-install-redis":
		return errors.New("wsdeploy demo: the demo runs Redis itself; point app.deploy.redis.url at it instead of installing Redis on " + c.Instance.ID)
	}
	return nil // anything else: recorded, nothing to act out here
}

// installWschat (re)starts the instance's backend with the command's settings.
func (rt *runtime) installWschat(c fakecloud.RuntimeCommand) error {
	set := settings(c.Content)
	port, err := strconv.Atoi(set["APP_PORT"])
	if err != nil {
		return fmt.Errorf("wsdeploy demo: APP_PORT %q: %w", set["APP_PORT"], err)
	}
	ping, err := time.ParseDuration(set["PING_INTERVAL"])
	if err != nil {
		return fmt.Errorf("wsdeploy demo: PING_INTERVAL %q: %w", set["PING_INTERVAL"], err)
	}
	redisURL, err := rt.redisFor(c, set)
	if err != nil {
		return err
	}
	var origins []string
	if o := set["ALLOWED_ORIGINS"]; o != "" {
		origins = strings.Split(o, ",")
	}
	rt.stopBackend(c.Instance.ID) // an update replaces the running one
	b, err := startBackend(rt.ctx, rt.r.o.Exe, rt.r.o.Env, BackendOptions{
		Name: set["BACKEND_NAME"], Addr: "127.0.0.1:0", RedisURL: redisURL, PingInterval: ping, AllowedOrigins: origins,
	}, rt.runDir)
	if err != nil {
		return fmt.Errorf("wsdeploy demo: start wschat for %s: %w", c.Instance.ID, err)
	}
	b.InstanceID, b.Instance = c.Instance.ID, c.Instance.Name
	if err := rt.r.fake.SetInstancePorts(c.Instance.ID, map[int]string{port: b.Addr}); err != nil {
		b.stop()
		return fmt.Errorf("wsdeploy demo: map %s's port %d: %w", c.Instance.ID, port, err)
	}
	rt.mu.Lock()
	if _, ok := rt.byID[c.Instance.ID]; !ok {
		rt.order = append(rt.order, c.Instance.ID)
	}
	rt.byID[c.Instance.ID] = b
	rt.mu.Unlock()
	rt.r.notice("demo.backend", "✔ Backend %s (pid %d) on %s = instance %s (%s) port %d, started by Cloud Assistant invocation %s; log %s",
		b.Name, b.cmd.Process.Pid, b.Addr, c.Instance.Name, c.Instance.ID, port, c.InvokeID, b.logPath)
	return nil
}

// redisFor is the Redis URL wschat gets: the command's WSCHAT_REDIS_URL,
// its ${REDIS_PASSWORD} from the OOS secret the command reads; the demo's
// own Redis (with its password) when the command points there.
func (rt *runtime) redisFor(c fakecloud.RuntimeCommand, set map[string]string) (string, error) {
	if set["REDIS_PRIVATE_IP"] != "managed" {
		return "", errors.New("wsdeploy demo: wschat's Redis must be app.deploy.redis.url (the demo's Redis), not Redis on instance " + set["REDIS_PRIVATE_IP"])
	}
	m := redisURLRE.FindStringSubmatch(c.Content)
	if m == nil {
		return "", errors.New("wsdeploy demo: the command sets no WSCHAT_REDIS_URL")
	}
	raw := m[1]
	if strings.Contains(raw, "${REDIS_PASSWORD}") {
		s := secretRE.FindStringSubmatch(c.Content)
		if s == nil {
			return "", errors.New("wsdeploy demo: the command reads no OOS secret for ${REDIS_PASSWORD}")
		}
		pw, ok := c.Secrets[s[1]]
		if !ok {
			return "", fmt.Errorf("wsdeploy demo: no value for the OOS secret %s", s[1])
		}
		raw = strings.ReplaceAll(raw, "${REDIS_PASSWORD}", url.PathEscape(pw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("wsdeploy demo: WSCHAT_REDIS_URL does not parse: %w", err)
	}
	if d, derr := url.Parse(rt.redisURL); derr == nil && d.Host == u.Host {
		return rt.redisURL, nil
	}
	return raw, nil
}

// stopBackend stops the instance's backend, if it runs one.
func (rt *runtime) stopBackend(id string) {
	rt.mu.Lock()
	b := rt.byID[id]
	delete(rt.byID, id)
	rt.mu.Unlock()
	if b != nil {
		b.stop()
	}
}

// backends are the running backends, by instance ID: a first install
// starts them all at once, so the order they were installed in varies.
func (rt *runtime) backends() []*backend {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []*backend
	for _, id := range rt.order {
		if b, ok := rt.byID[id]; ok {
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].InstanceID < out[j].InstanceID })
	return out
}

// stopAll stops every backend.
func (rt *runtime) stopAll() {
	rt.mu.Lock()
	ids := append([]string(nil), rt.order...)
	rt.mu.Unlock()
	for i := len(ids) - 1; i >= 0; i-- {
		rt.stopBackend(ids[i])
	}
}
