package fakecloud

// A handler sees one call as a Request: parameters already merged from the URL
// query and the form body, read with typed getters that answer the real API's
// error codes (MissingParameter, InvalidParameter). Handlers never see HTTP;
// the transport (server.go) never knows a product's rules.

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
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
	// AccessKeyID is the key the call was signed with ("" for an anonymous call).
	AccessKeyID string
	// Now is the server clock at the time of the call.
	Now time.Time
	// AsyncDuration is how long ALB objects stay transitional after a write
	// (Creating, Configuring, Provisioning, ...) and how long jobs stay Processing;
	// also how long CLB listeners stay starting/configuring and CLB vServer
	// groups stay busy after a membership change.
	AsyncDuration time.Duration
	// hiddenFor is the read-after-write window of what the call created
	// (Request.created), for the request log.
	hiddenFor time.Duration

	// failJob, set by a JobFails fault rule, makes the ALB job the call
	// starts end Failed.
	failJob *jobFailure
	// health, set by Health fault rules, makes a health read report
	// backends as not healthy (faults_health.go).
	health []HealthFault
	// realism is the realistic profile's model (nil: the fast profile).
	realism *realism
	// command, set by Command fault rules, decides how RunCommand's command
	// ends on instances (faults_command.go).
	command []CommandFault
	// runtime says an instance runtime acts out successful runs; the runs
	// a call queues for it are in runtimeJobs (instance_runtime.go).
	runtime     bool
	runtimeJobs []runtimeJob
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

// RequiredInt returns a required integer parameter that must lie in [lo, hi].
func (r *Request) RequiredInt(name string, lo, hi int) (int, error) {
	if _, err := r.Required(name); err != nil {
		return 0, err
	}
	return r.IntRange(name, lo, hi, 0)
}

// OptInt sets *dst to an integer parameter in [lo, hi] when the parameter is
// sent (an empty value counts as 0); absent, *dst keeps its value.
func (r *Request) OptInt(name string, lo, hi int, dst *int) error {
	if _, ok := r.Str(name); !ok {
		return nil
	}
	n, err := r.IntRange(name, lo, hi, 0)
	if err != nil {
		return err
	}
	*dst = n
	return nil
}

// OptBool sets *dst to a boolean parameter when it is sent.
func (r *Request) OptBool(name string, dst *bool) error {
	v, ok, err := r.Bool(name)
	if err != nil {
		return err
	}
	if ok {
		*dst = v
	}
	return nil
}

// OneOf returns an enumerated parameter: (value, present, error). A value
// outside allowed (case-sensitive) is InvalidParameter.
func (r *Request) OneOf(name string, allowed ...string) (string, bool, error) {
	v, ok := r.Str(name)
	if !ok {
		return "", false, nil
	}
	if !contains(allowed, v) {
		return "", true, InvalidParameter(name, v, "one of "+strings.Join(allowed, ", "))
	}
	return v, true, nil
}

// OptOneOf sets *dst to an enumerated parameter when it is sent.
func (r *Request) OptOneOf(name string, dst *string, allowed ...string) error {
	v, ok, err := r.OneOf(name, allowed...)
	if ok && err == nil {
		*dst = v
	}
	return err
}

// Enum returns an enumerated parameter, or def when it is absent.
func (r *Request) Enum(name, def string, allowed ...string) (string, error) {
	v, ok, err := r.OneOf(name, allowed...)
	if !ok {
		return def, nil
	}
	return v, err
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

// ListMax returns the scalar list Name.N; more than max entries is
// InvalidParameter ("N <noun>", "at most max <noun>").
func (r *Request) ListMax(name string, max int, noun string) ([]string, error) {
	l := r.List(name)
	if len(l) > max {
		return nil, InvalidParameter(name, strconv.Itoa(len(l))+" "+noun, fmt.Sprintf("at most %d %s", max, noun))
	}
	return l, nil
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

// checkRegion enforces RegionId (required) = the world's region: another
// region is 404 InvalidRegionId.NotFound (ECS, CLB).
func checkRegion(st *State, r *Request) error {
	region, err := r.Required("RegionId")
	if err != nil {
		return err
	}
	if region != st.Region {
		return Errorf(http.StatusNotFound, "InvalidRegionId.NotFound", "The specified RegionId does not exist.")
	}
	return nil
}
