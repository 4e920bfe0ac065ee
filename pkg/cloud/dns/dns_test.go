package dns_test

import (
	"context"
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
