package fakecloud

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// The RPC signature v1 as the aliyun CLI, Terraform's provider, the older Go
// SDK and scripts send it. v1Req is a signer written for these tests from the
// vendor's "Signature mechanism" page, sharing no code with auth_v1.go (its
// own percent-encoding, sorting and HMAC), so a misreading in one shows up as
// a failure here. The known-answer test below pins both to the vendor's own
// worked example.

// v1Req is one v1-signed call.
type v1Req struct {
	method          string            // GET (all in the query) or POST; "" = GET
	signMethod      string            // the method signed, if not method
	version, action string            // sent as Version / Action parameters
	query, form     map[string]string // API parameters: in the query / in the form body
	keyID, secret   string            // "" = the demo key
	timestamp       string            // "" = now
	nonce           string            // "" = fresh
	headers         map[string]string // extra headers (x-acs-action, Authorization, ...)
	// common overrides or removes ("" value with drop) signing parameters
	// before signing; drop removes them.
	common map[string]string
	drop   []string
	// afterSign changes the parameters sent after signing (tampering).
	afterSign func(q, f url.Values)
	// signingInForm puts the signing parameters in the form body instead of the query.
	signingInForm bool
}

// v1PercentEncode is RFC 3986 percent-encoding: unreserved characters kept,
// everything else %XX of its UTF-8 bytes (space is %20, never +).
func v1PercentEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// v1Sign is the documented algorithm: StringToSign = Method&%2F&enc(sorted
// enc(k)=enc(v) joined by &), key = secret + "&", Base64(HMAC-SHA1).
func v1Sign(method, secret string, params map[string]string) (stringToSign, signature string) {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var pairs []string
	for _, k := range names {
		pairs = append(pairs, v1PercentEncode(k)+"="+v1PercentEncode(params[k]))
	}
	stringToSign = method + "&" + v1PercentEncode("/") + "&" + v1PercentEncode(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return stringToSign, base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (r v1Req) send(t *testing.T, ts *TestServer) (int, map[string]any) {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	if r.keyID == "" {
		r.keyID, r.secret = "fake-ak", "fake-secret"
	}
	if r.timestamp == "" {
		r.timestamp = time.Now().UTC().Format("2006-01-02T15:04:05Z")
	}
	if r.nonce == "" {
		r.nonce = fcNonce()
	}
	common := map[string]string{
		"Format": "JSON", "AccessKeyId": r.keyID, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": r.nonce, "Timestamp": r.timestamp,
	}
	if r.version != "" {
		common["Version"] = r.version
	}
	if r.action != "" {
		common["Action"] = r.action
	}
	for k, v := range r.common {
		common[k] = v
	}
	for _, k := range r.drop {
		delete(common, k)
	}
	all := map[string]string{}
	for _, m := range []map[string]string{common, r.query, r.form} {
		for k, v := range m {
			all[k] = v
		}
	}
	if r.signMethod == "" {
		r.signMethod = r.method
	}
	_, sig := v1Sign(r.signMethod, r.secret, all)
	q, f := url.Values{}, url.Values{}
	signing := q
	if r.signingInForm {
		signing = f
	}
	for k, v := range common {
		signing.Set(k, v)
	}
	for k, v := range r.query {
		q.Set(k, v)
	}
	for k, v := range r.form {
		f.Set(k, v)
	}
	if !contains(r.drop, "Signature") {
		signing.Set("Signature", sig)
	}
	if r.afterSign != nil {
		r.afterSign(q, f)
	}
	var body io.Reader
	if len(f) > 0 {
		body = strings.NewReader(f.Encode())
	}
	hr, err := http.NewRequest(r.method, ts.URL()+"/?"+q.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) > 0 {
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.headers {
		hr.Header.Set(k, v)
	}
	resp, m, err := fcDo(hr)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

// TestV1KnownAnswer pins the verifier's string to sign and the test signer
// (string to sign and signature) to the vendor's worked example
// (DescribeRegions, key testid / testsecret; the example spells Timestamp
// "TimeStamp"). The end-to-end tests then check the verifier against the
// test signer.
func TestV1KnownAnswer(t *testing.T) {
	params := url.Values{}
	for k, v := range map[string]string{
		"TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"Version": "2014-05-26", "SignatureVersion": "1.0",
	} {
		params.Set(k, v)
	}
	const wantSTS = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	// The vendor's signature; it is the HMAC of this string to sign only
	// (some copies of the page print the pairs joined by a raw "&", which
	// signs to something else).
	const wantSig = "CT9X0VtwR86fNWSnsc6v8YGOjuE="
	if got := v1StringToSign("GET", params); got != wantSTS {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, wantSTS)
	}
	flat := map[string]string{}
	for k := range params {
		flat[k] = params.Get(k)
	}
	if sts, sig := v1Sign("GET", "testsecret", flat); sts != wantSTS || sig != wantSig {
		t.Fatalf("test signer: %s %s", sts, sig)
	}
}

// TestV1WritesChangeTheWorld: a v1-signed write on ALB, SLB and Alidns, sent
// as GET (all in the query) and as POST (API parameters in the form body,
// signing in the query, or everything in the body), routed on Action/Version
// alone, changes the world.
func TestV1WritesChangeTheWorld(t *testing.T) {
	shapes := []struct {
		name   string
		method string
		inForm bool // API parameters in the form body
		sigsIn bool // signing parameters in the form body too
	}{
		{"GET", http.MethodGet, false, false},
		{"POST query", http.MethodPost, false, false},
		{"POST form", http.MethodPost, true, false},
		{"POST all form", http.MethodPost, true, true},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			ts := NewTestServer(t, Options{})
			split := func(p map[string]string) (q, f map[string]string) {
				if sh.inForm {
					return nil, p
				}
				return p, nil
			}
			call := func(version, action string, p map[string]string) map[string]any {
				t.Helper()
				q, f := split(p)
				status, m := v1Req{method: sh.method, version: version, action: action, query: q, form: f, signingInForm: sh.sigsIn}.send(t, ts)
				if status != 200 {
					t.Fatalf("%s: %d %v", action, status, m)
				}
				return m
			}
			alb := call(VersionALB, "CreateServerGroup", map[string]string{
				"ServerGroupName": "ws-v1", "VpcId": "vpc-fake01", "Protocol": "HTTP",
				"HealthCheckConfig.HealthCheckEnabled": "false",
			})
			clb := call(VersionSLB, "CreateVServerGroup", map[string]string{
				"RegionId": "cn-hangzhou", "LoadBalancerId": "lb-fake01", "VServerGroupName": "ws-v1/a.b_c",
			})
			dns := call(VersionAlidns, "AddDomainRecord", map[string]string{
				"DomainName": "example.com", "RR": "chat", "Type": "TXT", "Value": "a b+c/d=e&f 中",
			})

			st := ts.Snapshot()
			if g := st.ALB.serverGroup(fmt.Sprint(alb["ServerGroupId"])); g == nil || g.Name != "ws-v1" {
				t.Errorf("ALB server group %v not in the world: %+v", alb["ServerGroupId"], st.ALB.ServerGroups)
			}
			if len(st.CLB.VServerGroups) != 1 || st.CLB.VServerGroups[0].ID != clb["VServerGroupId"] || st.CLB.VServerGroups[0].Name != "ws-v1/a.b_c" {
				t.Errorf("CLB vServer groups %+v, answer %v", st.CLB.VServerGroups, clb)
			}
			recs := st.DNS.Domains[0].Records
			if len(recs) != 1 || recs[0].ID != dns["RecordId"] || recs[0].Value != "a b+c/d=e&f 中" {
				t.Errorf("DNS records %+v, answer %v", recs, dns)
			}
		})
	}
}

// TestV1Rejections: each failure answers the real code and HTTP status, and
// a rejected write changes nothing.
func TestV1Rejections(t *testing.T) {
	ts := NewTestServer(t, Options{Logf: func(string, ...any) {}})
	add := func(r v1Req) v1Req {
		r.version, r.action = VersionAlidns, "AddDomainRecord"
		r.query = map[string]string{"DomainName": "example.com", "RR": "www", "Type": "A", "Value": "192.0.2.7"}
		return r
	}
	stamp := func(d time.Duration) string { return time.Now().Add(d).UTC().Format("2006-01-02T15:04:05Z") }
	tests := []struct {
		name   string
		req    v1Req
		code   string
		status int
	}{
		{"wrong secret", add(v1Req{keyID: "fake-ak", secret: "nope"}), "SignatureDoesNotMatch", 403}, // Alidns statuses: errors.go
		{"tampered value", add(v1Req{afterSign: func(q, _ url.Values) { q.Set("Value", "192.0.2.8") }}), "SignatureDoesNotMatch", 403},
		{"added parameter", add(v1Req{afterSign: func(q, _ url.Values) { q.Set("TTL", "900") }}), "SignatureDoesNotMatch", 403},
		{"signed as POST, sent as GET", add(v1Req{signMethod: http.MethodPost}), "SignatureDoesNotMatch", 403},
		{"unknown key", add(v1Req{keyID: "who", secret: "x"}), "InvalidAccessKeyId.NotFound", 400},
		{"expired timestamp", add(v1Req{timestamp: stamp(-20 * time.Minute)}), "InvalidTimeStamp.Expired", 400},
		{"future timestamp", add(v1Req{timestamp: stamp(20 * time.Minute)}), "InvalidTimeStamp.Expired", 400},
		{"garbled timestamp", add(v1Req{timestamp: "2026-01-02 10:00:00"}), "InvalidTimeStamp.Format", 400},
		{"timestamp with milliseconds", add(v1Req{timestamp: time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}), "InvalidTimeStamp.Format", 400},
		{"no Signature", add(v1Req{drop: []string{"Signature"}}), "MissingSignature", 400},
		{"no AccessKeyId", add(v1Req{drop: []string{"AccessKeyId"}}), "MissingAccessKeyId", 400},
		{"no Timestamp", add(v1Req{drop: []string{"Timestamp"}}), "MissingTimestamp", 400},
		{"no SignatureNonce", add(v1Req{drop: []string{"SignatureNonce"}}), "MissingSignatureNonce", 400},
		{"no SignatureMethod", add(v1Req{drop: []string{"SignatureMethod"}}), "MissingSignatureMethod", 400},
		{"no SignatureVersion", add(v1Req{drop: []string{"SignatureVersion"}}), "MissingSignatureVersion", 400},
		{"no Action", add(v1Req{drop: []string{"Action"}}), "MissingParameter", 400},
		{"no Version", add(v1Req{drop: []string{"Version"}}), "InvalidVersion", 400},
		{"HMAC-SHA256", add(v1Req{common: map[string]string{"SignatureMethod": "HMAC-SHA256"}}), "UnsupportedSignatureMethod", 400},
		{"SignatureVersion 2.0", add(v1Req{common: map[string]string{"SignatureVersion": "2.0"}}), "UnsupportedSignatureVersion", 400},
		{"bearer token", add(v1Req{common: map[string]string{"SignatureType": "BEARERTOKEN"}}), "IncompleteSignature", 400},
		{"security token", add(v1Req{common: map[string]string{"SecurityToken": "tok"}}), "InvalidSecurityToken.Malformed", 400},
		{"Format XML", add(v1Req{common: map[string]string{"Format": "XML"}}), "InvalidParameter", 400},
		{"parameter in query and form", add(v1Req{method: http.MethodPost, form: map[string]string{"Value": "192.0.2.7"}}), "InvalidParameter", 400},
		{"parameter twice in the query", add(v1Req{afterSign: func(q, _ url.Values) { q.Add("RR", "www") }}), "InvalidParameter", 400},
		{"Authorization header too", add(v1Req{headers: map[string]string{"Authorization": "ACS3-HMAC-SHA256 Credential=fake-ak,SignedHeaders=host,Signature=00"}}), "IncompleteSignature", 400},
		{"x-acs-action disagrees with Action", add(v1Req{headers: map[string]string{"x-acs-action": "DeleteDomainRecord"}}), "InvalidParameter", 400},
		{"x-acs-version disagrees with Version", add(v1Req{headers: map[string]string{"x-acs-version": VersionSLB}}), "InvalidParameter", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := ts.Snapshot()
			status, m := tc.req.send(t, ts)
			if status != tc.status || m["Code"] != tc.code {
				t.Fatalf("got %d %v, want %d %s", status, m, tc.status, tc.code)
			}
			if after := ts.Snapshot(); !reflect.DeepEqual(before.DNS, after.DNS) {
				t.Fatalf("a rejected write changed the world: %+v", after.DNS)
			}
		})
	}
}

// TestV1ReplayedNonce: a v1 nonce, like an ACS3 one, is good once.
func TestV1ReplayedNonce(t *testing.T) {
	ts := NewTestServer(t, Options{})
	r := v1Req{version: VersionAlidns, action: "DescribeDomains", nonce: fcNonce()}
	if status, m := r.send(t, ts); status != 200 {
		t.Fatalf("first: %d %v", status, m)
	}
	if status, m := r.send(t, ts); status != 400 || m["Code"] != "SignatureNonceUsed" {
		t.Fatalf("replay: %d %v", status, m)
	}
}

// TestV1AndACS3SeeTheSameCall: a v1 call and an ACS3 call of the same action
// and parameters leave the same parameters in the request log and match the
// same fault rules; the signing and routing parameters are neither. The
// aliyun CLI's shape (x-acs-action / x-acs-version headers agreeing with
// Action / Version, an empty form body, an empty SignatureType) is accepted.
func TestV1AndACS3SeeTheSameCall(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Name: "by-domain", Product: "alidns", Action: "DescribeDomainRecords", Params: map[string]string{"DomainName": "example.org"}, Code: "Throttling.User"},
		{Name: "by-format", Params: map[string]string{"Format": "JSON"}, Code: "Throttling.User"},
		{Name: "by-action", Params: map[string]string{"Action": "DescribeDomainRecords"}, Code: "Throttling.User"},
	}})
	// ACS3, through the real SDK.
	if _, err := fcCallAPI(t, ts, VersionAlidns, "DescribeDomainRecords", map[string]string{"DomainName": "example.com"}); err != nil {
		t.Fatal(err)
	}
	// v1, routed on parameters only.
	if status, m := (v1Req{version: VersionAlidns, action: "DescribeDomainRecords", query: map[string]string{"DomainName": "example.com"}}).send(t, ts); status != 200 {
		t.Fatalf("v1: %d %v", status, m)
	}
	// v1 as the aliyun CLI sends it.
	cli := v1Req{method: http.MethodPost, version: VersionAlidns, action: "DescribeDomainRecords",
		query:   map[string]string{"DomainName": "example.com"},
		common:  map[string]string{"SignatureType": ""},
		headers: map[string]string{"x-acs-action": "DescribeDomainRecords", "x-acs-version": VersionAlidns, "Content-Type": "application/x-www-form-urlencoded"},
	}
	if status, m := cli.send(t, ts); status != 200 {
		t.Fatalf("CLI-shaped v1: %d %v", status, m)
	}
	calls := ts.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls: %+v", calls)
	}
	for _, c := range calls[1:] {
		if c.Product != calls[0].Product || c.Action != calls[0].Action || !reflect.DeepEqual(c.Params, calls[0].Params) {
			t.Errorf("v1 call logged as %s %s %v; the ACS3 call as %s %s %v", c.Product, c.Action, c.Params, calls[0].Product, calls[0].Action, calls[0].Params)
		}
	}
	if want := map[string]string{"DomainName": "example.com"}; !reflect.DeepEqual(calls[0].Params, want) {
		t.Errorf("logged params %v, want %v", calls[0].Params, want)
	}
	// A rule on an API parameter fires on a v1 call; rules on signing or
	// routing parameters match nothing.
	if status, m := (v1Req{version: VersionAlidns, action: "DescribeDomainRecords", query: map[string]string{"DomainName": "example.org"}}).send(t, ts); status != 400 || m["Code"] != "Throttling.User" {
		t.Fatalf("fault by parameter: %d %v", status, m)
	}
	for _, f := range ts.Faults() {
		want := 0
		if f.Rule.Name == "by-domain" {
			want = 1
		}
		if f.Matched != want {
			t.Errorf("rule %s matched %d calls, want %d", f.Rule.Name, f.Matched, want)
		}
	}
}

// TestV1WithACS3OnOneWorld: the ACS3 SDK still works next to v1 clients, and
// each reads what the other wrote.
func TestV1WithACS3OnOneWorld(t *testing.T) {
	ts := NewTestServer(t, Options{})
	status, m := v1Req{method: http.MethodPost, version: VersionAlidns, action: "AddDomainRecord",
		form: map[string]string{"DomainName": "example.com", "RR": "v1", "Type": "A", "Value": "192.0.2.1"}}.send(t, ts)
	if status != 200 {
		t.Fatalf("v1 add: %d %v", status, m)
	}
	got, err := fcCallAPI(t, ts, VersionAlidns, "DescribeSubDomainRecords", map[string]string{"SubDomain": "v1.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fmt.Sprint(got["body"]), "192.0.2.1") {
		t.Fatalf("ACS3 read of the v1 write: %v", got)
	}
	if _, err := fcCallAPI(t, ts, VersionAlidns, "AddDomainRecord", map[string]string{"DomainName": "example.com", "RR": "acs3", "Type": "A", "Value": "192.0.2.2"}); err != nil {
		t.Fatal(err)
	}
	status, m = v1Req{version: VersionAlidns, action: "DescribeSubDomainRecords", query: map[string]string{"SubDomain": "acs3.example.com"}}.send(t, ts)
	if status != 200 || !strings.Contains(fmt.Sprint(m["DomainRecords"]), "192.0.2.2") {
		t.Fatalf("v1 read of the ACS3 write: %d %v", status, m)
	}
}
