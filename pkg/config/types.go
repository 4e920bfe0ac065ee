// Package config reads, defaults and validates wsdeploy.yaml.
//
// The field names of the YAML document are part of wsdeploy's public contract
// (see README "Configuration reference"); do not rename them.
package config

import (
	"fmt"
	"time"
)

// Stack is one wsdeploy.yaml document.
type Stack struct {
	// Stack names the deployment; it is the ownership marker on everything wsdeploy creates.
	Stack  string `yaml:"stack" json:"stack"`
	Region string `yaml:"region" json:"region"`
	// LB is "alb" or "clb"; the --lb flag overrides it. Default "alb".
	LB        string     `yaml:"lb" json:"lb"`
	ALB       *LBRef     `yaml:"alb,omitempty" json:"alb,omitempty"`
	CLB       *LBRef     `yaml:"clb,omitempty" json:"clb,omitempty"`
	Backends  Backends   `yaml:"backends" json:"backends"`
	Listeners []Listener `yaml:"listeners" json:"listeners"`
	DNS       *DNS       `yaml:"dns,omitempty" json:"dns,omitempty"`
	App       *App       `yaml:"app,omitempty" json:"app,omitempty"`
	// Network: with it, plan checks the instances' security groups (network.go).
	Network *Network `yaml:"network,omitempty" json:"network,omitempty"`

	// zeros are explicit 0s the file gave fields that have defaults; ApplyDefaults
	// would hide them, so Parse keeps them for Validate to report.
	zeros []Problem
}

// LBRef names an existing load balancer instance (ID), or asks wsdeploy to
// create one (Create, see create.go); exactly one of the two is set.
type LBRef struct {
	ID     string    `yaml:"id,omitempty" json:"id"`
	Create *LBCreate `yaml:"create,omitempty" json:"create,omitempty"`
}

// Backends describes the server group and the ECS instances in it.
type Backends struct {
	Port          int           `yaml:"port" json:"port"`
	Servers       []Server      `yaml:"servers" json:"servers"`
	HealthCheck   HealthCheck   `yaml:"healthCheck" json:"healthCheck"`
	StickySession StickySession `yaml:"stickySession" json:"stickySession"`
}

// Server is one backend: an ECS instance ID (i-...) or instance name, and a weight.
// In YAML it is either a plain string ("ECS01") or a mapping {instance, weight}.
type Server struct {
	Instance string `yaml:"instance" json:"instance"`
	// Weight is 0-100; nil means the default, 100.
	Weight *int `yaml:"weight,omitempty" json:"weight,omitempty"`
}

// HealthCheck configures the load balancer's HTTP health check of the backends.
type HealthCheck struct {
	Enabled            *bool    `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	Path               string   `yaml:"path,omitempty" json:"path,omitempty"`
	Method             string   `yaml:"method,omitempty" json:"method,omitempty"`
	Codes              []string `yaml:"codes,omitempty" json:"codes,omitempty"`
	Interval           int      `yaml:"interval,omitempty" json:"interval,omitempty"`
	Timeout            int      `yaml:"timeout,omitempty" json:"timeout,omitempty"`
	HealthyThreshold   int      `yaml:"healthyThreshold,omitempty" json:"healthyThreshold,omitempty"`
	UnhealthyThreshold int      `yaml:"unhealthyThreshold,omitempty" json:"unhealthyThreshold,omitempty"`
}

// StickySession configures session persistence (needed when clients may fall back to long-polling).
type StickySession struct {
	Enabled *bool `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	// Type is "Insert" (the load balancer sets a cookie) or "Server" (the app's cookie).
	Type          string `yaml:"type,omitempty" json:"type,omitempty"`
	CookieTimeout int    `yaml:"cookieTimeout,omitempty" json:"cookieTimeout,omitempty"`
	Cookie        string `yaml:"cookie,omitempty" json:"cookie,omitempty"`
}

// Listener is one front-end port of the load balancer.
type Listener struct {
	Protocol       string `yaml:"protocol" json:"protocol"`
	Port           int    `yaml:"port" json:"port"`
	CertificateID  string `yaml:"certificateId,omitempty" json:"certificateId,omitempty"`
	IdleTimeout    int    `yaml:"idleTimeout,omitempty" json:"idleTimeout,omitempty"`
	RequestTimeout int    `yaml:"requestTimeout,omitempty" json:"requestTimeout,omitempty"`
}

// DNS is the record that points the application's name at the load balancer.
type DNS struct {
	Domain string `yaml:"domain" json:"domain"`
	RR     string `yaml:"rr" json:"rr"`
	TTL    int    `yaml:"ttl,omitempty" json:"ttl,omitempty"`
}

// App describes the application behind the load balancer, as far as the
// load balancer's settings depend on it.
type App struct {
	// PingInterval is how often the app pings idle WebSocket clients (wschat's
	// --ping-interval), e.g. "10s". It must be below every listener's
	// idleTimeout, or the load balancer closes quiet connections.
	PingInterval string `yaml:"pingInterval,omitempty" json:"pingInterval,omitempty"`
	// Deploy, when set, makes `up` install the app on the instances (see types_deploy.go).
	Deploy *Deploy `yaml:"deploy,omitempty" json:"deploy,omitempty"`
}

// DefaultPingInterval is wschat's default --ping-interval.
const DefaultPingInterval = "10s"

// Ping returns the app's ping interval (the default when unset or invalid).
func (s *Stack) Ping() time.Duration {
	if s.App != nil {
		if d, err := time.ParseDuration(s.App.PingInterval); err == nil {
			return d
		}
	}
	d, _ := time.ParseDuration(DefaultPingInterval)
	return d
}

// PingWarnings says which listeners would close idle WebSocket connections
// before the app's keepalive ping comes.
func (s *Stack) PingWarnings() []string {
	ping := s.Ping()
	var out []string
	for i, l := range s.Listeners {
		idle := time.Duration(l.IdleTimeout) * time.Second
		if ping >= idle {
			out = append(out, fmt.Sprintf("app.pingInterval %s is not below listeners[%d].idleTimeout %ds (%s:%d): the load balancer will close quiet WebSocket connections before the app pings them; set app.pingInterval below %ds (and wschat --ping-interval to match) or raise idleTimeout (at most 60)",
				ping, i, l.IdleTimeout, l.Protocol, l.Port, l.IdleTimeout))
		}
	}
	return out
}

// Load-balancer kinds.
const (
	LBALB = "alb"
	LBCLB = "clb"
)

// FQDN is the record's full name ("chat.example.com", or the domain for rr "@").
func (d *DNS) FQDN() string {
	if d.RR == "@" {
		return d.Domain
	}
	return d.RR + "." + d.Domain
}

// LBID returns the ID of the load balancer of the stack's kind.
func (s *Stack) LBID() string {
	switch s.LB {
	case LBALB:
		if s.ALB != nil {
			return s.ALB.ID
		}
	case LBCLB:
		if s.CLB != nil {
			return s.CLB.ID
		}
	}
	return ""
}

// WeightOr100 returns the server's weight, or the default 100.
func (s Server) WeightOr100() int {
	if s.Weight == nil {
		return 100
	}
	return *s.Weight
}
