// Package verify proves that a deployed WebSocket path works, end to end,
// the way `wsdeploy verify` reports it: the DNS record points at the load
// balancer, the listener accepts TCP (and TLS, with a valid certificate), the
// upgrade answers 101 with a correct Sec-WebSocket-Accept, chat messages
// reach every client — across backends too, when the backends say who they
// are — a connection left idle past the listener's idle timeout survives, and
// round trips are fast.
//
// Checks are values run in order for each target; a check whose
// prerequisite failed is skipped rather than piling up follow-on failures.
// Run returns a Report (every check's status, numbers and, for a failure or a
// warning, a hint); an error only means the options were unusable.
//
// Verify speaks wschat's wire protocol (package chat): it identifies a
// client's backend from the welcome frame's "backend" field.
package verify
