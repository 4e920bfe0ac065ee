package cli_test

// The README's CI example, end to end: an OIDC token (and nothing else) →
// STS credentials from the fake's AssumeRoleWithOIDC → every call signed with
// them. What happened is read from the fake (Calls, Snapshot).

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"gopkg.in/yaml.v3"
)

const ciMarker = "### In CI, without long-lived keys (OIDC)"

var oidcVars = []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_ROLE_ARN"}

// ciExample is what the README's GitHub Actions example sets and runs.
type ciExample struct {
	env      map[string]string // the workflow's env
	audience string            // the audience the token is requested for
	commands [][]string        // the wsdeploy command lines, in order
}

func readCIExample(t *testing.T) ciExample {
	t.Helper()
	block := readmeBlock(t, ciMarker, "yaml")
	var wf struct {
		Env map[string]string `yaml:"env"`
	}
	if err := yaml.Unmarshal([]byte(block), &wf); err != nil {
		t.Fatalf("the README's CI example is not YAML: %v", err)
	}
	ex := ciExample{env: wf.Env}
	m := regexp.MustCompile(`&audience=([^"&\s]+)"`).FindAllStringSubmatch(block, -1)
	if len(m) == 0 {
		t.Fatal("the README's CI example requests no token audience")
	}
	ex.audience = m[0][1]
	for _, c := range regexp.MustCompile(`(?m)^\s*(?:- )?run: go run \./cmd/wsdeploy (.+?)(?: > \S+)?$`).FindAllStringSubmatch(block, -1) {
		ex.commands = append(ex.commands, strings.Fields(c[1]))
	}
	return ex
}

var (
	oidcKeyOnce sync.Once
	oidcKey     *rsa.PrivateKey
)

// oidcEnv is a fake cloud whose OIDC provider "github" (the demo world's,
// the README's) checks tokens with a key of the test's, and a sandbox
// with no access keys anywhere: only the README's three OIDC variables.
func oidcEnv(t *testing.T, ex ciExample) (*env, *rsa.PrivateKey) {
	t.Helper()
	oidcKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		oidcKey = k
	})
	seed := fakecloud.DemoSeed()
	for i := range seed.OIDCProviders {
		seed.OIDCProviders[i].PublicKey = fakecloud.PublicKeyPEM(oidcKey)
	}
	e := newEnvSeed(t, seed)
	e.workDir = e.dir
	noCredentialsEnv(t, &e.sandbox)
	for k, v := range ex.env {
		e.setenv(k, v)
	}
	e.setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", filepath.Join(e.dir, "oidc-token"))
	e.setenv("WSDEPLOY_ENDPOINT", e.fc.URL())
	return e, oidcKey
}

// writeToken writes the token a CI job would get: the GitHub Actions issuer
// (the demo world's provider), aud, exp.
func writeToken(t *testing.T, e *env, key *rsa.PrivateKey, aud string, exp time.Time) string {
	t.Helper()
	tok, err := fakecloud.SignOIDCToken(key, "", map[string]any{
		"iss": "https://token.actions.githubusercontent.com", "sub": "repo:example/app:pull_request",
		"aud": aud, "iat": time.Now().Add(-time.Minute).Unix(), "exp": exp.Unix(),
	})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, e.getenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE"), tok)
	return tok
}

// runIn runs wsdeploy with exactly args in the sandbox (no flags added: the
// endpoint comes from WSDEPLOY_ENDPOINT, the stack from the working directory).
func (e *env) runIn(args ...string) result {
	e.t.Helper()
	e.fc.ResetCalls()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := e.runCLI(ctx, args, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{Version: "test"})
	return result{stdout: out.String(), stderr: errb.String(), code: code, calls: e.fc.Calls()}
}

// checkSTSSigned checks that r's calls began with one AssumeRoleWithOIDC and
// that every other call was signed with the credentials it issued.
func checkSTSSigned(t *testing.T, r result, roleARN string) {
	t.Helper()
	if len(r.calls) < 2 || r.calls[0].Product != "sts" || r.calls[0].Action != "AssumeRoleWithOIDC" || r.calls[0].Status != 200 {
		t.Fatalf("the first call is not a successful AssumeRoleWithOIDC: %+v", r.calls[:min(1, len(r.calls))])
	}
	account, role, _ := strings.Cut(strings.TrimPrefix(roleARN, "acs:ram::"), ":role/")
	want := "acs:ram::" + account + ":assumed-role/" + role + "/"
	for _, c := range r.calls[1:] {
		// GetCallerIdentity (saved plans record the account) is signed like every other call.
		if (c.Product == "sts" && c.Action != "GetCallerIdentity") || !strings.HasPrefix(c.AssumedRole, want) {
			t.Errorf("%s %s was not signed with the assumed role's STS credentials (assumedRole %q)", c.Product, c.Action, c.AssumedRole)
		}
	}
}

// TestOIDCCIExample runs the README's CI example against the fake: its
// environment (the three OIDC variables, no access key), a token requested
// for its audience, and its wsdeploy commands, in order (plan --out, then up
// of that plan).
func TestOIDCCIExample(t *testing.T) {
	t.Parallel()
	ex := readCIExample(t)
	keys := make([]string, 0, len(ex.env))
	for k := range ex.env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, " ") != strings.Join(oidcVars, " ") {
		t.Fatalf("the README's CI example sets %v, want exactly %v", keys, oidcVars)
	}
	if len(ex.commands) < 2 || ex.commands[0][0] != "plan" || ex.commands[len(ex.commands)-1][0] != "up" {
		t.Fatalf("the README's CI example runs %v, want plan ... up", ex.commands)
	}
	e, key := oidcEnv(t, ex)
	tok := writeToken(t, e, key, ex.audience, time.Now().Add(5*time.Minute))

	writes := 0
	for _, args := range ex.commands {
		r := e.runIn(args...)
		if r.code != 0 {
			t.Fatalf("wsdeploy %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, tok) {
			t.Fatalf("wsdeploy %s printed the OIDC token", strings.Join(args, " "))
		}
		checkSTSSigned(t, r, ex.env["ALIBABA_CLOUD_ROLE_ARN"])
		writes += len(r.okWrites())
	}
	if writes == 0 {
		t.Fatal("nothing was written")
	}
	// The resources exist, in the fake's own world.
	st := e.fc.Snapshot()
	if len(st.ALB.ServerGroups) != 1 || len(st.ALB.Listeners) != 2 {
		t.Errorf("ALB: %d server groups, %d listeners; want 1 and 2", len(st.ALB.ServerGroups), len(st.ALB.Listeners))
	}
	var records int
	for _, z := range st.DNS.Domains {
		records += len(z.Records)
	}
	if records != 1 {
		t.Errorf("DNS records: %d, want 1", records)
	}
	if n := len(st.STS.Credentials); n != len(ex.commands) {
		t.Errorf("STS issued %d credentials, want one per run (%d)", n, len(ex.commands))
	}
}

// TestOIDCTokenRefused: an expired token and a token for another audience
// are refused by STS; wsdeploy says which, with the fix for that class, and
// calls nothing but STS.
func TestOIDCTokenRefused(t *testing.T) {
	t.Parallel()
	ex := readCIExample(t)
	tests := []struct {
		name string
		aud  string
		exp  time.Duration
		want []string
	}{
		{"expired", ex.audience, -time.Minute, []string{
			"Error: could not assume the OIDC role (ALIBABA_CLOUD_ROLE_ARN), and found no other Alibaba Cloud credentials; looked at:",
			"OIDC role (ALIBABA_CLOUD_ROLE_ARN): STS refused the OIDC token in ", "(AuthenticationFail.OIDCToken.Expired): the token has expired",
			"To fix: write a fresh OIDC token to ", "right before wsdeploy runs",
		}},
		{"wrong audience", "https://github.com/example", 5 * time.Minute, []string{
			"(AuthenticationFail.OIDCToken.AudienceNotMatch): the token's audience (aud) is not one of the OIDC provider's client IDs",
			"To fix: request the OIDC token for an audience the OIDC provider " + ex.env["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"] + " lists as a client ID, such as sts.aliyuncs.com",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, key := oidcEnv(t, ex)
			e.write(stackYAML)
			tok := writeToken(t, e, key, tt.aud, time.Now().Add(tt.exp))
			r := e.runIn("up", "--yes")
			if r.code == 0 {
				t.Fatalf("up succeeded:\n%s", r.stdout)
			}
			at := 0
			for _, w := range tt.want {
				i := strings.Index(r.stderr[at:], w)
				if i < 0 {
					t.Fatalf("stderr lacks %q (after what came before):\n%s", w, r.stderr)
				}
				at += i + len(w)
			}
			if strings.Contains(r.stdout+r.stderr, tok) {
				t.Error("the OIDC token was printed")
			}
			if len(r.calls) != 1 || r.calls[0].Action != "AssumeRoleWithOIDC" || r.calls[0].Status != 401 {
				t.Errorf("calls = %+v, want only the refused AssumeRoleWithOIDC", r.calls)
			}
			if w := r.writes(); len(w) != 0 {
				t.Errorf("writes: %v", w)
			}
		})
	}
}

// TestOIDCRehearsalExample runs the README's rehearsal of the CI example as
// written: the committed seed file, the committed demo token, its exports
// (WSDEPLOY_ENDPOINT pointing at this test's fake) and its commands.
func TestOIDCRehearsalExample(t *testing.T) {
	t.Parallel()
	block := readmeBlock(t, "To rehearse a pipeline without an account", "sh")
	ex := readCIExample(t)
	seedPath := regexp.MustCompile(`fakecloud --seed (\S+)`).FindStringSubmatch(block)
	if seedPath == nil {
		t.Fatal("the rehearsal starts no fakecloud --seed")
	}
	seed, err := fakecloud.LoadSeed(filepath.Join("..", "..", seedPath[1]))
	if err != nil {
		t.Fatal(err)
	}
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: seed, AsyncDuration: 30 * time.Millisecond})
	e := &env{t: t, fc: fc, dir: t.TempDir()}
	e.workDir = e.dir
	noCredentialsEnv(t, &e.sandbox)
	exports := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export (\w+)=(\S+)$`).FindAllStringSubmatch(block, -1) {
		exports[m[1]] = m[2]
	}
	for _, k := range oidcVars {
		if k != "ALIBABA_CLOUD_OIDC_TOKEN_FILE" && exports[k] != ex.env[k] {
			t.Errorf("the rehearsal sets %s=%q, the CI example %q", k, exports[k], ex.env[k])
		}
	}
	for k, v := range exports {
		switch k {
		case "WSDEPLOY_ENDPOINT":
			v = fc.URL()
		case "ALIBABA_CLOUD_OIDC_TOKEN_FILE":
			v = filepath.Join("..", "..", v)
			if _, err := os.Stat(v); err != nil {
				t.Fatal(err)
			}
			v, _ = filepath.Abs(v)
		}
		e.setenv(k, v)
	}
	var ran int
	for _, m := range regexp.MustCompile(`(?m)^go run \./cmd/wsdeploy (.+)$`).FindAllStringSubmatch(block, -1) {
		args := strings.Fields(m[1])
		if args[0] == "fakecloud" {
			continue
		}
		r := e.runIn(args...)
		if r.code != 0 {
			t.Fatalf("wsdeploy %s: exit %d\n%s", m[1], r.code, r.stderr)
		}
		if args[0] != "init" {
			checkSTSSigned(t, r, exports["ALIBABA_CLOUD_ROLE_ARN"])
		}
		ran++
	}
	if ran != 3 {
		t.Errorf("ran %d wsdeploy commands, want init, plan and up", ran)
	}
	if st := fc.Snapshot(); len(st.ALB.ServerGroups) != 1 || len(st.ALB.Listeners) == 0 {
		t.Errorf("after up: %d server groups, %d listeners", len(st.ALB.ServerGroups), len(st.ALB.Listeners))
	}
}
