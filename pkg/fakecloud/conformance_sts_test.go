package fakecloud

// The STS conformance scenario (see conformance_test.go). The ACS3 side is
// the generic ACS3 client (darabonba-openapi CallApi: no STS module of the
// ACS3 SDK is a dependency); the older SDK has services/sts. Issued keys,
// secrets and tokens are random per world: answers compare them for being
// there, worlds are compared without them.

import (
	"crypto/rsa"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	v1sts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
)

func init() {
	confScenarios[ProductSTS] = confScenario{seed: func(t *testing.T) *Seed { return stsSeed(t) }, steps: stsConformance}
	confWorldScrubbers = append(confWorldScrubbers, func(st *State) {
		for i := range st.STS.Credentials {
			c := &st.STS.Credentials[i]
			c.AccessKeyID, c.Secret, c.SecurityToken = "", "", ""
		}
	})
}

// stsConfToken is an OIDC token from the "ci" provider of stsSeed, issued at
// the conformance worlds' clock (key: the provider's key, or another).
func stsConfToken(e *confEnv, key *rsa.PrivateKey, aud string) string {
	e.t.Helper()
	now := e.clock.Now()
	tok, err := SignOIDCToken(key, "", map[string]any{
		"iss": stsIssuer, "aud": aud, "sub": "repo:example/app", "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// stsV1 is the older SDK's STS client, signing with id/secret (and token).
func stsV1(e *confEnv, id, secret, token string) *v1sts.Client {
	e.t.Helper()
	if token == "" {
		return v1Client(e.t, e.ts, func(r string, c *sdk.Config, _ *credentials.AccessKeyCredential) (*v1sts.Client, error) {
			return v1sts.NewClientWithOptions(r, c, credentials.NewAccessKeyCredential(id, secret))
		}, func(c *v1sts.Client) *string { return &c.Domain })
	}
	return v1Client(e.t, e.ts, func(r string, c *sdk.Config, _ *credentials.AccessKeyCredential) (*v1sts.Client, error) {
		return v1sts.NewClientWithOptions(r, c, credentials.NewStsTokenCredential(id, secret, token))
	}, func(c *v1sts.Client) *string { return &c.Domain })
}

// stsACS3 is the generic ACS3 client, signing with id/secret (and token).
func stsACS3(e *confEnv, id, secret, token string) *openapi.Client {
	e.t.Helper()
	cfg := fcConfig(e.ts, id, secret)
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// stsBody is the body of a CallApi answer.
func stsBody(out map[string]any, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return out["body"], nil
}

func stsConformance() []confStep {
	const P = ProductSTS
	g := func(action string, c confCall, random ...string) confStep {
		s := ok(P, action, c[0], c[1])
		s.random = random
		return s
	}
	b := func(status int, code, action string, c confCall) confStep {
		return fails(status, code, P, action, c[0], c[1])
	}
	creds := []string{".Credentials.AccessKeyId", ".Credentials.AccessKeySecret", ".Credentials.SecurityToken"}
	keep := func(e *confEnv, id, secret, token string) {
		e.vars["id"], e.vars["secret"], e.vars["token"] = id, secret, token
	}

	assumeRole := func(role string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1sts.CreateAssumeRoleRequest()
			req.RoleArn, req.RoleSessionName, req.DurationSeconds = role, "conformance", "3600"
			out, err := stsV1(e, "fake-ak", "fake-secret", "").AssumeRole(req)
			if err == nil {
				keep(e, out.Credentials.AccessKeyId, out.Credentials.AccessKeySecret, out.Credentials.SecurityToken)
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			out, err := stsCall(stsACS3(e, "fake-ak", "fake-secret", ""), "AssumeRole", "AK",
				map[string]string{"RoleArn": role, "RoleSessionName": "conformance", "DurationSeconds": "3600"})
			if err == nil {
				c, _ := out["body"].(map[string]any)["Credentials"].(map[string]any)
				id, _ := c["AccessKeyId"].(string)
				secret, _ := c["AccessKeySecret"].(string)
				token, _ := c["SecurityToken"].(string)
				keep(e, id, secret, token)
			}
			return stsBody(out, err)
		})
	}
	oidc := func(other bool) confCall {
		key := func(e *confEnv) *rsa.PrivateKey {
			mine, theirs := stsTestKeys(e.t)
			if other {
				return theirs
			}
			return mine
		}
		return pair(func(e *confEnv) (any, error) {
			req := v1sts.CreateAssumeRoleWithOIDCRequest()
			req.RoleArn, req.OIDCProviderArn, req.RoleSessionName = stsRole, stsProvider, "ci-run"
			req.OIDCToken = stsConfToken(e, key(e), "sts.aliyuncs.com")
			return v1(stsV1(e, "fake-ak", "fake-secret", "").AssumeRoleWithOIDC(req))
		}, func(e *confEnv) (any, error) {
			anon, err := openapi.NewClient(&openapiutil.Config{Endpoint: tea.String(e.ts.Endpoint()), Protocol: tea.String("HTTP"), RegionId: tea.String("cn-hangzhou")})
			if err != nil {
				e.t.Fatal(err)
			}
			return stsBody(stsCall(anon, "AssumeRoleWithOIDC", "Anonymous", map[string]string{
				"RoleArn": stsRole, "OIDCProviderArn": stsProvider, "RoleSessionName": "ci-run",
				"OIDCToken": stsConfToken(e, key(e), "sts.aliyuncs.com"),
			}))
		})
	}
	// whoAmI calls GetCallerIdentity with the scenario's STS credentials
	// (token: their token, or a made-up one), or the seeded key.
	whoAmI := func(sts bool, token string) confCall {
		signer := func(e *confEnv) (string, string, string) {
			if !sts {
				return "fake-ak", "fake-secret", ""
			}
			if token == "" {
				return e.v("id"), e.v("secret"), e.v("token")
			}
			return e.v("id"), e.v("secret"), token
		}
		return pair(func(e *confEnv) (any, error) {
			id, secret, tok := signer(e)
			return v1(stsV1(e, id, secret, tok).GetCallerIdentity(v1sts.CreateGetCallerIdentityRequest()))
		}, func(e *confEnv) (any, error) {
			id, secret, tok := signer(e)
			return stsBody(stsCall(stsACS3(e, id, secret, tok), "GetCallerIdentity", "AK", nil))
		})
	}

	return []confStep{
		g("GetCallerIdentity", whoAmI(false, "")),
		g("AssumeRole", assumeRole(stsRole), creds...),
		b(404, "EntityNotExist.Role", "AssumeRole", assumeRole("acs:ram::1234567890123456:role/nope")),
		g("GetCallerIdentity", whoAmI(true, "")),
		b(400, "InvalidSecurityToken.Malformed", "GetCallerIdentity", whoAmI(true, "CAISmadeup")),
		g("AssumeRoleWithOIDC", oidc(false), creds...),
		b(401, "AuthenticationFail.OIDCToken.InvalidSignature", "AssumeRoleWithOIDC", oidc(true)),
	}
}
