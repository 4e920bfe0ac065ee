package fakecloud

import (
	"sort"
	"strings"
)

// The route table: (API version, action) -> handler. Each product file adds
// its actions in a func registerX(reg registry) and fills its part of the
// world from a seed in a func seedX(st *State, seed *Seed) error; New calls
// registerALB, registerSLB, registerAlidns and registerECS, stateFromSeed the
// seedX functions.

// Products and their API versions, as sent in the x-acs-version header.
const (
	ProductALB    = "alb"
	ProductSLB    = "slb"
	ProductAlidns = "alidns"
	ProductECS    = "ecs"
	ProductSTS    = "sts"

	VersionALB    = "2020-06-16"
	VersionSLB    = "2014-05-15"
	VersionAlidns = "2015-01-09"
	VersionECS    = "2014-05-26"
	VersionSTS    = "2015-04-01"
)

// handler runs one action on the world. It returns the response body
// (normally an SDK ...ResponseBody struct, whose RequestId the transport fills
// in when it is nil) or an error (an *APIError, anything else is a 500).
type handler func(st *State, r *Request) (any, error)

// action is one registered handler. Write tells the request log (and state
// persistence) whether the action mutates state; job marks the ALB writes
// that answer a JobId (a JobFails fault rule can make their job fail);
// anonymous marks the actions called without a signature (STS
// AssumeRoleWithOIDC).
type action struct {
	write, job, anonymous bool
	fn                    handler
}

// actionKey routes on (version, action): action names collide across products.
type actionKey struct{ version, action string }

// registry maps (version, action) to handlers. Each product file adds its
// actions in a func registerX(reg registry).
type registry map[actionKey]action

func (reg registry) add(version, name string, write bool, fn handler) {
	reg[actionKey{version, name}] = action{write: write, fn: fn}
}

// jobActions lists the actions that start a job, by name.
func (reg registry) jobActions() []string {
	var names []string
	for k, a := range reg {
		if a.job {
			names = append(names, k.action)
		}
	}
	sort.Strings(names)
	return names
}

// products maps an x-acs-version to (product, the file that registers its
// actions).
var products = map[string]struct{ product, file string }{
	VersionALB:    {ProductALB, "alb.go"},
	VersionSLB:    {ProductSLB, "clb.go"},
	VersionAlidns: {ProductAlidns, "dns.go"},
	VersionECS:    {ProductECS, "ecs.go"},
	VersionSTS:    {ProductSTS, "sts.go"},
	VersionOOS:    {ProductOOS, "oos.go"},
	VersionVPC:    {ProductVPC, "vpc.go"},
}

func supportedVersions() string {
	vs := make([]string, 0, len(products))
	for v, p := range products {
		vs = append(vs, v+" ("+p.product+")")
	}
	sort.Strings(vs)
	return strings.Join(vs, ", ")
}

// builtinRegistry is the route table of every implemented action.
func builtinRegistry() registry {
	reg := registry{}
	registerALB(reg)
	registerSLB(reg)
	registerAlidns(reg)
	registerECS(reg)
	registerSTS(reg)
	registerOOS(reg)
	registerVPC(reg)
	return reg
}
