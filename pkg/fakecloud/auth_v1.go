package fakecloud

// The RPC signature v1 (HMAC-SHA1 over the canonicalised parameters), which
// the aliyun CLI, Terraform's alicloud provider, the older Go SDK
// (github.com/aliyun/alibaba-cloud-sdk-go) and scripts use, and the routing
// that goes with it (Action and Version as parameters). Written from the
// vendor's "Signature mechanism" pages for RPC APIs, not from a signer:
//
//	CanonicalizedQuery = sorted name=value pairs of every parameter (query and
//	                     form body) but Signature, name and value percent-encoded
//	                     (RFC 3986: space %20, "*" %2A, "~" kept), joined by "&"
//	StringToSign       = Method + "&" + percentEncode("/") + "&" + percentEncode(CanonicalizedQuery)
//	Signature          = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
//
// Which request is which: one with an Authorization header is ACS3
// (auth.go); one without it that carries any v1 signing parameter is v1.
// The choices where the real behaviour is unknown are listed in doc.go.

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

const (
	v1SignatureMethod  = "HMAC-SHA1"
	v1SignatureVersion = "1.0"
)

// v1SigningParams are the common parameters of a v1-signed call. They are
// not API parameters: handlers, the request log and fault rules never see
// them, so a call has the same parameters whichever way it was signed.
var v1SigningParams = []string{
	"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce",
	"SignatureType", "Timestamp", "Format", "SecurityToken",
}

// v1Required are the signing parameters a v1 call must carry, in the order
// their absence is reported.
var v1Required = []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"}

// routingParams carry the action and API version as parameters (v1 calls);
// ACS3 calls carry them in the x-acs-action and x-acs-version headers.
var routingParams = []string{"Action", "Version"}

// isV1Signed reports whether a request with these parameters (query and form
// merged) is v1-signed: no Authorization header, and at least one v1 signing
// parameter.
func isV1Signed(r *http.Request, params url.Values) bool {
	if r.Header.Get("Authorization") != "" {
		return false
	}
	for _, name := range []string{"Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "AccessKeyId"} {
		if _, ok := params[name]; ok {
			return true
		}
	}
	return false
}

// routeRequest finds the API version and action of a call: from the
// x-acs-version and x-acs-action headers, else from the Version and Action
// parameters. When both are sent they must agree (a v1 signature does not
// cover the headers, an ACS3 signature covers both: either way a mismatch
// means the client is confused). It also returns the API parameters: params
// without the routing parameters and, for a v1-signed call, without the
// signing parameters.
func routeRequest(r *http.Request, params url.Values) (version, action string, api url.Values, apiErr *APIError) {
	version, action = r.Header.Get("x-acs-version"), r.Header.Get("x-acs-action")
	if params == nil {
		return version, action, nil, nil
	}
	for _, p := range []struct{ header, name string }{{"x-acs-version", "Version"}, {"x-acs-action", "Action"}} {
		hv, pv := r.Header.Get(p.header), params.Get(p.name)
		if hv != "" && pv != "" && hv != pv && apiErr == nil {
			apiErr = Errorf(http.StatusBadRequest, "InvalidParameter",
				"The specified parameter %s is not valid: %q, but the %s header says %q (send one, or the same value in both).", p.name, pv, p.header, hv)
		}
	}
	if version == "" {
		version = params.Get("Version")
	}
	if action == "" {
		action = params.Get("Action")
	}
	drop := routingParams
	if isV1Signed(r, params) {
		drop = append(append([]string(nil), routingParams...), v1SigningParams...)
	}
	api = make(url.Values, len(params))
	for k, v := range params {
		api[k] = v
	}
	for _, name := range drop {
		delete(api, name)
	}
	return version, action, api, apiErr
}

// verifySignature checks a call's signature, ACS3 or v1, and returns its
// signature nonce (which the caller checks for replay).
// checkToken checks the security token sent with the signing key (STS
// credentials; checkSecurityToken).
func verifySignature(r *http.Request, body []byte, keys []Key, now time.Time, logf func(string, ...any), checkToken func(keyID, token string) *APIError) (string, *APIError) {
	if r.Header.Get("Authorization") != "" {
		if _, ok := signingParamsOf(r, body)["Signature"]; ok {
			return "", incompleteSignature("The request carries both an Authorization header and a Signature parameter; sign it one way.")
		}
		return verifyRequest(r, body, keys, now, logf, checkToken)
	}
	if !isV1Signed(r, signingParamsOf(r, body)) {
		return verifyRequest(r, body, keys, now, logf, checkToken) // answers what an unsigned call lacks
	}
	params, apiErr := v1Params(r, body)
	if apiErr != nil {
		return "", apiErr
	}
	return verifyV1(r.Method, params, keys, now, logf, checkToken)
}

// signingParamsOf returns the query and form parameters of r, leniently
// parsed, to tell which way it is signed.
func signingParamsOf(r *http.Request, body []byte) url.Values {
	params, _ := url.ParseQuery(r.URL.RawQuery)
	if params == nil {
		params = url.Values{}
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
		form, _ := url.ParseQuery(string(body))
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	return params
}

// v1Params parses the parameters a v1 signature covers: the URL query and,
// for a form body, the form fields. A name sent twice (in the query, in the
// form, or in both) is refused: the signature would cover both values and a
// handler read only one.
func v1Params(r *http.Request, body []byte) (url.Values, *APIError) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The query string is malformed: %v", err)
	}
	for k, v := range params {
		if len(v) > 1 {
			return nil, v1Duplicate(k)
		}
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if len(body) == 0 || !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return params, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The form body is malformed: %v", err)
	}
	for k, v := range form {
		if _, dup := params[k]; dup || len(v) > 1 {
			return nil, v1Duplicate(k)
		}
		params[k] = v
	}
	return params, nil
}

func v1Duplicate(name string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter",
		"The specified parameter %s is sent more than once (in the query, the form body, or both); send it once.", name)
}

// verifyV1 checks a v1 signature over params (query and form merged), sent
// with the HTTP method method.
func verifyV1(method string, params url.Values, keys []Key, now time.Time, logf func(string, ...any), checkToken func(keyID, token string) *APIError) (string, *APIError) {
	for _, name := range v1Required {
		if params.Get(name) == "" {
			return "", Errorf(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name)
		}
	}
	if m := params.Get("SignatureMethod"); m != v1SignatureMethod {
		return "", Errorf(http.StatusBadRequest, "UnsupportedSignatureMethod",
			"Specified signature method %q is not supported. (The fake verifies SignatureMethod %s with SignatureVersion %s, and ACS3-HMAC-SHA256.)", m, v1SignatureMethod, v1SignatureVersion)
	}
	if v := params.Get("SignatureVersion"); v != v1SignatureVersion {
		return "", Errorf(http.StatusBadRequest, "UnsupportedSignatureVersion",
			"Specified signature version %q is not supported. (The fake verifies SignatureVersion %s, and ACS3-HMAC-SHA256.)", v, v1SignatureVersion)
	}
	if t := params.Get("SignatureType"); t != "" {
		return "", incompleteSignature("SignatureType %q is not supported (the fake verifies AccessKey signatures only; bearer tokens are not supported).", t)
	}
	if apiErr := checkToken(params.Get("AccessKeyId"), params.Get("SecurityToken")); apiErr != nil {
		return "", apiErr
	}
	var secret string
	found := false
	for _, k := range keys {
		if k.ID == params.Get("AccessKeyId") {
			secret, found = k.Secret, true
			break
		}
	}
	if !found {
		return "", Errorf(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	// time.Parse also takes fractional seconds; the documented form has none.
	t, err := time.Parse(acsDateLayout, params.Get("Timestamp"))
	if err != nil || t.Format(acsDateLayout) != params.Get("Timestamp") {
		return "", Errorf(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
	}
	if d := now.Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return "", Errorf(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	}

	stringToSign := v1StringToSign(method, params)
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(params.Get("Signature"))) {
		if logf != nil {
			logf("fakecloud: v1 signature mismatch; string to sign:\n%s", stringToSign)
		}
		return "", Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:%s", stringToSign)
	}
	if f := params.Get("Format"); f != "" && !strings.EqualFold(f, "JSON") {
		return "", Errorf(http.StatusBadRequest, "InvalidParameter",
			"The specified parameter Format is not valid: %q (the fake answers JSON only; leave Format out or send JSON).", f)
	}
	return params.Get("SignatureNonce"), nil
}

// v1StringToSign builds the v1 string to sign from the parameters (every one
// but Signature; each name sent once).
func v1StringToSign(method string, params url.Values) string {
	names := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	pairs := make([]string, 0, len(names))
	for _, k := range names {
		pairs = append(pairs, acsEncode(k)+"="+acsEncode(params.Get(k)))
	}
	return method + "&" + acsEncode("/") + "&" + acsEncode(strings.Join(pairs, "&"))
}
