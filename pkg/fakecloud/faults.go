package fakecloud

// Fault injection: rules as data, decided by the transport after routing and
// signature verification (server.go), so a fault never hides an auth failure.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// Fault is one fault-injection rule. It matches calls by product, action and
// parameters, and then delays them, fails them, or runs them and loses the
// answer (a lost response). The YAML and JSON names are part of wsdeploy's
// public contract (wsdeploy fakecloud --faults faults.yaml, PUT /_fake/faults).
//
// Which matching calls it fires on: the first After are let through; then it
// fires on every one (Probability 0) or on each with probability Probability,
// drawn from a random source seeded by the fault seed and the rule's index;
// it stops after firing Times times (0 = no limit).
//
// What it does when it fires:
//   - Delay alone: the call waits, then runs normally.
//   - JobFails: the ALB write runs and answers its JobId as usual; its job
//     then ends Failed with Code, and the change is undone.
//   - Code (and/or HTTPStatus): the call fails with that error before the
//     handler runs; nothing changes.
//   - CommitThenFail: the handler runs and its change is kept, then the
//     answer is lost: the client gets the error Code (default 503
//     ServiceUnavailable) or, with Drop, a closed connection.
//   - Drop alone: the connection is closed before the handler runs.
//   - Health: the health read (ALB GetListenerHealthStatus, CLB
//     DescribeHealthStatus) runs and reports backends as not healthy, with
//     a reason (faults_health.go).
//
// Rules are checked in order. Every matching rule counts the call; the delays
// of all firing rules add up; the first firing rule that fails the call
// decides the answer, and later failing rules do not fire on that call.
type Fault struct {
	// Name labels the rule in counters and the request log (default "faults[i]").
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Product is alb, slb (or its alias clb), alidns, ecs, sts or oos; empty = any.
	Product string `json:"product,omitempty" yaml:"product,omitempty"`
	// Action is the API action, e.g. CreateListener; empty = any. It must be
	// one the fake implements (for Product, if given).
	Action string `json:"action,omitempty" yaml:"action,omitempty"`
	// Params must all equal the call's request parameters (URL query and form
	// body merged, flattened names such as Tag.1.Key).
	Params map[string]string `json:"params,omitempty" yaml:"params,omitempty"`
	// After lets this many matching calls through before the rule can fire.
	After int `json:"after,omitempty" yaml:"after,omitempty"`
	// Times bounds how often the rule fires; 0 = no limit.
	Times int `json:"times,omitempty" yaml:"times,omitempty"`
	// Probability, in (0, 1], fires on that fraction of eligible calls
	// (seeded, reproducible); 0 = on every eligible call.
	Probability float64 `json:"probability,omitempty" yaml:"probability,omitempty"`
	// Code is the error code answered, e.g. Throttling.User, SystemBusy,
	// IncorrectStatus.Listener.
	Code string `json:"code,omitempty" yaml:"code,omitempty"`
	// HTTPStatus of the error; 0 = the real default for Code
	// (DefaultErrorStatus). Without Code, 500 means InternalError and 503
	// ServiceUnavailable.
	HTTPStatus int `json:"httpStatus,omitempty" yaml:"httpStatus,omitempty"`
	// Message of the error; empty = the real message for Code.
	Message string `json:"message,omitempty" yaml:"message,omitempty"`
	// Delay is added before the call runs ("250ms" in YAML and JSON). The
	// wait ends early, and the call does not run, if the client goes away.
	Delay time.Duration `json:"delay,omitempty" yaml:"delay,omitempty"`
	// CommitThenFail runs the handler, keeps its change, then loses the answer.
	CommitThenFail bool `json:"commitThenFail,omitempty" yaml:"commitThenFail,omitempty"`
	// Drop closes the TCP connection instead of answering: the SDK sees a
	// transport error. Excludes Code, HTTPStatus and Message.
	Drop bool `json:"drop,omitempty" yaml:"drop,omitempty"`
	// JobFails (product alb only) lets the call succeed and makes the
	// asynchronous job it starts end Failed instead of Succeeded, with Code
	// (required) and Message as the job's ErrorCode and ErrorMessage; the
	// change is rolled back when the job ends. It matches only the ALB writes
	// that answer a JobId. Excludes HTTPStatus, CommitThenFail and Drop.
	JobFails bool `json:"jobFails,omitempty" yaml:"jobFails,omitempty"`
	// Health (product alb or slb) matches only the product's health read,
	// lets it succeed and reports backends in its answer as not healthy (see
	// HealthFault). Excludes Code, HTTPStatus, Message, CommitThenFail, Drop
	// and JobFails.
	Health *HealthFault `json:"health,omitempty" yaml:"health,omitempty"`
	// Command (product ecs) matches only RunCommand and InvokeCommand calls on its instance
	// whose command name or content holds its match, lets them succeed and
	// decides how the command ends there (faults_command.go). Excludes Code,
	// HTTPStatus, Message, CommitThenFail, Drop, JobFails and Health.
	Command *CommandFault `json:"command,omitempty" yaml:"command,omitempty"`
}

// FaultSet is the content of a faults file: the rules and, optionally, the
// seed of their random sources.
type FaultSet struct {
	Seed   *int64  `json:"seed,omitempty" yaml:"seed,omitempty"`
	Faults []Fault `json:"faults" yaml:"faults"`
}

// FaultStatus is a rule with its counters (this process only).
type FaultStatus struct {
	Rule Fault `json:"rule"`
	// Matched counts the calls that matched the rule's product, action and params.
	Matched int `json:"matched"`
	// Fired counts the calls the rule delayed, failed or dropped.
	Fired int `json:"fired"`
}

// MarshalJSON writes Delay as a duration string ("250ms").
func (f Fault) MarshalJSON() ([]byte, error) {
	type plain Fault
	aux := struct {
		plain
		Delay string `json:"delay,omitempty"`
	}{plain: plain(f)}
	if f.Delay != 0 {
		aux.Delay = f.Delay.String()
	}
	return json.Marshal(aux)
}

// UnmarshalJSON reads a rule strictly (unknown names are an error); Delay is
// a duration string ("250ms").
func (f *Fault) UnmarshalJSON(data []byte) error {
	type plain Fault
	var out Fault
	aux := struct {
		*plain
		Delay *string `json:"delay,omitempty"`
	}{plain: (*plain)(&out)}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	if aux.Delay != nil {
		d, err := time.ParseDuration(*aux.Delay)
		if err != nil {
			return fmt.Errorf("delay: %w", err)
		}
		out.Delay = d
	}
	*f = out
	return nil
}

// ---------------------------------------------------------------------------
// Default statuses and messages of injectable codes.

// faultCode is the real answer for an error code (facts §0.6, §1.5, §2.7, §3.6).
type faultCode struct {
	code    string // exact, or a family prefix ending in "."
	status  int
	slb     int // status on CLB (Slb) if different, else 0
	message string
}

// faultCodes is the one table of default statuses for injected codes.
var faultCodes = []faultCode{
	{"Throttling.User", 400, 0, "Request was denied due to user flow control."},
	{"Throttling.Api", 400, 0, "Request was denied due to api flow control."},
	{"Throttling", 400, 0, "Request was denied due to request throttling."},
	{"ServiceUnavailable", 503, 0, "The request has failed due to a temporary failure of the server."},
	{"InternalError", 500, 0, "The request processing has failed due to some unknown error, exception or failure."},
	{"SystemBusy", 400, 449, "System is busy, please try again later."},
	{"IncorrectStatus.", 400, 0, "The status of the resource does not support this operation, please try again later."},
	{"Conflict.Lock", 400, 0, "The resource is locked by another request, please try again later."},
	{"IdempotenceProcessing", 400, 0, "The request with the same client token is still being processed."},
	{"OperationBusy", 400, 0, "The operation is busy, please try again later."},
	{"ServiceIsConfiguring", 400, 0, "The specified service is configuring, please try again later."},
	{"VServerGroupProcessing", 400, 0, "The specified VServerGroup is processing, please try again later."},
}

func lookupFaultCode(code string) (faultCode, bool) {
	for _, c := range faultCodes {
		family := strings.HasSuffix(c.code, ".")
		if (!family && c.code == code) || (family && strings.HasPrefix(code, c.code) && len(code) > len(c.code)) {
			return c, true
		}
	}
	return faultCode{}, false
}

// DefaultErrorStatus returns the HTTP status the real API answers with code
// on product (alb, slb, alidns, ecs; "" = any): 400 for Throttling.User,
// Throttling.Api, Throttling, SystemBusy (449 on slb), IncorrectStatus.*,
// Conflict.Lock, IdempotenceProcessing, OperationBusy, ServiceIsConfiguring
// and VServerGroupProcessing; 503 for ServiceUnavailable; 500 for
// InternalError. ok is false for other codes.
func DefaultErrorStatus(product, code string) (status int, ok bool) {
	c, ok := lookupFaultCode(code)
	if !ok {
		return 0, false
	}
	if product == ProductSLB && c.slb != 0 {
		return c.slb, true
	}
	return c.status, true
}

// codeForStatus is the code of a rule that gives only an HTTP status.
func codeForStatus(status int) string {
	switch status {
	case http.StatusInternalServerError:
		return "InternalError"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	}
	return ""
}

// ---------------------------------------------------------------------------
// Parsing and validation.

// LoadFaults reads a faults file (see ParseFaults).
func LoadFaults(path string) (*FaultSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fakecloud: %w", err)
	}
	fs, err := ParseFaults(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fs, nil
}

// ParseFaults decodes a faults document strictly (an unknown key is an error
// naming its line) and validates every rule. The document is either a list of
// rules or a mapping {seed: N, faults: [...]}; JSON is accepted too. An empty
// document is an empty set.
//
//	seed: 42
//	faults:
//	  - {product: alb, action: CreateListener, code: Throttling.User, times: 2}
//	  - {product: alidns, action: AddDomainRecord, commitThenFail: true, drop: true, probability: 0.3}
func ParseFaults(data []byte) (*FaultSet, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		return parseFaultsJSON(t)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("fakecloud: faults: %w", err)
	}
	fs := &FaultSet{}
	if root.Kind == 0 || len(root.Content) == 0 {
		return fs, nil
	}
	doc := root.Content[0]
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var items *yaml.Node
	switch doc.Kind {
	case yaml.SequenceNode:
		items = doc
		err := dec.Decode(&fs.Faults)
		if err != nil {
			return nil, fmt.Errorf("fakecloud: faults: %w", err)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(doc.Content); i += 2 {
			if doc.Content[i].Value == "faults" {
				items = doc.Content[i+1]
			}
		}
		if err := dec.Decode(fs); err != nil {
			return nil, fmt.Errorf("fakecloud: faults: %w", err)
		}
	default:
		return nil, fmt.Errorf("fakecloud: faults: line %d: want a list of rules or a mapping with seed and faults", doc.Line)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("fakecloud: faults: only one YAML document is allowed")
	}
	lines := make([]int, len(fs.Faults))
	if items != nil && items.Kind == yaml.SequenceNode && len(items.Content) == len(lines) {
		for i, n := range items.Content {
			lines[i] = n.Line
		}
	}
	rules, err := validateFaults(fs.Faults, lines)
	if err != nil {
		return nil, err
	}
	fs.Faults = rules
	return fs, nil
}

// parseFaultsJSON decodes a JSON faults document strictly (JSON is YAML, but
// tab-indented JSON is not).
func parseFaultsJSON(data []byte) (*FaultSet, error) {
	fs := &FaultSet{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var err error
	if data[0] == '[' {
		err = dec.Decode(&fs.Faults)
	} else {
		err = dec.Decode(fs)
	}
	if err != nil {
		return nil, fmt.Errorf("fakecloud: faults: %w", err)
	}
	rules, err := validateFaults(fs.Faults, nil)
	if err != nil {
		return nil, err
	}
	fs.Faults = rules
	return fs, nil
}

// validateFaults checks rules and returns a normalized copy (product alias
// clb → slb). lines, if not nil, gives each rule's line in its file.
func validateFaults(in []Fault, lines []int) ([]Fault, error) {
	known := builtinRegistry()
	out := make([]Fault, len(in))
	var errs []error
	for i, f := range in {
		where := fmt.Sprintf("faults[%d]", i)
		if i < len(lines) && lines[i] > 0 {
			where = fmt.Sprintf("line %d: %s", lines[i], where)
		}
		nf, err := normalizeFault(f, known)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		out[i] = nf
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("fakecloud: invalid faults: %w", errors.Join(errs...))
	}
	return out, nil
}

// clone is f with its own copies of Params, Health and Command, so that
// neither the caller nor the engine sees the other's later changes.
func (f Fault) clone() Fault {
	f.Params = maps.Clone(f.Params)
	if f.Health != nil {
		h := *f.Health
		f.Health = &h
	}
	if f.Command != nil {
		c := *f.Command
		f.Command = &c
	}
	return f
}

func normalizeFault(f Fault, known registry) (Fault, error) {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	f = f.clone()
	version := ""
	switch f.Product {
	case "":
	case "clb":
		f.Product = ProductSLB
	}
	if f.Product != "" {
		for v, p := range products {
			if p.product == f.Product {
				version = v
			}
		}
		if version == "" {
			bad("product %q is not one of alb, slb (clb), alidns, ecs, sts, oos", f.Product)
		}
	}
	if f.Action != "" {
		found := false
		for k := range known {
			if k.action == f.Action && (version == "" || k.version == version) {
				found = true
			}
		}
		if !found && (f.Product == "" || version != "") {
			if f.Product != "" {
				bad("action %q is not implemented for %s", f.Action, f.Product)
			} else {
				bad("action %q is not implemented for any product", f.Action)
			}
		}
	}
	if f.After < 0 {
		bad("after %d is negative", f.After)
	}
	if f.Times < 0 {
		bad("times %d is negative", f.Times)
	}
	if f.Probability < 0 || f.Probability > 1 || math.IsNaN(f.Probability) {
		bad("probability %v is out of range; use 0 to 1 (0 = every call)", f.Probability)
	}
	if f.Delay < 0 {
		bad("delay %s is negative", f.Delay)
	}
	if f.HTTPStatus != 0 && (f.HTTPStatus < 400 || f.HTTPStatus > 599) {
		bad("httpStatus %d is not an error status; use 400 to 599", f.HTTPStatus)
	}
	switch {
	case f.Health != nil:
		checkHealthFault(f, bad)
	case f.Command != nil:
		checkCommandFault(f, bad)
	case f.JobFails:
		checkJobFails(f, known, bad)
	case f.Drop:
		if f.Code != "" || f.HTTPStatus != 0 || f.Message != "" {
			bad("drop sends no answer: remove code, httpStatus and message")
		}
	default:
		code := f.Code
		if code == "" {
			code = codeForStatus(f.HTTPStatus)
		}
		switch {
		case f.Code == "" && f.HTTPStatus != 0 && code == "":
			bad("httpStatus %d needs a code (only 500 and 503 have a default: InternalError, ServiceUnavailable)", f.HTTPStatus)
		case f.Code != "" && f.HTTPStatus == 0:
			if _, ok := DefaultErrorStatus("", f.Code); !ok {
				bad("code %q has no default HTTP status; set httpStatus", f.Code)
			}
		case f.Message != "" && code == "" && !f.CommitThenFail:
			bad("message needs a code")
		}
	}
	if f.Code == "" && f.HTTPStatus == 0 && f.Delay == 0 && !f.CommitThenFail && !f.Drop && !f.JobFails && f.Health == nil && f.Command == nil {
		bad("the rule does nothing: give a code, httpStatus, delay, commitThenFail, drop, jobFails, health or command")
	}
	if len(errs) > 0 {
		return f, errors.New(strings.Join(errs, "; "))
	}
	return f, nil
}

// checkJobFails checks a JobFails rule.
func checkJobFails(f Fault, known registry, bad func(format string, args ...any)) {
	if f.Product != ProductALB {
		bad("jobFails needs product alb: only ALB writes run as jobs")
	}
	if f.Action != "" && !known[actionKey{VersionALB, f.Action}].job {
		bad("jobFails: action %q does not start an ALB job; use one of %s", f.Action, strings.Join(known.jobActions(), ", "))
	}
	if f.Code == "" {
		bad("jobFails needs the code the job fails with")
	}
	if f.HTTPStatus != 0 || f.CommitThenFail || f.Drop {
		bad("jobFails lets the call succeed: remove httpStatus, commitThenFail and drop")
	}
}

// ---------------------------------------------------------------------------
// Runtime: counters and decisions.

// faultEngine holds the rules of one server with their counters and random
// sources. Its mutex is taken after Server.mu, never before.
type faultEngine struct {
	mu    sync.Mutex
	seed  int64
	rules []*faultRule
}

type faultRule struct {
	Fault
	label          string
	rng            *rand.Rand
	matched, fired int
}

func newFaultEngine(seed int64, rules []Fault) *faultEngine {
	e := &faultEngine{seed: seed}
	e.add(rules)
	return e
}

// add appends validated rules. Caller holds e.mu (or owns e).
func (e *faultEngine) add(rules []Fault) {
	for _, f := range rules {
		i := len(e.rules)
		label := f.Name
		if label == "" {
			label = fmt.Sprintf("faults[%d]", i)
		}
		e.rules = append(e.rules, &faultRule{
			Fault: f, label: label,
			// One source per rule: its draws do not depend on other rules' traffic.
			rng: rand.New(rand.NewPCG(uint64(e.seed), uint64(i)+1)),
		})
	}
}

func (e *faultEngine) set(seed *int64, rules []Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if seed != nil {
		e.seed = *seed
	}
	e.rules = nil
	e.add(rules)
}

func (e *faultEngine) append(rules []Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.add(rules)
}

func (e *faultEngine) status() (int64, []FaultStatus) {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]FaultStatus, len(e.rules))
	for i, r := range e.rules {
		out[i] = FaultStatus{Rule: r.Fault.clone(), Matched: r.matched, Fired: r.fired}
	}
	return e.seed, out
}

// faultDecision is what the rules do to one call.
type faultDecision struct {
	delay   time.Duration
	fired   []string       // labels of the rules that fired
	fail    *APIError      // the error the client gets (nil: none, or a drop)
	commit  bool           // run the handler and keep its change before failing
	drop    bool           // close the connection instead of answering
	failJob *jobFailure    // make the ALB job the call starts fail
	health  []HealthFault  // how the health read reports backends
	command []CommandFault // how RunCommand's command ends on instances
}

// jobFailure is how a JobFails rule makes an ALB job end: Failed with this
// code and message.
type jobFailure struct{ code, message string }

// failsEarly reports whether the call must not reach its handler.
func (d *faultDecision) failsEarly() bool { return !d.commit && (d.fail != nil || d.drop) }

func (r *faultRule) matches(product, action string, job bool, params url.Values, cmd commandCall) bool {
	if r.Product != "" && r.Product != product {
		return false
	}
	if r.Action != "" && r.Action != action {
		return false
	}
	if r.JobFails && !job {
		return false
	}
	if r.Health != nil && !isHealthRead(product, action) {
		return false
	}
	if r.Command != nil && !r.Command.matchesCall(cmd, params) {
		return false
	}
	for k, want := range r.Params {
		v, ok := params[k]
		if !ok || len(v) == 0 || v[0] != want {
			return false
		}
	}
	return true
}

// fails reports whether the rule fails the call (a JobFails rule lets it
// succeed).
func (r *faultRule) fails() bool {
	return !r.JobFails && r.Health == nil && r.Command == nil && (r.Code != "" || r.HTTPStatus != 0 || r.CommitThenFail || r.Drop)
}

// jobMessage is the ErrorMessage of a job a JobFails rule makes fail.
func (r *faultRule) jobMessage() string {
	if r.Message != "" {
		return r.Message
	}
	if c, ok := lookupFaultCode(r.Code); ok {
		return c.message
	}
	return "The asynchronous job failed (fault injected by fakecloud)."
}

// apiError is the error the rule answers on product.
func (r *faultRule) apiError(product string) *APIError {
	code := r.Code
	if code == "" {
		code = codeForStatus(r.HTTPStatus)
	}
	if code == "" { // CommitThenFail without a code
		code = "ServiceUnavailable"
	}
	status := r.HTTPStatus
	if status == 0 {
		status, _ = DefaultErrorStatus(product, code)
	}
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	msg := r.Message
	if msg == "" {
		if c, ok := lookupFaultCode(code); ok {
			msg = c.message
		} else {
			msg = "The request has failed (fault injected by fakecloud)."
		}
	}
	return &APIError{HTTPStatus: status, Code: code, Message: msg}
}

// decide applies the rules to one authenticated call; job tells whether the
// action starts an ALB job, cmd what command it runs (ECS RunCommand,
// InvokeCommand).
func (e *faultEngine) decide(product, action string, job bool, params url.Values, cmd commandCall) faultDecision {
	e.mu.Lock()
	defer e.mu.Unlock()
	var d faultDecision
	failing := false
	for _, r := range e.rules {
		if !r.matches(product, action, job, params, cmd) {
			continue
		}
		r.matched++
		if r.matched <= r.After || (r.Times > 0 && r.fired >= r.Times) {
			continue
		}
		fails := r.fails()
		if fails && failing {
			continue
		}
		if r.Probability > 0 && r.rng.Float64() >= r.Probability {
			continue
		}
		r.fired++
		d.delay += r.Delay
		d.fired = append(d.fired, r.label)
		if r.JobFails && d.failJob == nil {
			d.failJob = &jobFailure{code: r.Code, message: r.jobMessage()}
		}
		if r.Health != nil {
			d.health = append(d.health, *r.Health)
		}
		if r.Command != nil {
			d.command = append(d.command, *r.Command)
		}
		if fails {
			failing = true
			d.commit, d.drop = r.CommitThenFail, r.Drop
			if !r.Drop {
				d.fail = r.apiError(product)
			}
		}
	}
	return d
}

// ---------------------------------------------------------------------------
// Server API.

// SetFaults replaces the fault rules (counters start again at zero, random
// sources restart from the current seed).
func (s *Server) SetFaults(rules []Fault) error {
	return s.SetFaultSet(FaultSet{Faults: rules})
}

// SetFaultSet replaces the fault rules and, if fs.Seed is set, the seed.
func (s *Server) SetFaultSet(fs FaultSet) error {
	rules, err := validateFaults(fs.Faults, nil)
	if err != nil {
		return err
	}
	s.faults.set(fs.Seed, rules)
	return nil
}

// AddFaults appends fault rules, keeping the existing ones and their counters.
func (s *Server) AddFaults(rules ...Fault) error {
	valid, err := validateFaults(rules, nil)
	if err != nil {
		return err
	}
	s.faults.append(valid)
	return nil
}

// Faults returns the fault rules in order, with their counters.
func (s *Server) Faults() []FaultStatus {
	_, st := s.faults.status()
	return st
}
