package fakecloud

import (
	"fmt"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	v1oos "github.com/aliyun/alibaba-cloud-sdk-go/services/oos"
)

// oosCall calls an OOS action through the ACS3 client, parameters in the query.
func oosCall(c *openapi.Client, action string, query map[string]string) (map[string]any, error) {
	return fcRPC(c, VersionOOS, action, "AK", query)
}

// oosV1 is the older SDK's OOS client.
func oosV1(t testing.TB, ts *TestServer) *v1oos.Client {
	return v1Client(t, ts, func(r string, c *sdk.Config, k *credentials.AccessKeyCredential) (*v1oos.Client, error) {
		return v1oos.NewClientWithOptions(r, c, k)
	}, func(c *v1oos.Client) *string { return &c.Domain })
}

func fmtSnapshot(st State, verb string) string { return fmt.Sprintf(verb, st) }

// TestOOSSecretParameterLifecycle: create, read (with and without
// decryption), update (a new version), delete, through the older SDK; the
// value never reaches the request log.
func TestOOSSecretParameterLifecycle(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	ts := NewTestServer(t, Options{Now: clock.Now})
	c := oosV1(t, ts)

	cr := v1oos.CreateCreateSecretParameterRequest()
	cr.Name, cr.Value, cr.Type, cr.Description = "app-redis", "first-value", "Secret", "redis password"
	created, err := c.CreateSecretParameter(cr)
	if err != nil {
		t.Fatal(err)
	}
	if p := created.Parameter; p.Name != "app-redis" || p.Type != "Secret" || p.ParameterVersion != 1 || p.Value != "" || !strings.HasPrefix(p.Id, "p-") {
		t.Errorf("CreateSecretParameter: %+v", p)
	}
	if _, err := c.CreateSecretParameter(cr); !strings.Contains(fmt.Sprint(err), "EntityAlreadyExists.Parameter") {
		t.Errorf("second create: %v", err)
	}

	get := v1oos.CreateGetSecretParameterRequest()
	get.Name = "app-redis"
	g, err := c.GetSecretParameter(get)
	if err != nil || g.Parameter.Value != "" {
		t.Errorf("GetSecretParameter without decryption: %+v %v", g, err)
	}
	get.WithDecryption = "true"
	if g, err = c.GetSecretParameter(get); err != nil || g.Parameter.Value != "first-value" {
		t.Errorf("GetSecretParameter WithDecryption: %+v %v", g, err)
	}

	up := v1oos.CreateUpdateSecretParameterRequest()
	up.Name, up.Value = "app-redis", "second-value"
	u, err := c.UpdateSecretParameter(up)
	if err != nil || u.Parameter.ParameterVersion != 2 {
		t.Errorf("UpdateSecretParameter: %+v %v", u, err)
	}
	if g, err = c.GetSecretParameter(get); err != nil || g.Parameter.Value != "second-value" || g.Parameter.ParameterVersion != 2 {
		t.Errorf("after update: %+v %v", g, err)
	}
	get.ParameterVersion = "1"
	if g, err = c.GetSecretParameter(get); err != nil || g.Parameter.Value != "first-value" {
		t.Errorf("version 1: %+v %v", g, err)
	}

	del := v1oos.CreateDeleteSecretParameterRequest()
	del.Name = "app-redis"
	if _, err := c.DeleteSecretParameter(del); err != nil {
		t.Fatal(err)
	}
	get.ParameterVersion = ""
	_, err = c.GetSecretParameter(get)
	if code, status, _ := v1ErrorCode(err); code != "EntityNotExists.Parameter" || status != 404 {
		t.Errorf("after delete: %v", err)
	}
	if n := len(ts.Snapshot().OOS.SecretParameters); n != 0 {
		t.Errorf("%d secret parameters left", n)
	}

	for _, call := range ts.Calls() {
		for k, v := range call.Params {
			if strings.Contains(v, "first-value") || strings.Contains(v, "second-value") {
				t.Errorf("request log: %s %s holds the secret", call.Action, k)
			}
		}
		if call.Action == "CreateSecretParameter" && call.Params["Name"] != "app-redis" {
			t.Errorf("request log lost the other parameters: %v", call.Params)
		}
	}
}

// TestOOSSecretParameterErrors: refused names, missing values, unknown names.
func TestOOSSecretParameterErrors(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcGeneric(t, ts)
	for _, tc := range []struct {
		name   string
		action string
		q      map[string]string
		code   string
		status int
	}{
		{"reserved prefix", "CreateSecretParameter", map[string]string{"Name": "acs-x", "Value": "v"}, "InvalidParameter", 400},
		{"bad character", "CreateSecretParameter", map[string]string{"Name": "a b", "Value": "v"}, "InvalidParameter", 400},
		{"no value", "CreateSecretParameter", map[string]string{"Name": "ab"}, "MissingParameter", 400},
		{"too long", "CreateSecretParameter", map[string]string{"Name": "ab", "Value": strings.Repeat("v", 4097)}, "InvalidParameter", 400},
		{"type String", "CreateSecretParameter", map[string]string{"Name": "ab", "Value": "v", "Type": "String"}, "InvalidParameter", 400},
		{"unknown get", "GetSecretParameter", map[string]string{"Name": "nope"}, "EntityNotExists.Parameter", 404},
		{"unknown update", "UpdateSecretParameter", map[string]string{"Name": "nope", "Value": "v"}, "EntityNotExists.Parameter", 404},
		{"unknown delete", "DeleteSecretParameter", map[string]string{"Name": "nope"}, "EntityNotExists.Parameter", 404},
		{"other region", "GetSecretParameter", map[string]string{"Name": "nope", "RegionId": "cn-beijing"}, "InvalidRegionId.NotFound", 404},
	} {
		_, err := oosCall(c, tc.action, tc.q)
		if code, status := apiCode(err); code != tc.code || status != tc.status {
			t.Errorf("%s: got %d %s (%v), want %d %s", tc.name, status, code, err, tc.status, tc.code)
		}
	}
}

// TestOOSCreateClientToken: a create retried with its ClientToken (its
// answer lost) answers the parameter it created; other parameters with the
// same token are refused.
func TestOOSCreateClientToken(t *testing.T) {
	ts := NewTestServer(t, Options{})
	if err := ts.AddFaults(Fault{Product: ProductOOS, Action: "CreateSecretParameter", Times: 1, CommitThenFail: true}); err != nil {
		t.Fatal(err)
	}
	c := fcGeneric(t, ts)
	q := map[string]string{"Name": "pw", "Value": "v1-secret", "Type": "Secret", "ClientToken": "tok-1", "Tags": `{"wsdeploy":"chat"}`}
	if _, err := oosCall(c, "CreateSecretParameter", q); err == nil {
		t.Fatal("the first create's answer should be lost")
	}
	out, err := oosCall(c, "CreateSecretParameter", q)
	if err != nil {
		t.Fatalf("retry with the same token: %v", err)
	}
	if p := out["body"].(map[string]any)["Parameter"].(map[string]any); p["Name"] != "pw" || p["Tags"].(map[string]any)["wsdeploy"] != "chat" {
		t.Errorf("retry answer: %v", p)
	}
	q["Value"] = "other-secret"
	_, err = oosCall(c, "CreateSecretParameter", q)
	if code, status := apiCode(err); code != "IdempotentParameterMismatch" || status != 400 {
		t.Errorf("same token, other value: %v", err)
	}
	if s := ts.Snapshot(); len(s.OOS.SecretParameters) != 1 || s.OOS.SecretParameters[0].Value().Reveal() != "v1-secret" {
		t.Errorf("world: %+v", s.OOS)
	}
}
