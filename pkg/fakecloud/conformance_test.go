package fakecloud

// The conformance suite: every action the fake serves, driven through an
// independent client, the older official Go SDK
// (github.com/aliyun/alibaba-cloud-sdk-go: RPC signature v1, parameters in
// the query or a form body, Action/Version in the query), and through the
// ACS3 SDK (ACS3-HMAC-SHA256, x-acs-action/x-acs-version headers) that
// wsdeploy itself uses.
//
// Each product has a scenario (conformance_<product>_test.go adds it to
// confScenarios): a list of steps, each one call of one action written once
// per SDK. The scenario runs twice, on two fresh worlds from the
// same seed at the same hand-moved clock: every step through the older SDK
// on the first, through the ACS3 SDK on the second. After every step both
// clients must have decoded the same answer (or failed with the same code and
// HTTP status, the one the step expects) and the two worlds (Snapshot) must
// be equal. TestConformanceCoversEveryAction derives the list of actions from
// the fake's own route table: an action registered without a success step
// and an error step in its product's scenario fails the suite.
//
// conformance_cross_test.go checks the two clients against each other on
// one world (create with one, read with the other) and the older SDK's
// paging.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	v1errors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	v1alb "github.com/aliyun/alibaba-cloud-sdk-go/services/alb"
	v1dns "github.com/aliyun/alibaba-cloud-sdk-go/services/alidns"
	v1ecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	v1slb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// confAsync is the worlds' AsyncDuration; settle steps move the clock by it.
const confAsync = time.Second

// confEnv is one world with both clients pointed at it.
type confEnv struct {
	t     *testing.T
	ts    *TestServer
	clock *testClock
	// vars carries IDs from one step to the next (each world has its own).
	vars map[string]string

	// The older SDK.
	v1ALB *v1alb.Client
	v1SLB *v1slb.Client
	v1DNS *v1dns.Client
	v1ECS *v1ecs.Client
	// The ACS3 SDK.
	alb *alb.Client
	slb *slb.Client
	dns *alidns.Client
	ecs *ecs.Client
}

// directTransport is the older SDK's HTTP transport. The SDK installs the
// environment's HTTP_PROXY on a configured *http.Transport, loopback
// included; this is not one, so the suite talks to the loopback fake only.
type directTransport struct{ rt *http.Transport }

func (d directTransport) RoundTrip(r *http.Request) (*http.Response, error) { return d.rt.RoundTrip(r) }

// v1Client points one of the older SDK's service clients at the fake: the
// client's Domain is the endpoint every request goes to (it wins over the
// SDK's endpoint tables), the config's Scheme HTTP, no automatic retries.
func v1Client[C any](t testing.TB, ts *TestServer, newClient func(string, *sdk.Config, *credentials.AccessKeyCredential) (C, error), domain func(C) *string) C {
	t.Helper()
	tr := &http.Transport{Proxy: nil}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := sdk.NewConfig().WithScheme("HTTP").WithAutoRetry(false).WithMaxRetryTime(0).WithTimeout(10 * time.Second)
	cfg.Transport = directTransport{tr}
	c, err := newClient("cn-hangzhou", cfg, credentials.NewAccessKeyCredential("fake-ak", "fake-secret"))
	if err != nil {
		t.Fatalf("older SDK client: %v", err)
	}
	*domain(c) = ts.Endpoint()
	return c
}

// newConfEnv is a world from the demo seed.
func newConfEnv(t *testing.T) *confEnv { return newConfEnvWith(t, nil) }

// newConfEnvWith is a world from seed (nil: the demo seed).
func newConfEnvWith(t *testing.T, seed *Seed) *confEnv {
	t.Helper()
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts := NewTestServer(t, Options{Seed: seed, AsyncDuration: confAsync, Now: clock.Now})
	e := &confEnv{t: t, ts: ts, clock: clock, vars: map[string]string{}}
	e.v1ALB = v1Client(t, ts, func(r string, c *sdk.Config, k *credentials.AccessKeyCredential) (*v1alb.Client, error) {
		return v1alb.NewClientWithOptions(r, c, k)
	}, func(c *v1alb.Client) *string { return &c.Domain })
	e.v1SLB = v1Client(t, ts, func(r string, c *sdk.Config, k *credentials.AccessKeyCredential) (*v1slb.Client, error) {
		return v1slb.NewClientWithOptions(r, c, k)
	}, func(c *v1slb.Client) *string { return &c.Domain })
	e.v1DNS = v1Client(t, ts, func(r string, c *sdk.Config, k *credentials.AccessKeyCredential) (*v1dns.Client, error) {
		return v1dns.NewClientWithOptions(r, c, k)
	}, func(c *v1dns.Client) *string { return &c.Domain })
	e.v1ECS = v1Client(t, ts, func(r string, c *sdk.Config, k *credentials.AccessKeyCredential) (*v1ecs.Client, error) {
		return v1ecs.NewClientWithOptions(r, c, k)
	}, func(c *v1ecs.Client) *string { return &c.Domain })

	cfg := fcConfig(ts, "fake-ak", "fake-secret")
	var err error
	if e.alb, err = alb.NewClient(cfg); err != nil {
		t.Fatal(err)
	}
	if e.slb, err = slb.NewClient(cfg); err != nil {
		t.Fatal(err)
	}
	if e.dns, err = alidns.NewClient(cfg); err != nil {
		t.Fatal(err)
	}
	if e.ecs, err = ecs.NewClient(cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

// v is a step's ID from an earlier step; a missing one fails the test.
func (e *confEnv) v(name string) string {
	e.t.Helper()
	id, ok := e.vars[name]
	if !ok {
		e.t.Fatalf("no %q from an earlier step", name)
	}
	return id
}

// confStep is one call of one action, written once per SDK. v1 and acs3
// return what the client decoded (the older SDK's response, the ACS3
// response's Body) or the client's error. A step with code set must fail,
// through both clients, with that code and HTTP status. A step with only
// both set changes both worlds the same way (the clock, a seeded fact).
// random lists the answer's leaves (generic paths, ".Credentials.SecretKey",
// "[]" for any index) that hold values made up per world (STS keys): they
// are compared only for being there.
type confStep struct {
	product, action string
	v1, acs3        func(e *confEnv) (any, error)
	status          int
	code            string
	both            func(e *confEnv)
	random          []string
}

// confScenario is a product's scenario: its steps, and the world they start
// from (nil: the demo seed).
type confScenario struct {
	seed  func(t *testing.T) *Seed
	steps func() []confStep
}

// confScenarios holds the scenario of each product, by product name; each
// conformance_<product>_test.go adds its own in an init func.
var confScenarios = map[string]confScenario{}

// confWorldScrubbers blank the parts of a world that are made up per world
// (random keys) before two worlds are compared; a product's conformance file
// adds its own in an init func.
var confWorldScrubbers []func(st *State)

// ok is a step that must succeed.
func ok(product, action string, v1, acs3 func(e *confEnv) (any, error)) confStep {
	return confStep{product: product, action: action, v1: v1, acs3: acs3}
}

// fails is a step that must fail with status and code.
func fails(status int, code, product, action string, v1, acs3 func(e *confEnv) (any, error)) confStep {
	return confStep{product: product, action: action, v1: v1, acs3: acs3, status: status, code: code}
}

// settle moves both worlds' clocks past every pending transition.
func settle() confStep {
	return confStep{both: func(e *confEnv) { e.clock.Add(confAsync) }}
}

// productVersion is a product's API version, from the route table's
// products.
func productVersion(product string) string {
	for v, p := range products {
		if p.product == product {
			return v
		}
	}
	return ""
}

// TestConformanceCoversEveryAction: every action in the fake's route table
// has, in its product's scenario, a step that must succeed and one that must
// fail; every step names a served action.
func TestConformanceCoversEveryAction(t *testing.T) {
	type key = actionKey
	okSteps, errSteps := map[key]int{}, map[key]int{}
	reg := builtinRegistry()
	for product, sc := range confScenarios {
		for i, s := range sc.steps() {
			if s.both != nil {
				continue
			}
			if s.product != product {
				t.Errorf("%s scenario step %d is a %s step", product, i, s.product)
			}
			k := key{productVersion(s.product), s.action}
			if _, served := reg[k]; !served {
				t.Errorf("%s scenario step %d: the fake does not serve %s %s", product, i, s.product, s.action)
			}
			if s.v1 == nil || s.acs3 == nil {
				t.Errorf("%s scenario step %d (%s): a call through each SDK is needed", product, i, s.action)
			}
			if s.code == "" {
				okSteps[k]++
			} else {
				errSteps[k]++
			}
		}
	}
	var missing []string
	for k := range reg {
		p, known := products[k.version]
		name := k.version + " " + k.action
		if known {
			name = p.product + " " + k.action
		}
		if okSteps[k] == 0 {
			missing = append(missing, name+": no step that succeeds")
		}
		if errSteps[k] == 0 {
			missing = append(missing, name+": no step with an invalid input")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("conformance: %s (add it to the product's scenario in conformance_<product>_test.go, or add that file)", m)
	}
}

// TestConformanceOlderSDK runs each product's scenario through both SDKs.
func TestConformanceOlderSDK(t *testing.T) {
	names := make([]string, 0, len(confScenarios))
	for p := range confScenarios {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			runConformance(t, confScenarios[p])
		})
	}
}

// runConformance runs steps on two worlds, through the older SDK on one and
// the ACS3 SDK on the other, and compares answers, errors and worlds.
func runConformance(t *testing.T, sc confScenario) {
	var seed1, seed3 *Seed
	if sc.seed != nil {
		seed1, seed3 = sc.seed(t), sc.seed(t)
	}
	old, acs3 := newConfEnvWith(t, seed1), newConfEnvWith(t, seed3)
	for i, s := range sc.steps() {
		if s.both != nil {
			s.both(old)
			s.both(acs3)
			continue
		}
		name := fmt.Sprintf("step %d (%s %s)", i, s.product, s.action)
		r1, err1 := s.v1(old)
		r3, err3 := s.acs3(acs3)
		code1, status1, api1 := v1ErrorCode(err1)
		code3, status3, api3 := acs3ErrorCode(err3)
		if (err1 != nil && !api1) || (err3 != nil && !api3) {
			t.Fatalf("%s: a client failed without an API answer:\n  older SDK: %v\n  ACS3 SDK:  %v", name, err1, err3)
		}
		switch {
		case s.code == "" && (err1 != nil || err3 != nil):
			t.Errorf("%s: want success\n  older SDK: %v\n  ACS3 SDK:  %v", name, err1, err3)
		case s.code != "" && (code1 != s.code || status1 != s.status || code3 != s.code || status3 != s.status):
			t.Errorf("%s: want %d %s\n  older SDK: %d %s (%v)\n  ACS3 SDK:  %d %s (%v)",
				name, s.status, s.code, status1, code1, err1, status3, code3, err3)
		case s.code == "":
			d, unknown := confAnswerDiff(r1, r3, s.random...)
			if d != "" {
				t.Errorf("%s: the clients decoded different answers (older SDK / ACS3 SDK):\n%s", name, d)
			}
			for _, u := range unknown {
				t.Logf("%s: not compared: %s", name, u)
			}
		}
		if d := confDiff(confWorld(old), confWorld(acs3)); d != "" {
			t.Fatalf("%s: the worlds differ (through the older SDK / through the ACS3 SDK):\n%s", name, d)
		}
	}
}

// confWorld is a world for comparison: the nonce log (random per request)
// is left out.
func confWorld(e *confEnv) State {
	st := e.ts.Snapshot()
	st.Nonces = nil
	for _, scrub := range confWorldScrubbers {
		scrub(&st)
	}
	return st
}

// v1ErrorCode reads the code and HTTP status of the older SDK's error; api
// is false for an error that is not an API answer.
func v1ErrorCode(err error) (code string, status int, api bool) {
	if err == nil {
		return "", 0, true
	}
	var se *v1errors.ServerError
	if errors.As(err, &se) {
		return se.ErrorCode(), se.HttpStatus(), true
	}
	return "", 0, false
}

// acs3ErrorCode reads the code and HTTP status of the ACS3 SDK's error.
func acs3ErrorCode(err error) (code string, status int, api bool) {
	if err == nil {
		return "", 0, true
	}
	var se *tea.SDKError
	if errors.As(err, &se) && se.StatusCode != nil {
		return tea.StringValue(se.Code), tea.IntValue(se.StatusCode), true
	}
	return "", 0, false
}

// confAnswerDiff compares what the two SDKs decoded from one answer, on the
// fields both SDKs' response types have: the older SDK lags behind the API
// (and the ACS3 SDK may lack a field too), and a field one SDK does not know
// it cannot decode. Such fields are returned in unknown, one per line.
//
// Leaves under a random path (generic, "[]" for any index) are compared for
// being there only.
func confAnswerDiff(v1Answer, acs3Answer any, random ...string) (diff string, unknown []string) {
	s1, s3 := confSchema(reflect.TypeOf(v1Answer)), confSchema(reflect.TypeOf(acs3Answer))
	l1, err1 := confLeaves(v1Answer)
	l3, err3 := confLeaves(acs3Answer)
	if err1 != nil || err3 != nil {
		return fmt.Sprintf("  encode: %v / %v", err1, err3), nil
	}
	seen := map[string]bool{}
	drop := func(leaves map[string]string, other confFields, otherSDK string) {
		for p := range leaves {
			if g := confGeneric(p); !other.has(g) {
				delete(leaves, p)
				if !seen[g] {
					seen[g] = true
					unknown = append(unknown, g+" (the "+otherSDK+" SDK's response type has no such field)")
				}
			}
		}
	}
	drop(l1, s3, "ACS3")
	drop(l3, s1, "older")
	for _, leaves := range []map[string]string{l1, l3} {
		for p := range leaves {
			if contains(random, confGeneric(p)) {
				leaves[p] = "(made up per world)"
			}
		}
	}
	sort.Strings(unknown)
	return confLeafDiff(l1, l3), unknown
}

// confFields is the set of JSON paths a response type can decode, lists as
// "[]"; a path ending in "*" takes anything below it (a map or any).
type confFields map[string]bool

func (f confFields) has(path string) bool {
	if f[path] {
		return true
	}
	for p := path; p != ""; {
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
		if f[p+"*"] {
			return true
		}
	}
	return f["*"]
}

// confGeneric turns a leaf path's list indexes into "[]".
func confGeneric(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		b.WriteByte(path[i])
		if path[i] == '[' {
			for i+1 < len(path) && path[i+1] != ']' {
				i++
			}
		}
	}
	return b.String()
}

// confSchema lists the JSON paths type t decodes (json tags, else field names).
func confSchema(t reflect.Type) confFields {
	f := confFields{}
	var walk func(path string, t reflect.Type, depth int)
	walk = func(path string, t reflect.Type, depth int) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if depth > 12 {
			f[path+"*"] = true
			return
		}
		switch t.Kind() {
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				sf := t.Field(i)
				name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
				if name == "-" || (!sf.IsExported() && !sf.Anonymous) {
					continue
				}
				if sf.Anonymous && name == "" {
					walk(path, sf.Type, depth+1) // embedded: its fields are promoted
					continue
				}
				if name == "" {
					name = sf.Name
				}
				walk(path+"."+name, sf.Type, depth+1)
			}
		case reflect.Slice, reflect.Array:
			walk(path+"[]", t.Elem(), depth+1)
		case reflect.Map, reflect.Interface:
			f[path+"*"] = true
		default:
			f[path] = true
		}
	}
	walk("", t, 0)
	return f
}

// confDiff compares two decoded answers (or worlds) field by field, as JSON
// leaves: RequestId (new on every call) is left out, numbers and booleans
// compare by their text, and a zero value ("", 0, false, null, an empty list
// or object) counts as absent, since the older SDK's structs cannot tell
// absent from zero. It returns "" when they agree, else one line per leaf.
func confDiff(a, b any) string {
	la, errA := confLeaves(a)
	lb, errB := confLeaves(b)
	if errA != nil || errB != nil {
		return fmt.Sprintf("  encode: %v / %v", errA, errB)
	}
	return confLeafDiff(la, lb)
}

// confLeafDiff lists the leaves that differ, one line each ("" if none).
func confLeafDiff(la, lb map[string]string) string {
	paths := map[string]bool{}
	for p := range la {
		paths[p] = true
	}
	for p := range lb {
		paths[p] = true
	}
	var lines []string
	for p := range paths {
		va, okA := la[p]
		vb, okB := lb[p]
		if okA && okB && va == vb {
			continue
		}
		show := func(v string, ok bool) string {
			if !ok {
				return "(absent)"
			}
			return v
		}
		lines = append(lines, fmt.Sprintf("  %s: %s / %s", p, show(va, okA), show(vb, okB)))
	}
	sort.Strings(lines)
	if len(lines) > 40 {
		lines = append(lines[:40], fmt.Sprintf("  ... and %d more", len(lines)-40))
	}
	return strings.Join(lines, "\n")
}

// confLeaves flattens v's JSON into path -> text, zero values and RequestId
// left out.
func confLeaves(v any) (map[string]string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if k == "RequestId" {
					continue
				}
				walk(path+"."+k, v)
			}
		case []any:
			for i, v := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), v)
			}
		case json.Number:
			if f, err := x.Float64(); err == nil && f == 0 {
				return
			}
			out[path] = x.String()
		case string:
			if x != "" {
				out[path] = x
			}
		case bool:
			if x {
				out[path] = "true"
			}
		case nil:
		default:
			out[path] = fmt.Sprint(x)
		}
	}
	walk("", x)
	return out, nil
}

// TestConfDiff keeps the comparison honest: it must see a changed leaf, a
// missing one and a different list length, and forgive only what it says.
func TestConfDiff(t *testing.T) {
	type body struct {
		RequestId string
		Port      int
		Name      string
		On        bool
		List      []string
	}
	same := []struct{ a, b any }{
		{body{RequestId: "1", Port: 80, Name: "x"}, map[string]any{"RequestId": "2", "Port": "80", "Name": "x"}},
		{body{List: []string{}}, map[string]any{"List": nil, "On": false}},
	}
	for _, c := range same {
		if d := confDiff(c.a, c.b); d != "" {
			t.Errorf("confDiff(%v, %v) = %s, want none", c.a, c.b, d)
		}
	}
	differ := []struct{ a, b any }{
		{body{Port: 80}, body{Port: 81}},
		{body{Name: "x"}, body{}},
		{body{On: true}, body{}},
		{body{List: []string{"a"}}, body{List: []string{"a", "b"}}},
	}
	for _, c := range differ {
		if d := confDiff(c.a, c.b); d == "" {
			t.Errorf("confDiff(%v, %v) found no difference", c.a, c.b)
		}
	}

	// A field only one SDK's type has is set aside, not compared; a field
	// both have still is.
	type older struct {
		Port    int
		Records struct{ Record []struct{ Name string } }
	}
	type newer struct {
		Port    *int32 `json:"Port,omitempty"`
		Records *struct {
			Record []*struct {
				Name       *string `json:"Name,omitempty"`
				CreateTime *int64  `json:"CreateTime,omitempty"`
			}
		}
		Extra map[string]any
	}
	var o older
	o.Port = 80
	o.Records.Record = []struct{ Name string }{{"a"}}
	n := newer{Port: tea.Int32(80), Extra: map[string]any{"x": 1}}
	n.Records = &struct {
		Record []*struct {
			Name       *string `json:"Name,omitempty"`
			CreateTime *int64  `json:"CreateTime,omitempty"`
		}
	}{Record: []*struct {
		Name       *string `json:"Name,omitempty"`
		CreateTime *int64  `json:"CreateTime,omitempty"`
	}{{Name: tea.String("a"), CreateTime: tea.Int64(1)}}}
	d, unknown := confAnswerDiff(o, n)
	if d != "" || len(unknown) != 2 || !strings.HasPrefix(unknown[0], ".Extra.x ") || !strings.HasPrefix(unknown[1], ".Records.Record[].CreateTime ") {
		t.Errorf("confAnswerDiff: diff %q, unknown %q", d, unknown)
	}
	// A random leaf counts only as being there.
	n.Records.Record[0].Name = tea.String("made-up")
	if d, _ := confAnswerDiff(o, n, ".Records.Record[].Name"); d != "" {
		t.Errorf("confAnswerDiff compared a random leaf: %q", d)
	}
	n.Records.Record[0].Name = nil
	if d, _ := confAnswerDiff(o, n, ".Records.Record[].Name"); d == "" {
		t.Error("confAnswerDiff missed a random leaf that is not there")
	}
	n.Records.Record[0].Name = tea.String("b")
	if d, _ := confAnswerDiff(o, n); !strings.Contains(d, ".Records.Record[0].Name: a / b") {
		t.Errorf("confAnswerDiff missed a changed name: %q", d)
	}
}

// pair holds a step's two calls: through the older SDK, through the ACS3 SDK.
func pair(a, b func(*confEnv) (any, error)) [2]func(*confEnv) (any, error) {
	return [2]func(*confEnv) (any, error){a, b}
}

// confInt32 is the ACS3 SDK's *int32 of a decimal string ("" is nil).
func confInt32(s string) *int32 {
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return tea.Int32(int32(n))
}

// confInt64 is the ACS3 SDK's *int64 of a decimal string ("" is nil).
func confInt64(s string) *int64 {
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return tea.Int64(n)
}
