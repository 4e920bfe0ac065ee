package cli

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

// deploymentOf combines the snapshot the plan was made from with what the apply created.
func deploymentOf(s *config.Stack, snap *inventory.Snapshot, p *plan.Plan, res *apply.Result) Deployment {
	created := map[plan.Addr]string{}
	if res != nil {
		created = res.Created
	}
	d := Deployment{
		Stack: s.Stack, Region: s.Region, Endpoint: p.Endpoint, Changes: p.Summary,
		LB: deployLB{Type: snap.LB.Type, ID: snap.LB.ID, DNSName: snap.LB.DNSName, Address: snap.LB.Address},
	}
	// Server group: the created one, or the existing one the plan kept.
	d.ServerGroup.Name = resource.ServerGroupName(s.Stack)
	for _, a := range p.Actions {
		if a.Kind == plan.KindServerGroup && a.Op == plan.Create {
			d.ServerGroup.ID = created[a.ID]
		}
	}
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
		name := resource.Listener{Protocol: lc.Protocol, Port: lc.Port}.Name()
		if x, ok := created[plan.Addr{Op: plan.Create, Kind: plan.KindListener, Key: name}]; ok {
			id = x
		}
		d.Listeners = append(d.Listeners, deployListen{Protocol: lc.Protocol, Port: lc.Port, ID: id, IdleTimeout: lc.IdleTimeout, RequestTimeout: lc.RequestTimeout})
	}
	host := snap.LB.DNSName
	if snap.LB.Type == config.LBCLB {
		host = snap.LB.Address
	}
	if s.DNS != nil {
		dd := &deployDNS{Type: "CNAME", FQDN: s.DNS.FQDN(), Value: snap.LB.DNSName, TTL: s.DNS.TTL}
		if snap.LB.Type == config.LBCLB {
			dd.Type, dd.Value = "A", snap.LB.Address
		}
		for _, r := range snap.Records {
			if r.Remark == resource.RecordRemark(s.Stack) {
				dd.RecordID = r.ID
				break
			}
		}
		if x, ok := created[plan.Addr{Op: plan.Create, Kind: plan.KindDNSRecord, Key: s.DNS.FQDN()}]; ok {
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

func printDeployment(w io.Writer, d Deployment) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nStack %q is up on %s %s", d.Stack, strings.ToUpper(d.LB.Type), d.LB.ID)
	if d.LB.DNSName != "" {
		fmt.Fprintf(&b, " (%s)", d.LB.DNSName)
	}
	if d.LB.Address != "" {
		fmt.Fprintf(&b, " (%s)", d.LB.Address)
	}
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
	io.WriteString(w, b.String())
}
