package fakecloud

import (
	"net/http/httptest"
	"testing"
)

// TestServer is a Server listening on a random localhost port for one test.
type TestServer struct {
	*Server
	hs *httptest.Server
}

// NewTestServer starts a fake cloud on 127.0.0.1:0 and closes it in
// tb.Cleanup. A nil opts.Seed means DemoSeed(); a nil opts.Logf logs via tb.Logf.
func NewTestServer(tb testing.TB, opts Options) *TestServer {
	tb.Helper()
	if opts.Seed == nil {
		opts.Seed = DemoSeed()
	}
	if opts.Logf == nil {
		opts.Logf = tb.Logf
	}
	s, err := New(opts)
	if err != nil {
		tb.Fatalf("fakecloud.NewTestServer: %v", err)
	}
	ts := &TestServer{Server: s, hs: httptest.NewServer(s)}
	stopDataPlane := func() {}
	if opts.DataPlane {
		stopDataPlane = s.startDataPlane()
	}
	tb.Cleanup(func() {
		s.stopDelays() // a delayed call must not hold up Close
		stopDataPlane()
		ts.hs.Close()
	})
	return ts
}

// Endpoint is the host:port to put in the SDK's Config.Endpoint.
func (ts *TestServer) Endpoint() string { return ts.hs.Listener.Addr().String() }

// URL is the server's base URL, http://127.0.0.1:PORT.
func (ts *TestServer) URL() string { return ts.hs.URL }
