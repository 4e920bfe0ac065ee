package fakecloud

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// allActions lists the registered (version, action) pairs in a fixed order.
func allActions() (registry, []actionKey) {
	reg := registry{}
	registerALB(reg)
	registerSLB(reg)
	registerAlidns(reg)
	registerECS(reg)
	keys := make([]actionKey, 0, len(reg))
	for k := range reg {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].version != keys[j].version {
			return keys[i].version < keys[j].version
		}
		return keys[i].action < keys[j].action
	})
	return reg, keys
}

// FuzzHandlers feeds arbitrary parameters to every action's handler, the way
// the transport decodes them from a query string and a form body. A handler
// must answer bad input with an APIError, never panic.
func FuzzHandlers(f *testing.F) {
	f.Add(uint16(0), "LoadBalancerId=alb-fake01", "")
	f.Add(uint16(3), "ServerGroupName=g1&VpcId=vpc-fake01&HealthCheckConfig.HealthCheckEnabled=true&Tag.1.Key=k&Tag.1.Value=v", "")
	f.Add(uint16(7), "ServerGroupId=sgp-x", "Servers.1.ServerId=i-fake01&Servers.1.Port=5000&Servers.1.ServerType=Ecs&Servers.1.Weight=101")
	f.Add(uint16(40), `RegionId=cn-hangzhou&VServerGroupId=rsp-1&BackendServers=[{'ServerId':'i-fake01','Port':'80'}]`, "")
	f.Add(uint16(60), "DomainName=example.com&RR=chat&Type=CNAME&Value=x.example.com&TTL=600", "")
	f.Add(uint16(70), `RegionId=cn-hangzhou&InstanceIds=["i-fake01"]&MaxResults=5&NextToken=3`, "")
	f.Add(uint16(9), "MaxResults=0&NextToken=-1&Tag.99999999999.Key=x", "")
	f.Fuzz(func(t *testing.T, idx uint16, query, body string) {
		reg, keys := allActions()
		k := keys[int(idx)%len(keys)]
		params, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		if form, err := url.ParseQuery(body); err == nil {
			for key, v := range form {
				if _, dup := params[key]; !dup {
					params[key] = v
				}
			}
		}
		st, err := stateFromSeed(DemoSeed())
		if err != nil {
			t.Fatal(err)
		}
		req := &Request{Product: "x", Version: k.version, Action: k.action, Params: params, RequestID: "FUZZ",
			Now: time.Unix(1_800_000_000, 0), AsyncDuration: time.Second}
		res, err := reg[k].fn(st, req)
		if err != nil {
			if _, ok := AsAPIError(err); !ok {
				t.Fatalf("%s %s: a non-API error %T %v (answered as 500)", k.version, k.action, err, err)
			}
			return
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("%s %s: response does not encode: %v", k.version, k.action, err)
		}
	})
}

// FuzzServeHTTP sends arbitrary unsigned requests through the whole
// transport: it must never panic, always answer JSON with a RequestId and a
// Code, and never answer an unsigned request with success.
func FuzzServeHTTP(f *testing.F) {
	f.Add("2020-06-16", "ListListeners", "LoadBalancerIds.1=alb-fake01", "", "")
	f.Add("2014-05-15", "DescribeVServerGroups", "RegionId=cn-hangzhou", "a=b", "application/x-www-form-urlencoded")
	f.Add("", "", "%zz", "%%", "application/x-www-form-urlencoded")
	f.Add("2015-01-09", "AddDomainRecord", "", strings.Repeat("x=1&", 100), "application/x-www-form-urlencoded")
	srv, err := New(Options{Seed: DemoSeed()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, version, action, query, body, ctype string) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
		r.URL.RawQuery = query
		if version != "" {
			r.Header.Set("x-acs-version", version)
		}
		if action != "" {
			r.Header.Set("x-acs-action", action)
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code < 400 {
			t.Fatalf("unsigned request answered %d", w.Code)
		}
		var out struct{ RequestId, Code string }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.RequestId == "" || out.Code == "" {
			t.Fatalf("answer %d %q is not an error body: %v", w.Code, w.Body.String(), err)
		}
	})
}
