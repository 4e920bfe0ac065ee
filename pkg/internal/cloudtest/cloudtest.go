// Package cloudtest starts the fake cloud for adapter tests: the adapters
// are tested through the real SDKs over HTTP, and the tests read what
// happened in the fake's own state and request log.
package cloudtest

import (
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// Fake starts a fake cloud with the demo world (unless opts.Seed says
// otherwise) and returns it with the Config that reaches it with the demo
// world's key. Retries start after a millisecond, so tests of recovery stay fast.
func Fake(t testing.TB, opts fakecloud.Options) (*fakecloud.TestServer, cloud.Config) {
	t.Helper()
	fc := fakecloud.NewTestServer(t, opts)
	cred, err := cloud.StaticCredential("fake-ak", "fake-secret")
	if err != nil {
		t.Fatal(err)
	}
	return fc, cloud.Config{Region: "cn-hangzhou", Endpoint: fc.URL(), Credential: cred, Retry: cloud.Retry{Base: time.Millisecond}}
}

// Count is how many calls of action the fake's request log holds.
func Count(fc *fakecloud.TestServer, action string) int {
	n := 0
	for _, c := range fc.Calls() {
		if c.Action == action {
			n++
		}
	}
	return n
}

// Client starts a fake cloud as Fake does and builds an adapter's client
// for it with newClient (alb.New, clb.New, dns.New, ecs.New).
func Client[C any](t testing.TB, opts fakecloud.Options, newClient func(cloud.Config) (C, error)) (C, *fakecloud.TestServer) {
	t.Helper()
	fc, cfg := Fake(t, opts)
	c, err := newClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, fc
}
