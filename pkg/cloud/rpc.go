package cloud

import (
	"context"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"
)

// RPC calls a product whose ACS3 SDK is not a dependency (OOS, STS) through
// darabonba-openapi's generic CallApi, RPC style: a signed form POST to /,
// answered in JSON. Calls follow the Service discipline (pool, classified
// errors, trace, retries).
type RPC struct {
	api     *Service[*openapi.Client]
	version string
}

// NewRPC builds the client of product (name as users know it: "OOS") at API
// version, on endpoint unless cfg names one (a fake's).
func NewRPC(cfg Config, product, name, version, endpoint string) (*RPC, error) {
	api, err := NewService(cfg, product, name, func(oc *openapiutil.Config) (*openapi.Client, error) {
		c := *oc
		if c.Endpoint == nil {
			c.Endpoint = tea.String(endpoint)
		}
		return openapi.NewClient(&c)
	})
	if err != nil {
		return nil, err
	}
	return &RPC{api: api, version: version}, nil
}

// Call runs action with the query parameters query (nil: none), retried per
// Service.Call, and answers the response body.
func (r *RPC) Call(ctx context.Context, action string, write bool, query map[string]*string) (map[string]any, error) {
	params := &openapiutil.Params{
		Action: tea.String(action), Version: tea.String(r.version), Protocol: tea.String("HTTPS"), Pathname: tea.String("/"),
		Method: tea.String("POST"), AuthType: tea.String("AK"), Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}
	var body map[string]any
	err := r.api.Call(ctx, action, write, func(ctx context.Context, sdk *openapi.Client) error {
		resp, err := sdk.CallApiWithCtx(ctx, params, &openapiutil.OpenApiRequest{Query: query}, r.api.Runtime)
		if err != nil {
			return err
		}
		body, _ = resp["body"].(map[string]any)
		return nil
	})
	return body, err
}
