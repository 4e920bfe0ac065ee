package cloud

// OIDC role assumption: exchanging a CI job's OIDC token for STS
// credentials. Against Alibaba Cloud, credentials-go's OIDC provider does it
// (STS endpoint: sts.aliyuncs.com, or sts[-vpc].<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com
// with ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED; its Config.STSEndpoint /
// WithSTSEndpoint names another host). credentials-go v1.4.9 always speaks
// https to it, so it cannot reach a fake cloud served over http: when
// --endpoint (or WSDEPLOY_ENDPOINT) sends every product elsewhere, STS goes
// there too, through stsOIDCProvider, which sends the same request as
// credentials-go over the endpoint's own scheme.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// OIDCFailure says why the OIDC role could not be assumed. It holds no
// secret: never the token, nor anything STS answered but its error code.
type OIDCFailure struct {
	RoleARN, ProviderARN, TokenFile string
	// Endpoint is where STS was called ("" = credentials-go's default).
	Endpoint string
	// Code is STS's error code ("" when STS gave none).
	Code string
	// Problem says what went wrong when STS gave no code (the token file
	// could not be read, STS could not be reached).
	Problem string
}

func (f *OIDCFailure) Error() string {
	if f.Code != "" {
		what := oidcCodeMeaning(f.Code)
		if what != "" {
			what = ": " + what
		}
		return fmt.Sprintf("STS refused the OIDC token in %s (%s)%s", f.TokenFile, f.Code, what)
	}
	return f.Problem
}

func oidcCodeMeaning(code string) string {
	switch code {
	case "AuthenticationFail.OIDCToken.Expired":
		return "the token has expired"
	case "AuthenticationFail.OIDCToken.AudienceNotMatch":
		return "the token's audience (aud) is not one of the OIDC provider's client IDs"
	case "AuthenticationFail.OIDCToken.IssuerNotMatch":
		return "the token's issuer (iss) is not the OIDC provider's"
	case "AuthenticationFail.OIDCToken.InvalidSignature":
		return "the token is not signed by a key of the OIDC provider"
	case "AuthenticationFail.OIDCToken.Invalid":
		return "the file does not hold a well-formed OIDC token"
	case "AuthenticationFail.NoPermission":
		return "the OIDC provider does not exist, or the role does not trust it"
	case "EntityNotExist.Role":
		return "the role does not exist"
	}
	return ""
}

// Hint says how to fix the failure, for its class.
func (f *OIDCFailure) Hint() string {
	switch f.Code {
	case "AuthenticationFail.OIDCToken.Expired":
		return fmt.Sprintf("write a fresh OIDC token to %s right before wsdeploy runs: CI tokens last minutes, so request it in the same job (ALIBABA_CLOUD_OIDC_TOKEN_FILE)", f.TokenFile)
	case "AuthenticationFail.OIDCToken.AudienceNotMatch":
		return fmt.Sprintf("request the OIDC token for an audience the OIDC provider %s lists as a client ID, such as sts.aliyuncs.com "+
			"(GitHub Actions: \"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.aliyuncs.com\"), or add the token's audience to the provider's client IDs in RAM", f.ProviderARN)
	case "AuthenticationFail.OIDCToken.IssuerNotMatch", "AuthenticationFail.OIDCToken.InvalidSignature":
		return fmt.Sprintf("check that ALIBABA_CLOUD_OIDC_PROVIDER_ARN (%s) names the RAM OIDC provider of your CI's issuer, with its current fingerprint, and that %s holds a token from that CI", f.ProviderARN, f.TokenFile)
	case "AuthenticationFail.OIDCToken.Invalid":
		return fmt.Sprintf("write the OIDC token (a JWT, header.payload.signature) to %s alone, with no trailing newline (jq -j, not jq -r)", f.TokenFile)
	case "AuthenticationFail.NoPermission":
		return fmt.Sprintf("check that ALIBABA_CLOUD_OIDC_PROVIDER_ARN (%s) exists, and that the trust policy of %s allows it", f.ProviderARN, f.RoleARN)
	case "EntityNotExist.Role":
		return fmt.Sprintf("check ALIBABA_CLOUD_ROLE_ARN (%s): no such RAM role", f.RoleARN)
	case "":
		if f.Endpoint != "" && strings.Contains(f.Problem, "cannot reach") {
			return "check that the endpoint " + f.Endpoint + " is up (--endpoint, WSDEPLOY_ENDPOINT); STS is called there too"
		}
		return fmt.Sprintf("write the OIDC token to %s before wsdeploy runs (ALIBABA_CLOUD_OIDC_TOKEN_FILE)", f.TokenFile)
	}
	return fmt.Sprintf("check ALIBABA_CLOUD_ROLE_ARN (%s), ALIBABA_CLOUD_OIDC_PROVIDER_ARN (%s) and the token in %s", f.RoleARN, f.ProviderARN, f.TokenFile)
}

// credentialsGoSTSCode finds STS's error code in an error of credentials-go's
// OIDC provider ("get session token failed: " + the answer's body).
func credentialsGoSTSCode(err error) string {
	_, body, ok := strings.Cut(err.Error(), "get session token failed: ")
	if !ok {
		return ""
	}
	var e struct{ Code string }
	if json.Unmarshal([]byte(body), &e) != nil {
		return ""
	}
	return e.Code
}

// stsOIDCProvider assumes a role with an OIDC token at endpoint
// (scheme://host:port), as credentials-go's OIDC provider does at Alibaba
// Cloud: an anonymous POST with Action/Version/Format/Timestamp in the query
// and RoleArn, OIDCProviderArn, OIDCToken, RoleSessionName, DurationSeconds
// as a form. The token file is read again for every exchange (CI tokens are
// short-lived); credentials are renewed 3 minutes before they expire.
type stsOIDCProvider struct {
	endpoint, roleARN, providerARN, tokenFile, session string
	client                                             *http.Client

	mu      sync.Mutex
	cur     *providers.Credentials
	expires time.Time
}

func newSTSOIDCProvider(endpoint, roleARN, providerARN, tokenFile string) *stsOIDCProvider {
	return &stsOIDCProvider{
		endpoint: strings.TrimSuffix(endpoint, "/"), roleARN: roleARN, providerARN: providerARN, tokenFile: tokenFile,
		session: "wsdeploy-" + strconv.FormatInt(time.Now().Unix(), 10),
		client:  &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 15 * time.Second},
	}
}

func (p *stsOIDCProvider) GetProviderName() string { return "oidc_role_arn" }

func (p *stsOIDCProvider) failure(code, problem string) *OIDCFailure {
	return &OIDCFailure{RoleARN: p.roleARN, ProviderARN: p.providerARN, TokenFile: p.tokenFile, Endpoint: p.endpoint, Code: code, Problem: problem}
}

func (p *stsOIDCProvider) GetCredentials() (*providers.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != nil && time.Until(p.expires) > 3*time.Minute {
		return p.cur, nil
	}
	token, err := os.ReadFile(p.tokenFile)
	if err != nil {
		why := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			why = pe.Err.Error()
		}
		return nil, p.failure("", "cannot read the OIDC token file "+p.tokenFile+": "+why)
	}
	q := url.Values{"Action": {"AssumeRoleWithOIDC"}, "Version": {"2015-04-01"}, "Format": {"JSON"},
		"Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")}}
	form := url.Values{"RoleArn": {p.roleARN}, "OIDCProviderArn": {p.providerARN}, "OIDCToken": {string(token)},
		"RoleSessionName": {p.session}, "DurationSeconds": {"3600"}}
	req, err := http.NewRequest(http.MethodPost, p.endpoint+"/?"+q.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, p.failure("", "cannot call STS at "+p.endpoint)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := p.client.Do(req)
	if err != nil {
		// The error names the URL, which holds no secret (the token is in the body).
		return nil, p.failure("", "cannot reach STS at "+p.endpoint)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, p.failure("", "STS at "+p.endpoint+" did not answer in full")
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Code string }
		if json.Unmarshal(body, &e) != nil || e.Code == "" {
			return nil, p.failure("", fmt.Sprintf("STS at %s answered HTTP %d without an error code", p.endpoint, resp.StatusCode))
		}
		return nil, p.failure(e.Code, "")
	}
	var ok struct {
		Credentials *struct{ AccessKeyId, AccessKeySecret, SecurityToken, Expiration string }
	}
	if json.Unmarshal(body, &ok) != nil || ok.Credentials == nil || ok.Credentials.AccessKeyId == "" ||
		ok.Credentials.AccessKeySecret == "" || ok.Credentials.SecurityToken == "" {
		return nil, p.failure("", "STS at "+p.endpoint+" answered without credentials")
	}
	exp, err := time.Parse("2006-01-02T15:04:05Z", ok.Credentials.Expiration)
	if err != nil {
		return nil, p.failure("", "STS at "+p.endpoint+" answered an unreadable Expiration")
	}
	p.cur = &providers.Credentials{
		AccessKeyId: ok.Credentials.AccessKeyId, AccessKeySecret: ok.Credentials.AccessKeySecret,
		SecurityToken: ok.Credentials.SecurityToken, ProviderName: p.GetProviderName(),
	}
	p.expires = exp
	return p.cur, nil
}
