package dns_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/dns"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func records(fc *fakecloud.TestServer) []fakecloud.DNSRecord {
	var out []fakecloud.DNSRecord
	for _, d := range fc.Snapshot().DNS.Domains {
		out = append(out, d.Records...)
	}
	return out
}

// TestCreateRecordOnce: Alidns takes no ClientToken; when the answer to
// AddDomainRecord is lost, CreateRecord finds the record the attempt made
// instead of adding it again. Updating a record to the values it holds is
// success.
func TestCreateRecordOnce(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{}, dns.New)
	if err := fc.AddFaults(fakecloud.Fault{Product: "alidns", Action: "AddDomainRecord", CommitThenFail: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	r := resource.Record{Domain: "example.com", RR: "chat", Type: "A", Value: "203.0.113.10", TTL: 600}
	id, err := c.CreateRecord(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	recs := records(fc)
	if len(recs) != 1 || recs[0].ID != id || recs[0].Value != r.Value {
		t.Fatalf("records after a lost answer: %+v, want one (%s)", recs, id)
	}
	if adds := cloudtest.Count(fc, "AddDomainRecord"); adds != 1 {
		t.Errorf("AddDomainRecord sent %d times, want once", adds)
	}
	r.ID = id
	if err := c.UpdateRecord(context.Background(), r); err != nil {
		t.Errorf("update to the values the record holds: %v", err)
	}
}

// TestRecordListsReadEveryPage: RecordsAt and RecordsWithRemark page through
// lists longer than one page (100 and 500 records a page) and return only the
// records of the host or the remark asked for.
func TestRecordListsReadEveryPage(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{}, dns.New)
	err := fc.Update(func(st *fakecloud.State) error {
		for i := range st.DNS.Domains {
			d := &st.DNS.Domains[i]
			if d.Name != "example.com" {
				continue
			}
			add := func(rr, remark string, n int) {
				for k := 0; k < n; k++ {
					st.DNS.LastRecord++
					d.Records = append(d.Records, fakecloud.DNSRecord{
						ID: fmt.Sprint(1900000000000000000 + st.DNS.LastRecord), RR: rr, Type: "A",
						Value: fmt.Sprintf("203.0.%d.%d", k/200, k%200+1), TTL: 600, Line: "default", Status: "ENABLE", Remark: remark,
					})
				}
			}
			add("chat", "", 130)
			add("chat2", "", 5) // not chat's: a longer host with the same prefix
			add("api", "wsdeploy:stack=x", 260)
			add("www", "wsdeploy:stack=x", 260)
			add("www", "other", 3)
			return nil
		}
		return errors.New("no example.com in the demo world")
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at, err := c.RecordsAt(ctx, "example.com", "chat")
	if err != nil {
		t.Fatal(err)
	}
	if len(at) != 130 {
		t.Errorf("RecordsAt(chat) returned %d records, want 130", len(at))
	}
	for _, r := range at {
		if r.RR != "chat" || r.Domain != "example.com" || r.ID == "" || r.TTL != 600 {
			t.Fatalf("RecordsAt(chat) returned %+v", r)
		}
	}
	if n := cloudtest.Count(fc, "DescribeSubDomainRecords"); n != 2 {
		t.Errorf("DescribeSubDomainRecords sent %d times, want 2 (pages of 100)", n)
	}
	marked, err := c.RecordsWithRemark(ctx, "example.com", "wsdeploy:stack=x")
	if err != nil {
		t.Fatal(err)
	}
	if len(marked) != 520 {
		t.Errorf("RecordsWithRemark returned %d records, want 520", len(marked))
	}
	for _, r := range marked {
		if r.Remark != "wsdeploy:stack=x" {
			t.Fatalf("RecordsWithRemark returned %+v", r)
		}
	}
	if n := cloudtest.Count(fc, "DescribeDomainRecords"); n < 2 {
		t.Errorf("DescribeDomainRecords sent %d times, want a page per 500 records", n)
	}
}
