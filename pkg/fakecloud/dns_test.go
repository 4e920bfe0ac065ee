package fakecloud

import (
	"fmt"
	"strings"
	"testing"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// dnsAdd adds a record and returns its ID or the error.
func dnsAdd(c *alidns.Client, rr, typ, value string, mod ...func(*alidns.AddDomainRecordRequest)) (string, error) {
	req := &alidns.AddDomainRecordRequest{DomainName: tea.String("example.com"), RR: tea.String(rr), Type: tea.String(typ), Value: tea.String(value)}
	for _, m := range mod {
		m(req)
	}
	resp, err := c.AddDomainRecord(req)
	if err != nil {
		return "", err
	}
	return tea.StringValue(resp.Body.RecordId), nil
}

func TestDNSAddRules(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcDNS(t, ts)
	mustAdd := func(rr, typ, value string, mod ...func(*alidns.AddDomainRecordRequest)) string {
		t.Helper()
		id, err := dnsAdd(c, rr, typ, value, mod...)
		if err != nil {
			t.Fatalf("add %s %s %s: %v", rr, typ, value, err)
		}
		return id
	}
	mustAdd("ws", "CNAME", "alb-fake01.cn-hangzhou.alb.aliyuncs.com")
	mustAdd("api", "A", "203.0.113.10")
	mustAdd("api", "A", "203.0.113.11") // several A values on one host are fine
	mustAdd("api", "A", "203.0.113.10", func(r *alidns.AddDomainRecordRequest) { r.Line = tea.String("telecom") })
	mustAdd("other", "CNAME", "x.example.net", func(r *alidns.AddDomainRecordRequest) { r.Line = tea.String("unicom") })
	mustAdd("@", "MX", "mx.example.net", func(r *alidns.AddDomainRecordRequest) { r.Priority = tea.Int64(10) })
	mustAdd("*", "A", "192.0.2.1")
	mustAdd("*.dev", "A", "192.0.2.1")
	mustAdd("a.b-c.d_e", "TXT", "hello")
	mustAdd("v6", "AAAA", "2001:db8::1")
	mustAdd("_sip._tcp", "SRV", "10 60 5060 sip.example.net")
	mustAdd("@", "CAA", `0 issue "letsencrypt.org"`)
	mustAdd("go", "REDIRECT_URL", "https://example.net/")
	mustAdd("ttl", "A", "192.0.2.9", func(r *alidns.AddDomainRecordRequest) { r.TTL = tea.Int64(86400) })

	tests := []struct {
		name, rr, typ, value string
		mod                  func(*alidns.AddDomainRecordRequest)
		code                 string
	}{
		{"duplicate", "api", "A", "203.0.113.10", nil, "DomainRecordDuplicate"},
		{"duplicate CNAME", "ws", "CNAME", "alb-fake01.cn-hangzhou.alb.aliyuncs.com", nil, "DomainRecordDuplicate"},
		{"uppercase host value", "u1", "CNAME", "ALB-fake01.cn-hangzhou.alb.aliyuncs.com", nil, "SubDomainInvalid.Value"},
		{"CNAME beside A", "api", "CNAME", "x.example.net", nil, "DomainRecordConflict"},
		{"A beside CNAME", "ws", "A", "192.0.2.1", nil, "DomainRecordConflict"},
		{"TXT beside CNAME", "ws", "TXT", "v=1", nil, "DomainRecordConflict"},
		{"second CNAME", "ws", "CNAME", "other.example.net", nil, "DomainRecordConflict"},
		{"URL beside A", "api", "FORWARD_URL", "https://example.net/", nil, "DomainRecordConflict"},
		{"unknown zone", "x", "A", "192.0.2.1", func(r *alidns.AddDomainRecordRequest) { r.DomainName = tea.String("nope.com") }, "InvalidDomainName.NoExist"},
		{"subdomain is not a zone", "x", "A", "192.0.2.1", func(r *alidns.AddDomainRecordRequest) { r.DomainName = tea.String("www.example.com") }, "InvalidDomainName.NoExist"},
		{"TTL too small", "t1", "A", "192.0.2.1", func(r *alidns.AddDomainRecordRequest) { r.TTL = tea.Int64(599) }, "QuotaExceeded.TTL"},
		{"TTL too large", "t2", "A", "192.0.2.1", func(r *alidns.AddDomainRecordRequest) { r.TTL = tea.Int64(86401) }, "QuotaExceeded.TTL"},
		{"A with hostname", "b1", "A", "example.net", nil, "SubDomainInvalid.Value"},
		{"A with IPv6", "b2", "A", "2001:db8::1", nil, "SubDomainInvalid.Value"},
		{"CNAME with IP-ish", "b3", "CNAME", "not a host", nil, "SubDomainInvalid.Value"},
		{"CNAME trailing dot", "b4", "CNAME", "alb.example.net.", nil, "SubDomainInvalid.Value"},
		{"empty RR", "", "A", "192.0.2.1", nil, "MissingParameter"},
		{"bad RR", "a..b", "A", "192.0.2.1", nil, "InvalidRR.Format"},
		{"uppercase RR", "WWW", "A", "192.0.2.1", nil, "InvalidRR.Format"},
		{"star inside RR", "a.*", "A", "192.0.2.1", nil, "InvalidRR.Format"},
		{"bad type", "c1", "PTR", "x.example.net", nil, "InvalidParameter"},
		{"bad line", "c2", "A", "192.0.2.1", func(r *alidns.AddDomainRecordRequest) { r.Line = tea.String("cn_mobile_anhui") }, "InvalidParameter"},
		{"MX without priority", "m1", "MX", "mx.example.net", nil, "MissingParameter"},
		{"MX priority range", "m2", "MX", "mx.example.net", func(r *alidns.AddDomainRecordRequest) { r.Priority = tea.Int64(51) }, "InvalidParameter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mods []func(*alidns.AddDomainRecordRequest)
			if tc.mod != nil {
				mods = append(mods, tc.mod)
			}
			_, err := dnsAdd(c, tc.rr, tc.typ, tc.value, mods...)
			fcWantErr(t, err, tc.code, 400)
		})
	}
}

func TestDNSUpdate(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcDNS(t, ts)
	id, err := dnsAdd(c, "ws", "A", "203.0.113.10")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dnsAdd(c, "ws", "A", "203.0.113.11"); err != nil {
		t.Fatal(err)
	}
	if _, err := dnsAdd(c, "www", "CNAME", "a.example.net"); err != nil {
		t.Fatal(err)
	}
	upd := func(rr, typ, value string, ttl int64) error {
		req := &alidns.UpdateDomainRecordRequest{RecordId: tea.String(id), RR: tea.String(rr), Type: tea.String(typ), Value: tea.String(value)}
		if ttl != 0 {
			req.TTL = tea.Int64(ttl)
		}
		_, err := c.UpdateDomainRecord(req)
		return err
	}
	fcWantErr(t, upd("ws", "A", "203.0.113.10", 0), "DomainRecordDuplicate", 400)   // changes nothing
	fcWantErr(t, upd("ws", "A", "203.0.113.10", 600), "DomainRecordDuplicate", 400) // TTL 600 is the default
	fcWantErr(t, upd("ws", "A", "203.0.113.11", 0), "DomainRecordDuplicate", 400)   // same as the other record
	fcWantErr(t, upd("ws", "CNAME", "b.example.net", 0), "DomainRecordConflict", 400)
	fcWantErr(t, upd("www", "A", "203.0.113.10", 0), "DomainRecordConflict", 400)
	fcWantErr(t, upd("ws", "A", "203.0.113.10", 60), "QuotaExceeded.TTL", 400)
	if err := upd("ws", "A", "203.0.113.10", 1800); err != nil { // TTL change only
		t.Fatal(err)
	}
	if err := upd("ws", "A", "203.0.113.12", 1800); err != nil {
		t.Fatal(err)
	}
	info, err := c.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if b := info.Body; tea.StringValue(b.Value) != "203.0.113.12" || tea.Int64Value(b.TTL) != 1800 || tea.StringValue(b.Status) != "ENABLE" ||
		tea.StringValue(b.Line) != "default" || tea.StringValue(b.DomainName) != "example.com" || tea.StringValue(b.DomainId) == "" {
		t.Fatalf("info %v", b)
	}
	_, err = c.UpdateDomainRecord(&alidns.UpdateDomainRecordRequest{RecordId: tea.String("123"), RR: tea.String("x"), Type: tea.String("A"), Value: tea.String("192.0.2.1")})
	fcWantErr(t, err, "DomainRecordNotBelongToUser", 400)
}

func TestDNSRemarkStatusDelete(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcDNS(t, ts)
	id, err := dnsAdd(c, "ws", "A", "203.0.113.10")
	if err != nil {
		t.Fatal(err)
	}
	remark := strings.Repeat("栈", 50)
	if _, err := c.UpdateDomainRecordRemark(&alidns.UpdateDomainRecordRemarkRequest{RecordId: tea.String(id), Remark: tea.String(remark)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateDomainRecordRemark(&alidns.UpdateDomainRecordRemarkRequest{RecordId: tea.String(id), Remark: tea.String(remark + "x")})
	fcWantErr(t, err, "InvalidParameter", 400)
	st, err := c.SetDomainRecordStatus(&alidns.SetDomainRecordStatusRequest{RecordId: tea.String(id), Status: tea.String("Disable")})
	if err != nil || tea.StringValue(st.Body.Status) != "Disable" {
		t.Fatalf("%v %v", err, st)
	}
	_, err = c.SetDomainRecordStatus(&alidns.SetDomainRecordStatusRequest{RecordId: tea.String(id), Status: tea.String("Off")})
	fcWantErr(t, err, "InvalidParameter", 400)
	sub, err := c.DescribeSubDomainRecords(&alidns.DescribeSubDomainRecordsRequest{SubDomain: tea.String("ws.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	r := sub.Body.DomainRecords.Record[0]
	if tea.StringValue(r.Remark) != remark || tea.StringValue(r.Status) != "DISABLE" {
		t.Fatalf("record %v", r)
	}
	// Empty remark clears it.
	if _, err := c.UpdateDomainRecordRemark(&alidns.UpdateDomainRecordRemarkRequest{RecordId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	if rec := ts.Snapshot().DNS.Domains[0].Records[0]; rec.Remark != "" {
		t.Fatalf("remark %q", rec.Remark)
	}

	if _, err := c.DeleteDomainRecord(&alidns.DeleteDomainRecordRequest{RecordId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteDomainRecord(&alidns.DeleteDomainRecordRequest{RecordId: tea.String(id)})
	fcWantErr(t, err, "DomainRecordNotBelongToUser", 400)
	_, err = c.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(id)})
	fcWantErr(t, err, "DomainRecordNotBelongToUser", 400)

	// DeleteSubDomainRecords: all types of one host, or one type.
	for _, rec := range [][2]string{{"A", "192.0.2.1"}, {"A", "192.0.2.2"}, {"TXT", "t"}} {
		if _, err := dnsAdd(c, "multi", rec[0], rec[1]); err != nil {
			t.Fatal(err)
		}
	}
	del, err := c.DeleteSubDomainRecords(&alidns.DeleteSubDomainRecordsRequest{DomainName: tea.String("example.com"), RR: tea.String("multi"), Type: tea.String("TXT")})
	if err != nil || tea.StringValue(del.Body.TotalCount) != "1" {
		t.Fatalf("%v %v", err, del)
	}
	del, err = c.DeleteSubDomainRecords(&alidns.DeleteSubDomainRecordsRequest{DomainName: tea.String("example.com"), RR: tea.String("multi")})
	if err != nil || tea.StringValue(del.Body.TotalCount) != "2" || tea.StringValue(del.Body.RR) != "multi" {
		t.Fatalf("%v %v", err, del)
	}
	_, err = c.DeleteSubDomainRecords(&alidns.DeleteSubDomainRecordsRequest{DomainName: tea.String("example.com"), RR: tea.String("multi")})
	fcWantErr(t, err, "InvalidRR.NoExist", 400)
}

func TestDNSPaging(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcDNS(t, ts)
	var ids []string
	for i := 0; i < 25; i++ {
		id, err := dnsAdd(c, fmt.Sprintf("h%02d", i), "A", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	page := func(num, size int64) *alidns.DescribeDomainRecordsResponseBody {
		t.Helper()
		req := &alidns.DescribeDomainRecordsRequest{DomainName: tea.String("example.com")}
		if num != 0 {
			req.PageNumber = tea.Int64(num)
		}
		if size != 0 {
			req.PageSize = tea.Int64(size)
		}
		resp, err := c.DescribeDomainRecords(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Body
	}
	p1 := page(0, 0)
	if len(p1.DomainRecords.Record) != 20 || tea.Int64Value(p1.TotalCount) != 25 || tea.Int64Value(p1.PageNumber) != 1 || tea.Int64Value(p1.PageSize) != 20 {
		t.Fatalf("page 1: %d records, %v", len(p1.DomainRecords.Record), p1)
	}
	// Newest first by default.
	if got := tea.StringValue(p1.DomainRecords.Record[0].RecordId); got != ids[24] {
		t.Errorf("first record %s, want newest %s", got, ids[24])
	}
	p2 := page(2, 0)
	if len(p2.DomainRecords.Record) != 5 || tea.StringValue(p2.DomainRecords.Record[4].RecordId) != ids[0] {
		t.Fatalf("page 2: %v", p2)
	}
	if p := page(1, 500); len(p.DomainRecords.Record) != 25 {
		t.Fatalf("page size 500: %d", len(p.DomainRecords.Record))
	}
	_, err := c.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String("example.com"), PageSize: tea.Int64(501)})
	fcWantErr(t, err, "InvalidParameter", 400)
	_, err = c.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String("example.com"), PageNumber: tea.Int64(0)})
	fcWantErr(t, err, "InvalidParameter", 400)
	_, err = c.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String("nope.com")})
	fcWantErr(t, err, "InvalidDomainName.NoExist", 400)

	// RRKeyWord is a fuzzy match: h1 matches h10..h19.
	resp, err := c.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String("example.com"), RRKeyWord: tea.String("h1")})
	if err != nil || tea.Int64Value(resp.Body.TotalCount) != 10 {
		t.Fatalf("RRKeyWord: %v %v", err, resp)
	}
	// DescribeSubDomainRecords caps PageSize at 100.
	_, err = c.DescribeSubDomainRecords(&alidns.DescribeSubDomainRecordsRequest{SubDomain: tea.String("h01.example.com"), PageSize: tea.Int64(101)})
	fcWantErr(t, err, "InvalidParameter", 400)
}

func TestDNSSubDomainSemantics(t *testing.T) {
	seed := DemoSeed()
	seed.Domains = append(seed.Domains, "www.example.com") // a delegated sub-zone
	ts := NewTestServer(t, Options{Seed: seed})
	c := fcDNS(t, ts)
	if _, err := dnsAdd(c, "a.www", "A", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := dnsAdd(c, "@", "A", "192.0.2.2"); err != nil {
		t.Fatal(err)
	}
	resp, err := c.AddDomainRecord(&alidns.AddDomainRecordRequest{DomainName: tea.String("www.example.com"), RR: tea.String("a"), Type: tea.String("A"), Value: tea.String("192.0.2.3")})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp
	tests := []struct {
		name, sub, domain string
		want              string // "zone RR value"
		code              string
	}{
		{"without DomainName the zone is the last two labels", "a.www.example.com", "", "example.com a.www 192.0.2.1", ""},
		{"with DomainName", "a.www.example.com", "www.example.com", "www.example.com a 192.0.2.3", ""},
		{"apex", "example.com", "", "example.com @ 192.0.2.2", ""},
		{"no records", "b.example.com", "", "", ""},
		{"unknown zone", "a.nope.com", "", "", "InvalidDomainName.NoExist"},
		{"outside DomainName", "a.example.org", "example.com", "", "InvalidParameter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := &alidns.DescribeSubDomainRecordsRequest{SubDomain: tea.String(tc.sub)}
			if tc.domain != "" {
				req.DomainName = tea.String(tc.domain)
			}
			resp, err := c.DescribeSubDomainRecords(req)
			if tc.code != "" {
				fcWantErr(t, err, tc.code, 400)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range resp.Body.DomainRecords.Record {
				got = append(got, tea.StringValue(r.DomainName)+" "+tea.StringValue(r.RR)+" "+tea.StringValue(r.Value))
			}
			if strings.Join(got, ",") != tc.want || tea.Int64Value(resp.Body.TotalCount) != int64(len(got)) {
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}

func TestDNSDomains(t *testing.T) {
	seed := DemoSeed()
	seed.Domains = []string{"example.com", "example.org", "test.net"}
	ts := NewTestServer(t, Options{Seed: seed})
	c := fcDNS(t, ts)
	if _, err := dnsAdd(c, "ws", "A", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	names := func(req *alidns.DescribeDomainsRequest) string {
		t.Helper()
		resp, err := c.DescribeDomains(req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range resp.Body.Domains.Domain {
			out = append(out, fmt.Sprintf("%s/%d/%s", tea.StringValue(d.DomainName), tea.Int64Value(d.RecordCount), tea.StringValue(d.VersionCode)))
		}
		return fmt.Sprintf("%v total=%d", out, tea.Int64Value(resp.Body.TotalCount))
	}
	if got := names(&alidns.DescribeDomainsRequest{}); got != "[example.com/1/mianfei example.org/0/mianfei test.net/0/mianfei] total=3" {
		t.Errorf("all: %s", got)
	}
	if got := names(&alidns.DescribeDomainsRequest{KeyWord: tea.String("example")}); got != "[example.com/1/mianfei example.org/0/mianfei] total=2" {
		t.Errorf("like: %s", got)
	}
	if got := names(&alidns.DescribeDomainsRequest{KeyWord: tea.String("example"), SearchMode: tea.String("EXACT")}); got != "[] total=0" {
		t.Errorf("exact: %s", got)
	}
	if got := names(&alidns.DescribeDomainsRequest{PageNumber: tea.Int64(2), PageSize: tea.Int64(2)}); got != "[test.net/0/mianfei] total=3" {
		t.Errorf("page 2: %s", got)
	}
	_, err := c.DescribeDomains(&alidns.DescribeDomainsRequest{PageSize: tea.Int64(101)})
	fcWantErr(t, err, "InvalidParameter", 400)

	info, err := c.DescribeDomainInfo(&alidns.DescribeDomainInfoRequest{DomainName: tea.String("example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if tea.Int64Value(info.Body.MinTtl) != 600 || tea.StringValue(info.Body.VersionCode) != "mianfei" || len(info.Body.DnsServers.DnsServer) == 0 {
		t.Fatalf("info %v", info.Body)
	}
	_, err = c.DescribeDomainInfo(&alidns.DescribeDomainInfoRequest{DomainName: tea.String("nope.com")})
	fcWantErr(t, err, "InvalidDomainName.NoExist", 400)
}

func TestDNSFailedWriteChangesNothing(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcDNS(t, ts)
	if _, err := dnsAdd(c, "ws", "A", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	before := ts.Snapshot()
	_, err := dnsAdd(c, "ws", "A", "192.0.2.1")
	fcWantErr(t, err, "DomainRecordDuplicate", 400)
	after := ts.Snapshot()
	if before.DNS.LastRecord != after.DNS.LastRecord || len(after.DNS.Domains[0].Records) != 1 {
		t.Fatalf("failed write changed the world: %+v", after.DNS)
	}
}
