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
	"sort"
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
	// (starting, configuring) and CLB vServer groups (VServerGroupProcessing)
	// stay transitional; 0 means 1s.
	AsyncDuration time.Duration
	// Now is the world's clock; nil means time.Now. Signature freshness
	// (x-acs-date, nonces) is checked against the wall clock instead, because
	// the SDK stamps requests with the wall clock.
	Now func() time.Time
	// Logf is an optional debug log.
	Logf func(format string, args ...any)
}

// Server is the fake Alibaba Cloud API. It implements http.Handler.
type Server struct {
	opts  Options
	now   func() time.Time
	async time.Duration
	reg   registry

	mu    sync.Mutex // guards everything below and every handler call
	st    *State
	stamp fileStamp // version of the state file st was loaded from / saved as
	calls []Call
}

// maxBodyBytes bounds a request body.
const maxBodyBytes = 8 << 20

// New builds a server from opts.
func New(opts Options) (*Server, error) {
	s := &Server{opts: opts, now: opts.Now, async: opts.AsyncDuration, reg: registry{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.async <= 0 {
		s.async = time.Second
	}
	registerALB(s.reg)
	registerSLB(s.reg)
	registerAlidns(s.reg)
	registerECS(s.reg)

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
	err := s.withFileLock(func() error {
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

// Serve serves s on ln until ctx is done, then shuts down gracefully.
func Serve(ctx context.Context, ln net.Listener, s *Server) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// products maps an x-acs-version to (product, file that implements it).
var products = map[string]struct{ product, file string }{
	VersionALB:    {ProductALB, "alb.go"},
	VersionSLB:    {ProductSLB, "clb.go"},
	VersionAlidns: {ProductAlidns, "dns.go"},
	VersionECS:    {ProductECS, "ecs.go"},
}

// errorBody is the real error answer (facts §1.5).
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

// ServeHTTP answers one RPC call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newRequestID()
	version := r.Header.Get("x-acs-version")
	action := r.Header.Get("x-acs-action")
	call := Call{Action: action, RequestID: reqID}
	if p, ok := products[version]; ok {
		call.Product = p.product
	}

	body, params, apiErr := readRequest(r)
	call.Params = logParams(params)

	s.mu.Lock()
	var result any
	if apiErr == nil {
		var write bool
		result, write, apiErr = s.handle(r, body, params, version, action, reqID)
		call.Write = write
	}
	status := http.StatusOK
	var out []byte
	if apiErr != nil {
		status = apiErr.HTTPStatus
		call.Code = apiErr.Code
		out = s.errorJSON(apiErr, call.Product, reqID)
	} else {
		var err error
		if out, err = responseJSON(result, reqID); err != nil {
			s.logf("fakecloud: %s %s: encode response: %v", call.Product, action, err)
			status = http.StatusInternalServerError
			call.Code = "InternalError"
			out = s.errorJSON(internalError(), call.Product, reqID)
		}
	}
	call.Status = status
	call.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	s.calls = append(s.calls, call)
	if s.opts.RequestLog != nil {
		line, _ := json.Marshal(call)
		if _, err := s.opts.RequestLog.Write(append(line, '\n')); err != nil {
			s.logf("fakecloud: request log: %v", err)
		}
	}
	s.mu.Unlock()

	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("x-acs-request-id", reqID)
	w.WriteHeader(status)
	w.Write(out)
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

// handle routes, authenticates and runs one call. Caller holds s.mu.
func (s *Server) handle(r *http.Request, body []byte, params url.Values, version, action, reqID string) (result any, write bool, apiErr *APIError) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return nil, false, Errorf(http.StatusBadRequest, "UnsupportedHTTPMethod", "The HTTP method %s is not supported; RPC APIs take POST (or GET).", r.Method)
	}
	p, known := products[version]
	if !known {
		return nil, false, Errorf(http.StatusBadRequest, "InvalidVersion",
			"Specified parameter Version is not valid. (fakecloud serves x-acs-version %s; got %q)", supportedVersions(), version)
	}
	if action == "" {
		return nil, false, MissingParameter("Action")
	}
	act, ok := s.reg[actionKey{version, action}]
	if r.URL.Path != "/" || !ok {
		return nil, false, Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"Specified api is not found, please check your url and method. (fakecloud: %s %s %s is not implemented; add it to pkg/fakecloud/%s)",
			p.product, version, action, p.file)
	}

	err := s.withFileLock(func() error {
		if err := s.reload(); err != nil {
			s.logf("fakecloud: reload state: %v", err)
			apiErr = internalError()
			return nil
		}
		nonce, aerr := verifyRequest(r, body, s.st.Keys, time.Now(), s.opts.Logf)
		if aerr != nil {
			apiErr = aerr
			return nil
		}
		if aerr := useNonce(s.st, nonce, time.Now()); aerr != nil {
			apiErr = aerr
			return nil
		}
		var backup *State
		if act.write {
			var err error
			if backup, err = cloneState(s.st); err != nil {
				return err
			}
		}
		req := &Request{
			Product: p.product, Version: version, Action: action, Params: params,
			RequestID: reqID, Now: s.now(), AsyncDuration: s.async,
		}
		var err error
		result, err = s.call(act, req)
		if err != nil {
			if e, ok := AsAPIError(err); ok {
				apiErr = e
			} else {
				s.logf("fakecloud: %s %s: %v", p.product, action, err)
				apiErr = internalError()
			}
			if backup != nil {
				// A failed call changes nothing (except the nonce it used).
				s.st = backup
			}
		}
		// Save even after a failed call: the nonce must be remembered.
		return s.save()
	})
	if err != nil {
		s.logf("fakecloud: %s %s: %v", p.product, action, err)
		return nil, act.write, internalError()
	}
	return result, act.write, apiErr
}

// call runs a handler, turning a panic into an error.
func (s *Server) call(act action, req *Request) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return act.fn(s.st, req)
}

func supportedVersions() string {
	vs := make([]string, 0, len(products))
	for v, p := range products {
		vs = append(vs, v+" ("+p.product+")")
	}
	sort.Strings(vs)
	return strings.Join(vs, ", ")
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
