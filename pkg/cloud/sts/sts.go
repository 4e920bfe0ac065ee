// Package sts asks STS (API 2015-04-01) which account the credentials act
// in: GetCallerIdentity, which every valid credential may call without any
// RAM permission. A saved plan records the account it was made in, and
// `up FILE` applies it only there. No STS ACS3 SDK is a dependency, so the
// call goes through darabonba-openapi's generic CallApi (cloud.RPC).
package sts

import (
	"context"
	"fmt"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// Version is the STS API version.
const Version = "2015-04-01"

// Client calls STS.
type Client struct {
	rpc *cloud.RPC
}

// New builds a client (the central endpoint sts.aliyuncs.com, or cfg.Endpoint).
func New(cfg cloud.Config) (*Client, error) {
	rpc, err := cloud.NewRPC(cfg, "sts", "STS", Version, "sts.aliyuncs.com")
	return &Client{rpc: rpc}, err
}

// Identity is who the credentials are.
type Identity struct {
	AccountID string // the Alibaba Cloud account (main account UID)
	Arn       string // acs:ram::<account>:user/<name>, …:assumed-role/<role>/<session>, …:root
}

// CallerIdentity is GetCallerIdentity.
func (c *Client) CallerIdentity(ctx context.Context) (Identity, error) {
	body, err := c.rpc.Call(ctx, "GetCallerIdentity", false, nil)
	var id Identity
	id.AccountID, _ = body["AccountId"].(string)
	id.Arn, _ = body["Arn"].(string)
	if err != nil {
		return id, fmt.Errorf("read the account the credentials act in (STS GetCallerIdentity): %w", err)
	}
	if id.AccountID == "" {
		return id, fmt.Errorf("read the account the credentials act in: STS GetCallerIdentity answered no AccountId")
	}
	return id, nil
}
