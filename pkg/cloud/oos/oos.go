// Package oos keeps the stack's secret: the Redis password, as an OOS
// (CloudOps Orchestration Service, API 2019-06-01) encrypted parameter, which
// Cloud Assistant commands reference as {{oos-secret:NAME}}. wsdeploy writes
// the value once, when it creates the parameter, and never reads it back:
// only the instances' commands see it. No OOS ACS3 SDK is published, so
// calls go through darabonba-openapi's generic CallApi (cloud.RPC).
package oos

import (
	"context"
	"encoding/json"

	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// Version is the OOS API version.
const Version = "2019-06-01"

// Client calls OOS.
type Client struct {
	rpc    *cloud.RPC
	region string
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	rpc, err := cloud.NewRPC(cfg, "oos", "OOS", Version, "oos."+cfg.Region+".aliyuncs.com")
	return &Client{rpc: rpc, region: cfg.Region}, err
}

func (c *Client) call(ctx context.Context, action string, write bool, query map[string]*string) (map[string]any, error) {
	query["RegionId"] = tea.String(c.region)
	return c.rpc.Call(ctx, action, write, query)
}

// SecretExists reports whether the encrypted parameter name exists
// (GetSecretParameter without WithDecryption: its value is not read).
func (c *Client) SecretExists(ctx context.Context, name string) (bool, error) {
	_, err := c.call(ctx, "GetSecretParameter", false, map[string]*string{"Name": tea.String(name), "WithDecryption": tea.String("false")})
	if cloud.HasCode(err, "EntityNotExists.Parameter") {
		return false, nil
	}
	return err == nil, err
}

// CreateSecret creates the encrypted parameter name holding value, tagged
// with tags. This is the one request that carries the value, over TLS to
// OOS, which stores it encrypted with KMS.
func (c *Client) CreateSecret(ctx context.Context, name, value, description string, tags map[string]string, token string) error {
	t, _ := json.Marshal(tags)
	_, err := c.call(ctx, "CreateSecretParameter", true, map[string]*string{
		"Name": tea.String(name), "Value": tea.String(value), "Type": tea.String("Secret"),
		"Description": tea.String(description), "Tags": tea.String(string(t)), "ClientToken": tea.String(token),
	})
	return err
}

// DeleteSecret deletes the encrypted parameter name.
func (c *Client) DeleteSecret(ctx context.Context, name string) error {
	_, err := c.call(ctx, "DeleteSecretParameter", true, map[string]*string{"Name": tea.String(name)})
	return err
}
