// Package oos keeps the stack's secret: the Redis password, as an OOS
// (CloudOps Orchestration Service, API 2019-06-01) encrypted parameter, which
// Cloud Assistant commands reference as {{oos-secret:NAME}}. wsdeploy writes
// the value once, when it creates the parameter, and never reads it back:
// only the instances' commands see it. No OOS ACS3 SDK is published, so
// calls go through darabonba-openapi's generic CallApi (RPC style).
package oos

import (
	"context"
	"encoding/json"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// Version is the OOS API version.
const Version = "2019-06-01"

// Client calls OOS.
type Client struct {
	api *cloud.Service[*openapi.Client]
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	region := cfg.Region
	api, err := cloud.NewService(cfg, "oos", "OOS", func(oc *openapiutil.Config) (*openapi.Client, error) {
		c := *oc
		if c.Endpoint == nil {
			c.Endpoint = tea.String("oos." + region + ".aliyuncs.com")
		}
		return openapi.NewClient(&c)
	})
	return &Client{api: api}, err
}

func (c *Client) call(ctx context.Context, action string, write bool, query map[string]*string) (map[string]any, error) {
	params := &openapiutil.Params{
		Action: tea.String(action), Version: tea.String(Version), Protocol: tea.String("HTTPS"), Pathname: tea.String("/"),
		Method: tea.String("POST"), AuthType: tea.String("AK"), Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	query["RegionId"] = tea.String(c.api.Config.Region)
	var out map[string]any
	err := c.api.Call(ctx, action, write, func(ctx context.Context, sdk *openapi.Client) error {
		resp, err := sdk.CallApiWithCtx(ctx, params, &openapiutil.OpenApiRequest{Query: query}, c.api.Runtime)
		if err != nil {
			return err
		}
		out, _ = resp["body"].(map[string]any)
		return nil
	})
	return out, err
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
