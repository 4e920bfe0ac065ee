package fakecloud

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// State is the whole fake world. The transport holds one mutex around every
// handler call, so handlers mutate it freely. It is persisted as JSON (--state),
// so every field that matters must be exported with a json tag.
type State struct {
	Region string   `json:"region"`
	Keys   []Key    `json:"accessKeys"`
	Seq    int64    `json:"seq"`
	ECS    ECSState `json:"ecs"`
	ALB    ALBState `json:"alb"`
	DNS    DNSState `json:"alidns"`
	CLB    CLBState `json:"slb"`
	STS    STSState `json:"sts"`
	OOS    OOSState `json:"oos"`
	VPC    VPCState `json:"vpc"`
	// Quotas are the account's load balancer quotas (lb_quotas.go).
	Quotas Quotas     `json:"quotas,omitzero"`
	Nonces []NonceUse `json:"nonces,omitempty"`
	// PagingKey keys the world's NextToken values (token.go).
	PagingKey []byte `json:"pagingKey,omitempty"`
	// DataPlane is what the data plane publishes (dataplane_state.go).
	DataPlane DataPlaneState `json:"dataPlane,omitzero"`
}

// Key is an access key pair the fake accepts.
type Key struct {
	ID     string `json:"id" yaml:"id"`
	Secret string `json:"secret" yaml:"secret"`
}

// NonceUse remembers a signature nonce until it can no longer be replayed.
type NonceUse struct {
	Nonce string    `json:"nonce"`
	At    time.Time `json:"at"`
}

// NextSeq returns a new number for deterministic IDs (alb: "sgp-fake0001"-style).
func (st *State) NextSeq() int64 {
	st.Seq++
	return st.Seq
}

// tlsCipherPolicies are the system TLS security policies ALB and CLB HTTPS
// listeners may name.
var tlsCipherPolicies = []string{
	"tls_cipher_policy_1_0", "tls_cipher_policy_1_1", "tls_cipher_policy_1_2",
	"tls_cipher_policy_1_2_strict", "tls_cipher_policy_1_2_strict_with_1_3",
}

// find returns the first of items that match selects, or nil.
func find[T any](items []*T, match func(*T) bool) *T {
	if i := slices.IndexFunc(items, match); i >= 0 {
		return items[i]
	}
	return nil
}

// deepCopy copies a part of the world through JSON, as the state file
// stores it.
func deepCopy[T any](v *T) *T {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakecloud: copy %T: %v", v, err)) // the world is always encodable
	}
	out := new(T)
	if err := json.Unmarshal(data, out); err != nil {
		panic(fmt.Sprintf("fakecloud: copy %T: %v", v, err))
	}
	return out
}
