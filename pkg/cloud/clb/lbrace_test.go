package clb_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
)

// interposer stands between one client and the fake cloud. The first call
// of action goes through around, which forwards it when it calls forward
// (once) and may do other work before and after; the client gets the
// answer when around returns. Every other call is forwarded as is. It is how
// a test puts another run's calls at an exact point of this run's, by
// events rather than timing.
type interposer struct {
	action string
	around func(forward func())
	once   sync.Once
	proxy  *httputil.ReverseProxy
}

// interpose returns a Config like cfg whose calls go through an interposer
// to cfg's endpoint.
func interpose(t *testing.T, cfg cloud.Config, action string, around func(forward func())) cloud.Config {
	t.Helper()
	target, err := url.Parse(cfg.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(&interposer{action: action, around: around, proxy: httputil.NewSingleHostReverseProxy(target)})
	t.Cleanup(hs.Close)
	cfg.Endpoint = hs.URL
	return cfg
}

func (p *interposer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	first := false
	if r.Header.Get("x-acs-action") == p.action || r.URL.Query().Get("Action") == p.action || form.Get("Action") == p.action {
		p.once.Do(func() { first = true })
	}
	if !first {
		p.proxy.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	p.around(func() { p.proxy.ServeHTTP(rec, r) })
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// TestCreateLBLostAnswerWhileAnotherRunCreates: this run's create answer is
// lost after the cloud made the instance (CommitThenFail, 503), while
// another run of the stack creates one too. Its look-up then lists two new
// instances of the stack and cannot tell which one is its own:
//   - "other first": the other run creates (list, create, race check, wait)
//     before this run's create reaches the cloud. Taking the lowest ID for
//     this run's (the other run's) left this run's own, later instance
//     behind: owned by the stack's tag, used by no run, billed.
//   - "ours first": the other run lists before this run's create commits
//     and creates right after it, before this run's look-up; it then
//     deletes its own, later instance while this run goes on.
//
// Either way the stack must end with one CLB, the one both runs go on with.
func TestCreateLBLostAnswerWhileAnotherRunCreates(t *testing.T) {
	for _, otherFirst := range []bool{true, false} {
		name := "ours first"
		if otherFirst {
			name = "other first"
		}
		t.Run(name, func(t *testing.T) {
			fc, cfg := cloudtest.Fake(t, fakecloud.Options{Seed: createSeed()})
			ctx := context.Background()
			var theirs string
			var theirErr error
			otherDone := make(chan struct{})
			runOther := func(cfg cloud.Config) {
				defer close(otherDone)
				other, err := clb.New(cfg)
				if err != nil {
					theirErr = err
					return
				}
				lb, err := other.Executor().CreateLB(ctx, clbSpec("chat"), "", nil)
				theirs, theirErr = lb.ID, err
			}
			// This run's create is lost after it committed: the second
			// create to reach the cloud when the other run's comes first.
			rule := fakecloud.Fault{Name: "lost", Product: "slb", Action: "CreateLoadBalancer", CommitThenFail: true, Code: "ServiceUnavailable", HTTPStatus: 503, Times: 1}
			var around func(forward func())
			if otherFirst {
				rule.After = 1
				around = func(forward func()) {
					runOther(cfg)
					forward()
				}
			} else {
				otherAtCreate, oursCommitted, otherCreated := make(chan struct{}), make(chan struct{}), make(chan struct{})
				otherCfg := interpose(t, cfg, "CreateLoadBalancer", func(forward func()) {
					close(otherAtCreate)
					<-oursCommitted
					forward()
					close(otherCreated)
				})
				around = func(forward func()) {
					go runOther(otherCfg)
					select {
					case <-otherAtCreate:
					case <-otherDone:
						return // the other run failed before its create: reported below
					}
					forward()
					close(oursCommitted)
					<-otherCreated
				}
			}
			if err := fc.AddFaults(rule); err != nil {
				t.Fatal(err)
			}
			met := make(chan struct{})
			mine, err := clb.New(interpose(t, cfg, "CreateLoadBalancer", func(forward func()) {
				close(met)
				around(forward)
			}))
			if err != nil {
				t.Fatal(err)
			}
			lb, err := mine.Executor().CreateLB(ctx, clbSpec("chat"), "", nil)
			select {
			case <-met:
				<-otherDone
			default:
				t.Fatalf("this run ended (%v) without meeting the other run: its create never went through the interposer", err)
			}
			if err != nil {
				t.Fatalf("this run: %v", err)
			}
			if theirErr != nil {
				t.Fatalf("the other run: %v", theirErr)
			}
			var lost, answered int
			for _, c := range fc.Calls() {
				switch {
				case c.Action != "CreateLoadBalancer":
				case c.Committed:
					lost++
				case c.Status == 200:
					answered++
				}
			}
			if lost != 1 || answered != 1 {
				t.Fatalf("%d creates lost after committing and %d answered, want 1 and 1: the runs did not meet as the test means", lost, answered)
			}
			var ids []string
			for _, l := range created(fc, "chat") {
				ids = append(ids, l.ID)
			}
			if len(ids) != 1 || lb.ID != ids[0] || theirs != ids[0] {
				t.Fatalf("the stack's CLBs: %v; this run went on with %s, the other with %s: want one, used by both", ids, lb.ID, theirs)
			}
		})
	}
}
