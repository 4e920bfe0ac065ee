package fakecloud

// NextToken values. Real tokens are opaque and only work for the query that
// produced them, so the fake's are too: a token is 32 hex digits, the
// page's first index masked with and authenticated by an HMAC-SHA256 over
// the product, the action and every parameter except the paging ones
// (NextToken, MaxResults, PageNumber, PageSize) and the signature's common
// parameters, keyed with a random key kept in the world (State.PagingKey).
// Tokens are therefore stateless: any process sharing the state file reads
// them, and they survive a reload. A token used with other filters, with
// another action or forged is 400 InvalidParameter.NextToken.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
)

// tokenFreeParams are the parameters a NextToken is not bound to: paging
// and the common parameters of signature v1 (ACS3 sends them as headers).
var tokenFreeParams = map[string]bool{
	"NextToken": true, "MaxResults": true, "PageNumber": true, "PageSize": true,
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true, "SecurityToken": true,
	"Signature": true, "SignatureMethod": true, "SignatureVersion": true, "SignatureNonce": true,
	"SignatureType": true, "Timestamp": true,
}

// pagingKey returns the world's NextToken key, making one the first time
// (worlds saved before tokens were keyed have none; the caller holds the
// state lock, and the key is saved with the world).
func (st *State) pagingKey() []byte {
	if len(st.PagingKey) == 0 {
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			panic(fmt.Sprintf("fakecloud: paging key: %v", err)) // crypto/rand does not fail on supported systems
		}
		st.PagingKey = k
	}
	return st.PagingKey
}

// queryDigest identifies the query r makes, paging aside.
func queryDigest(r *Request) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q\n", r.Product, r.Version, r.Action)
	names := make([]string, 0, len(r.Params))
	for k := range r.Params {
		if !tokenFreeParams[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		vals := append([]string(nil), r.Params[k]...)
		sort.Strings(vals)
		fmt.Fprintf(h, "%q=%q\n", k, vals)
	}
	return h.Sum(nil)
}

func tokenMAC(key []byte, label string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write(p)
	}
	return m.Sum(nil)
}

// pageToken is the NextToken of the page of r's query that starts at index
// start.
func (st *State) pageToken(r *Request, start int) string {
	key, q := st.pagingKey(), queryDigest(r)
	var b [16]byte
	binary.BigEndian.PutUint32(b[:4], uint32(start))
	pad := tokenMAC(key, "pad", q)
	for i := range 4 {
		b[i] ^= pad[i]
	}
	copy(b[4:], tokenMAC(key, "mac", q, b[:4]))
	return hex.EncodeToString(b[:])
}

// readPageToken returns the start index a token of r's query names; false
// if tok is not such a token.
func (st *State) readPageToken(r *Request, tok string) (int, bool) {
	b, err := hex.DecodeString(tok)
	if err != nil || len(b) != 16 || hex.EncodeToString(b) != tok {
		return 0, false
	}
	key, q := st.pagingKey(), queryDigest(r)
	if !hmac.Equal(b[4:], tokenMAC(key, "mac", q, b[:4])[:12]) {
		return 0, false
	}
	pad := tokenMAC(key, "pad", q)
	for i := range 4 {
		b[i] ^= pad[i]
	}
	start := binary.BigEndian.Uint32(b[:4])
	if start > 1<<30 {
		return 0, false
	}
	return int(start), true
}
