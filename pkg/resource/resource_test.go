package resource

import "testing"

func TestProfiles(t *testing.T) {
	lb := LoadBalancer{DNSName: "alb-1.example", Address: "203.0.113.1"}
	if k := ProfileOf(ALB); k.ServersPerCall != 200 || k.SettingsOnListener || !k.EpochTag || k.RecordType != "CNAME" || k.RecordTarget(lb) != "alb-1.example" {
		t.Errorf("ALB profile %+v", k)
	}
	if k := ProfileOf(CLB); k.ServersPerCall != 20 || !k.SettingsOnListener || k.EpochTag || k.RecordType != "A" || k.RecordTarget(lb) != "203.0.113.1" || k.GroupNoun != "vServer group" {
		t.Errorf("CLB profile %+v", k)
	}
}

func TestOwnedListenerAndContainsAll(t *testing.T) {
	ls := []Listener{
		{ID: "theirs", Protocol: "HTTP", Port: 80, Tags: map[string]string{OwnerTagKey: "other"}},
		{ID: "mine", Protocol: "HTTP", Port: 80, Tags: map[string]string{OwnerTagKey: "chat"}},
	}
	if l, ok := OwnedListener(ls, "chat", "HTTP", 80); !ok || l.ID != "mine" {
		t.Errorf("OwnedListener = %+v, %v", l, ok)
	}
	if _, ok := OwnedListener(ls, "chat", "HTTPS", 80); ok {
		t.Error("found a listener on another protocol")
	}
	have := []Backend{{InstanceID: "i-1", Port: 5000}, {InstanceID: "i-2", Port: 5000}}
	if !ContainsAll(have, have[:1]) || ContainsAll(have, []Backend{{InstanceID: "i-1", Port: 5001}}) || !ContainsAll(nil, nil) {
		t.Error("ContainsAll compares by instance and port")
	}
}
