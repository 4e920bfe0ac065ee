package chat

import (
	"strings"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tests := []struct {
		name        string
		rate        float64
		burst       int
		times       []int // ms since t0
		wantAllowed []bool
	}{
		{"burst then refused", 1, 2, []int{0, 0, 0}, []bool{true, true, false}},
		{"refills at the rate", 10, 1, []int{0, 50, 100, 150, 200}, []bool{true, false, true, false, true}},
		{"saves up to burst only", 10, 2, []int{0, 0, 10000, 10000, 10000}, []bool{true, true, true, true, false}},
		{"unlimited", -1, 0, []int{0, 0, 0, 0}, []bool{true, true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBucket(tt.rate, tt.burst)
			for i, ms := range tt.times {
				if got := b.allow(at(ms)); got != tt.wantAllowed[i] {
					t.Fatalf("frame %d at %dms: allowed=%v, want %v", i, ms, got, tt.wantAllowed[i])
				}
			}
		})
	}
}

func TestNewRedisBusHidesThePassword(t *testing.T) {
	tests := []struct{ name, url string }{
		{"bad port", "redis://:s3cret-pw@10.0.0.13:notaport/0"},
		{"bad scheme", "http://:s3cret-pw@10.0.0.13:6379/0"},
		{"bad db", "redis://user:s3cret-pw@10.0.0.13:6379/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRedisBus(RedisOptions{URL: tt.url})
			if err == nil {
				t.Fatal("NewRedisBus accepted a bad URL")
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Fatalf("the error shows the password: %v", err)
			}
		})
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	page := []byte("<style>a{}</style><script>x()</script><script>y()</script>")
	csp := contentSecurityPolicy(page)
	// sha256 of "x()", "y()" and "a{}" (computed with openssl dgst -sha256 -binary | base64).
	for _, want := range []string{
		"script-src 'sha256-D6IGS8VMvCoyaR/l0h9tERrBTATY01CoPS7l6xDv0kI=' 'sha256-nwG+cZ8J4yZ7RZ4RWxVDwCwkMn9GJelY2VgKXNi2Uvk='",
		"style-src 'sha256-X1RutGBrXCt9KkSaXMK7tHftWiRscFHOhxsS8tv8hBk='",
		"default-src 'none'",
	} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
}
