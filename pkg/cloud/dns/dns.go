// Package dns adapts the Alidns SDK (alidns-20150109) to wsdeploy's resource vocabulary.
package dns

import (
	"context"
	"strconv"

	dnssdk "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Client calls Alidns.
type Client struct {
	api *cloud.Service[*dnssdk.Client]
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	api, err := cloud.NewService(cfg, "alidns", "Alidns", dnssdk.NewClient)
	return &Client{api: api}, err
}

// RecordsAt lists every record whose host is exactly rr in domain, all pages.
func (c *Client) RecordsAt(ctx context.Context, domain, rr string) ([]resource.Record, error) {
	sub := domain
	if rr != "@" {
		sub = rr + "." + domain
	}
	return c.allRecords(ctx, "DescribeSubDomainRecords", 100, func(ctx context.Context, sdk *dnssdk.Client, page, size int64) ([]resource.Record, int64, error) {
		resp, err := sdk.DescribeSubDomainRecordsWithContext(ctx, &dnssdk.DescribeSubDomainRecordsRequest{
			SubDomain: tea.String(sub), DomainName: tea.String(domain), PageNumber: tea.Int64(page), PageSize: tea.Int64(size),
		}, c.api.Runtime)
		if err != nil {
			return nil, 0, err
		}
		total := tea.Int64Value(resp.Body.TotalCount)
		if resp.Body.DomainRecords == nil {
			return nil, total, nil
		}
		return toRecords(domain, resp.Body.DomainRecords.Record), total, nil
	}, func(r resource.Record) bool { return r.RR == rr })
}

// RecordsWithRemark lists every record of a zone that carries remark, all
// pages (`down` finds the stack's records even after dns.rr changed).
func (c *Client) RecordsWithRemark(ctx context.Context, domain, remark string) ([]resource.Record, error) {
	return c.allRecords(ctx, "DescribeDomainRecords", 500, func(ctx context.Context, sdk *dnssdk.Client, page, size int64) ([]resource.Record, int64, error) {
		resp, err := sdk.DescribeDomainRecordsWithContext(ctx, &dnssdk.DescribeDomainRecordsRequest{
			DomainName: tea.String(domain), PageNumber: tea.Int64(page), PageSize: tea.Int64(size),
		}, c.api.Runtime)
		if err != nil {
			return nil, 0, err
		}
		total := tea.Int64Value(resp.Body.TotalCount)
		if resp.Body.DomainRecords == nil {
			return nil, total, nil
		}
		return toRecords(domain, resp.Body.DomainRecords.Record), total, nil
	}, func(r resource.Record) bool { return r.Remark == remark })
}

// allRecords pages a record list, size records a page, to its end: fetch
// reads one page and answers its records and the list's total; keep picks
// the records to return.
func (c *Client) allRecords(ctx context.Context, action string, size int64,
	fetch func(ctx context.Context, sdk *dnssdk.Client, page, size int64) ([]resource.Record, int64, error),
	keep func(resource.Record) bool) ([]resource.Record, error) {
	var out []resource.Record
	for page := int64(1); ; page++ {
		var total int64
		var got []resource.Record
		err := c.api.Call(ctx, action, false, func(ctx context.Context, sdk *dnssdk.Client) error {
			recs, t, err := fetch(ctx, sdk, page, size)
			if err != nil {
				return err
			}
			got, total = nil, t
			for _, r := range recs {
				if keep(r) {
					got = append(got, r)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if page*size >= total {
			return out, nil
		}
	}
}

// sdkRecord is a record as DescribeSubDomainRecords and DescribeDomainRecords
// answer it (two SDK types with the same fields).
type sdkRecord interface {
	GetRecordId() *string
	GetRR() *string
	GetType() *string
	GetValue() *string
	GetTTL() *int64
	GetLine() *string
	GetStatus() *string
	GetRemark() *string
}

// toRecords converts the records of a list answer.
func toRecords[R sdkRecord](domain string, list []R) []resource.Record {
	out := make([]resource.Record, 0, len(list))
	for _, r := range list {
		out = append(out, resource.Record{
			ID: tea.StringValue(r.GetRecordId()), Domain: domain, RR: tea.StringValue(r.GetRR()), Type: tea.StringValue(r.GetType()),
			Value: tea.StringValue(r.GetValue()), TTL: int(tea.Int64Value(r.GetTTL())), Line: tea.StringValue(r.GetLine()),
			Status: tea.StringValue(r.GetStatus()), Remark: tea.StringValue(r.GetRemark()),
		})
	}
	return out
}

// MinTTL returns the smallest TTL the domain's DNS edition allows.
func (c *Client) MinTTL(ctx context.Context, domain string) (int, error) {
	var min int
	err := c.api.Call(ctx, "DescribeDomainInfo", false, func(ctx context.Context, sdk *dnssdk.Client) error {
		resp, err := sdk.DescribeDomainInfoWithContext(ctx, &dnssdk.DescribeDomainInfoRequest{DomainName: tea.String(domain)}, c.api.Runtime)
		if err != nil {
			return err
		}
		min = int(tea.Int64Value(resp.Body.MinTtl))
		return nil
	})
	return min, err
}

// AddRecord creates a record and returns its ID.
func (c *Client) AddRecord(ctx context.Context, r resource.Record) (string, error) {
	var id string
	err := c.api.Once(ctx, "AddDomainRecord", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		resp, err := sdk.AddDomainRecordWithContext(ctx, &dnssdk.AddDomainRecordRequest{
			DomainName: tea.String(r.Domain), RR: tea.String(r.RR), Type: tea.String(r.Type), Value: tea.String(r.Value), TTL: tea.Int64(int64(r.TTL)),
		}, c.api.Runtime)
		if err != nil {
			return err
		}
		id = tea.StringValue(resp.Body.RecordId)
		return nil
	})
	return id, err
}

// CreateRecord creates a record once and returns its ID: when an attempt's
// answer is lost, it finds the record that attempt made (same type and value
// at the name) instead of adding a second one (cloud.Retry.Create).
func (c *Client) CreateRecord(ctx context.Context, r resource.Record) (string, error) {
	var id string
	err := c.api.Config.Retry.Create(ctx, func(ctx context.Context) (err error) {
		id, err = c.AddRecord(ctx, r)
		return err
	}, func(ctx context.Context) (bool, error) {
		recs, err := c.RecordsAt(ctx, r.Domain, r.RR)
		if err != nil {
			return false, err
		}
		for _, x := range recs {
			if x.Type == r.Type && x.Value == r.Value {
				id = x.ID // the first attempt's record, its answer lost
				return true, nil
			}
		}
		return false, nil
	})
	return id, err
}

// UpdateRecord sets type, value and TTL of a record. A record that already
// holds them is success (Alidns answers DomainRecordDuplicate).
func (c *Client) UpdateRecord(ctx context.Context, r resource.Record) error {
	err := c.api.Call(ctx, "UpdateDomainRecord", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		_, err := sdk.UpdateDomainRecordWithContext(ctx, &dnssdk.UpdateDomainRecordRequest{
			RecordId: tea.String(r.ID), RR: tea.String(r.RR), Type: tea.String(r.Type), Value: tea.String(r.Value), TTL: tea.Int64(int64(r.TTL)),
		}, c.api.Runtime)
		return err
	})
	if cloud.HasCode(err, "DomainRecordDuplicate") {
		return nil
	}
	return err
}

// SetRemark sets a record's remark (wsdeploy's ownership marker).
func (c *Client) SetRemark(ctx context.Context, id, remark string) error {
	return c.api.Call(ctx, "UpdateDomainRecordRemark", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		_, err := sdk.UpdateDomainRecordRemarkWithContext(ctx, &dnssdk.UpdateDomainRecordRemarkRequest{RecordId: tea.String(id), Remark: tea.String(remark)}, c.api.Runtime)
		return err
	})
}

// DeleteRecord deletes a record by ID. Already gone is success.
func (c *Client) DeleteRecord(ctx context.Context, id string) error {
	err := c.api.Call(ctx, "DeleteDomainRecord", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		_, err := sdk.DeleteDomainRecordWithContext(ctx, &dnssdk.DeleteDomainRecordRequest{RecordId: tea.String(id)}, c.api.Runtime)
		return err
	})
	if cloud.IsNotFound(err) {
		return nil
	}
	return err
}

// ParseTTL is a helper for callers that hold TTLs as text.
func ParseTTL(s string) (int, error) { return strconv.Atoi(s) }
