package render

import (
	"fmt"
	"io"
	"time"
)

// The lines `wsdeploy fakecloud` prints when it starts: the address on
// stdout (scripts read it), the rest on stderr.

// FakecloudListening is the first line of `wsdeploy fakecloud`'s stdout.
func FakecloudListening(w io.Writer, addr string) {
	fmt.Fprintf(w, "fakecloud listening on http://%s\n", addr)
}

// FakecloudEnv prints the environment that points wsdeploy at the fake;
// secret is the key's secret, or where to find it.
func FakecloudEnv(w io.Writer, addr, keyID, secret string) {
	fmt.Fprintf(w, "Point wsdeploy at it with:\n  export WSDEPLOY_ENDPOINT=http://%s ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", addr, keyID, secret)
}

// FakecloudExposed warns that the fake listens beyond loopback.
func FakecloudExposed(w io.Writer, addr string) {
	fmt.Fprintf(w, "Warning: listening on %s, not loopback only: anyone who can reach this port can call the API with the seed's access keys "+
		"(the built-in world's are public). The control endpoints under /_fake/ answer only requests addressed to localhost. "+
		"Use --addr 127.0.0.1:PORT unless other machines must reach the fake.\n", addr)
}

// FakecloudFaults says which fault rules are loaded.
func FakecloudFaults(w io.Writer, rules int, file string, seed int64, addr string) {
	fmt.Fprintf(w, "Fault injection: %d rule(s) from %s, seed %d (see GET http://%s/_fake/faults)\n", rules, file, seed, addr)
}

// FakecloudLatency says what delay every call gets.
// An async of 0 (the realistic profile, which draws its own) is left out.
func FakecloudLatency(w io.Writer, latency, jitter, async time.Duration) {
	if async == 0 {
		fmt.Fprintf(w, "Latency: %s + up to %s per call\n", latency, jitter)
		return
	}
	fmt.Fprintf(w, "Latency: %s + up to %s per call, async work %s\n", latency, jitter, async)
}

// FakecloudProfile says that the fake runs the realistic profile, at which
// time scale and seed.
func FakecloudProfile(w io.Writer, profile string, scale float64, seed int64) {
	fmt.Fprintf(w, "Profile: %s (durations x%g, seed %d): async work of seconds, failing ALB jobs, health checks, read-after-write delays, throttling\n", profile, scale, seed)
}
