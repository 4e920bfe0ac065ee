package apply

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// existsCodes say "what you are creating is already there": after a create
// whose answer was lost, the retry meets the first attempt's result.
var existsCodes = []string{"ListenerAlreadyExists", "DomainRecordDuplicate", "InvalidParameter"}

// createOnce runs a create that has no idempotency token (CLB, Alidns) and so
// must never be repeated blindly. When an attempt fails in a way that leaves
// its outcome unknown (throttled, busy, 5xx, a lost answer) or says the thing
// already exists, it looks for the result of earlier attempts with found, and
// tries again only when there is none. This is what keeps a lost response
// from becoming a duplicate.
func createOnce(ctx context.Context, create func(context.Context) error, found func(context.Context) (bool, error)) error {
	const attempts = 8
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := create(ctx)
		if err == nil {
			return nil
		}
		if !cloud.IsRetryable(err) && !cloud.HasCode(err, existsCodes...) {
			return err
		}
		ok, ferr := found(ctx)
		if ferr == nil && ok {
			return nil
		}
		if !cloud.IsRetryable(err) || attempt >= attempts {
			return err
		}
		d := delay/2 + time.Duration(rand.Int64N(int64(delay/2)+1))
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(delay*2, 5*time.Second)
	}
}
