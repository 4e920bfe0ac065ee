package fakecloud

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

const (
	stsRole     = "acs:ram::1234567890123456:role/wsdeploy-ci"
	stsProvider = "acs:ram::1234567890123456:oidc-provider/ci"
	stsIssuer   = "https://ci.example.com"
)

var (
	stsKeyOnce sync.Once
	stsKeys    [2]*rsa.PrivateKey
)

// stsTestKeys returns two RSA keys: the provider's, and another.
func stsTestKeys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	stsKeyOnce.Do(func() {
		for i := range stsKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			stsKeys[i] = k
		}
	})
	return stsKeys[0], stsKeys[1]
}

// stsSeed is the demo world plus an OIDC provider "ci" (key: the first test
// key) trusted by the role wsdeploy-ci, a role "untrusting" nobody may
// assume, and a second access key no role trusts.
func stsSeed(t *testing.T) *Seed {
	key, _ := stsTestKeys(t)
	s := DemoSeed()
	s.AccessKeys = append(s.AccessKeys, Key{ID: "other-ak", Secret: "other-secret"})
	s.OIDCProviders = append(s.OIDCProviders, SeedOIDCProvider{
		Name: "ci", IssuerURL: stsIssuer, ClientIDs: []string{"sts.aliyuncs.com", "other-aud"}, PublicKey: PublicKeyPEM(key),
	})
	s.RAMRoles = []SeedRAMRole{
		{Name: "wsdeploy-ci", MaxSessionDuration: 7200, Trust: SeedRoleTrust{OIDCProviders: []string{"github", "ci"}, AccessKeys: []string{"fake-ak"}}},
		{Name: "untrusting"},
	}
	return s
}

type stsWorld struct {
	ts    *TestServer
	clock *testClock
}

func newSTSWorld(t *testing.T) *stsWorld {
	clock := &testClock{now: time.Now().UTC().Truncate(time.Second)}
	return &stsWorld{ts: NewTestServer(t, Options{Seed: stsSeed(t), Now: clock.Now}), clock: clock}
}

// token signs claims (iss, aud, sub, iat, exp defaults filled) with key.
func (w *stsWorld) token(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	now := w.clock.Now()
	c := map[string]any{"iss": stsIssuer, "aud": "sts.aliyuncs.com", "sub": "repo:example/app", "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	tok, err := SignOIDCToken(key, "", c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type stsAnswer struct {
	status int
	body   map[string]any
}

func (a stsAnswer) code() string { s, _ := a.body["Code"].(string); return s }

// assumeRoleWithOIDC calls AssumeRoleWithOIDC as credentials-go v1.4.9 does:
// POST, Action/Version/Format/Timestamp in the query, the rest as a form, no
// signature.
func (w *stsWorld) assumeRoleWithOIDC(t *testing.T, form map[string]string) stsAnswer {
	t.Helper()
	q := url.Values{"Action": {"AssumeRoleWithOIDC"}, "Version": {"2015-04-01"}, "Format": {"JSON"},
		"Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")}}
	f := url.Values{"RoleArn": {stsRole}, "OIDCProviderArn": {stsProvider}, "RoleSessionName": {"ci-run"}, "DurationSeconds": {"3600"}}
	for k, v := range form {
		if v == "<absent>" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
	}
	req, err := http.NewRequest("POST", w.ts.URL()+"/?"+q.Encode(), strings.NewReader(f.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, m, err := fcDo(req)
	if err != nil {
		t.Fatal(err)
	}
	return stsAnswer{resp.StatusCode, m}
}

// stsCreds is what AssumeRole* answered.
type stsCreds struct{ id, secret, token, expiration string }

func credsOf(t *testing.T, a stsAnswer) stsCreds {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("want 200, got %d %v", a.status, a.body)
	}
	c, _ := a.body["Credentials"].(map[string]any)
	s := func(k string) string { v, _ := c[k].(string); return v }
	return stsCreds{s("AccessKeyId"), s("AccessKeySecret"), s("SecurityToken"), s("Expiration")}
}

// client is an SDK client signing with id/secret and, if not empty, token.
func (w *stsWorld) client(t *testing.T, id, secret, token string) *openapi.Client {
	t.Helper()
	cfg := fcConfig(w.ts, id, secret)
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func stsCall(c *openapi.Client, action, auth string, query map[string]string) (map[string]any, error) {
	return fcRPC(c, VersionSTS, action, auth, query)
}

// describeInstances calls ECS with the credentials (an STS-signed call of
// another product).
func (w *stsWorld) describeInstances(t *testing.T, id, secret, token string) error {
	t.Helper()
	cfg := fcConfig(w.ts, id, secret)
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	c, err := ecs.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou")})
	return err
}

func TestAssumeRoleWithOIDCIssuesCredentialsEveryProductAccepts(t *testing.T) {
	t.Parallel()
	w := newSTSWorld(t)
	key, _ := stsTestKeys(t)
	a := w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": w.token(t, key, nil), "DurationSeconds": "900"})
	c := credsOf(t, a)
	if !strings.HasPrefix(c.id, "STS.") || c.secret == "" || c.token == "" {
		t.Fatalf("credentials = %+v", c)
	}
	exp, err := time.Parse("2006-01-02T15:04:05Z", c.expiration)
	if err != nil || !exp.Equal(w.clock.Now().Add(900*time.Second)) {
		t.Errorf("Expiration = %q, want now+900s (%s)", c.expiration, w.clock.Now().Add(900*time.Second))
	}
	user, _ := a.body["AssumedRoleUser"].(map[string]any)
	if user["Arn"] != "acs:ram::1234567890123456:assumed-role/wsdeploy-ci/ci-run" {
		t.Errorf("AssumedRoleUser = %v", user)
	}
	info, _ := a.body["OIDCTokenInfo"].(map[string]any)
	if info["Issuer"] != stsIssuer || info["ClientIds"] != "sts.aliyuncs.com" || info["Subject"] != "repo:example/app" {
		t.Errorf("OIDCTokenInfo = %v", info)
	}
	calls := w.ts.Calls()
	last := calls[len(calls)-1]
	if last.Product != ProductSTS || last.Action != "AssumeRoleWithOIDC" || last.Status != 200 || last.Write {
		t.Errorf("logged %+v", last)
	}
	if _, ok := last.Params["OIDCToken"]; ok {
		t.Errorf("the request log holds the OIDC token: %v", last.Params)
	}

	// Another product accepts the credentials, and the log says who called.
	if err := w.describeInstances(t, c.id, c.secret, c.token); err != nil {
		t.Fatalf("ECS with STS credentials: %v", err)
	}
	calls = w.ts.Calls()
	if last := calls[len(calls)-1]; last.AssumedRole != "acs:ram::1234567890123456:assumed-role/wsdeploy-ci/ci-run" || last.Status != 200 {
		t.Errorf("ECS call logged %+v", last)
	}
	// GetCallerIdentity names the assumed role.
	got, err := stsCall(w.client(t, c.id, c.secret, c.token), "GetCallerIdentity", "AK", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := got["body"].(map[string]any)
	if body["IdentityType"] != "AssumedRoleUser" || body["Arn"] != "acs:ram::1234567890123456:assumed-role/wsdeploy-ci/ci-run" ||
		body["AccountId"] != "1234567890123456" || !strings.HasSuffix(body["PrincipalId"].(string), ":ci-run") {
		t.Errorf("GetCallerIdentity = %v", body)
	}
	// With a seeded key, the account itself.
	got, err = stsCall(w.client(t, "fake-ak", "fake-secret", ""), "GetCallerIdentity", "AK", nil)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := got["body"].(map[string]any); body["IdentityType"] != "Account" || body["Arn"] != "acs:ram::1234567890123456:root" {
		t.Errorf("GetCallerIdentity with a seeded key = %v", body)
	}

	// The state the harness reads hides the issued secret and token.
	resp, err := http.Get(w.ts.URL() + "/_fake/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(data), c.secret) || strings.Contains(string(data), c.token) {
		t.Error("GET /_fake/state shows the STS secret or token")
	}
}

// The SDK's anonymous call (x-acs-* headers, no Authorization) is accepted
// too, as the STS SDK sends AssumeRoleWithOIDC.
func TestAssumeRoleWithOIDCThroughTheSDKAnonymously(t *testing.T) {
	t.Parallel()
	w := newSTSWorld(t)
	key, _ := stsTestKeys(t)
	c, err := openapi.NewClient(&openapiutil.Config{Endpoint: tea.String(w.ts.Endpoint()), Protocol: tea.String("HTTP"), RegionId: tea.String("cn-hangzhou")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := stsCall(c, "AssumeRoleWithOIDC", "Anonymous", map[string]string{
		"RoleArn": stsRole, "OIDCProviderArn": stsProvider, "RoleSessionName": "sdk", "OIDCToken": w.token(t, key, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := got["body"].(map[string]any)
	if cr, _ := body["Credentials"].(map[string]any); !strings.HasPrefix(cr["AccessKeyId"].(string), "STS.") {
		t.Errorf("answer = %v", body)
	}
	// Only AssumeRoleWithOIDC is anonymous.
	_, err = stsCall(c, "GetCallerIdentity", "Anonymous", nil)
	fcWantErr(t, err, "IncompleteSignature", 400)
}

func TestAssumeRoleWithOIDCErrors(t *testing.T) {
	t.Parallel()
	w := newSTSWorld(t)
	key, other := stsTestKeys(t)
	now := w.clock.Now()
	good := w.token(t, key, nil)
	parts := strings.Split(good, ".")
	hs256 := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2]
	tests := []struct {
		name   string
		form   map[string]string
		code   string
		status int
	}{
		{"no token", map[string]string{"OIDCToken": ""}, "AuthenticationFail.OIDCToken.Invalid", 401},
		{"two parts", map[string]string{"OIDCToken": parts[0] + "." + parts[1]}, "AuthenticationFail.OIDCToken.Invalid", 401},
		{"not base64", map[string]string{"OIDCToken": "a!b.c.d"}, "AuthenticationFail.OIDCToken.Invalid", 401},
		{"HS256", map[string]string{"OIDCToken": hs256}, "AuthenticationFail.OIDCToken.Invalid", 401},
		{"trailing newline", map[string]string{"OIDCToken": good + "\n"}, "AuthenticationFail.OIDCToken.Invalid", 401},
		{"no exp", map[string]string{"OIDCToken": w.token(t, key, map[string]any{"exp": nil})}, "AuthenticationFail.OIDCToken.Invalid", 401},
		{"signed by another key", map[string]string{"OIDCToken": w.token(t, other, nil)}, "AuthenticationFail.OIDCToken.InvalidSignature", 401},
		{"tampered claims", map[string]string{"OIDCToken": parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+stsIssuer+`","aud":"sts.aliyuncs.com","exp":4102444800}`)) + "." + parts[2]}, "AuthenticationFail.OIDCToken.InvalidSignature", 401},
		{"other issuer", map[string]string{"OIDCToken": w.token(t, key, map[string]any{"iss": "https://evil.example.com"})}, "AuthenticationFail.OIDCToken.IssuerNotMatch", 401},
		{"expired", map[string]string{"OIDCToken": w.token(t, key, map[string]any{"exp": now.Add(-time.Second).Unix()})}, "AuthenticationFail.OIDCToken.Expired", 401},
		{"expires now", map[string]string{"OIDCToken": w.token(t, key, map[string]any{"exp": now.Unix()})}, "AuthenticationFail.OIDCToken.Expired", 401},
		{"wrong audience", map[string]string{"OIDCToken": w.token(t, key, map[string]any{"aud": "https://github.com/example"})}, "AuthenticationFail.OIDCToken.AudienceNotMatch", 401},
		{"wrong audiences", map[string]string{"OIDCToken": w.token(t, key, map[string]any{"aud": []string{"a", "b"}})}, "AuthenticationFail.OIDCToken.AudienceNotMatch", 401},
		{"unknown provider", map[string]string{"OIDCToken": good, "OIDCProviderArn": "acs:ram::1234567890123456:oidc-provider/nope"}, "AuthenticationFail.NoPermission", 401},
		{"unknown role", map[string]string{"OIDCToken": good, "RoleArn": "acs:ram::1234567890123456:role/nope"}, "EntityNotExist.Role", 404},
		{"role does not trust the provider", map[string]string{"OIDCToken": good, "RoleArn": "acs:ram::1234567890123456:role/untrusting"}, "AuthenticationFail.NoPermission", 401},
		{"no RoleArn", map[string]string{"OIDCToken": good, "RoleArn": "<absent>"}, "MissingParameter", 400},
		{"no OIDCProviderArn", map[string]string{"OIDCToken": good, "OIDCProviderArn": "<absent>"}, "MissingParameter", 400},
		{"no RoleSessionName", map[string]string{"OIDCToken": good, "RoleSessionName": "<absent>"}, "MissingParameter", 400},
		{"short RoleSessionName", map[string]string{"OIDCToken": good, "RoleSessionName": "a"}, "InvalidParameter.RoleSessionName", 400},
		{"RoleSessionName with a space", map[string]string{"OIDCToken": good, "RoleSessionName": "a b"}, "InvalidParameter.RoleSessionName", 400},
		{"DurationSeconds below 900", map[string]string{"OIDCToken": good, "DurationSeconds": "899"}, "InvalidParameter.DurationSeconds", 400},
		{"DurationSeconds above the role's maximum", map[string]string{"OIDCToken": good, "DurationSeconds": "7201"}, "InvalidParameter.DurationSeconds", 400},
		{"DurationSeconds not a number", map[string]string{"OIDCToken": good, "DurationSeconds": "1h"}, "InvalidParameter.DurationSeconds", 400},
		{"Policy not JSON", map[string]string{"OIDCToken": good, "Policy": "{"}, "InvalidParameter.PolicyGrammar", 400},
	}
	for _, tt := range tests {
		a := w.assumeRoleWithOIDC(t, tt.form)
		if a.code() != tt.code || a.status != tt.status {
			t.Errorf("%s: want %s/%d, got %d %v", tt.name, tt.code, tt.status, a.status, a.body)
		}
	}
	if n := len(w.ts.Snapshot().STS.Credentials); n != 0 {
		t.Errorf("failed calls issued %d credentials", n)
	}
	// The role's maximum is allowed, and the default is 3600 s.
	c := credsOf(t, w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": good, "DurationSeconds": "7200"}))
	if c.expiration != now.Add(7200*time.Second).Format("2006-01-02T15:04:05Z") {
		t.Errorf("Expiration = %s", c.expiration)
	}
	c = credsOf(t, w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": good, "DurationSeconds": "<absent>"}))
	if c.expiration != now.Add(3600*time.Second).Format("2006-01-02T15:04:05Z") {
		t.Errorf("default Expiration = %s", c.expiration)
	}
}

// A provider given as a JWKS checks the key the token's header names.
func TestAssumeRoleWithOIDCJWKS(t *testing.T) {
	t.Parallel()
	key, other := stsTestKeys(t)
	jwk := func(kid string, k *rsa.PrivateKey) map[string]string {
		return map[string]string{"kty": "RSA", "kid": kid, "n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString([]byte{1, 0, 1})}
	}
	jwks, _ := json.Marshal(map[string]any{"keys": []any{jwk("k1", key), jwk("k2", other), map[string]string{"kty": "EC", "kid": "k3"}}})
	seed := stsSeed(t)
	seed.OIDCProviders[len(seed.OIDCProviders)-1].PublicKey = ""
	seed.OIDCProviders[len(seed.OIDCProviders)-1].JWKS = string(jwks)
	clock := &testClock{now: time.Now().UTC()}
	w := &stsWorld{ts: NewTestServer(t, Options{Seed: seed, Now: clock.Now}), clock: clock}
	claims := map[string]any{"iss": stsIssuer, "aud": "sts.aliyuncs.com", "exp": clock.Now().Add(time.Minute).Unix()}
	for _, tt := range []struct {
		kid  string
		key  *rsa.PrivateKey
		code string
	}{{"k2", other, ""}, {"k1", key, ""}, {"", other, ""}, {"k1", other, "AuthenticationFail.OIDCToken.InvalidSignature"}} {
		tok, err := SignOIDCToken(tt.key, tt.kid, claims)
		if err != nil {
			t.Fatal(err)
		}
		if a := w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": tok}); a.code() != tt.code {
			t.Errorf("kid %q: want %q, got %d %v", tt.kid, tt.code, a.status, a.body)
		}
	}
}

// Issued credentials are accepted only while valid and only with their own
// security token.
func TestSTSCredentialsExpireAndNeedTheirToken(t *testing.T) {
	t.Parallel()
	w := newSTSWorld(t)
	key, _ := stsTestKeys(t)
	a := credsOf(t, w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": w.token(t, key, nil), "DurationSeconds": "900"}))
	b := credsOf(t, w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": w.token(t, key, nil), "RoleSessionName": "other"}))

	fcWantErr(t, w.describeInstances(t, a.id, a.secret, ""), "MissingSecurityToken", 400)
	fcWantErr(t, w.describeInstances(t, a.id, a.secret, "CAISnot-one-we-issued"), "InvalidSecurityToken.Malformed", 400)
	fcWantErr(t, w.describeInstances(t, a.id, a.secret, b.token), "InvalidSecurityToken.MismatchWithAccessKey", 400)
	fcWantErr(t, w.describeInstances(t, "fake-ak", "fake-secret", a.token), "InvalidSecurityToken.MismatchWithAccessKey", 400)
	fcWantErr(t, w.describeInstances(t, a.id, "wrong-secret", a.token), "SignatureDoesNotMatch", 400)

	w.clock.Add(899 * time.Second)
	if err := w.describeInstances(t, a.id, a.secret, a.token); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	w.clock.Add(time.Second)
	fcWantErr(t, w.describeInstances(t, a.id, a.secret, a.token), "InvalidSecurityToken.Expired", 400)
	// b (3600 s) is still good, and a seeded key never expires.
	if err := w.describeInstances(t, b.id, b.secret, b.token); err != nil {
		t.Fatalf("b: %v", err)
	}
	if err := w.describeInstances(t, "fake-ak", "fake-secret", ""); err != nil {
		t.Fatal(err)
	}
	w.clock.Add(time.Hour)
	_, err := stsCall(w.client(t, b.id, b.secret, b.token), "GetCallerIdentity", "AK", nil)
	fcWantErr(t, err, "InvalidSecurityToken.Expired", 400)
}

func TestAssumeRole(t *testing.T) {
	t.Parallel()
	w := newSTSWorld(t)
	call := func(id, secret, token string, q map[string]string) (map[string]any, error) {
		return stsCall(w.client(t, id, secret, token), "AssumeRole", "AK", q)
	}
	got, err := call("fake-ak", "fake-secret", "", map[string]string{"RoleArn": stsRole, "RoleSessionName": "deploy", "DurationSeconds": "1800"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := got["body"].(map[string]any)
	cr, _ := body["Credentials"].(map[string]any)
	id, secret, token := cr["AccessKeyId"].(string), cr["AccessKeySecret"].(string), cr["SecurityToken"].(string)
	if user, _ := body["AssumedRoleUser"].(map[string]any); user["Arn"] != "acs:ram::1234567890123456:assumed-role/wsdeploy-ci/deploy" {
		t.Errorf("AssumedRoleUser = %v", user)
	}
	if err := w.describeInstances(t, id, secret, token); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name, id, secret, token string
		q                       map[string]string
		code                    string
		status                  int
	}{
		{"untrusted key", "other-ak", "other-secret", "", map[string]string{"RoleArn": stsRole, "RoleSessionName": "x1"}, "NoPermission", 403},
		{"STS credentials", id, secret, token, map[string]string{"RoleArn": stsRole, "RoleSessionName": "x1"}, "NoPermission", 403},
		{"unknown role", "fake-ak", "fake-secret", "", map[string]string{"RoleArn": "acs:ram::1234567890123456:role/nope", "RoleSessionName": "x1"}, "EntityNotExist.Role", 404},
		{"no session name", "fake-ak", "fake-secret", "", map[string]string{"RoleArn": stsRole}, "MissingParameter", 400},
		{"long duration", "fake-ak", "fake-secret", "", map[string]string{"RoleArn": stsRole, "RoleSessionName": "x1", "DurationSeconds": strconv.Itoa(43201)}, "InvalidParameter.DurationSeconds", 400},
	} {
		_, err := call(tt.id, tt.secret, tt.token, tt.q)
		if err == nil {
			t.Errorf("%s: success", tt.name)
			continue
		}
		var se *tea.SDKError
		if !errors.As(err, &se) || tea.StringValue(se.Code) != tt.code || tea.IntValue(se.StatusCode) != tt.status {
			t.Errorf("%s: want %s/%d, got %v", tt.name, tt.code, tt.status, err)
		}
	}
}

func TestSTSSeedErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ yaml, want string }{
		{"oidcProviders: [{name: p, issuerUrl: https://x, clientIds: [a], publicKey: nope}]", "publicKey: not a PEM block"},
		{"oidcProviders: [{name: p, issuerUrl: https://x, clientIds: [a]}]", "exactly one of publicKey"},
		{"oidcProviders: [{name: p, issuerUrl: http://x, clientIds: [a], jwks: '{\"keys\":[]}'}]", "must be an https URL"},
		{"oidcProviders: [{name: p, issuerUrl: https://x, jwks: '{\"keys\":[]}'}]", "clientIds: at least one"},
		{"ramRoles: [{name: r, trust: {oidcProviders: [nope]}}]", `"nope" is not declared under oidcProviders`},
		{"ramRoles: [{name: r, trust: {accessKeys: [nope]}}]", `"nope" is not declared under accessKeys`},
		{"ramRoles: [{name: r, maxSessionDuration: 100}]", "maxSessionDuration 100"},
		{"accountId: '12'\nramRoles: [{name: r}]", "16-digit account ID"},
	} {
		_, err := ParseSeed([]byte("region: cn-hangzhou\naccessKeys: [{id: a, secret: b}]\n" + tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: want error containing %q, got %v", tt.yaml, tt.want, err)
		}
	}
}

// The demo world's provider accepts the committed demo token.
func TestDemoWorldOIDCToken(t *testing.T) {
	t.Parallel()
	data, err := readTestdata("oidc-token.jwt")
	if err != nil {
		t.Fatal(err)
	}
	w := &stsWorld{ts: NewTestServer(t, Options{}), clock: &testClock{now: time.Now()}}
	a := w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": string(data),
		"OIDCProviderArn": "acs:ram::1234567890123456:oidc-provider/github"})
	credsOf(t, a)
}

// readTestdata reads a file of the repository's testdata/fakecloud.
func readTestdata(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "..", "testdata", "fakecloud", name))
}

// TestSTSCredentialsWithV1Signature: the credentials STS issues work for a
// call signed the older way (SecurityToken parameter), only with their own
// token and only until they expire, as with ACS3.
func TestSTSCredentialsWithV1Signature(t *testing.T) {
	t.Parallel()
	w := newSTSWorld(t)
	key, _ := stsTestKeys(t)
	a := credsOf(t, w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": w.token(t, key, nil), "DurationSeconds": "900"}))
	b := credsOf(t, w.assumeRoleWithOIDC(t, map[string]string{"OIDCToken": w.token(t, key, nil), "RoleSessionName": "other"}))
	call := func(token string) (int, string) {
		r := v1Req{version: "2014-05-26", action: "DescribeInstances", query: map[string]string{"RegionId": "cn-hangzhou"},
			keyID: a.id, secret: a.secret}
		if token != "" {
			r.common = map[string]string{"SecurityToken": token}
		}
		status, body := r.send(t, w.ts)
		code, _ := body["Code"].(string)
		return status, code
	}
	if status, code := call(a.token); status != 200 {
		t.Fatalf("v1 call with STS credentials: %d %s", status, code)
	}
	for _, c := range []struct {
		token, code string
	}{{"", "MissingSecurityToken"}, {"CAISnot-one-we-issued", "InvalidSecurityToken.Malformed"}, {b.token, "InvalidSecurityToken.MismatchWithAccessKey"}} {
		if status, code := call(c.token); status != 400 || code != c.code {
			t.Errorf("token %.12q: got %d %s, want 400 %s", c.token, status, code, c.code)
		}
	}
	w.clock.Add(900 * time.Second)
	if status, code := call(a.token); status != 400 || code != "InvalidSecurityToken.Expired" {
		t.Errorf("after expiry: got %d %s, want 400 InvalidSecurityToken.Expired", status, code)
	}
	var assumed []string
	for _, c := range w.ts.Calls() {
		if c.Action == "DescribeInstances" {
			assumed = append(assumed, c.AssumedRole)
		}
	}
	if len(assumed) == 0 || assumed[0] == "" {
		t.Errorf("request log: the accepted v1 call names no assumed role: %q", assumed)
	}
}
