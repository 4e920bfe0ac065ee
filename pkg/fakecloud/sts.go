package fakecloud

// STS, API version 2015-04-01 (product Sts): AssumeRoleWithOIDC (anonymous,
// as the real API: the OIDC token is the credential), AssumeRole and
// GetCallerIdentity (signed). Issued credentials are kept in the world
// (sts_state.go) and accepted on every product while valid, with their
// security token (checkSecurityToken). Answers mirror the fields of
// github.com/alibabacloud-go/sts-20150401's ...ResponseBody structs (not a
// dependency of this module).

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func registerSTS(reg registry) {
	reg[actionKey{VersionSTS, "AssumeRoleWithOIDC"}] = action{anonymous: true, fn: stsAssumeRoleWithOIDC}
	// Issuing credentials changes no resource: these are not writes (the
	// credentials are still kept in the world).
	reg.add(VersionSTS, "AssumeRole", false, stsAssumeRole)
	reg.add(VersionSTS, "GetCallerIdentity", false, stsGetCallerIdentity)
}

// Answers.

type stsCredentials struct {
	AccessKeyId     string
	AccessKeySecret string
	Expiration      string
	SecurityToken   string
}

type stsAssumedRoleUser struct {
	Arn           string
	AssumedRoleId string
}

type stsOIDCTokenInfo struct {
	ClientIds      string
	ExpirationTime string `json:",omitempty"`
	IssuanceTime   string `json:",omitempty"`
	Issuer         string
	Subject        string
}

type stsAssumeRoleResponseBody struct {
	RequestId       *string
	Credentials     stsCredentials
	AssumedRoleUser stsAssumedRoleUser
}

type stsAssumeRoleWithOIDCResponseBody struct {
	RequestId       *string
	Credentials     stsCredentials
	AssumedRoleUser stsAssumedRoleUser
	OIDCTokenInfo   stsOIDCTokenInfo
}

type stsGetCallerIdentityResponseBody struct {
	RequestId    *string
	AccountId    string
	Arn          string
	IdentityType string
	PrincipalId  string
	RoleId       string `json:",omitempty"`
	UserId       string `json:",omitempty"`
}

// stsTime is the answers' time format (UTC, whole seconds).
const stsTime = "2006-01-02T15:04:05Z"

// checkSecurityToken checks the security token sent with a call signed by
// keyID (x-acs-security-token with ACS3; SecurityToken with signature v1),
// at now, the world's clock:
//   - no token: fine for a seeded key; an STS key needs its token (400
//     MissingSecurityToken);
//   - a token STS never issued: 400 InvalidSecurityToken.Malformed;
//   - a token issued with another AccessKeyId: 400
//     InvalidSecurityToken.MismatchWithAccessKey;
//   - the credentials have expired: 400 InvalidSecurityToken.Expired.
func checkSecurityToken(st *State, keyID, token string, now time.Time) *APIError {
	if token == "" {
		if c := st.stsCredential(keyID); c != nil {
			return Errorf(http.StatusBadRequest, "MissingSecurityToken", "SecurityToken is mandatory for this action.")
		}
		return nil
	}
	var c *STSCredential
	for i := range st.STS.Credentials {
		if st.STS.Credentials[i].SecurityToken == token {
			c = &st.STS.Credentials[i]
			break
		}
	}
	switch {
	case c == nil:
		return Errorf(http.StatusBadRequest, "InvalidSecurityToken.Malformed", "The security token you provided is malformed.")
	case c.AccessKeyID != keyID:
		return Errorf(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey", "The security token you provided does not match the AccessKeyId.")
	case !now.Before(c.Expiration):
		return Errorf(http.StatusBadRequest, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
	}
	return nil
}

var roleSessionNameRE = regexp.MustCompile(`^[a-zA-Z0-9.@_\-]{2,64}$`)

// sessionParams reads RoleSessionName, DurationSeconds and Policy for role.
func sessionParams(r *Request, role *RAMRole) (string, time.Duration, error) {
	session, err := r.Required("RoleSessionName")
	if err != nil {
		return "", 0, err
	}
	if !roleSessionNameRE.MatchString(session) {
		return "", 0, Errorf(http.StatusBadRequest, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.")
	}
	d := defaultSessionDuration
	if v, ok := r.Str("DurationSeconds"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minSessionDuration || n > role.MaxSessionDuration {
			return "", 0, Errorf(http.StatusBadRequest, "InvalidParameter.DurationSeconds",
				"The Min/Max value of DurationSeconds is 15min/%dhr.", role.MaxSessionDuration/3600)
		}
		d = n
	}
	if p, ok := r.Str("Policy"); ok && (len(p) > 2048 || !json.Valid([]byte(p))) {
		return "", 0, Errorf(http.StatusBadRequest, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check.")
	}
	return session, time.Duration(d) * time.Second, nil
}

func roleNotFound(arn string) *APIError {
	return Errorf(http.StatusNotFound, "EntityNotExist.Role", "The role not exists: %s.", arn)
}

func credentialsBody(c STSCredential) (stsCredentials, stsAssumedRoleUser) {
	return stsCredentials{
			AccessKeyId: c.AccessKeyID, AccessKeySecret: c.Secret,
			Expiration: c.Expiration.Format(stsTime), SecurityToken: c.SecurityToken,
		}, stsAssumedRoleUser{
			Arn: c.AssumedRoleARN(), AssumedRoleId: c.RoleID + ":" + c.SessionName,
		}
}

func stsAssumeRoleWithOIDC(st *State, r *Request) (any, error) {
	providerARN, err := r.Required("OIDCProviderArn")
	if err != nil {
		return nil, err
	}
	roleARN, err := r.Required("RoleArn")
	if err != nil {
		return nil, err
	}
	token := r.Get("OIDCToken")
	if token == "" {
		return nil, oidcTokenError("Invalid", "The OIDCToken can not empty.")
	}
	if len(token) < 4 || len(token) > 20000 {
		return nil, oidcTokenError("Invalid", "The Jwt content is invalid that cannot be recognized.")
	}
	p := st.oidcProvider(providerARN)
	if p == nil {
		return nil, Errorf(http.StatusUnauthorized, "AuthenticationFail.NoPermission", "No such OIDC Provider registered.")
	}
	role := st.role(roleARN)
	if role == nil {
		return nil, roleNotFound(roleARN)
	}
	session, d, err := sessionParams(r, role)
	if err != nil {
		return nil, err
	}
	claims, apiErr := checkOIDCToken(p, token, r.Now)
	if apiErr != nil {
		return nil, apiErr
	}
	if !contains(role.TrustOIDCProviders, p.ARN) {
		return nil, Errorf(http.StatusUnauthorized, "AuthenticationFail.NoPermission", "There is no permission")
	}
	c := st.issueCredential(role, session, d, r.Now)
	body := &stsAssumeRoleWithOIDCResponseBody{
		OIDCTokenInfo: stsOIDCTokenInfo{
			ClientIds: strings.Join(claims.Audience, ","), Issuer: claims.Issuer, Subject: claims.Subject,
			ExpirationTime: time.Unix(*claims.Expiry, 0).UTC().Format(stsTime),
		},
	}
	if claims.IssuedAt != nil {
		body.OIDCTokenInfo.IssuanceTime = time.Unix(*claims.IssuedAt, 0).UTC().Format(stsTime)
	}
	body.Credentials, body.AssumedRoleUser = credentialsBody(c)
	return body, nil
}

func stsAssumeRole(st *State, r *Request) (any, error) {
	roleARN, err := r.Required("RoleArn")
	if err != nil {
		return nil, err
	}
	role := st.role(roleARN)
	if role == nil {
		return nil, roleNotFound(roleARN)
	}
	session, d, err := sessionParams(r, role)
	if err != nil {
		return nil, err
	}
	if _, ok := r.Str("ExternalId"); ok && !regexp.MustCompile(`^[a-zA-Z0-9=,.@:/\-_]{2,1224}$`).MatchString(r.Get("ExternalId")) {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter.ExternalId", "The parameter ExternalId is wrongly formed.")
	}
	// Only a seeded key the role's trust policy names may assume it (STS
	// credentials, too, are refused: the stricter choice).
	if !contains(role.TrustAccessKeys, r.AccessKeyID) {
		return nil, Errorf(http.StatusForbidden, "NoPermission",
			"You are not authorized to do this action. You should be authorized by RAM. (No permission perform sts:AssumeRole on this Role.)")
	}
	c := st.issueCredential(role, session, d, r.Now)
	body := &stsAssumeRoleResponseBody{}
	body.Credentials, body.AssumedRoleUser = credentialsBody(c)
	return body, nil
}

func stsGetCallerIdentity(st *State, r *Request) (any, error) {
	account := st.STS.AccountID
	if account == "" {
		account = DefaultAccountID
	}
	if c := st.stsCredential(r.AccessKeyID); c != nil {
		return &stsGetCallerIdentityResponseBody{
			AccountId: account, Arn: c.AssumedRoleARN(), IdentityType: "AssumedRoleUser",
			PrincipalId: c.RoleID + ":" + c.SessionName, RoleId: c.RoleID,
		}, nil
	}
	// Seeded keys belong to the account itself.
	return &stsGetCallerIdentityResponseBody{
		AccountId: account, Arn: "acs:ram::" + account + ":root", IdentityType: "Account",
		PrincipalId: account, UserId: account,
	}, nil
}
