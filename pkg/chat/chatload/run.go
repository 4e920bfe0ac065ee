package chatload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Clients is a set of connections that read everything sent to them.
type Clients struct {
	conns    []*Conn
	lines    atomic.Int64 // chat lines received
	missed   atomic.Int64 // lines the server's gap notices say were missed
	lost     atomic.Int64 // connections that ended
	lastErr  atomic.Value
	onLine   func(payload []byte, at time.Time) // optional, per chat line
	wg       sync.WaitGroup
	welcomed sync.WaitGroup
}

// OpenOptions configure Open.
type OpenOptions struct {
	Dialers int                                // concurrent dials (default 16)
	OnLine  func(payload []byte, at time.Time) // called from the reading goroutine for each chat line
}

// Open connects n clients round-robin over urls and returns once each has
// its welcome notice.
func Open(ctx context.Context, urls []string, n int, o OpenOptions) (*Clients, error) {
	if o.Dialers <= 0 {
		o.Dialers = 16
	}
	cs := &Clients{conns: make([]*Conn, n), onLine: o.OnLine}
	var next atomic.Int64
	var dialErr atomic.Value
	var dwg sync.WaitGroup
	cs.welcomed.Add(n)
	for range o.Dialers {
		dwg.Add(1)
		go func() {
			defer dwg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || dialErr.Load() != nil {
					return
				}
				dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				c, err := Dial(dctx, urls[i%len(urls)])
				cancel()
				if err != nil {
					dialErr.CompareAndSwap(nil, fmt.Errorf("connection %d: %w", i, err))
					return
				}
				cs.conns[i] = c
				cs.wg.Add(1)
				go cs.read(c)
			}
		}()
	}
	dwg.Wait()
	if err, _ := dialErr.Load().(error); err != nil {
		cs.Close()
		return nil, err
	}
	cs.welcomed.Wait()
	return cs, nil
}

var (
	markMessage = []byte(`"type":"message"`)
	markGap     = []byte(`"code":"gap"`)
	markMissed  = []byte(`"missed":`)
)

func (cs *Clients) read(c *Conn) {
	defer cs.wg.Done()
	first := true
	for {
		p, err := c.Next()
		if first {
			cs.welcomed.Done()
			first = false
		}
		if err != nil {
			cs.lost.Add(1)
			cs.lastErr.Store(errBox{err})
			return
		}
		line, missed := classify(p)
		if line {
			cs.lines.Add(1)
			if cs.onLine != nil {
				cs.onLine(p, time.Now())
			}
		}
		cs.missed.Add(int64(missed))
	}
}

// classify says whether p is a chat line, and how many lines it reports
// missed if it is a gap notice.
func classify(p []byte) (line bool, missed int) {
	switch {
	case bytes.Contains(p, markMessage):
		return true, 0
	case bytes.Contains(p, markGap):
		if i := bytes.Index(p, markMissed); i >= 0 {
			n, _ := leadingInt(p[i+len(markMissed):])
			return false, n
		}
	}
	return false, 0
}

// Lines is how many chat lines the clients received; Missed how many the
// server's gap notices said they missed; Lost how many connections ended.
func (cs *Clients) Lines() int64  { return cs.lines.Load() }
func (cs *Clients) Missed() int64 { return cs.missed.Load() }
func (cs *Clients) Lost() int64   { return cs.lost.Load() }

// Err is why the last connection that ended did.
func (cs *Clients) Err() error { e, _ := cs.lastErr.Load().(errBox); return e.error }

// errBox lets errors of any type share an atomic.Value.
type errBox struct{ error }

// Close closes every connection and waits for the readers.
func (cs *Clients) Close() {
	for _, c := range cs.conns {
		if c != nil {
			c.Close()
		}
	}
	cs.wg.Wait()
}

func leadingInt(b []byte) (int, int) {
	n, i := 0, 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		n = n*10 + int(b[i]-'0')
		i++
	}
	return n, i
}

// IdleConfig configures Idle.
type IdleConfig struct {
	URL   string
	Conns int
	Hold  time.Duration // how long to hold the connections once open
	Every time.Duration // how often to sample the server during the hold
	PID   int           // the server process
	// Progress, when set, sees every sample of the hold.
	Progress func(s Sample, open int64)
}

// IdleResult is what Idle measured.
type IdleResult struct {
	Conns   int
	Before  Sample   // the server before the first connection
	Samples []Sample // the server once every connection was open, then every Every
	Lost    int64    // connections the server closed during the hold
}

// PerConn is the resident memory per connection at s.
func (r IdleResult) PerConn(s Sample) float64 {
	return (float64(s.RSS) - float64(r.Before.RSS)) / float64(r.Conns)
}

// Idle opens Conns connections that answer pings and do nothing else, and
// samples the server while they are held.
func Idle(ctx context.Context, cfg IdleConfig) (IdleResult, error) {
	r := IdleResult{Conns: cfg.Conns}
	var err error
	if r.Before, err = ReadProc(cfg.PID); err != nil {
		return r, err
	}
	cs, err := Open(ctx, []string{cfg.URL}, cfg.Conns, OpenOptions{Dialers: 32})
	if err != nil {
		return r, err
	}
	defer cs.Close()
	every := cfg.Every
	if every <= 0 {
		every = 10 * time.Second
	}
	end := time.Now().Add(cfg.Hold)
	for {
		s, err := ReadProc(cfg.PID)
		if err != nil {
			return r, err
		}
		r.Samples = append(r.Samples, s)
		if cfg.Progress != nil {
			cfg.Progress(s, int64(cfg.Conns)-cs.Lost())
		}
		if !time.Now().Before(end) {
			break
		}
		select {
		case <-time.After(min(every, time.Until(end))):
		case <-ctx.Done():
			return r, ctx.Err()
		}
	}
	r.Lost = cs.Lost()
	return r, nil
}

// BroadcastConfig configures Broadcast.
type BroadcastConfig struct {
	URLs      []string // receivers round-robin over these; the sender is on URLs[0]
	Receivers int
	Messages  int
	Window    int   // lines in flight at most (sent, not yet received by every receiver); 0 = no limit
	PIDs      []int // server processes whose CPU time is measured
	Text      string
}

// BroadcastResult is what Broadcast measured.
type BroadcastResult struct {
	Deliveries int64 // chat lines received, all receivers together
	Missed     int64 // lines reported missed in gap notices
	Lost       int64 // receivers disconnected
	Elapsed    time.Duration
	ServerCPU  time.Duration // all server processes together
}

// PerSecond is deliveries per second of wall time.
func (r BroadcastResult) PerSecond() float64 { return float64(r.Deliveries) / r.Elapsed.Seconds() }

// CPUPer1000 is the servers' CPU time per 1,000 deliveries.
func (r BroadcastResult) CPUPer1000() time.Duration {
	if r.Deliveries == 0 {
		return 0
	}
	return time.Duration(float64(r.ServerCPU) * 1000 / float64(r.Deliveries))
}

// Broadcast sends Messages chat lines from one client to Receivers others and
// measures the deliveries and the servers' CPU time.
func Broadcast(ctx context.Context, cfg BroadcastConfig) (BroadcastResult, error) {
	var r BroadcastResult
	if cfg.Text == "" {
		cfg.Text = "benchmark line of about sixty bytes, like a chat message"
	}
	cs, err := Open(ctx, cfg.URLs, cfg.Receivers, OpenOptions{})
	if err != nil {
		return r, err
	}
	defer cs.Close()
	sender, err := newSender(ctx, cfg.URLs[0], "bench")
	if err != nil {
		return r, err
	}
	defer sender.Close()
	msg := []byte(`{"type":"message","text":` + strconv.Quote(cfg.Text) + `}`)
	before, err := readAll(cfg.PIDs)
	if err != nil {
		return r, err
	}
	start := time.Now()
	want := int64(cfg.Messages) * int64(cfg.Receivers)
	for i := range cfg.Messages {
		for cfg.Window > 0 && cs.Lines()+cs.Missed() < int64(i-cfg.Window)*int64(cfg.Receivers) {
			if err := wait(ctx); err != nil {
				return r, err
			}
		}
		if err := sender.WriteText(msg); err != nil {
			return r, fmt.Errorf("send line %d: %w", i, err)
		}
	}
	// Done when every receiver has every line and the sender its own echo of
	// each: then the servers have written every line of the run, and the CPU
	// time read next covers all of it.
	deadline := time.Now().Add(time.Minute)
	for (cs.Lines()+cs.Missed() < want || sender.seen() < int64(cfg.Messages)) && cs.Lost() == 0 {
		if time.Now().After(deadline) {
			return r, fmt.Errorf("%d of %d deliveries, %d of %d echoes to the sender after a minute", cs.Lines(), want, sender.seen(), cfg.Messages)
		}
		if sender.ended() {
			return r, fmt.Errorf("sender disconnected after %d of %d echoes: %v", sender.seen(), cfg.Messages, sender.err())
		}
		if err := wait(ctx); err != nil {
			return r, err
		}
	}
	r.Elapsed = time.Since(start)
	if r.ServerCPU, err = cpuSince(cfg.PIDs, before); err != nil {
		return r, err
	}
	r.Deliveries, r.Missed, r.Lost = cs.Lines(), cs.Missed(), cs.Lost()
	if r.Lost > 0 {
		return r, fmt.Errorf("%d receivers disconnected: %v", r.Lost, cs.Err())
	}
	return r, nil
}

func wait(ctx context.Context) error {
	time.Sleep(50 * time.Microsecond)
	return ctx.Err()
}

// sender is a client that sends, and counts the chat lines it gets back.
type sender struct {
	*Conn
	lines, missed atomic.Int64
	done          atomic.Bool
	lastErr       atomic.Value // errBox
}

// seen is how many chat lines the sender received or was told it missed.
func (s *sender) seen() int64 { return s.lines.Load() + s.missed.Load() }

// ended says whether the sender's connection has ended; err says why.
func (s *sender) ended() bool { return s.done.Load() }
func (s *sender) err() error  { e, _ := s.lastErr.Load().(errBox); return e.error }

// newSender connects a client, sets its username and counts what it receives.
func newSender(ctx context.Context, url, name string) (*sender, error) {
	c, err := Dial(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := c.WriteText([]byte(`{"type":"set_username","username":"` + name + `"}`)); err != nil {
		c.Close()
		return nil, fmt.Errorf("sender: %w", err)
	}
	for {
		p, err := c.Next()
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("sender: %w", err)
		}
		if bytes.Contains(p, []byte(`"code":"username_set"`)) {
			break
		}
	}
	s := &sender{Conn: c}
	go func() {
		for {
			p, err := c.Next()
			if err != nil {
				s.lastErr.Store(errBox{err})
				s.done.Store(true)
				return
			}
			line, missed := classify(p)
			if line {
				s.lines.Add(1)
			}
			s.missed.Add(int64(missed))
		}
	}()
	return s, nil
}

// LatencyConfig configures Latency.
type LatencyConfig struct {
	// From are the senders' backends (round-robin), To the receivers'.
	From, To []string
	// Receivers is how many clients receive (round-robin over To); every
	// delivery to every receiver is timed.
	Receivers int
	// Senders each send at Rate lines per second for Duration. Rate 0 means
	// one line at a time: the next is sent once every receiver has the last
	// (Count lines, one sender).
	Senders  int
	Rate     float64
	Duration time.Duration
	Count    int
}

// LatencyResult is what Latency measured.
type LatencyResult struct {
	Samples  int
	P50, P99 time.Duration
	Max      time.Duration
	Missed   int64
}

var markLine = []byte(`: L`)

// Latency times chat lines from send to receipt.
func Latency(ctx context.Context, cfg LatencyConfig) (LatencyResult, error) {
	var r LatencyResult
	if cfg.Senders <= 0 || cfg.Rate == 0 {
		cfg.Senders = 1
	}
	total := cfg.Count
	if cfg.Rate > 0 {
		total = int(cfg.Rate*cfg.Duration.Seconds()+1) * cfg.Senders
	}
	sent := make([]atomic.Int64, total) // unix nanos, by line number
	var mu sync.Mutex
	lat := make([]time.Duration, 0, total*cfg.Receivers)
	var received atomic.Int64
	arrived := make(chan struct{}, 1) // a line arrived (one at a time mode waits on it)
	onLine := func(p []byte, at time.Time) {
		i := bytes.Index(p, markLine)
		if i < 0 {
			return
		}
		n, d := leadingInt(p[i+len(markLine):])
		if d == 0 || n >= total {
			return
		}
		t := sent[n].Load()
		if t == 0 {
			return
		}
		mu.Lock()
		lat = append(lat, at.Sub(time.Unix(0, t)))
		mu.Unlock()
		received.Add(1)
		select {
		case arrived <- struct{}{}:
		default:
		}
	}
	cs, err := Open(ctx, cfg.To, cfg.Receivers, OpenOptions{OnLine: onLine})
	if err != nil {
		return r, err
	}
	defer cs.Close()
	senders := make([]*sender, cfg.Senders)
	for i := range senders {
		if senders[i], err = newSender(ctx, cfg.From[i%len(cfg.From)], "s"+strconv.Itoa(i)); err != nil {
			return r, err
		}
		defer senders[i].Close()
	}
	send := func(c *sender, n int) error {
		sent[n].Store(time.Now().UnixNano())
		return c.WriteText([]byte(`{"type":"message","text":"L` + strconv.Itoa(n) + `"}`))
	}
	if cfg.Rate == 0 {
		for n := range total {
			if err := send(senders[0], n); err != nil {
				return r, err
			}
			for received.Load() < int64(n+1)*int64(cfg.Receivers) {
				// Wait without spinning: a spinning load client takes a core
				// from the servers and Redis, and that would be timed.
				select {
				case <-arrived:
				case <-time.After(time.Second):
					if cs.Lost() > 0 {
						return r, fmt.Errorf("a receiver was disconnected: %v", cs.Err())
					}
				case <-ctx.Done():
					return r, ctx.Err()
				}
			}
		}
	} else {
		var next atomic.Int64
		errs := make(chan error, len(senders))
		interval := time.Duration(float64(time.Second) / cfg.Rate)
		for k, c := range senders {
			go func() {
				// Spread the senders over the interval.
				t := time.Now().Add(interval * time.Duration(k) / time.Duration(len(senders)))
				end := time.Now().Add(cfg.Duration)
				for t.Before(end) {
					time.Sleep(time.Until(t))
					n := int(next.Add(1) - 1)
					if n >= total {
						break
					}
					if err := send(c, n); err != nil {
						errs <- err
						return
					}
					t = t.Add(interval)
				}
				errs <- nil
			}()
		}
		for range senders {
			if err := <-errs; err != nil {
				return r, err
			}
		}
		want := next.Load()
		if want > int64(total) {
			want = int64(total)
		}
		deadline := time.Now().Add(10 * time.Second)
		for received.Load()+cs.Missed() < want*int64(cfg.Receivers) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	if cs.Lost() > 0 {
		return r, fmt.Errorf("%d receivers disconnected: %v", cs.Lost(), cs.Err())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lat) == 0 {
		return r, errors.New("no line was received")
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	r.Samples, r.P50, r.P99, r.Max, r.Missed = len(lat), pct(0.50), pct(0.99), lat[len(lat)-1], cs.Missed()
	return r, nil
}
