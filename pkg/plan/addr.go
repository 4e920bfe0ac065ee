package plan

import (
	"fmt"
	"strings"
)

// Addr is the address of an action: what it does (Op) to which resource
// (Kind and Key, with ID when the key alone does not tell resources apart),
// and on which load balancer when it is not the plan's (LB). Its text form
// is the action's ID in plans, progress events, errors and saved plans:
//
//	op:kind/key[/id][@lb]   e.g. "create:listener/HTTP:5000",
//	                             "delete:dns-record/chat.example.com/100",
//	                             "delete:server-group/rsp-1@lb-fake01"
type Addr struct {
	Op   Op
	Kind string
	// Key names the resource: a server group's name (its ID when deleting
	// one of several), a listener's "HTTP:5000", a record's FQDN, a tag's key.
	Key string
	// ID is a DNS record's ID when several records share the FQDN.
	ID string
	// LB is the load balancer the action runs on when it is not the plan's.
	LB string
}

// String is the address as plans print it.
func (a Addr) String() string {
	var b strings.Builder
	b.WriteString(string(a.Op))
	b.WriteByte(':')
	b.WriteString(a.Kind)
	b.WriteByte('/')
	b.WriteString(a.Key)
	if a.ID != "" {
		b.WriteByte('/')
		b.WriteString(a.ID)
	}
	if a.LB != "" {
		b.WriteByte('@')
		b.WriteString(a.LB)
	}
	return b.String()
}

// MarshalText writes the address in its text form (JSON plans hold strings).
func (a Addr) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads an address written by MarshalText.
func (a *Addr) UnmarshalText(text []byte) error {
	x, err := ParseAddr(string(text))
	if err != nil {
		return err
	}
	*a = x
	return nil
}

// ParseAddr reads the text form of an address. Keys never hold "/" or "@"
// (names, FQDNs, "HTTP:5000", tag keys), so the form reads back unambiguously.
func ParseAddr(s string) (Addr, error) {
	bad := func(why string) (Addr, error) {
		return Addr{}, fmt.Errorf("action address %q: %s (want op:kind/key[/id][@lb])", s, why)
	}
	op, rest, ok := strings.Cut(s, ":")
	if !ok {
		return bad("no op")
	}
	var a Addr
	switch a.Op = Op(op); a.Op {
	case Create, Update, Delete:
	default:
		return bad(fmt.Sprintf("op %q is not create, update or delete", op))
	}
	if a.Kind, rest, ok = strings.Cut(rest, "/"); !ok || a.Kind == "" {
		return bad("no kind")
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest, a.LB = rest[:i], rest[i+1:]
		if a.LB == "" {
			return bad("empty load balancer after @")
		}
	}
	a.Key, a.ID, _ = strings.Cut(rest, "/")
	if a.Key == "" {
		return bad("no key")
	}
	return a, nil
}
