// Package dnstest serves DNS answers from a table, over UDP on a loopback
// port, for tests of code that resolves names through a real resolver
// (net.Resolver with PreferGo and a Dial to Server.Addr).
//
// It answers the way a recursive resolver does, as far as A and CNAME go: a
// query for a name that is an alias gets the CNAME chain followed by the
// final name's records of the type asked for (A or AAAA), and a CNAME query
// gets the alias alone. A name the table lacks is NXDOMAIN. Nothing else (no
// TCP, no compression in queries, no other record types) is supported.
package dnstest

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

// DNS constants (RFC 1035).
const (
	typeA     = 1
	typeCNAME = 5
	typeAAAA  = 28
	classIN   = 1

	rcodeNXDomain = 3

	// maxChain stops a CNAME loop in the table.
	maxChain = 16
)

// Server answers DNS queries from its table until the test ends.
type Server struct {
	// Addr is where it listens: 127.0.0.1:port.
	Addr string

	conn net.PacketConn
	wg   sync.WaitGroup

	mu      sync.Mutex
	aliases map[string]string
	addrs   map[string][]netip.Addr
	queries int
}

// Start serves an empty table on a free loopback UDP port; it stops when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: conn.LocalAddr().String(), conn: conn, aliases: map[string]string{}, addrs: map[string][]netip.Addr{}}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		conn.Close()
		s.wg.Wait()
	})
	return s
}

// CNAME makes name an alias of target (replacing its records).
func (s *Server) CNAME(name, target string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.addrs, key(name))
	s.aliases[key(name)] = key(target)
}

// A gives name these addresses (IPv4 for A queries, IPv6 for AAAA queries),
// replacing its records. It panics on an address that does not parse.
func (s *Server) A(name string, addrs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.aliases, key(name))
	s.addrs[key(name)] = nil
	for _, a := range addrs {
		s.addrs[key(name)] = append(s.addrs[key(name)], netip.MustParseAddr(a))
	}
}

// Queries is how many queries the server has answered.
func (s *Server) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

// Unreachable returns a loopback UDP address where nothing listens: a query
// sent there is refused.
func Unreachable(t testing.TB) string {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := conn.LocalAddr().String()
	conn.Close()
	return addr
}

func key(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

func (s *Server) serve() {
	defer s.wg.Done()
	buf := make([]byte, 1500)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return // closed
		}
		resp, err := s.answer(buf[:n])
		if err != nil {
			continue // not a query this server understands: no answer, as a real server might
		}
		_, _ = s.conn.WriteTo(resp, from)
	}
}

// question is the one question of a query.
type question struct {
	raw   []byte // name, type and class as the query wrote them
	name  string
	qtype uint16
}

func parseQuery(q []byte) (question, error) {
	if len(q) < 12 || q[2]&0x80 != 0 || binary.BigEndian.Uint16(q[4:6]) != 1 {
		return question{}, errors.New("not a query with one question")
	}
	var labels []string
	i := 12
	for {
		if i >= len(q) {
			return question{}, errors.New("truncated name")
		}
		l := int(q[i])
		if l == 0 {
			i++
			break
		}
		if l > 63 || i+1+l > len(q) {
			return question{}, errors.New("bad label")
		}
		labels = append(labels, string(q[i+1:i+1+l]))
		i += 1 + l
	}
	if i+4 > len(q) {
		return question{}, errors.New("truncated question")
	}
	return question{
		raw:   q[12 : i+4],
		name:  key(strings.Join(labels, ".")),
		qtype: binary.BigEndian.Uint16(q[i : i+2]),
	}, nil
}

func (s *Server) answer(query []byte) ([]byte, error) {
	q, err := parseQuery(query)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries++

	var answers [][]byte
	rcode := byte(0)
	_, alias := s.aliases[q.name]
	_, host := s.addrs[q.name]
	if !alias && !host {
		rcode = rcodeNXDomain
	}
	name := q.name
	for range maxChain {
		if target, ok := s.aliases[name]; ok {
			answers = append(answers, record(name, typeCNAME, encodeName(target)))
			if q.qtype == typeCNAME {
				break
			}
			name = target
			continue
		}
		for _, a := range s.addrs[name] {
			switch {
			case q.qtype == typeA && a.Is4():
				answers = append(answers, record(name, typeA, a.AsSlice()))
			case q.qtype == typeAAAA && a.Is6():
				answers = append(answers, record(name, typeAAAA, a.AsSlice()))
			}
		}
		break
	}

	resp := make([]byte, 12, 512)
	copy(resp[0:2], query[0:2])              // ID
	resp[2] = 0x80 | query[2]&0x79 | 0x04    // QR, the query's opcode and RD, AA
	resp[3] = 0x80 | rcode                   // RA, RCODE
	binary.BigEndian.PutUint16(resp[4:6], 1) // QDCOUNT
	binary.BigEndian.PutUint16(resp[6:8], uint16(len(answers)))
	resp = append(resp, q.raw...)
	for _, a := range answers {
		resp = append(resp, a...)
	}
	return resp, nil
}

// record encodes one resource record of class IN with a TTL of 60 seconds.
func record(name string, rtype uint16, rdata []byte) []byte {
	b := encodeName(name)
	b = binary.BigEndian.AppendUint16(b, rtype)
	b = binary.BigEndian.AppendUint16(b, classIN)
	b = binary.BigEndian.AppendUint32(b, 60)
	b = binary.BigEndian.AppendUint16(b, uint16(len(rdata)))
	return append(b, rdata...)
}

func encodeName(name string) []byte {
	var b []byte
	for _, l := range strings.Split(name, ".") {
		if l == "" {
			continue
		}
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}
