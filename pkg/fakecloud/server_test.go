package fakecloud

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// ---- helpers shared by server, auth, ecs and dns tests (prefix fc to stay
// clear of names in alb_test.go) ----

func fcConfig(ts *TestServer, keyID, secret string) *openapiutil.Config {
	return &openapiutil.Config{
		Endpoint:        tea.String(ts.Endpoint()),
		Protocol:        tea.String("HTTP"),
		AccessKeyId:     tea.String(keyID),
		AccessKeySecret: tea.String(secret),
		RegionId:        tea.String("cn-hangzhou"),
	}
}

func fcDNS(t *testing.T, ts *TestServer) *alidns.Client {
	t.Helper()
	c, err := alidns.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fcECS(t *testing.T, ts *TestServer) *ecs.Client {
	t.Helper()
	c, err := ecs.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fcErr returns the Code and StatusCode of an SDK error, failing if err is not one.
func fcErr(t *testing.T, err error) (string, int) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("want *tea.SDKError, got %T: %v", err, err)
	}
	return tea.StringValue(se.Code), tea.IntValue(se.StatusCode)
}

// fcWantErr checks that err is an SDK error with that code and status.
func fcWantErr(t *testing.T, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s/%d, got success", code, status)
	}
	gotCode, gotStatus := fcErr(t, err)
	if gotCode != code || gotStatus != status {
		t.Fatalf("want %s/%d, got %s/%d: %v", code, status, gotCode, gotStatus, err)
	}
}

// fcGeneric is the SDK's generic ACS3 client (no ACS3 module of OOS or STS
// is a dependency), signing with the demo key.
func fcGeneric(t testing.TB, ts *TestServer) *openapi.Client {
	t.Helper()
	c, err := openapi.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fcRPC calls action of API version through c's generic RPC path, signed per
// auth (AK, or Anonymous: unsigned), parameters in the query.
func fcRPC(c *openapi.Client, version, action, auth string, query map[string]string) (map[string]any, error) {
	q := map[string]*string{}
	for k, v := range query {
		q[k] = tea.String(v)
	}
	return c.CallApi(&openapiutil.Params{
		Action: tea.String(action), Version: tea.String(version), Protocol: tea.String("HTTP"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String(auth),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}, &openapiutil.OpenApiRequest{Query: q}, &dara.RuntimeOptions{})
}

// fcCallAPI calls any action through the SDK's generic RPC path.
func fcCallAPI(t *testing.T, ts *TestServer, version, action string, query map[string]string) (map[string]any, error) {
	t.Helper()
	return fcRPC(fcGeneric(t, ts), version, action, "AK", query)
}

// fcReq describes a hand-crafted request, signed with the SDK's own signer.
type fcReq struct {
	version, action string
	query           map[string]string
	body            string // form body
	keyID, secret   string
	date            string            // x-acs-date; "" = now
	nonce           string            // "" = fresh
	sendBody        *string           // body actually sent, if different (tampering)
	sendQuery       map[string]string // query actually sent, if different (tampering)
	extraHeaders    map[string]string
	unsignedHeaders map[string]string // added after signing
	noAuth          bool
}

var fcNonceSeq struct {
	sync.Mutex
	n int
}

func fcNonce() string {
	fcNonceSeq.Lock()
	defer fcNonceSeq.Unlock()
	fcNonceSeq.n++
	h := sha256.Sum256([]byte(time.Now().String() + string(rune(fcNonceSeq.n))))
	return hex.EncodeToString(h[:16])
}

func (r fcReq) do(t *testing.T, ts *TestServer) (*http.Response, map[string]any) {
	t.Helper()
	resp, m, err := r.send(ts)
	if err != nil {
		t.Fatal(err)
	}
	return resp, m
}

// send is do without testing.T, for use from goroutines.
func (r fcReq) send(ts *TestServer) (*http.Response, map[string]any, error) {
	if r.keyID == "" {
		r.keyID, r.secret = "fake-ak", "fake-secret"
	}
	if r.date == "" {
		r.date = time.Now().UTC().Format("2006-01-02T15:04:05Z")
	}
	if r.nonce == "" {
		r.nonce = fcNonce()
	}
	sum := sha256.Sum256([]byte(r.body))
	headers := map[string]*string{
		"host":                  tea.String(ts.Endpoint()),
		"x-acs-version":         tea.String(r.version),
		"x-acs-action":          tea.String(r.action),
		"x-acs-date":            tea.String(r.date),
		"x-acs-signature-nonce": tea.String(r.nonce),
		"x-acs-content-sha256":  tea.String(hex.EncodeToString(sum[:])),
	}
	if r.body != "" {
		headers["content-type"] = tea.String("application/x-www-form-urlencoded")
	}
	for k, v := range r.extraHeaders {
		headers[k] = tea.String(v)
	}
	q := map[string]*string{}
	uq := url.Values{}
	for k, v := range r.query {
		q[k] = tea.String(v)
		uq.Set(k, v)
	}
	if r.sendQuery != nil {
		uq = url.Values{}
		for k, v := range r.sendQuery {
			uq.Set(k, v)
		}
	}
	dreq := &dara.Request{Method: tea.String("POST"), Pathname: tea.String("/"), Headers: headers, Query: q}
	auth := tea.StringValue(openapiutil.GetAuthorization(dreq, tea.String("ACS3-HMAC-SHA256"),
		headers["x-acs-content-sha256"], tea.String(r.keyID), tea.String(r.secret)))
	body := r.body
	if r.sendBody != nil {
		body = *r.sendBody
	}
	hr, err := http.NewRequest("POST", ts.URL()+"/?"+uq.Encode(), strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range headers {
		if k != "host" {
			hr.Header.Set(k, *v)
		}
	}
	for k, v := range r.unsignedHeaders {
		hr.Header.Set(k, v)
	}
	if !r.noAuth {
		hr.Header.Set("Authorization", auth)
	}
	return fcDo(hr)
}

// fcDo sends a hand-crafted request and decodes its JSON answer (the body
// is read and closed).
func fcDo(hr *http.Request) (*http.Response, map[string]any, error) {
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, nil, fmt.Errorf("response is not JSON: %v: %s", err, data)
	}
	return resp, m, nil
}

// ---- transport tests ----

func TestUnknownActionAndVersion(t *testing.T) {
	ts := NewTestServer(t, Options{})
	_, err := fcCallAPI(t, ts, VersionAlidns, "DescribeNothing", nil)
	fcWantErr(t, err, "InvalidAction.NotFound", 404)
	if !strings.Contains(err.Error(), "pkg/fakecloud/dns.go") {
		t.Errorf("message should name the file to add the action to: %v", err)
	}
	_, err = fcCallAPI(t, ts, "2099-01-01", "DescribeDomains", nil)
	fcWantErr(t, err, "InvalidVersion", 400)
	// Same action name, other product: routing is on (version, action).
	_, err = fcCallAPI(t, ts, VersionECS, "DescribeDomains", map[string]string{"RegionId": "cn-hangzhou"})
	fcWantErr(t, err, "InvalidAction.NotFound", 404)
	if !strings.Contains(err.Error(), "pkg/fakecloud/ecs.go") {
		t.Errorf("message should name ecs.go: %v", err)
	}
}

func TestErrorAndSuccessShape(t *testing.T) {
	ts := NewTestServer(t, Options{})
	resp, m := fcReq{version: VersionAlidns, action: "DescribeDomainInfo", query: map[string]string{"DomainName": "nope.com"}}.do(t, ts)
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := m[k]; !ok {
			t.Errorf("error body lacks %s: %v", k, m)
		}
	}
	if m["HostId"] != "alidns.aliyuncs.com" || m["Code"] != "InvalidDomainName.NoExist" {
		t.Errorf("body %v", m)
	}
	if !strings.Contains(m["Recommend"].(string), "q=InvalidDomainName.NoExist&product=Alidns&requestId=") {
		t.Errorf("Recommend %v", m["Recommend"])
	}
	if got := resp.Header.Get("x-acs-request-id"); got != m["RequestId"] {
		t.Errorf("x-acs-request-id %q vs body %v", got, m["RequestId"])
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
		t.Errorf("content-type %q", ct)
	}

	resp, m = fcReq{version: VersionAlidns, action: "DescribeDomainInfo", query: map[string]string{"DomainName": "example.com"}}.do(t, ts)
	if resp.StatusCode != 200 || m["RequestId"] == "" || m["DomainName"] != "example.com" {
		t.Fatalf("status %d body %v", resp.StatusCode, m)
	}
	if id, _ := m["RequestId"].(string); len(id) != 36 || id != strings.ToUpper(id) {
		t.Errorf("RequestId %q is not an uppercase UUID", id)
	}
}

func TestFormBodyIsMerged(t *testing.T) {
	ts := NewTestServer(t, Options{})
	form := url.Values{"RR": {"www"}, "Type": {"A"}, "Value": {"192.0.2.1"}}.Encode()
	resp, m := fcReq{version: VersionAlidns, action: "AddDomainRecord",
		query: map[string]string{"DomainName": "example.com"}, body: form}.do(t, ts)
	if resp.StatusCode != 200 || m["RecordId"] == nil {
		t.Fatalf("status %d body %v", resp.StatusCode, m)
	}
}

func TestRequestLog(t *testing.T) {
	var buf bytes.Buffer
	ts := NewTestServer(t, Options{RequestLog: &buf})
	c := fcDNS(t, ts)
	if _, err := c.AddDomainRecord(&alidns.AddDomainRecordRequest{
		DomainName: tea.String("example.com"), RR: tea.String("ws"), Type: tea.String("A"), Value: tea.String("192.0.2.1"),
	}); err != nil {
		t.Fatal(err)
	}
	_, err := c.AddDomainRecord(&alidns.AddDomainRecordRequest{
		DomainName: tea.String("example.com"), RR: tea.String("ws"), Type: tea.String("A"), Value: tea.String("192.0.2.1"),
	})
	fcWantErr(t, err, "DomainRecordDuplicate", 400)
	if _, err := fcECS(t, ts).DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou")}); err != nil {
		t.Fatal(err)
	}
	bad, _ := alidns.NewClient(fcConfig(ts, "fake-ak", "wrong"))
	_, err = bad.DescribeDomains(&alidns.DescribeDomainsRequest{})
	fcWantErr(t, err, "SignatureDoesNotMatch", 403)

	want := []Call{
		{Product: "alidns", Action: "AddDomainRecord", Write: true, Status: 200},
		{Product: "alidns", Action: "AddDomainRecord", Write: true, Status: 400, Code: "DomainRecordDuplicate"},
		{Product: "ecs", Action: "DescribeInstances", Write: false, Status: 200},
		{Product: "alidns", Action: "DescribeDomains", Write: false, Status: 403, Code: "SignatureDoesNotMatch"},
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d log lines:\n%s", len(lines), buf.String())
	}
	calls := ts.Calls()
	for i, line := range lines {
		var c Call
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		for _, got := range []Call{c, calls[i]} {
			if got.Product != want[i].Product || got.Action != want[i].Action || got.Write != want[i].Write ||
				got.Status != want[i].Status || got.Code != want[i].Code || got.RequestID == "" {
				t.Errorf("call %d: got %+v, want %+v", i, got, want[i])
			}
		}
		for _, secret := range []string{"fake-secret", `"Signature"`, "ACS3-HMAC", "x-acs-"} {
			if strings.Contains(line, secret) {
				t.Errorf("log line %d leaks %q: %s", i, secret, line)
			}
		}
	}
	if calls[0].Params["RR"] != "ws" || calls[0].Params["DomainName"] != "example.com" {
		t.Errorf("params not logged: %+v", calls[0].Params)
	}
	ts.ResetCalls()
	if n := len(ts.Calls()); n != 0 {
		t.Errorf("ResetCalls left %d calls", n)
	}
}

func TestLogParamsRedaction(t *testing.T) {
	got := logParams(url.Values{
		"Signature": {"x"}, "AccessKeyId": {"x"}, "SecurityToken": {"x"}, "SignatureNonce": {"x"},
		"AccessKeySecret": {"x"}, "NextToken": {"5"}, "ClientToken": {"t"}, "RR": {"www"},
	})
	want := map[string]string{"NextToken": "5", "ClientToken": "t", "RR": "www"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q", k, got[k])
		}
	}
}

func TestStatePersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	ts := NewTestServer(t, Options{StatePath: path})
	c := fcDNS(t, ts)
	add, err := c.AddDomainRecord(&alidns.AddDomainRecordRequest{
		DomainName: tea.String("example.com"), RR: tea.String("ws"), Type: tea.String("CNAME"),
		Value: tea.String("alb-fake01.cn-hangzhou.alb.aliyuncs.com"),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := tea.StringValue(add.Body.RecordId)

	// A new server on the same file (no seed needed) sees the record.
	ts2 := NewTestServer(t, Options{StatePath: path})
	info, err := fcDNS(t, ts2).DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(info.Body.RR) != "ws" {
		t.Fatalf("got %v", info.Body)
	}

	// Both servers stay live on one file: writes of either are seen by the other.
	if _, err := fcDNS(t, ts2).DeleteDomainRecord(&alidns.DeleteDomainRecordRequest{RecordId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(id)})
	fcWantErr(t, err, "DomainRecordNotBelongToUser", 400)
	add2, err := c.AddDomainRecord(&alidns.AddDomainRecordRequest{
		DomainName: tea.String("example.com"), RR: tea.String("ws"), Type: tea.String("A"), Value: tea.String("203.0.113.10"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(add2.Body.RecordId) == id {
		t.Errorf("record ID %s reused", id)
	}
	snap := ts2.Snapshot()
	if n := len(snap.DNS.Domains[0].Records); n != 1 {
		t.Fatalf("ts2 sees %d records, want 1", n)
	}

	// Update from one server is persisted and visible to the other.
	if err := ts.Update(func(st *State) error {
		st.ECS.Instances[0].Health = "unhealthy"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if h := ts2.Snapshot().ECS.Instances[0].Health; h != "unhealthy" {
		t.Errorf("ts2 sees health %q", h)
	}
	// A failed Update changes nothing.
	boom := errors.New("boom")
	if err := ts.Update(func(st *State) error {
		st.ECS.Instances[0].Health = "healthy"
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	if h := ts.Snapshot().ECS.Instances[0].Health; h != "unhealthy" {
		t.Errorf("failed Update leaked: health %q", h)
	}

	// The file is plain JSON of State.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeState(data); err != nil {
		t.Fatal(err)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without seed or state should fail")
	}
	if _, err := New(Options{StatePath: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("New with a missing state file and no seed should fail")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"region":"cn-hangzhou","bogus":1}`), 0o600)
	if _, err := New(Options{StatePath: bad}); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown state field: %v", err)
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	ts := NewTestServer(t, Options{})
	snap := ts.Snapshot()
	snap.ECS.Instances[0].Name = "changed"
	if ts.Snapshot().ECS.Instances[0].Name != "ECS01" {
		t.Error("Snapshot shares memory with the server")
	}
}

func TestServe(t *testing.T) {
	s, err := New(Options{Seed: DemoSeed()})
	if err != nil {
		t.Fatal(err)
	}
	addr, stop := serveLoopback(t, s)
	resp, err := http.Post("http://"+addr+"/", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 { // no version header
		t.Errorf("status %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestResponseJSONRequestID(t *testing.T) {
	b, _ := responseJSON(&alidns.AddDomainRecordResponseBody{RecordId: tea.String("1")}, "RID")
	if string(b) != `{"RecordId":"1","RequestId":"RID"}` {
		t.Errorf("pointer: %s", b)
	}
	b, _ = responseJSON(alidns.AddDomainRecordResponseBody{RecordId: tea.String("1")}, "RID")
	if string(b) != `{"RecordId":"1","RequestId":"RID"}` {
		t.Errorf("value: %s", b)
	}
	b, _ = responseJSON(map[string]any{"X": 1}, "RID")
	if string(b) != `{"RequestId":"RID","X":1}` {
		t.Errorf("map: %s", b)
	}
	b, _ = responseJSON(nil, "RID")
	if string(b) != `{"RequestId":"RID"}` {
		t.Errorf("nil: %s", b)
	}
}

func TestHandlerPanicIs500AndRollsBack(t *testing.T) {
	ts := NewTestServer(t, Options{Logf: func(string, ...any) {}})
	ts.mu.Lock()
	ts.reg.add(VersionAlidns, "Boom", true, func(st *State, r *Request) (any, error) {
		st.Region = "changed"
		panic("boom")
	})
	ts.reg.add(VersionAlidns, "Fail", true, func(st *State, r *Request) (any, error) {
		st.Region = "changed"
		return nil, errors.New("plain error")
	})
	ts.mu.Unlock()
	_, err := fcCallAPI(t, ts, VersionAlidns, "Boom", nil)
	fcWantErr(t, err, "InternalError", 500)
	_, err = fcCallAPI(t, ts, VersionAlidns, "Fail", nil)
	fcWantErr(t, err, "InternalError", 500)
	if r := ts.Snapshot().Region; r != "cn-hangzhou" {
		t.Errorf("failed write leaked: region %q", r)
	}
}

// ---- seeds ----

func TestDemoSeed(t *testing.T) {
	s := DemoSeed()
	if s.Region != "cn-hangzhou" || len(s.AccessKeys) != 1 || s.AccessKeys[0] != (Key{"fake-ak", "fake-secret"}) {
		t.Errorf("region/keys: %+v", s)
	}
	want := map[string]string{"i-fake01": "ECS01/vpc-fake01/192.168.0.11", "i-fake02": "ECS02/vpc-fake01/192.168.0.12",
		"i-fake03": "ECS03/vpc-fake01/192.168.0.13", "i-other01": "OTHER01/vpc-other01/"}
	for _, in := range s.Instances {
		w, ok := want[in.ID]
		if !ok || !strings.HasPrefix(in.Name+"/"+in.VpcID+"/"+in.PrivateIP, w) || in.Status != "Running" || in.Health != "healthy" {
			t.Errorf("instance %+v", in)
		}
		delete(want, in.ID)
	}
	if len(want) > 0 {
		t.Errorf("missing instances %v", want)
	}
	if len(s.ALBs) != 1 || s.ALBs[0].DNSName != "alb-fake01.cn-hangzhou.alb.aliyuncs.com" ||
		len(s.CLBs) != 1 || s.CLBs[0].Address != "203.0.113.10" || len(s.Domains) != 1 || s.Domains[0] != "example.com" {
		t.Errorf("lbs/domains: %+v", s)
	}
	s.Region = "mutated"
	if DemoSeed().Region != "cn-hangzhou" {
		t.Error("DemoSeed returns shared data")
	}
}

func TestParseSeedErrors(t *testing.T) {
	base := "region: cn-hangzhou\naccessKeys: [{id: a, secret: b}]\nvpcs: [{id: vpc-1}]\n"
	tests := []struct{ name, yaml, want string }{
		{"unknown key names its line", base + "instances:\n  - {id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1, colour: red}\n", "line 5"},
		{"unknown top key", base + "albz: []\n", "line 4"},
		{"empty", "", "empty"},
		{"no keys", "region: cn-hangzhou\n", "accessKeys"},
		{"bad region", "region: Hangzhou\naccessKeys: [{id: a, secret: b}]\n", "region"},
		{"undeclared vpc", base + "instances: [{id: i-1, vpcId: vpc-2, privateIp: 10.0.0.1}]\n", `vpcId "vpc-2" is not declared`},
		{"bad ip", base + "instances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0}]\n", "privateIp"},
		{"missing id", base + "instances: [{vpcId: vpc-1, privateIp: 10.0.0.1}]\n", "i-xxxx"},
		{"duplicate id", base + "instances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1}, {id: i-1, vpcId: vpc-1, privateIp: 10.0.0.2}]\n", "duplicate id"},
		{"duplicate ip", base + "instances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1}, {id: i-2, vpcId: vpc-1, privateIp: 10.0.0.1}]\n", "already used"},
		{"bad status", base + "instances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1, status: running}]\n", "status"},
		{"bad health", base + "instances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1, health: sick}]\n", "health"},
		{"alb vpc", base + "albs: [{id: alb-1, vpcId: vpc-9}]\n", "albs[0]"},
		{"clb address", base + "clbs: [{id: lb-1, vpcId: vpc-1}]\n", "address"},
		{"bad domain", base + "domains: [Example.COM]\n", "domains[0]"},
		{"two documents", base + "---\nregion: x\n", "one YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSeed([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want error containing %q", err, tc.want)
			}
		})
	}
	s, err := ParseSeed([]byte(base + "albs: [{id: alb-1, vpcId: vpc-1}]\ninstances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.ALBs[0].DNSName != "alb-1.cn-hangzhou.alb.aliyuncs.com" || s.Instances[0].Name != "i-1" {
		t.Errorf("defaults not filled: %+v", s)
	}
}

func TestLoadSeed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "seed.yaml")
	os.WriteFile(p, demoSeedYAML, 0o600)
	s, err := LoadSeed(p)
	if err != nil || s.Region != "cn-hangzhou" {
		t.Fatalf("%v %+v", err, s)
	}
	os.WriteFile(p, []byte("region: [\n"), 0o600)
	if _, err := LoadSeed(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("error should name the file: %v", err)
	}
}

// Concurrent writes through two servers sharing one state file are never lost.
func TestSharedStateConcurrentWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	servers := []*TestServer{NewTestServer(t, Options{StatePath: path}), NewTestServer(t, Options{StatePath: path})}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Hand-crafted requests: the SDK itself (tea v1.5.0 dara.DoRequest)
			// races on its pooled http.Client when called concurrently.
			resp, m, err := fcReq{version: VersionAlidns, action: "AddDomainRecord", query: map[string]string{
				"DomainName": "example.com", "RR": fmt.Sprintf("h%d", i), "Type": "A", "Value": "192.0.2.1",
			}}.send(servers[i%2])
			if err == nil && resp.StatusCode != 200 {
				err = fmt.Errorf("status %d: %v", resp.StatusCode, m)
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, ts := range servers {
		snap := ts.Snapshot()
		if n := len(snap.DNS.Domains[0].Records); n != 16 || snap.DNS.LastRecord != 16 {
			t.Fatalf("%d records, LastRecord %d", n, snap.DNS.LastRecord)
		}
	}
}

// TestServeStopsWithAFreshConnection: a connection that has not sent a
// request yet (an HTTP client dials one ahead and may never use it) does not
// hold up shutdown; http.Server.Shutdown alone waits 5 s for it.
func TestServeStopsWithAFreshConnection(t *testing.T) {
	s, err := New(Options{Seed: DemoSeed()})
	if err != nil {
		t.Fatal(err)
	}
	addr, stop := serveLoopback(t, s)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A request on another connection proves the server accepted the first.
	resp, err := http.Post("http://"+addr+"/", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
