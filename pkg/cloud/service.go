package cloud

import (
	"context"
	"fmt"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// Progress reports a wait: what the cloud says, and for how long it has said it.
type Progress func(status string, waited time.Duration)

// Notice, passed as waited, marks a status that is news rather than a wait
// going on (a create tried again): views show it at once, never thinned out.
const Notice time.Duration = -1

// Service is one product's SDK clients with the call discipline every adapter
// shares: a pool (SDK clients are not safe for concurrent use), errors
// classified once, a trace of every call, and retries per Config.Retry.
type Service[T any] struct {
	// Product names the API in errors and traces: alb, slb, alidns, ecs.
	Product string
	Config  Config
	Runtime *dara.RuntimeOptions
	pool    *Pool[T]
}

// NewService builds the SDK configuration for cfg and checks that mk accepts
// it (name is the product as users know it, for that error: "ALB").
func NewService[T any](cfg Config, product, name string, mk func(*openapiutil.Config) (T, error)) (*Service[T], error) {
	oc, err := cfg.OpenAPI()
	if err != nil {
		return nil, err
	}
	if _, err := mk(oc); err != nil {
		return nil, fmt.Errorf("create %s client: %w", name, err)
	}
	return &Service[T]{
		Product: product, Config: cfg, Runtime: &dara.RuntimeOptions{},
		pool: NewPool(func() (T, error) { return mk(oc) }),
	}, nil
}

// Call runs one API call, retrying retryable errors: for reads, and for
// writes that are safe to repeat (idempotent, or carrying a ClientToken).
func (s *Service[T]) Call(ctx context.Context, action string, write bool, fn func(ctx context.Context, sdk T) error) error {
	return s.Config.Retry.Do(ctx, func(ctx context.Context) error { return s.Once(ctx, action, write, fn) })
}

// Once runs one API call exactly once. A create without a ClientToken whose
// answer was lost must not be repeated blindly: see Retry.Create.
func (s *Service[T]) Once(ctx context.Context, action string, write bool, fn func(ctx context.Context, sdk T) error) error {
	start := time.Now()
	err := s.pool.Use(func(sdk T) error { return fn(ctx, sdk) })
	err = s.Config.Classify(s.Product, action, err)
	if s.Config.Trace != nil {
		s.Config.Trace(Call{Product: s.Product, Action: action, Write: write, Err: err, Millis: time.Since(start).Milliseconds()})
	}
	return err
}

// Pages reads a list that pages by NextToken: page reads the page at token
// (nil for the first) and returns its items and the next token; an empty or
// nil next token ends the list.
func Pages[T any](page func(token *string) (items []T, next *string, err error)) ([]T, error) {
	var out []T
	var token *string
	for {
		items, next, err := page(token)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if next == nil || *next == "" {
			return out, nil
		}
		token = next
	}
}
