package plan

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func TestAddrText(t *testing.T) {
	tests := []struct {
		addr Addr
		text string
	}{
		{Addr{Op: Create, Kind: KindServerGroup, Key: "wsdeploy-chat"}, "create:server-group/wsdeploy-chat"},
		{Addr{Op: Update, Kind: KindListener, Key: "HTTP:5000"}, "update:listener/HTTP:5000"},
		{Addr{Op: Delete, Kind: KindDNSRecord, Key: "chat.example.com", ID: "100"}, "delete:dns-record/chat.example.com/100"},
		{Addr{Op: Delete, Kind: KindServerGroup, Key: "rsp-1", LB: "lb-fake01"}, "delete:server-group/rsp-1@lb-fake01"},
		{Addr{Op: Update, Kind: KindLBTag, Key: "wsdeploy-epoch-chat", LB: "alb-fake01"}, "update:lb-tag/wsdeploy-epoch-chat@alb-fake01"},
		{Addr{Op: Delete, Kind: KindDNSRecord, Key: "example.com", ID: "7", LB: "x"}, "delete:dns-record/example.com/7@x"},
	}
	for _, tt := range tests {
		if got := tt.addr.String(); got != tt.text {
			t.Errorf("%+v prints %q, want %q", tt.addr, got, tt.text)
		}
		back, err := ParseAddr(tt.text)
		if err != nil || back != tt.addr {
			t.Errorf("ParseAddr(%q) = %+v, %v; want %+v", tt.text, back, err, tt.addr)
		}
	}
	for _, bad := range []string{"", "create", "make:listener/HTTP:80", "create:/x", "create:listener", "create:listener/", "delete:server-group/g@", "create:listener/@lb"} {
		if a, err := ParseAddr(bad); err == nil {
			t.Errorf("ParseAddr(%q) = %+v, want an error", bad, a)
		}
	}
}

// TestAddrJSON: a plan's JSON holds every address as its text, and reads
// back to the same plan (saved plans depend on it).
func TestAddrJSON(t *testing.T) {
	s := stack()
	up, err := Build(s, empty(s))
	if err != nil {
		t.Fatal(err)
	}
	snap := converged(s)
	snap.Other = &inventory.Snapshot{Stack: s.Stack, LB: resource.LoadBalancer{Type: "clb", ID: "lb-fake01"}, Servers: map[string][]resource.Backend{},
		ServerGroups: []resource.ServerGroup{{ID: "rsp-1", Name: "wsdeploy-chat", Tags: ownerTags(s.Stack)}},
		Listeners:    []resource.Listener{{ID: "lb-fake01_http_5000", Protocol: "HTTP", Port: 5000, Tags: ownerTags(s.Stack)}}}
	for _, p := range []*Plan{up, Teardown(s, snap)} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Actions {
			if !strings.Contains(string(b), `"id":"`+a.ID.String()+`"`) {
				t.Errorf("JSON lacks the id %s", a.ID)
			}
		}
		var back Plan
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&back, p) {
			t.Errorf("%s plan does not read back the same:\n%s", p.Mode, b)
		}
	}
	if strings.Contains(mustJSON(t, up), `"fromAction":""`) || !strings.Contains(mustJSON(t, up), `"fromAction":"create:server-group/wsdeploy-chat"`) {
		t.Errorf("fromAction is written only when set:\n%s", mustJSON(t, up))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
