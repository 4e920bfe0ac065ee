package cloud

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestRetryCreate: a create without a ClientToken is sent again only when
// the lookup finds nothing of an earlier attempt, and only after an error
// that leaves the outcome unknown.
func TestRetryCreate(t *testing.T) {
	busy := func() error { return Classify("slb", "Create", sdkErr("ServiceUnavailable", 503)) }
	exists := func() error { return Classify("slb", "Create", sdkErr("ListenerAlreadyExists", 400)) }
	denied := func() error { return Classify("slb", "Create", sdkErr("Forbidden.RAM", 403)) }
	tests := []struct {
		name        string
		fails       []func() error // the answers of successive creates; nil = success
		found       []bool         // the answers of successive lookups
		wantErr     string         // code of the returned error, "" = success
		wantCreates int
		wantLooks   int
	}{
		{name: "first try", fails: []func() error{nil}, wantCreates: 1},
		{name: "lost answer, found", fails: []func() error{busy}, found: []bool{true}, wantCreates: 1, wantLooks: 1},
		{name: "lost answer, not there: again", fails: []func() error{busy, nil}, found: []bool{false}, wantCreates: 2, wantLooks: 1},
		{name: "already exists, ours", fails: []func() error{exists}, found: []bool{true}, wantCreates: 1, wantLooks: 1},
		{name: "already exists, not ours: no retry", fails: []func() error{exists}, found: []bool{false}, wantErr: "ListenerAlreadyExists", wantCreates: 1, wantLooks: 1},
		{name: "refused: no lookup", fails: []func() error{denied}, wantErr: "Forbidden.RAM", wantCreates: 1},
		{name: "busy to the end", fails: []func() error{busy, busy, busy}, found: []bool{false, false, false}, wantErr: "ServiceUnavailable", wantCreates: 3, wantLooks: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creates, looks := 0, 0
			err := Retry{Attempts: 3, Base: time.Millisecond}.Create(context.Background(), func(context.Context) error {
				creates++
				if f := tt.fails[creates-1]; f != nil {
					return f()
				}
				return nil
			}, func(context.Context) (bool, error) {
				looks++
				return tt.found[looks-1], nil
			})
			switch {
			case tt.wantErr == "" && err != nil, tt.wantErr != "" && !HasCode(err, tt.wantErr):
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if creates != tt.wantCreates || looks != tt.wantLooks {
				t.Errorf("%d creates and %d lookups, want %d and %d", creates, looks, tt.wantCreates, tt.wantLooks)
			}
		})
	}
}

// TestRetryCreateStops: an ended context stops the retries, and the error
// says so as well as what failed.
func TestRetryCreateStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	creates := 0
	err := Retry{Attempts: 8, Base: time.Hour}.Create(ctx, func(context.Context) error {
		creates++
		cancel()
		return Classify("alidns", "AddDomainRecord", sdkErr("ServiceUnavailable", 503))
	}, func(context.Context) (bool, error) { return false, nil })
	if creates != 1 || !errors.Is(err, context.Canceled) || !HasCode(err, "ServiceUnavailable") {
		t.Fatalf("after %d creates: %v", creates, err)
	}
}
