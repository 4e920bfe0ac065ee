// Package sts asks STS (API 2015-04-01) which account the credentials act
// in: GetCallerIdentity, which every valid credential may call without any
// RAM permission. A saved plan records the account it was made in, and
// `up FILE` applies it only there. No STS ACS3 SDK is a dependency, so the
// call goes through darabonba-openapi's generic CallApi (RPC style).
package sts

import (
	"context"
	"fmt"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// Version is the STS API version.
const Version = "2015-04-01"

// Client calls STS.
type Client struct {
	api *cloud.Service[*openapi.Client]
}

// New builds a client (the central endpoint sts.aliyuncs.com, or cfg.Endpoint).
func New(cfg cloud.Config) (*Client, error) {
	api, err := cloud.NewService(cfg, "sts", "STS", func(oc *openapiutil.Config) (*openapi.Client, error) {
		c := *oc
		if c.Endpoint == nil {
			c.Endpoint = tea.String("sts.aliyuncs.com")
		}
		return openapi.NewClient(&c)
	})
	return &Client{api: api}, err
}

// Identity is who the credentials are.
type Identity struct {
	AccountID string // the Alibaba Cloud account (main account UID)
	Arn       string // acs:ram::<account>:user/<name>, …:assumed-role/<role>/<session>, …:root
}

// CallerIdentity is GetCallerIdentity.
func (c *Client) CallerIdentity(ctx context.Context) (Identity, error) {
	params := &openapiutil.Params{
		Action: tea.String("GetCallerIdentity"), Version: tea.String(Version), Protocol: tea.String("HTTPS"), Pathname: tea.String("/"),
		Method: tea.String("POST"), AuthType: tea.String("AK"), Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	var id Identity
	err := c.api.Call(ctx, "GetCallerIdentity", false, func(ctx context.Context, sdk *openapi.Client) error {
		resp, err := sdk.CallApiWithCtx(ctx, params, &openapiutil.OpenApiRequest{}, c.api.Runtime)
		if err != nil {
			return err
		}
		body, _ := resp["body"].(map[string]any)
		id.AccountID, _ = body["AccountId"].(string)
		id.Arn, _ = body["Arn"].(string)
		return nil
	})
	if err != nil {
		return id, fmt.Errorf("read the account the credentials act in (STS GetCallerIdentity): %w", err)
	}
	if id.AccountID == "" {
		return id, fmt.Errorf("read the account the credentials act in: STS GetCallerIdentity answered no AccountId")
	}
	return id, nil
}
