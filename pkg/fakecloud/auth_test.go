package fakecloud

import (
	"strings"
	"testing"
	"time"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

// The real SDK signs; the fake verifies with its own code.
func TestSignatureThroughSDK(t *testing.T) {
	ts := NewTestServer(t, Options{Logf: func(string, ...any) {}})
	tests := []struct {
		name, key, secret string
		code              string
		status            int
	}{
		{"valid", "fake-ak", "fake-secret", "", 200},
		{"wrong secret", "fake-ak", "not-the-secret", "SignatureDoesNotMatch", 403}, // Alidns statuses: errors.go
		{"unknown key", "nobody", "fake-secret", "InvalidAccessKeyId.NotFound", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := alidns.NewClient(fcConfig(ts, tc.key, tc.secret))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.DescribeDomains(&alidns.DescribeDomainsRequest{})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			fcWantErr(t, err, tc.code, tc.status)
		})
	}
}

// Values that need careful encoding (space, '*', '~', '+', '/', non-ASCII)
// go through the query and the form body and must still verify.
func TestSignatureEncodingThroughSDK(t *testing.T) {
	ts := NewTestServer(t, Options{})
	for _, name := range []string{"ECS *", "a~b+c/d", "名字=x&y", "*"} {
		if _, err := fcECS(t, ts).DescribeInstances(&ecs.DescribeInstancesRequest{
			RegionId: tea.String("cn-hangzhou"), InstanceName: tea.String(name),
		}); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
	}
	c := fcDNS(t, ts)
	add, err := c.AddDomainRecord(&alidns.AddDomainRecordRequest{
		DomainName: tea.String("example.com"), RR: tea.String("_txt"), Type: tea.String("TXT"), Value: tea.String(`v=spf1 include:a.b ~all "q" *`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDomainRecordRemark(&alidns.UpdateDomainRecordRemarkRequest{
		RecordId: add.Body.RecordId, Remark: tea.String("owned by wsdeploy: 栈 a+b ~x*"),
	}); err != nil {
		t.Fatal(err)
	}
}

func TestSignatureHandCrafted(t *testing.T) {
	ts := NewTestServer(t, Options{Logf: func(string, ...any) {}})
	domains := func(r fcReq) fcReq {
		r.version, r.action = VersionAlidns, "DescribeDomains"
		if r.query == nil {
			r.query = map[string]string{"PageSize": "10"}
		}
		return r
	}
	other := "PageSize=99"
	tests := []struct {
		name   string
		req    fcReq
		code   string
		status int
	}{
		{"valid", domains(fcReq{}), "", 200},
		{"valid with body", domains(fcReq{body: "PageSize=5"}), "", 200},
		{"expired date", domains(fcReq{date: time.Now().Add(-20 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")}), "InvalidTimeStamp.Expired", 400},
		{"future date", domains(fcReq{date: time.Now().Add(20 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")}), "InvalidTimeStamp.Expired", 400},
		{"garbled date", domains(fcReq{date: "yesterday"}), "InvalidTimeStamp.Format", 400},
		{"tampered body", domains(fcReq{body: "PageSize=5", sendBody: &other}), "SignatureDoesNotMatch", 403},
		{"no Authorization", domains(fcReq{noAuth: true}), "IncompleteSignature", 400},
		{"unsigned x-acs header", domains(fcReq{unsignedHeaders: map[string]string{"x-acs-extra": "1"}}), "IncompleteSignature", 400},
		{"signed extra header", domains(fcReq{extraHeaders: map[string]string{"x-acs-extra": "1"}}), "", 200},
		{"sts token", domains(fcReq{extraHeaders: map[string]string{"x-acs-security-token": "tok", "x-acs-accesskey-id": "fake-ak"}}), "InvalidSecurityToken.Malformed", 400},
		{"unknown key", domains(fcReq{keyID: "who", secret: "x"}), "InvalidAccessKeyId.NotFound", 400},
		{"wrong secret", domains(fcReq{keyID: "fake-ak", secret: "x"}), "SignatureDoesNotMatch", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, m := tc.req.do(t, ts)
			if resp.StatusCode != tc.status || (tc.code != "" && m["Code"] != tc.code) {
				t.Fatalf("got %d %v, want %d %s", resp.StatusCode, m, tc.status, tc.code)
			}
		})
	}
}

func TestQuerySigning(t *testing.T) {
	ts := NewTestServer(t, Options{Logf: func(string, ...any) {}})
	tests := []struct {
		name      string
		query     map[string]string
		sendQuery map[string]string
		status    int
	}{
		{"encoding-sensitive value", map[string]string{"KeyWord": "a b*c~d+e/f=g&h中"}, nil, 200},
		{"empty value", map[string]string{"KeyWord": ""}, nil, 200},
		{"changed value", map[string]string{"PageSize": "10"}, map[string]string{"PageSize": "11"}, 403}, // Alidns: errors.go
		{"added parameter", map[string]string{"PageSize": "10"}, map[string]string{"PageSize": "10", "KeyWord": "x"}, 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fcReq{version: VersionAlidns, action: "DescribeDomains", query: tc.query, sendQuery: tc.sendQuery}
			resp, m := r.do(t, ts)
			if resp.StatusCode != tc.status || (tc.status == 403 && m["Code"] != "SignatureDoesNotMatch") {
				t.Fatalf("got %d %v", resp.StatusCode, m)
			}
		})
	}
}

func TestNonceReplay(t *testing.T) {
	ts := NewTestServer(t, Options{})
	r := fcReq{version: VersionAlidns, action: "DescribeDomains", nonce: fcNonce()}
	if resp, m := r.do(t, ts); resp.StatusCode != 200 {
		t.Fatalf("first: %d %v", resp.StatusCode, m)
	}
	resp, m := r.do(t, ts)
	if resp.StatusCode != 400 || m["Code"] != "SignatureNonceUsed" {
		t.Fatalf("replay: %d %v", resp.StatusCode, m)
	}
	// Old nonces are pruned after the window.
	st := &State{Nonces: []NonceUse{{Nonce: "old", At: time.Now().Add(-16 * time.Minute)}}}
	if err := useNonce(st, "old", time.Now()); err != nil {
		t.Fatalf("pruned nonce rejected: %v", err)
	}
	if len(st.Nonces) != 1 {
		t.Fatalf("nonces %v", st.Nonces)
	}
}

func TestParseAuthorization(t *testing.T) {
	for _, h := range []string{
		"ACS3-HMAC-SHA256",
		"ACS3-HMAC-SHA256 Credential=a",
		"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=",
		"ACS3-HMAC-SM3 Credential=a,SignedHeaders=host,Signature=ab",
		"ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=ab",
		"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=ab,Extra=1",
	} {
		if _, err := parseAuthorization(h); err == nil || err.Code != "IncompleteSignature" {
			t.Errorf("%q: %v", h, err)
		}
	}
	a, err := parseAuthorization("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=ab")
	if err != nil || a.credential != "ak" || strings.Join(a.signedHeaders, ";") != "host;x-acs-date" || a.signature != "ab" {
		t.Errorf("%+v %v", a, err)
	}
}

func TestACSEncode(t *testing.T) {
	for in, want := range map[string]string{
		"a b": "a%20b", "a*b": "a%2Ab", "a~b": "a~b", "a+b": "a%2Bb", "a/b": "a%2Fb", "中": "%E4%B8%AD", "": "",
	} {
		if got := acsEncode(in); got != want {
			t.Errorf("acsEncode(%q) = %q, want %q", in, got, want)
		}
	}
}
