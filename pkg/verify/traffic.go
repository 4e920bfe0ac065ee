package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// frame is a server frame of wschat's wire protocol (see package chat).
type frame struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Backend  string `json:"backend"`
	Code     string `json:"code"`
	Origin   string `json:"origin"`
	Username string `json:"username"`
	at       time.Time
}

// client is one test WebSocket client; a goroutine reads its frames.
type client struct {
	n       int // 1-based, as reported
	conn    *websocket.Conn
	backend string
	frames  chan frame
	done    chan struct{}
	err     error // why reading stopped, once done is closed
	pings   atomic.Int64
	once    sync.Once
}

func (s *session) connect(ctx context.Context, n int) (*client, error) {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			c, _, err := s.dial(ctx)
			return c, err
		},
		TLSClientConfig:   s.tlsConfig(),
		DisableKeepAlives: true,
	}
	c := &client{n: n, frames: make(chan frame, 1024), done: make(chan struct{})}
	opts := &websocket.DialOptions{
		HTTPClient:     &http.Client{Transport: tr},
		OnPingReceived: func(context.Context, []byte) bool { c.pings.Add(1); return true },
	}
	if s.o.Origin != "" {
		opts.HTTPHeader = http.Header{"Origin": {s.o.Origin}}
	}
	dctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, s.url, opts)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("client #%d: upgrade answered %s", n, resp.Status)
		}
		return nil, fmt.Errorf("client #%d: %w", n, err)
	}
	conn.SetReadLimit(1 << 20)
	c.conn = conn
	go c.read()
	return c, nil
}

func (c *client) read() {
	defer close(c.done)
	for {
		_, data, err := c.conn.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		var f frame
		if json.Unmarshal(data, &f) != nil {
			f = frame{Text: string(data)}
		}
		f.at = time.Now()
		select {
		case c.frames <- f:
		default: // nobody is listening for this much: drop
		}
	}
}

func (c *client) close() {
	c.once.Do(func() {
		if c.conn != nil {
			_ = c.conn.Close(websocket.StatusNormalClosure, "verify done")
		}
	})
}

// send writes one JSON frame.
func (c *client) send(ctx context.Context, timeout time.Duration, v any) error {
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("client #%d: send: %w", c.n, err)
	}
	return nil
}

// await returns the first frame that matches, skipping others, within d.
func (c *client) await(ctx context.Context, d time.Duration, match func(frame) bool) (frame, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case f := <-c.frames:
			if match(f) {
				return f, nil
			}
		case <-c.done:
			select {
			case f := <-c.frames:
				if match(f) {
					return f, nil
				}
				continue
			default:
			}
			return frame{}, fmt.Errorf("client #%d: connection closed: %v", c.n, closeReason(c.err))
		case <-t.C:
			return frame{}, fmt.Errorf("client #%d: nothing within %s", c.n, d)
		case <-ctx.Done():
			return frame{}, ctx.Err()
		}
	}
}

func closeReason(err error) string {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		if ce.Reason != "" {
			return fmt.Sprintf("close %d %q", int(ce.Code), ce.Reason)
		}
		return fmt.Sprintf("close %d", int(ce.Code))
	}
	if err == nil {
		return "closed"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "TCP connection closed without a WebSocket close frame"
	}
	return err.Error()
}

func (s *session) username(n int) string { return fmt.Sprintf("verify-%s-%d", s.nonce, n) }

// extraDials is how many more connections the clients check opens, at most,
// looking for a second backend when all clients landed on one.
const extraDials = 6

func checkClients(ctx context.Context, s *session) Result {
	welcome := func(c *client) error {
		f, err := c.await(ctx, s.o.Timeout, func(f frame) bool { return f.Type == "system" })
		if err != nil {
			return fmt.Errorf("%w (no welcome frame: is this wschat's protocol?)", err)
		}
		c.backend = f.Backend
		return nil
	}
	fail := func(err error) Result {
		return Result{Status: Fail, Summary: err.Error(),
			Hint: "the upgrade works but the app does not speak wschat's protocol, or refused the client; check the backends' logs"}
	}
	for i := 1; i <= s.o.Clients; i++ {
		c, err := s.connect(ctx, i)
		if err != nil {
			return fail(err)
		}
		s.clients = append(s.clients, c)
		if err := welcome(c); err != nil {
			return fail(err)
		}
	}
	backends := s.backends()
	tries := 0
	if len(backends) == 1 && backends[0] != "" {
		// Everyone on one backend: look for another one, keeping only a client that finds it.
		for tries < extraDials {
			tries++
			c, err := s.connect(ctx, len(s.clients)+1)
			if err != nil {
				return fail(err)
			}
			if err := welcome(c); err != nil {
				c.close()
				return fail(err)
			}
			if c.backend != backends[0] {
				s.clients = append(s.clients, c)
				break
			}
			c.close()
		}
	}
	for _, c := range s.clients {
		if err := c.send(ctx, s.o.Timeout, map[string]string{"type": "set_username", "username": s.username(c.n)}); err != nil {
			return fail(err)
		}
		// Other people's notices (someone left) can arrive first on a live
		// room: wait for the answer to this request.
		f, err := c.await(ctx, s.o.Timeout, func(f frame) bool { return f.Type == "system" && f.Code != "left" && f.Code != "welcome" })
		if err != nil {
			return fail(fmt.Errorf("no answer to set_username: %w", err))
		}
		if f.Code != "" && f.Code != "username_set" {
			return fail(fmt.Errorf("client #%d: set_username answered %q", c.n, f.Text))
		}
	}
	var parts []string
	for _, c := range s.clients {
		s.infos = append(s.infos, ClientInfo{Client: c.n, Backend: c.backend})
		b := c.backend
		if b == "" {
			b = "?"
		}
		parts = append(parts, fmt.Sprintf("#%d → %s", c.n, b))
	}
	res := Result{Status: Pass, Summary: fmt.Sprintf("%d clients connected: %s", len(s.clients), strings.Join(parts, ", ")),
		Metrics: map[string]float64{"clients": float64(len(s.clients)), "backends": float64(len(s.backends()))}}
	if tries > 0 {
		res.Details = append(res.Details, fmt.Sprintf("%d more connection(s) opened looking for a second backend", tries))
	}
	return res
}

// backends lists the distinct backends the clients reached.
func (s *session) backends() []string {
	var out []string
	for _, c := range s.clients {
		if !slices.Contains(out, c.backend) {
			out = append(out, c.backend)
		}
	}
	return out
}

// checkBroadcast sends one message from each client and records who got
// which; it judges delivery within a backend (and back to the sender), and
// leaves delivery across backends to checkFanout.
func checkBroadcast(ctx context.Context, s *session) Result {
	texts := map[int]string{}
	for i, c := range s.clients {
		if i > 0 {
			if err := sleep(ctx, s.o.MessageInterval); err != nil {
				return Result{Status: Fail, Summary: err.Error()}
			}
		}
		texts[c.n] = fmt.Sprintf("verify %s broadcast from #%d", s.nonce, c.n)
		if err := c.send(ctx, s.o.Timeout, map[string]string{"type": "message", "text": texts[c.n]}); err != nil {
			return Result{Status: Fail, Summary: err.Error()}
		}
	}
	// Collect concurrently: every client waits for every message.
	got := map[pair]bool{}
	var mu sync.Mutex
	var notices []string
	var wg sync.WaitGroup
	for _, rc := range s.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := len(texts)
			deadline := time.Now().Add(s.o.Timeout)
			for want > 0 {
				f, err := rc.await(ctx, time.Until(deadline), func(f frame) bool {
					return f.Type == "message" && strings.Contains(f.Text, "verify "+s.nonce+" broadcast") || f.Code == "rate_limited" || f.Code == "unavailable"
				})
				if err != nil {
					return
				}
				mu.Lock()
				if f.Type != "message" {
					notices = append(notices, fmt.Sprintf("client #%d was told: %s", rc.n, f.Text))
				}
				for from, text := range texts {
					if strings.HasSuffix(f.Text, text) && !got[pair{from, rc.n}] {
						got[pair{from, rc.n}] = true
						want--
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	s.broadcastGot = got

	var missing []string
	deliveries := 0
	for _, from := range s.clients {
		for _, to := range s.clients {
			if from.backend != to.backend && from.backend != "" && to.backend != "" {
				continue // fan-out's business
			}
			if got[pair{from.n, to.n}] {
				deliveries++
				continue
			}
			who := fmt.Sprintf("client #%d", to.n)
			if from == to {
				who = "its sender"
			}
			missing = append(missing, fmt.Sprintf("the message from #%d did not reach %s within %s", from.n, who, s.o.Timeout))
		}
	}
	if len(missing) > 0 {
		return Result{Status: Fail, Summary: missing[0], Details: append(missing[1:], notices...),
			Hint: "the app does not broadcast chat lines to every client of its backend (the sender included); check the backends' logs"}
	}
	return Result{Status: Pass, Summary: fmt.Sprintf("each of %d messages reached its sender and every client on the same backend (%d deliveries)", len(texts), deliveries),
		Metrics: map[string]float64{"deliveries": float64(deliveries)}}
}

func checkFanout(_ context.Context, s *session) Result {
	backends := s.backends()
	if slices.Contains(backends, "") {
		return Result{Status: Skip, Summary: "the backends do not say who they are (no \"backend\" in the welcome): cross-backend delivery not checked"}
	}
	if len(backends) < 2 {
		return Result{Status: Warn, Summary: fmt.Sprintf("every client reached %s: cross-backend delivery not checked", backends[0]),
			Hint: "if the server group has two or more backends, check that all are healthy (their /healthz and the load balancer's health check), or raise --clients"}
	}
	crossed := map[string]bool{}
	var missing []string
	for _, from := range s.clients {
		for _, to := range s.clients {
			if from.backend == to.backend {
				continue
			}
			route := from.backend + " → " + to.backend
			if s.broadcastGot[pair{from.n, to.n}] {
				crossed[route] = true
			} else {
				missing = append(missing, fmt.Sprintf("the message from #%d (%s) did not reach #%d (%s) within %s", from.n, from.backend, to.n, to.backend, s.o.Timeout))
			}
		}
	}
	if len(missing) > 0 {
		return Result{Status: Fail, Summary: missing[0], Details: missing[1:],
			Hint: "the backends do not share messages: start every wschat with the same --redis URL (and --redis-channel), and check each backend's /healthz (it fails while Redis is unreachable)"}
	}
	routes := make([]string, 0, len(crossed))
	for r := range crossed {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	return Result{Status: Pass, Summary: "messages crossed " + strings.Join(routes, ", "), Metrics: map[string]float64{"backends": float64(len(backends))}}
}

// checkLatency sends Messages messages from client #1, one at a time, and
// times each until it comes back, and until it reaches a client on another
// backend when there is one.
func checkLatency(ctx context.Context, s *session) Result {
	sender := s.clients[0]
	var remote *client // a client on another backend, when messages do cross
	if s.status[CheckFanout] == Pass {
		for _, c := range s.clients[1:] {
			if c.backend != sender.backend {
				remote = c
				break
			}
		}
	}
	var own, cross []time.Duration
	for i := range s.o.Messages {
		if i > 0 {
			if err := sleep(ctx, s.o.MessageInterval); err != nil {
				return Result{Status: Fail, Summary: err.Error()}
			}
		}
		text := fmt.Sprintf("verify %s rtt %d", s.nonce, i)
		start := time.Now()
		if err := sender.send(ctx, s.o.Timeout, map[string]string{"type": "message", "text": text}); err != nil {
			return Result{Status: Fail, Summary: err.Error()}
		}
		match := func(f frame) bool {
			return f.Type == "message" && strings.HasSuffix(f.Text, text) || f.Code == "rate_limited" || f.Code == "unavailable"
		}
		f, err := sender.await(ctx, s.o.Timeout, match)
		if err != nil {
			return Result{Status: Fail, Summary: fmt.Sprintf("message %d of %d did not come back: %v", i+1, s.o.Messages, err)}
		}
		if f.Type != "message" {
			return Result{Status: Fail, Summary: fmt.Sprintf("message %d of %d was refused: %s", i+1, s.o.Messages, f.Text),
				Hint: "the app rate-limits verify's messages: lower --messages, or raise wschat's --rate-limit"}
		}
		own = append(own, f.at.Sub(start))
		if remote != nil {
			if rf, err := remote.await(ctx, s.o.Timeout, match); err == nil && rf.Type == "message" {
				cross = append(cross, rf.at.Sub(start))
			}
		}
	}
	p50, p99 := percentile(own, 50), percentile(own, 99)
	res := Result{Status: Pass, Summary: fmt.Sprintf("round trip p50 %s, p99 %s over %d messages", round(p50), round(p99), len(own)),
		Metrics: map[string]float64{"p50Ms": ms(p50), "p99Ms": ms(p99), "maxMs": ms(slices.Max(own)), "messages": float64(len(own))}}
	if len(cross) > 0 {
		cp50, cp99 := percentile(cross, 50), percentile(cross, 99)
		res.Details = append(res.Details, fmt.Sprintf("%s → %s: p50 %s, p99 %s over %d messages", sender.backend, remote.backend, round(cp50), round(cp99), len(cross)))
		res.Metrics["crossP50Ms"], res.Metrics["crossP99Ms"] = ms(cp50), ms(cp99)
	}
	return res
}

// percentile is the nearest-rank percentile of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkIdle opens a fresh connection, sends nothing for IdleFor, then checks
// it still carries frames both ways. Only the app's pings (or other users'
// chat) can keep it open through the listener's idle timeout.
func checkIdle(ctx context.Context, s *session) Result {
	if !s.o.IdleCheck {
		return Result{Status: Skip, Summary: "not checked: add --idle-check to stay idle past the listener's idle timeout"}
	}
	idleFor := s.o.IdleFor
	if idleFor == 0 {
		idleFor = 65 * time.Second
		if s.t.IdleTimeout > 0 {
			idleFor = s.t.IdleTimeout + 5*time.Second
		}
	}
	// The traffic clients' goodbyes must not count as activity.
	s.closeClients()
	c, err := s.connect(ctx, 0)
	if err != nil {
		return Result{Status: Fail, Summary: err.Error()}
	}
	defer c.close()
	if _, err := c.await(ctx, s.o.Timeout, func(f frame) bool { return true }); err != nil {
		return Result{Status: Fail, Summary: "no welcome: " + err.Error()}
	}
	timeout := "unknown"
	if s.t.IdleTimeout > 0 {
		timeout = s.t.IdleTimeout.String()
	}
	start := time.Now()
	last := start // the last data frame, either way
	var chatter int
	limit := time.NewTimer(idleFor + 30*time.Second)
	defer limit.Stop()
	for time.Since(last) < idleFor {
		wait := time.NewTimer(idleFor - time.Since(last))
		select {
		case <-c.frames:
			chatter++
			last = time.Now()
		case <-c.done:
			wait.Stop()
			pings := c.pings.Load()
			hint := "the load balancer closes connections idle for its idle timeout: make the app ping more often than that (wschat --ping-interval, below listeners[].idleTimeout in wsdeploy.yaml)"
			if pings > 0 {
				hint = "the connection closed although the server pinged it: check the app's logs and the listener's idle timeout"
			}
			return Result{Status: Fail,
				Summary: fmt.Sprintf("the connection closed after %s without traffic (%s); listener idle timeout %s", round(time.Since(last)), closeReason(c.err), timeout),
				Details: []string{fmt.Sprintf("server pings received: %d", pings)}, Hint: hint,
				Metrics: map[string]float64{"idleMs": ms(time.Since(last)), "pings": float64(pings)}}
		case <-limit.C:
			wait.Stop()
			return Result{Status: Warn, Summary: fmt.Sprintf("never idle for %s: %d chat frames arrived during %s (other users?), inconclusive", idleFor, chatter, round(time.Since(start))),
				Hint: "run verify while the chat is quiet"}
		case <-ctx.Done():
			wait.Stop()
			return Result{Status: Fail, Summary: ctx.Err().Error()}
		case <-wait.C:
		}
		wait.Stop()
	}
	idle := time.Since(last)
	// Still open: prove it carries frames both ways.
	if err := c.send(ctx, s.o.Timeout, map[string]string{"type": "set_username", "username": s.username(0)}); err != nil {
		return Result{Status: Fail, Summary: "after the idle period: " + err.Error()}
	}
	if _, err := c.await(ctx, s.o.Timeout, func(f frame) bool { return f.Type == "system" }); err != nil {
		return Result{Status: Fail, Summary: "after the idle period the connection does not answer: " + err.Error(),
			Hint: "a connection the load balancer dropped silently looks like this; make the app ping more often than the listener's idle timeout"}
	}
	pings := c.pings.Load()
	return Result{Status: Pass, Summary: fmt.Sprintf("survived %s idle (listener idle timeout %s); %d server pings kept it open", round(idle), timeout, pings),
		Metrics: map[string]float64{"idleMs": ms(idle), "pings": float64(pings)}}
}
