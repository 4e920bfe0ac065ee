package fakecloud

// ACS3-HMAC-SHA256 verification, written from the API facts (§1.3), not from
// the SDK's signer, so that a misunderstanding cannot be copied into both.
// The tests sign with the real SDK, so a divergence shows up there.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

const (
	acs3Algorithm = "ACS3-HMAC-SHA256"
	// acsDateLayout is the x-acs-date format (UTC).
	acsDateLayout = "2006-01-02T15:04:05Z"
	// maxClockSkew is how far x-acs-date may be from the server clock.
	maxClockSkew = 15 * time.Minute
	// nonceWindow is how long a signature nonce is remembered.
	nonceWindow = 15 * time.Minute
)

// headers that every ACS3 request must sign (besides every other x-acs-* header
// and content-type when present).
var requiredSignedHeaders = []string{
	"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version",
}

// authorization is a parsed Authorization header.
type authorization struct {
	algorithm     string
	credential    string
	signedHeaders []string
	signature     string
}

func incompleteSignature(format string, args ...any) *APIError {
	return Errorf(http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards. "+format, args...)
}

// parseAuthorization parses
// "ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>".
func parseAuthorization(h string) (authorization, *APIError) {
	var a authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return a, incompleteSignature("Malformed Authorization header.")
	}
	a.algorithm = alg
	if alg != acs3Algorithm {
		return a, incompleteSignature("Unsupported signature algorithm %q (the fake verifies %s only).", alg, acs3Algorithm)
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[k] {
			return a, incompleteSignature("Malformed Authorization header.")
		}
		seen[k] = true
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			if v != "" {
				a.signedHeaders = strings.Split(v, ";")
			}
		case "Signature":
			a.signature = v
		default:
			return a, incompleteSignature("Unknown Authorization field %q.", k)
		}
	}
	if a.credential == "" || len(a.signedHeaders) == 0 || a.signature == "" {
		return a, incompleteSignature("Authorization must carry Credential, SignedHeaders and Signature.")
	}
	return a, nil
}

// verifyRequest checks the ACS3 signature of r (whose body was already read
// into body) against keys, with now as the server clock. It returns the
// signature nonce, which the caller checks for replay.
// checkToken checks the security token sent with the signing key (STS
// credentials; checkSecurityToken).
func verifyRequest(r *http.Request, body []byte, keys []Key, now time.Time, logf func(string, ...any), checkToken func(keyID, token string) *APIError) (string, *APIError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if r.URL.Query().Get("Signature") != "" {
			return "", incompleteSignature("The fake verifies %s only; the v2 query signature (Signature=...) is not supported.", acs3Algorithm)
		}
		return "", incompleteSignature("The Authorization header is missing.")
	}
	auth, apiErr := parseAuthorization(h)
	if apiErr != nil {
		return "", apiErr
	}
	if apiErr := checkToken(auth.credential, r.Header.Get("x-acs-security-token")); apiErr != nil {
		return "", apiErr
	}
	var secret string
	found := false
	for _, k := range keys {
		if k.ID == auth.credential {
			secret, found = k.Secret, true
			break
		}
	}
	if !found {
		return "", Errorf(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}

	date := r.Header.Get("x-acs-date")
	t, err := time.Parse(acsDateLayout, date)
	if date == "" || err != nil {
		return "", Errorf(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
	}
	if d := now.Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return "", Errorf(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return "", incompleteSignature("The x-acs-signature-nonce header is missing.")
	}

	// Signed-header list: lowercase, no duplicates, covering every header that must be signed.
	signed := map[string]bool{}
	for _, name := range auth.signedHeaders {
		if name == "" || name != strings.ToLower(name) || signed[name] {
			return "", incompleteSignature("Malformed SignedHeaders %q.", strings.Join(auth.signedHeaders, ";"))
		}
		signed[name] = true
	}
	must := append([]string(nil), requiredSignedHeaders...)
	for name := range r.Header {
		ln := strings.ToLower(name)
		if strings.HasPrefix(ln, "x-acs-") || ln == "content-type" {
			must = append(must, ln)
		}
	}
	for _, name := range must {
		if !signed[name] {
			return "", incompleteSignature("Header %q must be signed.", name)
		}
	}

	// Payload hash: the header is signed, so the body must match it.
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if got := r.Header.Get("x-acs-content-sha256"); got != payloadHash {
		return "", Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. The x-acs-content-sha256 header %q does not match the SHA-256 of the request body.", got)
	}

	canonical, apiErr := canonicalRequest(r, auth.signedHeaders, payloadHash)
	if apiErr != nil {
		return "", apiErr
	}
	ch := sha256.Sum256([]byte(canonical))
	stringToSign := acs3Algorithm + "\n" + hex.EncodeToString(ch[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(auth.signature)) {
		if logf != nil {
			logf("fakecloud: signature mismatch; canonical request:\n%s", canonical)
		}
		return "", Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:%s", stringToSign)
	}
	return nonce, nil
}

// canonicalRequest rebuilds the ACS3 canonical request from the parsed request.
func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) (string, *APIError) {
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", incompleteSignature("Malformed query string.")
	}
	names := make([]string, 0, len(query))
	for k := range query {
		names = append(names, k)
	}
	sort.Strings(names)
	var q []string
	for _, k := range names {
		vals := append([]string(nil), query[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			q = append(q, k+"="+acsEncode(v))
		}
	}

	hs := append([]string(nil), signedHeaders...)
	sort.Strings(hs)
	var block strings.Builder
	for _, name := range hs {
		var vals []string
		if name == "host" {
			vals = []string{r.Host}
		} else {
			vals = r.Header.Values(name)
		}
		if len(vals) == 0 {
			return "", incompleteSignature("Signed header %q is not present in the request.", name)
		}
		trimmed := make([]string, len(vals))
		for i, v := range vals {
			trimmed[i] = strings.TrimSpace(v)
		}
		sort.Strings(trimmed)
		block.WriteString(name + ":" + strings.Join(trimmed, ",") + "\n")
	}

	uri := r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	uri = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(uri)
	return strings.Join([]string{
		r.Method,
		uri,
		strings.Join(q, "&"),
		block.String(),
		strings.Join(hs, ";"),
		payloadHash,
	}, "\n"), nil
}

// acsEncode is form escaping with "+" -> "%20", "*" -> "%2A", "%7E" -> "~".
func acsEncode(s string) string {
	e := url.QueryEscape(s)
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(e)
}

// useNonce records a nonce in the state, rejecting a replay within the window.
// Old nonces are pruned.
func useNonce(st *State, nonce string, now time.Time) *APIError {
	kept := st.Nonces[:0]
	for _, n := range st.Nonces {
		if now.Sub(n.At) < nonceWindow {
			kept = append(kept, n)
		}
	}
	st.Nonces = kept
	for _, n := range st.Nonces {
		if n.Nonce == nonce {
			return Errorf(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
		}
	}
	st.Nonces = append(st.Nonces, NonceUse{Nonce: nonce, At: now})
	return nil
}
