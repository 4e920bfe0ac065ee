package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// switchProxy is one endpoint URL in front of whichever fake cloud it
// points at now: the same --endpoint, another account behind it.
func switchProxy(t *testing.T, first *fakecloud.TestServer) (*httptest.Server, *atomic.Pointer[url.URL]) {
	t.Helper()
	var target atomic.Pointer[url.URL]
	u, err := url.Parse(first.URL())
	if err != nil {
		t.Fatal(err)
	}
	target.Store(u)
	// Director keeps the request's Host header: the signature covers it.
	proxy := &httputil.ReverseProxy{Director: func(r *http.Request) {
		to := target.Load()
		r.URL.Scheme, r.URL.Host = to.Scheme, to.Host
	}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv, &target
}

// A saved plan records the account it was made in (STS GetCallerIdentity)
// and is refused, before any other call and with no write, when this run's
// credentials act in another account, even at the same endpoint; in the
// account it was made in, it applies.
func TestSavedPlanRefusedInAnotherAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mine := e.fc
	otherSeed := fakecloud.DemoSeed()
	otherSeed.AccountID = "5555666677778888"
	other := fakecloud.NewTestServer(t, fakecloud.Options{Seed: otherSeed})
	proxy, target := switchProxy(t, mine)

	if r := e.runRaw("plan", "--out", e.savedPlan(), "--endpoint", proxy.URL, "-f", e.cfg); r.code != 0 {
		t.Fatalf("plan --out: exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(e.savedPlan())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Account string }
	if err := json.Unmarshal(data, &doc); err != nil || doc.Account != fakecloud.DefaultAccountID {
		t.Fatalf("saved plan records account %q (%v), want %s", doc.Account, err, fakecloud.DefaultAccountID)
	}

	u, _ := url.Parse(other.URL())
	target.Store(u)
	other.ResetCalls()
	r := e.runRaw("up", e.savedPlan(), "--yes", "--endpoint", proxy.URL)
	var actions []string
	for _, c := range other.Calls() {
		actions = append(actions, c.Action)
		if c.Write {
			t.Errorf("a plan of another account wrote %s %s", c.Product, c.Action)
		}
	}
	if r.code != 1 || strings.Join(actions, " ") != "GetCallerIdentity" || len(r.calls) != 0 {
		t.Fatalf("up FILE in another account: exit %d, calls there %v, %d calls in the plan's account\n%s", r.code, actions, len(r.calls), r.stderr)
	}
	for _, w := range []string{
		"was made in account " + fakecloud.DefaultAccountID + ", and this run's credentials (acs:ram::5555666677778888:root) act in account 5555666677778888; nothing was changed",
		"To fix: apply it with credentials of account " + fakecloud.DefaultAccountID,
	} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q\n%s", w, r.stderr)
		}
	}

	// Back in its own account, the same plan applies.
	target.Store(mustURL(t, mine.URL()))
	if r := e.runRaw("up", e.savedPlan(), "--yes", "--endpoint", proxy.URL); r.code != 0 || len(r.okWrites()) == 0 {
		t.Fatalf("up FILE in its own account: exit %d, writes %v\n%s", r.code, r.okWrites(), r.stderr)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
