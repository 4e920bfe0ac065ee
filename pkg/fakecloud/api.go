package fakecloud

// This file is the contract between the transport (server.go, auth.go, calls.go,
// seed.go, state persistence) and the per-product handler files (alb.go, dns.go,
// ecs.go, later clb.go). Handlers never see HTTP; the transport never knows a product's rules.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Products and their API versions, as sent in the x-acs-version header.
const (
	ProductALB    = "alb"
	ProductSLB    = "slb"
	ProductAlidns = "alidns"
	ProductECS    = "ecs"

	VersionALB    = "2020-06-16"
	VersionSLB    = "2014-05-15"
	VersionAlidns = "2015-01-09"
	VersionECS    = "2014-05-26"
)

// Request is one decoded RPC call, as a handler sees it.
type Request struct {
	Product string
	Version string
	Action  string
	// Params holds the URL query and the form body merged (the SDK splits
	// parameters between them per action).
	Params    url.Values
	RequestID string
	// Now is the server clock at the time of the call.
	Now time.Time
	// AsyncDuration is how long ALB objects stay transitional after a write
	// (Creating, Configuring, Provisioning, ...) and how long jobs stay Processing;
	// also how long CLB listeners stay starting/configuring and CLB vServer
	// groups stay busy after a membership change.
	AsyncDuration time.Duration
}

// Str returns a parameter's value and whether it was present.
func (r *Request) Str(name string) (string, bool) {
	v, ok := r.Params[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// Get returns a parameter's value, or "" when absent.
func (r *Request) Get(name string) string {
	v, _ := r.Str(name)
	return v
}

// Required returns a parameter's value or the real API's missing-parameter error.
func (r *Request) Required(name string) (string, error) {
	v, ok := r.Str(name)
	if !ok || v == "" {
		return "", MissingParameter(name)
	}
	return v, nil
}

// Int returns an integer parameter: (value, present, error). A non-integer is InvalidParameter.
func (r *Request) Int(name string) (int, bool, error) {
	v, ok := r.Str(name)
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true, InvalidParameter(name, v, "an integer")
	}
	return n, true, nil
}

// IntRange returns an integer parameter that must lie in [lo, hi], or def when absent.
func (r *Request) IntRange(name string, lo, hi, def int) (int, error) {
	n, ok, err := r.Int(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		return def, nil
	}
	if n < lo || n > hi {
		return 0, InvalidParameter(name, strconv.Itoa(n), fmt.Sprintf("an integer from %d to %d", lo, hi))
	}
	return n, nil
}

// Bool returns a boolean parameter ("true"/"false"): (value, present, error).
func (r *Request) Bool(name string) (bool, bool, error) {
	v, ok := r.Str(name)
	if !ok || v == "" {
		return false, false, nil
	}
	switch v {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, InvalidParameter(name, v, "true or false")
}

// List returns the scalar list Name.1, Name.2, ... in index order.
func (r *Request) List(name string) []string {
	idx := r.indexes(name)
	out := make([]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, r.Get(name+"."+strconv.Itoa(i)))
	}
	return out
}

// Structs returns the list of structs Name.N.Field as one map per N, in index order.
// Nested fields keep their dotted suffix: for Name.1.A.B=x the map holds "A.B": "x".
func (r *Request) Structs(name string) []map[string]string {
	idx := r.indexes(name)
	out := make([]map[string]string, 0, len(idx))
	for _, i := range idx {
		prefix := name + "." + strconv.Itoa(i) + "."
		m := map[string]string{}
		for k, v := range r.Params {
			if strings.HasPrefix(k, prefix) && len(v) > 0 {
				m[strings.TrimPrefix(k, prefix)] = v[0]
			}
		}
		out = append(out, m)
	}
	return out
}

// Sub returns the fields of a nested struct Name.Field as a map (Field -> value).
func (r *Request) Sub(name string) map[string]string {
	prefix := name + "."
	m := map[string]string{}
	for k, v := range r.Params {
		if strings.HasPrefix(k, prefix) && len(v) > 0 {
			m[strings.TrimPrefix(k, prefix)] = v[0]
		}
	}
	return m
}

// indexes returns the distinct N of parameters Name.N or Name.N.*, sorted.
func (r *Request) indexes(name string) []int {
	prefix := name + "."
	seen := map[int]bool{}
	for k := range r.Params {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := strings.TrimPrefix(k, prefix)
		if j := strings.IndexByte(rest, '.'); j >= 0 {
			rest = rest[:j]
		}
		if n, err := strconv.Atoi(rest); err == nil && n > 0 {
			seen[n] = true
		}
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// APIError is an error answer of the real API: HTTP status, Code and Message.
type APIError struct {
	HTTPStatus int
	Code       string
	Message    string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.HTTPStatus, e.Code, e.Message) }

// Errorf builds an APIError.
func Errorf(status int, code, format string, args ...any) *APIError {
	return &APIError{HTTPStatus: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// MissingParameter is the real "required parameter absent" error.
func MissingParameter(name string) *APIError {
	return Errorf(http.StatusBadRequest, "MissingParameter", "The input parameter \"%s\" that is mandatory for processing this request is not supplied.", name)
}

// InvalidParameter is the real "bad parameter value" error.
func InvalidParameter(name, value, allowed string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified parameter %s is not valid: %q (expected %s).", name, value, allowed)
}

// AsAPIError unwraps err to an *APIError.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// action is one registered handler. Write tells the request log (and state
// persistence) whether the action mutates state. A handler returns the response
// body (normally an SDK ...ResponseBody struct, whose RequestId the transport
// fills in when it is nil) or an error (an *APIError, anything else is a 500).
type action struct {
	write bool
	fn    func(st *State, r *Request) (any, error)
}

// actionKey routes on (version, action): action names collide across products.
type actionKey struct{ version, action string }

// registry maps (version, action) to handlers. Each product file adds its
// actions in a func registerX(reg registry).
type registry map[actionKey]action

func (reg registry) add(version, name string, write bool, fn func(st *State, r *Request) (any, error)) {
	reg[actionKey{version, name}] = action{write: write, fn: fn}
}

// State is the whole fake world. The transport holds one mutex around every
// handler call, so handlers mutate it freely. It is persisted as JSON (--state),
// so every field that matters must be exported with a json tag.
type State struct {
	Region string     `json:"region"`
	Keys   []Key      `json:"accessKeys"`
	Seq    int64      `json:"seq"`
	ECS    ECSState   `json:"ecs"`
	ALB    ALBState   `json:"alb"`
	DNS    DNSState   `json:"alidns"`
	CLB    CLBState   `json:"slb"`
	Nonces []NonceUse `json:"nonces,omitempty"`
}

// Key is an access key pair the fake accepts.
type Key struct {
	ID     string `json:"id" yaml:"id"`
	Secret string `json:"secret" yaml:"secret"`
}

// NonceUse remembers a signature nonce until it can no longer be replayed.
type NonceUse struct {
	Nonce string    `json:"nonce"`
	At    time.Time `json:"at"`
}

// NextSeq returns a new number for deterministic IDs (alb: "sgp-fake0001"-style).
func (st *State) NextSeq() int64 {
	st.Seq++
	return st.Seq
}

// pageByToken pages a list of n items with MaxResults/NextToken semantics:
// NextToken is the decimal index of the first item of the page. It returns the
// half-open range [start, end) and the next token ("" on the last page).
func pageByToken(r *Request, n, defMax, minMax, maxMax int) (start, end int, next string, err error) {
	max, err := r.IntRange("MaxResults", 1, maxMax, defMax)
	if err != nil {
		return 0, 0, "", err
	}
	if max < minMax {
		max = minMax
	}
	if tok := r.Get("NextToken"); tok != "" {
		s, convErr := strconv.Atoi(tok)
		if convErr != nil || s < 0 || s > n {
			return 0, 0, "", Errorf(http.StatusBadRequest, "InvalidParameter.NextToken", "The specified NextToken %q is invalid.", tok)
		}
		start = s
	}
	end = start + max
	if end > n {
		end = n
	}
	if end < n {
		next = strconv.Itoa(end)
	}
	return start, end, next, nil
}

// Seed is the starting world of a fake cloud (wsdeploy fakecloud --seed seed.yaml).
// The YAML names are part of wsdeploy's public contract.
type Seed struct {
	Region     string         `yaml:"region"`
	AccessKeys []Key          `yaml:"accessKeys"`
	VPCs       []SeedVPC      `yaml:"vpcs"`
	Instances  []SeedInstance `yaml:"instances"`
	ALBs       []SeedALB      `yaml:"albs"`
	CLBs       []SeedCLB      `yaml:"clbs"`
	Domains    []string       `yaml:"domains"`
}

// SeedVPC is a VPC.
type SeedVPC struct {
	ID string `yaml:"id"`
}

// SeedInstance is an ECS instance.
type SeedInstance struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	VpcID     string `yaml:"vpcId"`
	PrivateIP string `yaml:"privateIp"`
	// Status defaults to Running.
	Status string `yaml:"status,omitempty"`
	// Health is the load balancer's view of the backend: "healthy" (default) or "unhealthy".
	Health string `yaml:"health,omitempty"`
}

// SeedALB is an existing ALB instance.
type SeedALB struct {
	ID      string `yaml:"id"`
	VpcID   string `yaml:"vpcId"`
	DNSName string `yaml:"dnsName"`
	Name    string `yaml:"name,omitempty"`
}

// SeedCLB is an existing CLB instance.
type SeedCLB struct {
	ID      string `yaml:"id"`
	VpcID   string `yaml:"vpcId"`
	Address string `yaml:"address"`
	Name    string `yaml:"name,omitempty"`
}

// ECSInstance is an ECS instance in the fake world (read by ECS DescribeInstances,
// and by ALB/CLB when servers are attached: they must exist and sit in the right VPC).
type ECSInstance struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	VpcID     string `json:"vpcId"`
	VSwitchID string `json:"vSwitchId,omitempty"`
	ZoneID    string `json:"zoneId,omitempty"`
	PrivateIP string `json:"privateIp"`
	Status    string `json:"status"` // Running, Stopped, ...
	Health    string `json:"health"` // healthy | unhealthy (the LB health-check result)
}

// Instance returns the ECS instance with that ID.
func (st *State) Instance(id string) (*ECSInstance, bool) {
	for i := range st.ECS.Instances {
		if st.ECS.Instances[i].ID == id {
			return &st.ECS.Instances[i], true
		}
	}
	return nil, false
}

// ECSState is the ECS part of the world.
type ECSState struct {
	VPCs      []string      `json:"vpcs"`
	Instances []ECSInstance `json:"instances"`
}

// CLBState and its types live in clb_state.go.

// Each product file provides, besides its handlers:
//   func registerX(reg registry)                 -- adds its actions
//   func seedX(st *State, seed *Seed) error      -- fills its part of State from a seed
// The transport calls registerALB, registerSLB, registerAlidns, registerECS and
// seedALB, seedCLB, seedAlidns, seedECS.
