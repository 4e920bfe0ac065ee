package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// Deployment is what `up` prints: the stack as it now stands.
type Deployment struct {
	Stack       string         `json:"stack"`
	Region      string         `json:"region"`
	Endpoint    string         `json:"apiEndpoint,omitempty"`
	Changes     plan.Summary   `json:"changes"`
	LB          deployLB       `json:"lb"`
	ServerGroup deployGroup    `json:"serverGroup"`
	Listeners   []deployListen `json:"listeners"`
	DNS         *deployDNS     `json:"dns,omitempty"`
	Endpoints   []string       `json:"endpoints"`
	Verify      *verify.Report `json:"verify,omitempty"`
}

type deployLB struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	DNSName string `json:"dnsName,omitempty"`
	Address string `json:"address,omitempty"`
}

type deployGroup struct {
	ID      string             `json:"id"`
	Name    string             `json:"name"`
	Servers []resource.Backend `json:"servers"`
}

type deployListen struct {
	Protocol       string `json:"protocol"`
	Port           int    `json:"port"`
	ID             string `json:"id"`
	IdleTimeout    int    `json:"idleTimeout"`
	RequestTimeout int    `json:"requestTimeout"`
}

type deployDNS struct {
	Type     string `json:"type"`
	FQDN     string `json:"fqdn"`
	Value    string `json:"value"`
	TTL      int    `json:"ttl"`
	RecordID string `json:"recordId"`
}

// DeploymentOf is what `up` prints: the snapshot p was made from, with what
// the apply (res, nil when nothing was applied) created.
func DeploymentOf(s *config.Stack, snap *inventory.Snapshot, p *plan.Plan, res *apply.Result) Deployment {
	lb := snap.LB
	if res != nil && res.LB != nil { // the load balancer the run created
		lb = *res.LB
	}
	d := Deployment{
		Stack: s.Stack, Region: s.Region, Endpoint: p.Endpoint, Changes: p.Summary,
		LB: deployLB{Type: lb.Type, ID: lb.ID, DNSName: lb.DNSName, Address: lb.Address},
	}
	// Server group: the created one, or the existing one the plan kept.
	d.ServerGroup.Name = resource.ServerGroupName(s.Stack)
	d.ServerGroup.ID, _ = createdBy(p, res, func(a plan.Action) bool { return a.Kind == plan.KindServerGroup })
	if d.ServerGroup.ID == "" {
		for _, a := range p.Actions {
			if a.Servers != nil && a.Servers.Group.ID != "" {
				d.ServerGroup.ID = a.Servers.Group.ID
			}
		}
	}
	if d.ServerGroup.ID == "" && len(snap.ServerGroups) > 0 {
		d.ServerGroup.ID = snap.ServerGroups[0].ID
		for _, l := range snap.Listeners {
			if resource.OwnedBy(l.Tags, s.Stack) && l.ServerGroupID != "" {
				d.ServerGroup.ID = l.ServerGroupID
			}
		}
	}
	d.ServerGroup.Servers = snap.Backends
	existing := map[int]string{}
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, s.Stack) {
			existing[l.Port] = l.ID
		}
	}
	for _, lc := range s.Listeners {
		id := existing[lc.Port]
		if x, ok := createdBy(p, res, func(a plan.Action) bool {
			return a.Listener != nil && a.Listener.Spec.Protocol == lc.Protocol && a.Listener.Spec.Port == lc.Port
		}); ok {
			id = x
		}
		d.Listeners = append(d.Listeners, deployListen{Protocol: lc.Protocol, Port: lc.Port, ID: id, IdleTimeout: lc.IdleTimeout, RequestTimeout: lc.RequestTimeout})
	}
	host := lb.DNSName
	if lb.Type == config.LBCLB {
		host = lb.Address
	}
	if s.DNS != nil {
		dd := &deployDNS{Type: "CNAME", FQDN: s.DNS.FQDN(), Value: lb.DNSName, TTL: s.DNS.TTL}
		if lb.Type == config.LBCLB {
			dd.Type, dd.Value = "A", lb.Address
		}
		for _, r := range snap.Records {
			if r.Remark == resource.RecordRemark(s.Stack) {
				dd.RecordID = r.ID
				break
			}
		}
		if x, ok := createdBy(p, res, func(a plan.Action) bool {
			return a.Record != nil && a.Record.Record.FQDN() == s.DNS.FQDN()
		}); ok {
			dd.RecordID = x
		}
		d.DNS = dd
		host = s.DNS.FQDN()
	}
	for _, lc := range s.Listeners {
		scheme, def := "ws", 80
		if lc.Protocol == "HTTPS" {
			scheme, def = "wss", 443
		}
		if lc.Port == def {
			d.Endpoints = append(d.Endpoints, fmt.Sprintf("%s://%s", scheme, host))
		} else {
			d.Endpoints = append(d.Endpoints, fmt.Sprintf("%s://%s:%d", scheme, host, lc.Port))
		}
	}
	return d
}

// createdBy is the ID of what the last create action of p that matches
// made, as the apply result res reports it; ok is false when no such action
// created anything.
func createdBy(p *plan.Plan, res *apply.Result, match func(plan.Action) bool) (id string, ok bool) {
	if res == nil {
		return "", false
	}
	for _, a := range p.Actions {
		if a.Op == plan.Create && match(a) {
			if x, found := res.Created[a.ID]; found {
				id, ok = x, true
			}
		}
	}
	return id, ok
}

// Deployed prints what `up` did: the deployment d, and the report of
// `up --verify` when there is one.
func Deployed(w io.Writer, d Deployment, f Format) error {
	if f == JSON {
		return WriteJSON(w, d)
	}
	if err := DeploymentText(w, d); err != nil {
		return err
	}
	if d.Verify == nil {
		return nil
	}
	fmt.Fprintln(w)
	return d.Verify.WriteText(w)
}

// DeploymentText prints d for people.
func DeploymentText(w io.Writer, d Deployment) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nStack %q is up on %s", d.Stack, lbLabel(d.LB.Type, d.LB.ID, d.LB.DNSName, d.LB.Address))
	b.WriteString("\n")
	fmt.Fprintf(&b, "  server group %s (%s): %d backend(s)\n", d.ServerGroup.Name, d.ServerGroup.ID, len(d.ServerGroup.Servers))
	for _, l := range d.Listeners {
		fmt.Fprintf(&b, "  listener %s:%d (%s): idle timeout %ds, request timeout %ds\n", l.Protocol, l.Port, l.ID, l.IdleTimeout, l.RequestTimeout)
	}
	if d.DNS != nil {
		fmt.Fprintf(&b, "  dns %s %s → %s (record %s, ttl %d)\n", d.DNS.FQDN, d.DNS.Type, d.DNS.Value, d.DNS.RecordID, d.DNS.TTL)
	}
	b.WriteString("Endpoints:\n")
	for _, e := range d.Endpoints {
		fmt.Fprintf(&b, "  %s\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lbLabel names a load balancer for people: "ALB alb-1 (its DNS name)" or
// "CLB lb-1 (its address)".
func lbLabel(kind, id, dnsName, address string) string {
	s := strings.ToUpper(kind) + " " + id
	if dnsName != "" {
		s += " (" + dnsName + ")"
	}
	if address != "" {
		s += " (" + address + ")"
	}
	return s
}
