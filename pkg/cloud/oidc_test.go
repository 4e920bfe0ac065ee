package cloud

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// credentials-go's OIDC provider reports STS's answer as
// "get session token failed: <body>": the code is taken from it, nothing else.
func TestCredentialsGoSTSCode(t *testing.T) {
	body := `{"RequestId":"R","Code":"AuthenticationFail.OIDCToken.Expired","Message":"This JsonWebToken is expired."}`
	if got := credentialsGoSTSCode(errors.New("get session token failed: " + body)); got != "AuthenticationFail.OIDCToken.Expired" {
		t.Errorf("code = %q", got)
	}
	for _, msg := range []string{"dial tcp: lookup sts.aliyuncs.com: no such host", "get session token failed: <html>"} {
		if got := credentialsGoSTSCode(errors.New(msg)); got != "" {
			t.Errorf("%q: code = %q, want none", msg, got)
		}
	}
	// In the chain, that error becomes the OIDC class with its own hint.
	l := link{oidc: &OIDCFailure{RoleARN: "acs:ram::1:role/r", ProviderARN: "acs:ram::1:oidc-provider/p", TokenFile: "/tmp/t"}}
	f := l.oidcFailure(errors.New("get session token failed: " + body))
	if f == nil || f.Code != "AuthenticationFail.OIDCToken.Expired" || !strings.Contains(f.Hint(), "write a fresh OIDC token to /tmp/t") {
		t.Errorf("failure = %+v", f)
	}
	if (&link{}).oidcFailure(errors.New("x")) != nil {
		t.Error("a link that is not the OIDC role classified an error")
	}
}

// Each class of STS answer has its own hint, and none repeats the token or
// STS's message.
func TestOIDCFailureHints(t *testing.T) {
	const token = "eyJ.secret-token.sig"
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	var code string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("OIDCToken") != token || r.URL.Query().Get("Action") != "AssumeRoleWithOIDC" {
			t.Errorf("request: %v %v", r.URL, err)
		}
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"Code":"` + code + `","Message":"message ` + token + `"}`))
	}))
	defer srv.Close()
	for c, want := range map[string]string{
		"AuthenticationFail.OIDCToken.Expired":          "write a fresh OIDC token",
		"AuthenticationFail.OIDCToken.AudienceNotMatch": "audience=sts.aliyuncs.com",
		"AuthenticationFail.OIDCToken.IssuerNotMatch":   "names the RAM OIDC provider of your CI's issuer",
		"AuthenticationFail.OIDCToken.InvalidSignature": "names the RAM OIDC provider of your CI's issuer",
		"AuthenticationFail.OIDCToken.Invalid":          "no trailing newline",
		"AuthenticationFail.NoPermission":               "trust policy of acs:ram::1:role/r allows it",
		"EntityNotExist.Role":                           "no such RAM role",
		"Throttling.User":                               "check ALIBABA_CLOUD_ROLE_ARN",
	} {
		code = c
		p := newSTSOIDCProvider(srv.URL, "acs:ram::1:role/r", "acs:ram::1:oidc-provider/p", file)
		_, err := p.GetCredentials()
		var f *OIDCFailure
		if !errors.As(err, &f) || f.Code != c {
			t.Fatalf("%s: err = %v", c, err)
		}
		text := f.Error() + "\n" + f.Hint()
		if !strings.Contains(text, c) || !strings.Contains(f.Hint(), want) {
			t.Errorf("%s: lacks the code or %q:\n%s", c, want, text)
		}
		if strings.Contains(text, token) || strings.Contains(text, "message") {
			t.Errorf("%s: shows the token or STS's message:\n%s", c, text)
		}
	}
}
