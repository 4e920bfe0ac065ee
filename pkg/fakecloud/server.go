package fakecloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	// Seed is the starting world (required unless StatePath exists).
	Seed *Seed
	// StatePath, if set, names a JSON state file: loaded at start if it exists
	// (it wins over Seed) and saved (atomically) after every call that changed
	// the world. The file is the source of truth: several processes may share it.
	StatePath string
	// RequestLog, if set, receives one JSON line (a Call) per request.
	RequestLog io.Writer
	// AsyncDuration is how long ALB objects and jobs, CLB listeners
	// (starting, configuring), CLB vServer groups (VServerGroupProcessing)
	// and Cloud Assistant invocations (Pending, then Running) stay
	// transitional; 0 means 1s.
	AsyncDuration time.Duration
	// Now is the world's clock; nil means time.Now. Signature freshness
	// (x-acs-date, nonces) is checked against the wall clock instead, because
	// the SDK stamps requests with the wall clock.
	Now func() time.Time
	// Logf is an optional debug log.
	Logf func(format string, args ...any)

	// Faults are fault-injection rules in force from the first call (see
	// Fault; replace them later with SetFaults or PUT /_fake/faults).
	Faults []Fault
	// FaultSeed seeds the random sources of Probability rules: each rule
	// draws from its own source seeded by FaultSeed and its index, so a run
	// with the same seed and the same calls fails the same calls.
	FaultSeed int64
	// Latency is the per-call latency model for benchmarks; the zero value is off.
	Latency Latency

	// Profile is how slow and flaky the fake is: "" or ProfileFast (ideal,
	// for unit tests) or ProfileRealistic (profile.go; its random draws are
	// seeded by FaultSeed). With ProfileRealistic, AsyncDuration must be 0
	// (New refuses both: that profile draws its own durations; TimeScale
	// speeds them up or slows them down).
	Profile string
	// TimeScale multiplies every duration of the realistic profile (async
	// work, health checks, the read-after-write window; not rate limits):
	// 0.05 runs the real cloud's timing 20 times faster. 0 means 1.
	TimeScale float64
	// DataPlane makes Serve (and NewTestServer) serve the load balancers'
	// data plane: running listeners listen on loopback ports and proxy to
	// the instances' mapped ports (dataplane.go). With a state file, one
	// process at a time serves it.
	DataPlane bool
	// InstanceRuntime, test and demo wiring only, acts out the Cloud
	// Assistant commands that succeed (instance_runtime.go); nil: commands
	// are only recorded.
	InstanceRuntime InstanceRuntime
}

// Server is the fake Alibaba Cloud API. It implements http.Handler.
type Server struct {
	opts  Options
	now   func() time.Time
	async time.Duration
	reg   registry

	faults   *faultEngine  // own mutex, taken after mu
	realism  *realism      // the realistic profile (nil: fast); own mutex, taken after mu
	latency  *latencyModel // own mutex
	control  http.Handler  // the /_fake/ endpoints (control.go)
	stop     chan struct{} // closed when serving stops: ends every delay
	stopOnce sync.Once

	mu    sync.Mutex // guards everything below and every handler call
	st    *State
	stamp fileStamp // version of the state file st was loaded from / saved as
	calls []Call
	// inflight holds the calls received and not answered yet, by arrival
	// (calls.go); lastCall numbers them.
	inflight map[uint64]pendingCall
	lastCall uint64
}

// maxBodyBytes bounds a request body.
const maxBodyBytes = 8 << 20

// New builds a server from opts.
func New(opts Options) (*Server, error) {
	s := &Server{opts: opts, now: opts.Now, async: opts.AsyncDuration, reg: builtinRegistry(), stop: make(chan struct{})}
	if s.now == nil {
		s.now = time.Now
	}
	if s.async <= 0 {
		s.async = time.Second
	}
	rules, err := validateFaults(opts.Faults, nil)
	if err != nil {
		return nil, err
	}
	s.faults = newFaultEngine(opts.FaultSeed, rules)
	if s.realism, err = newRealism(opts.Profile, opts.TimeScale, opts.FaultSeed); err != nil {
		return nil, fmt.Errorf("fakecloud: %w", err)
	}
	if err := checkAsyncWithProfile(opts); err != nil {
		return nil, err
	}
	lat, err := opts.Latency.validate()
	if err != nil {
		return nil, err
	}
	s.latency = newLatencyModel(lat)
	s.control = s.controlHandler()

	if opts.StatePath == "" {
		if opts.Seed == nil {
			return nil, errors.New("fakecloud: Options.Seed is required when no StatePath is given")
		}
		st, err := stateFromSeed(opts.Seed)
		if err != nil {
			return nil, err
		}
		s.st = st
		return s, nil
	}
	err = s.withFileLock(func() error {
		st, stamp, err := loadState(opts.StatePath)
		if err == nil {
			s.st, s.stamp = st, stamp
			return nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if opts.Seed == nil {
			return fmt.Errorf("fakecloud: state file %s does not exist and no seed was given", opts.StatePath)
		}
		if s.st, err = stateFromSeed(opts.Seed); err != nil {
			return err
		}
		return s.save()
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// withFileLock runs fn holding the state-file lock (if there is a state file).
// The caller holds s.mu.
func (s *Server) withFileLock(fn func() error) error {
	if s.opts.StatePath == "" {
		return fn()
	}
	unlock, err := lockFile(s.opts.StatePath + ".lock")
	if err != nil {
		return fmt.Errorf("fakecloud: lock state file: %w", err)
	}
	defer unlock()
	return fn()
}

// reload re-reads the state file if another server replaced it. Caller holds
// s.mu and the file lock. A missing file keeps the in-memory world (the next
// save recreates the file).
func (s *Server) reload() error {
	if s.opts.StatePath == "" {
		return nil
	}
	st, stamp, err := readState(s.opts.StatePath, s.stamp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st != nil {
		s.st, s.stamp = st, stamp
	}
	return nil
}

// save writes the state file. Caller holds s.mu and the file lock.
func (s *Server) save() error {
	if s.opts.StatePath == "" {
		return nil
	}
	stamp, err := saveState(s.opts.StatePath, s.st)
	if err != nil {
		return fmt.Errorf("fakecloud: save state: %w", err)
	}
	s.stamp = stamp
	return nil
}

// Snapshot returns a deep copy of the world (reloaded from the state file
// first, if any; if that fails, the in-memory world is used and the error logged).
func (s *Server) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.withFileLock(s.reload); err != nil {
		s.logf("fakecloud: Snapshot: reload state: %v", err)
	}
	cp, err := cloneState(s.st)
	if err != nil {
		// Only an unencodable State gets here: a programming error in a product file.
		panic(fmt.Sprintf("fakecloud: Snapshot: %v", err))
	}
	return *cp
}

// Update mutates the world under the lock (for tests and tools). If fn fails,
// the world is left unchanged; otherwise the state file (if any) is saved.
func (s *Server) Update(fn func(st *State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.withFileLock(func() error {
		if err := s.reload(); err != nil {
			return err
		}
		backup, err := cloneState(s.st)
		if err != nil {
			return err
		}
		if err := fn(s.st); err != nil {
			s.st = backup
			return err
		}
		return s.save()
	})
}

// Serve serves s on ln until ctx is done, then shuts down gracefully: calls
// in flight finish (fault and latency delays end at once) and connections
// that have not sent a request are closed (http.Server.Shutdown alone would
// wait 5 s for them, and an HTTP client may dial one it never uses).
func Serve(ctx context.Context, ln net.Listener, s *Server) error {
	if s.opts.DataPlane {
		stop := s.startDataPlane()
		defer stop()
	}
	var fresh freshConns
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second, ConnState: fresh.track}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.stopDelays()
	fresh.closeAll()
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// errorBody is the real error answer (facts §1.5).
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

// ServeHTTP answers one RPC call, or a control request under /_fake/
// (control.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.control.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	reqID := newRequestID()
	body, params, apiErr := readRequest(r)
	// Routing: x-acs-* headers (ACS3) or Action/Version parameters (v1);
	// params keeps the API parameters only (auth_v1.go).
	version, action, params, routeErr := routeRequest(r, params)
	if apiErr == nil {
		apiErr = routeErr
	}
	call := Call{Action: action, RequestID: reqID}
	if p, ok := products[version]; ok {
		call.Product = p.product
	}
	call.Params = redactLogParams(call.Product, action, logParams(params))
	pending := call
	if act, ok := s.reg[actionKey{version, action}]; ok && r.URL.Path == "/" {
		pending.Write = act.write
	}
	key := s.begin(pending, start)

	var o outcome
	if apiErr == nil {
		o = s.handle(r, body, params, version, action, reqID)
		apiErr = o.apiErr
	}
	call.Write = o.write
	call.AssumedRole = o.assumedRole
	call.Injected = len(o.fired) > 0
	call.Faults = o.fired
	call.Committed = o.committed
	call.Dropped = o.drop
	call.Canceled = o.canceled
	call.LatencyMS = millis(o.latency)
	if o.write && o.apiErr == nil {
		call.AsyncMS = millis(o.async)
		call.HiddenMS = millis(o.hidden)
	}

	s.mu.Lock()
	status := http.StatusOK
	var out []byte
	switch {
	case o.drop || o.canceled:
		status = 0 // no answer
	case apiErr != nil:
		status = apiErr.HTTPStatus
		call.Code = apiErr.Code
		out = s.errorJSON(apiErr, call.Product, reqID)
	default:
		var err error
		if out, err = responseJSON(o.result, reqID); err != nil {
			s.logf("fakecloud: %s %s: encode response: %v", call.Product, action, err)
			status = http.StatusInternalServerError
			call.Code = "InternalError"
			out = s.errorJSON(internalError(), call.Product, reqID)
		}
	}
	call.Status = status
	call.DurationMS = millis(time.Since(start))
	s.finish(key, call)
	if s.opts.RequestLog != nil {
		line, _ := json.Marshal(call)
		if _, err := s.opts.RequestLog.Write(append(line, '\n')); err != nil {
			s.logf("fakecloud: request log: %v", err)
		}
	}
	s.mu.Unlock()

	if call.Injected {
		s.logf("fakecloud: %s %s: fault %s fired: status %d %s (dropped %t, committed %t, canceled %t)",
			call.Product, action, strings.Join(o.fired, ","), status, call.Code, o.drop, o.committed, o.canceled)
	}
	if o.drop || o.canceled {
		// A canceled call's client is gone, or the server is shutting down:
		// an empty answer would read as a success.
		dropConnection(w)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("x-acs-request-id", reqID)
	w.WriteHeader(status)
	w.Write(out)
}

// freshConns tracks the connections that have not sent a request yet.
type freshConns struct {
	mu      sync.Mutex
	closing bool
	conns   map[net.Conn]bool
}

// track is the http.Server's ConnState hook.
func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case state != http.StateNew:
		delete(f.conns, c)
	case f.closing:
		c.Close()
	default:
		if f.conns == nil {
			f.conns = map[net.Conn]bool{}
		}
		f.conns[c] = true
	}
}

// closeAll closes the fresh connections, and from now on every new one.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closing = true
	for c := range f.conns {
		c.Close()
	}
	f.conns = nil
}

// dropConnection closes the client's connection without an answer: the SDK
// sees a transport error, as when a response is lost on the network.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// HTTP/2 or a wrapped writer: abort the response instead.
	panic(http.ErrAbortHandler)
}

func internalError() *APIError {
	return Errorf(http.StatusInternalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
}

// readRequest reads the body and merges URL query and form body into one
// parameter set (the SDK splits parameters between them per action).
func readRequest(r *http.Request) ([]byte, url.Values, *APIError) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		return nil, nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The request body could not be read: %v", err)
	}
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return body, nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The query string is malformed: %v", err)
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if len(body) > 0 && strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return body, params, Errorf(http.StatusBadRequest, "InvalidParameter", "The form body is malformed: %v", err)
		}
		for k, v := range form {
			if _, dup := params[k]; !dup {
				params[k] = v
			}
		}
	}
	return body, params, nil
}

// outcome is what handle did with one call.
type outcome struct {
	result    any
	write     bool
	apiErr    *APIError
	fired     []string // fault rules that fired
	committed bool     // CommitThenFail: the handler's change was kept, its answer lost
	drop      bool     // close the connection without an answer
	canceled  bool     // the client went away (or the server stopped) during a delay; the call did not run
	// assumedRole is the identity of STS credentials the call was signed with.
	assumedRole string
	// latency is the latency model's delay of the call; async the duration
	// of the asynchronous work a write that ran was given (Call.LatencyMS,
	// Call.AsyncMS).
	latency, async time.Duration
	// hidden is the read-after-write window of what the call created
	// (Call.HiddenMS).
	hidden time.Duration
}

// handle routes, authenticates and runs one call, applying fault rules and
// the latency model after authentication (a fault never hides an auth
// failure). Delays are waited out without holding any lock, and end early,
// without running the call, if the client goes away.
func (s *Server) handle(r *http.Request, body []byte, params url.Values, version, action, reqID string) (o outcome) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		o.apiErr = Errorf(http.StatusBadRequest, "UnsupportedHTTPMethod", "The HTTP method %s is not supported; RPC APIs take POST (or GET).", r.Method)
		return o
	}
	p, known := products[version]
	if !known {
		o.apiErr = Errorf(http.StatusBadRequest, "InvalidVersion",
			"Specified parameter Version is not valid. (fakecloud serves x-acs-version or Version %s; got %q)", supportedVersions(), version)
		return o
	}
	if action == "" {
		o.apiErr = MissingParameter("Action")
		return o
	}
	act, ok := s.reg[actionKey{version, action}]
	if r.URL.Path != "/" || !ok {
		o.apiErr = Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"Specified api is not found, please check your url and method. (fakecloud: %s %s %s is not implemented; add it to pkg/fakecloud/%s)",
			p.product, version, action, p.file)
		return o
	}
	o.write = act.write

	// Authenticate and decide the faults; run the call in the same critical
	// section unless it must wait or fail first.
	var (
		dec    faultDecision
		delay  time.Duration
		authed bool
		ran    bool
		keyID  string // the signing key
	)
	newRequest := func() *Request {
		async := s.async
		if act.write {
			async = s.realism.asyncDuration(p.product, action, s.async)
			o.async = async
		}
		return &Request{
			Product: p.product, Version: version, Action: action, Params: params, AccessKeyID: keyID,
			RequestID: reqID, Now: s.now(), AsyncDuration: async,
			failJob: dec.failJob, health: dec.health, command: dec.command, realism: s.realism,
			runtime: s.opts.InstanceRuntime != nil,
		}
	}
	o.apiErr = s.locked(func() *APIError {
		if !act.anonymous {
			nonce, aerr := verifySignature(r, body, s.st.signingKeys(), time.Now(), s.opts.Logf, func(id, token string) *APIError {
				keyID = id
				return checkSecurityToken(s.st, id, token, s.now())
			})
			if aerr != nil {
				return authError(p.product, aerr)
			}
			if aerr := useNonce(s.st, nonce, time.Now()); aerr != nil {
				return aerr
			}
			if c := s.st.stsCredential(keyID); c != nil {
				o.assumedRole = c.AssumedRoleARN()
			}
		}
		authed = true
		if aerr := s.realism.throttle(p.product, action, act.write, time.Now()); aerr != nil {
			return aerr
		}
		dec = s.faults.decide(p.product, action, act.job, params, commandCallOf(s.st, p.product, action, params))
		if act.job && dec.failJob == nil && !dec.failsEarly() {
			if dec.failJob = s.realism.failJob(); dec.failJob != nil {
				dec.fired = append(dec.fired, ProfileRealistic)
			}
		}
		o.latency = s.latency.delay(p.product, action)
		delay = dec.delay + o.latency
		if delay > 0 || dec.failsEarly() {
			return nil
		}
		ran = true
		req := newRequest()
		res, aerr := s.run(act, req)
		o.result, o.hidden = res, req.hiddenFor
		return aerr
	})
	if !authed {
		return o
	}
	o.fired = dec.fired
	if !ran && o.apiErr == nil {
		if delay > 0 && !s.sleep(r.Context(), delay) {
			o.canceled = true
			return o
		}
		if dec.failsEarly() {
			o.drop, o.apiErr = dec.drop, dec.fail
			return o
		}
		o.apiErr = s.locked(func() *APIError {
			req := newRequest()
			res, aerr := s.run(act, req)
			o.result, o.hidden = res, req.hiddenFor
			return aerr
		})
	}
	if dec.commit {
		// The change (if any) stays; the answer is lost.
		o.committed = act.write && o.apiErr == nil
		o.result = nil
		o.drop, o.apiErr = dec.drop, dec.fail
	}
	return o
}

// locked runs fn holding s.mu and the state-file lock, on the world reloaded
// from the state file, and saves the world afterwards, even when fn fails (a
// used nonce must be remembered). Failing to reload or save is a 500.
func (s *Server) locked(fn func() *APIError) *APIError {
	s.mu.Lock()
	defer s.mu.Unlock()
	var apiErr *APIError
	err := s.withFileLock(func() error {
		if err := s.reload(); err != nil {
			s.logf("fakecloud: reload state: %v", err)
			apiErr = internalError()
			return nil
		}
		apiErr = fn()
		return s.save()
	})
	if err != nil {
		s.logf("fakecloud: %v", err)
		return internalError()
	}
	return apiErr
}

// run runs a handler on the live world; if it fails, the world is restored
// (a failed call changes nothing). Caller holds s.mu and the file lock.
func (s *Server) run(act action, req *Request) (any, *APIError) {
	if e := checkFlatParams(req); e != nil {
		return nil, e // the gateway's check (paramstyle.go): the service never sees the call
	}
	var backup *State
	if act.write {
		var err error
		if backup, err = cloneState(s.st); err != nil {
			s.logf("fakecloud: %s %s: %v", req.Product, req.Action, err)
			return nil, internalError()
		}
	}
	result, err := s.call(act, req)
	if err == nil {
		if len(req.runtimeJobs) > 0 {
			s.startRuntime(req.runtimeJobs)
		}
		return result, nil
	}
	if backup != nil {
		s.st = backup
	}
	if e, ok := AsAPIError(err); ok {
		return nil, e
	}
	s.logf("fakecloud: %s %s: %v", req.Product, req.Action, err)
	return nil, internalError()
}

// sleep waits d; it reports false if ctx ended first (the client went away)
// or the server is shutting down.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.stop:
		return false
	}
}

// stopDelays ends every fault and latency delay, now and later, so that
// shutting down never waits for them; the delayed calls do not run.
func (s *Server) stopDelays() { s.stopOnce.Do(func() { close(s.stop) }) }

// call runs a handler, turning a panic into an error.
func (s *Server) call(act action, req *Request) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return act.fn(s.st, req)
}

// hostID is the HostId of error bodies: the product's API host.
func (s *Server) hostID(product string) string {
	switch product {
	case ProductALB:
		return "alb." + s.st.Region + ".aliyuncs.com"
	case ProductSLB:
		return "slb.aliyuncs.com"
	case ProductAlidns:
		return "alidns.aliyuncs.com"
	case ProductECS:
		return "ecs.aliyuncs.com"
	case ProductSTS:
		return "sts.aliyuncs.com"
	case ProductOOS:
		return "oos." + s.st.Region + ".aliyuncs.com"
	}
	return "aliyuncs.com"
}

func (s *Server) errorJSON(e *APIError, product, reqID string) []byte {
	recProduct := strings.ToUpper(product[:min(1, len(product))]) + product[min(1, len(product)):]
	out, _ := json.Marshal(errorBody{
		RequestId: reqID,
		HostId:    s.hostID(product),
		Code:      e.Code,
		Message:   e.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(e.Code) + "&product=" + recProduct + "&requestId=" + reqID,
	})
	return out
}

// responseJSON encodes a handler's result, filling in RequestId: a nil
// RequestId *string field of a struct (SDK ResponseBody types) or a missing
// "RequestId" key of a map.
func responseJSON(result any, reqID string) ([]byte, error) {
	switch v := result.(type) {
	case nil:
		return json.Marshal(map[string]string{"RequestId": reqID})
	case map[string]any:
		if _, ok := v["RequestId"]; !ok {
			v["RequestId"] = reqID
		}
		return json.Marshal(v)
	}
	rv := reflect.ValueOf(result)
	if rv.Kind() == reflect.Struct { // make it addressable
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		rv, result = p, p.Interface()
	}
	if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		f := rv.Elem().FieldByName("RequestId")
		if f.IsValid() && f.CanSet() && f.Type() == reflect.TypeOf((*string)(nil)) && f.IsNil() {
			id := reqID
			f.Set(reflect.ValueOf(&id))
		}
	}
	return json.Marshal(result)
}
