// Package dns adapts the Alidns SDK (alidns-20150109) to wsdeploy's resource vocabulary.
package dns

import (
	"context"
	"fmt"
	"strconv"
	"time"

	dnssdk "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Client calls Alidns.
type Client struct {
	sdk   *cloud.Pool[*dnssdk.Client]
	cfg   cloud.Config
	rt    *dara.RuntimeOptions
	retry cloud.Retry
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	oc, err := cfg.OpenAPI()
	if err != nil {
		return nil, err
	}
	if _, err := dnssdk.NewClient(oc); err != nil {
		return nil, fmt.Errorf("create Alidns client: %w", err)
	}
	sdk := cloud.NewPool(func() (*dnssdk.Client, error) { return dnssdk.NewClient(oc) })
	return &Client{sdk: sdk, cfg: cfg, rt: &dara.RuntimeOptions{}, retry: cfg.Retry}, nil
}

func (c *Client) call(ctx context.Context, action string, write bool, fn func(ctx context.Context, sdk *dnssdk.Client) error) error {
	return c.retry.Do(ctx, func(ctx context.Context) error { return c.once(ctx, action, write, fn) })
}

// once runs a call exactly once: Alidns has no ClientToken, so AddDomainRecord
// is not repeated blindly (see apply's recovery by lookup).
func (c *Client) once(ctx context.Context, action string, write bool, fn func(ctx context.Context, sdk *dnssdk.Client) error) error {
	start := time.Now()
	err := c.sdk.Use(func(sdk *dnssdk.Client) error { return fn(ctx, sdk) })
	err = c.cfg.Classify("alidns", action, err)
	if c.cfg.Trace != nil {
		c.cfg.Trace(cloud.Call{Product: "alidns", Action: action, Write: write, Err: err, Millis: time.Since(start).Milliseconds()})
	}
	return err
}

// RecordsAt lists every record whose host is exactly rr in domain, all pages.
func (c *Client) RecordsAt(ctx context.Context, domain, rr string) ([]resource.Record, error) {
	sub := domain
	if rr != "@" {
		sub = rr + "." + domain
	}
	var out []resource.Record
	for page := int64(1); ; page++ {
		var total int64
		err := c.call(ctx, "DescribeSubDomainRecords", false, func(ctx context.Context, sdk *dnssdk.Client) error {
			resp, err := sdk.DescribeSubDomainRecordsWithContext(ctx, &dnssdk.DescribeSubDomainRecordsRequest{
				SubDomain: tea.String(sub), DomainName: tea.String(domain), PageNumber: tea.Int64(page), PageSize: tea.Int64(100),
			}, c.rt)
			if err != nil {
				return err
			}
			total = tea.Int64Value(resp.Body.TotalCount)
			if resp.Body.DomainRecords == nil {
				return nil
			}
			for _, r := range resp.Body.DomainRecords.Record {
				if tea.StringValue(r.RR) != rr {
					continue
				}
				out = append(out, resource.Record{
					ID: tea.StringValue(r.RecordId), Domain: domain, RR: tea.StringValue(r.RR), Type: tea.StringValue(r.Type),
					Value: tea.StringValue(r.Value), TTL: int(tea.Int64Value(r.TTL)), Line: tea.StringValue(r.Line),
					Status: tea.StringValue(r.Status), Remark: tea.StringValue(r.Remark),
				})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if page*100 >= total {
			return out, nil
		}
	}
}

// RecordsWithRemark lists every record of a zone that carries remark, all
// pages (`down` finds the stack's records even after dns.rr changed).
func (c *Client) RecordsWithRemark(ctx context.Context, domain, remark string) ([]resource.Record, error) {
	var out []resource.Record
	for page := int64(1); ; page++ {
		var total int64
		var got []resource.Record
		err := c.call(ctx, "DescribeDomainRecords", false, func(ctx context.Context, sdk *dnssdk.Client) error {
			got = nil
			resp, err := sdk.DescribeDomainRecordsWithContext(ctx, &dnssdk.DescribeDomainRecordsRequest{
				DomainName: tea.String(domain), PageNumber: tea.Int64(page), PageSize: tea.Int64(500),
			}, c.rt)
			if err != nil {
				return err
			}
			total = tea.Int64Value(resp.Body.TotalCount)
			if resp.Body.DomainRecords == nil {
				return nil
			}
			for _, r := range resp.Body.DomainRecords.Record {
				if tea.StringValue(r.Remark) != remark {
					continue
				}
				got = append(got, resource.Record{
					ID: tea.StringValue(r.RecordId), Domain: domain, RR: tea.StringValue(r.RR), Type: tea.StringValue(r.Type),
					Value: tea.StringValue(r.Value), TTL: int(tea.Int64Value(r.TTL)), Line: tea.StringValue(r.Line),
					Status: tea.StringValue(r.Status), Remark: tea.StringValue(r.Remark),
				})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if page*500 >= total {
			return out, nil
		}
	}
}

// MinTTL returns the smallest TTL the domain's DNS edition allows.
func (c *Client) MinTTL(ctx context.Context, domain string) (int, error) {
	var min int
	err := c.call(ctx, "DescribeDomainInfo", false, func(ctx context.Context, sdk *dnssdk.Client) error {
		resp, err := sdk.DescribeDomainInfoWithContext(ctx, &dnssdk.DescribeDomainInfoRequest{DomainName: tea.String(domain)}, c.rt)
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
	err := c.once(ctx, "AddDomainRecord", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		resp, err := sdk.AddDomainRecordWithContext(ctx, &dnssdk.AddDomainRecordRequest{
			DomainName: tea.String(r.Domain), RR: tea.String(r.RR), Type: tea.String(r.Type), Value: tea.String(r.Value), TTL: tea.Int64(int64(r.TTL)),
		}, c.rt)
		if err != nil {
			return err
		}
		id = tea.StringValue(resp.Body.RecordId)
		return nil
	})
	return id, err
}

// UpdateRecord sets type, value and TTL of a record.
func (c *Client) UpdateRecord(ctx context.Context, r resource.Record) error {
	return c.call(ctx, "UpdateDomainRecord", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		_, err := sdk.UpdateDomainRecordWithContext(ctx, &dnssdk.UpdateDomainRecordRequest{
			RecordId: tea.String(r.ID), RR: tea.String(r.RR), Type: tea.String(r.Type), Value: tea.String(r.Value), TTL: tea.Int64(int64(r.TTL)),
		}, c.rt)
		return err
	})
}

// SetRemark sets a record's remark (wsdeploy's ownership marker).
func (c *Client) SetRemark(ctx context.Context, id, remark string) error {
	return c.call(ctx, "UpdateDomainRecordRemark", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		_, err := sdk.UpdateDomainRecordRemarkWithContext(ctx, &dnssdk.UpdateDomainRecordRemarkRequest{RecordId: tea.String(id), Remark: tea.String(remark)}, c.rt)
		return err
	})
}

// DeleteRecord deletes a record by ID. Already gone is success.
func (c *Client) DeleteRecord(ctx context.Context, id string) error {
	err := c.call(ctx, "DeleteDomainRecord", true, func(ctx context.Context, sdk *dnssdk.Client) error {
		_, err := sdk.DeleteDomainRecordWithContext(ctx, &dnssdk.DeleteDomainRecordRequest{RecordId: tea.String(id)}, c.rt)
		return err
	})
	if cloud.IsNotFound(err) {
		return nil
	}
	return err
}

// ParseTTL is a helper for callers that hold TTLs as text.
func ParseTTL(s string) (int, error) { return strconv.Atoi(s) }
