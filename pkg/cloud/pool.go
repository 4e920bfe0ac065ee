package cloud

import "sync"

// Pool hands out SDK clients one caller at a time. The SDK clients are not
// safe for concurrent use (each call writes client fields), while wsdeploy
// runs independent reads in parallel; a pool gives every concurrent call its
// own client without building one per call.
type Pool[T any] struct {
	mu   sync.Mutex
	free []T
	make func() (T, error)
}

// NewPool returns a pool that builds clients with mk.
func NewPool[T any](mk func() (T, error)) *Pool[T] { return &Pool[T]{make: mk} }

// Use runs fn with a client nobody else is using.
func (p *Pool[T]) Use(fn func(T) error) error {
	p.mu.Lock()
	var c T
	if n := len(p.free); n > 0 {
		c = p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
	} else {
		p.mu.Unlock()
		var err error
		if c, err = p.make(); err != nil {
			return err
		}
	}
	defer func() {
		p.mu.Lock()
		p.free = append(p.free, c)
		p.mu.Unlock()
	}()
	return fn(c)
}
