package fakecloud

// The OIDC token check of AssumeRoleWithOIDC: a JWT signed RS256 by one of
// the provider's keys, from its issuer, for one of its client IDs, not
// expired. Standard library only.

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// oidcClaims are the token claims STS reads.
type oidcClaims struct {
	Issuer   string   `json:"iss"`
	Subject  string   `json:"sub"`
	Audience audience `json:"aud"`
	Expiry   *int64   `json:"exp"`
	IssuedAt *int64   `json:"iat"`
}

// audience is a JWT "aud": one string or an array of strings.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*a = many
	return nil
}

func oidcTokenError(code, format string, args ...any) *APIError {
	return Errorf(http.StatusUnauthorized, "AuthenticationFail.OIDCToken."+code, format, args...)
}

// checkOIDCToken verifies token for provider p at now and returns its claims.
func checkOIDCToken(p *OIDCProvider, token string, now time.Time) (*oidcClaims, *APIError) {
	if strings.TrimSpace(token) != token {
		// A token file written with a trailing newline (jq -r): the
		// stricter choice is to refuse it.
		return nil, oidcTokenError("Invalid", "The Jwt content is invalid that cannot be recognized.")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, oidcTokenError("Invalid", "The number of Jwt field should be divided into 3 parts with '.' .")
	}
	var raw [3][]byte
	for i, part := range parts {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
		if err != nil {
			return nil, oidcTokenError("Invalid", "Cannot decode base64 encoded response(format invalided).")
		}
		raw[i] = b
	}
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(raw[0], &header); err != nil {
		return nil, oidcTokenError("Invalid", "The Jwt content is invalid that cannot be recognized.")
	}
	if header.Alg != "RS256" {
		return nil, oidcTokenError("Invalid", "The algorithm %s that be specified in Jwt header is unknown.", header.Alg)
	}
	var claims oidcClaims
	if err := json.Unmarshal(raw[1], &claims); err != nil || claims.Expiry == nil {
		return nil, oidcTokenError("Invalid", "The Jwt content is invalid that cannot be recognized.")
	}

	// The signature, with the key the header names (any key when it names none).
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	verified := false
	for _, k := range p.Keys {
		if header.Kid != "" && k.KID != "" && k.KID != header.Kid {
			continue
		}
		pub, err := parseRSAPublicKeyPEM(k.PEM)
		if err != nil {
			continue
		}
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], raw[2]) == nil {
			verified = true
			break
		}
	}
	if !verified {
		return nil, oidcTokenError("InvalidSignature", "OIDC token validate failed: invalid signature.")
	}
	if claims.Issuer != p.IssuerURL {
		return nil, oidcTokenError("IssuerNotMatch", "The issuer in the OIDC Token doesn't match the OIDC Provider registered.")
	}
	if !now.Before(time.Unix(*claims.Expiry, 0)) {
		return nil, oidcTokenError("Expired", "This JsonWebToken is expired.")
	}
	for _, aud := range claims.Audience {
		if contains(p.ClientIDs, aud) {
			return &claims, nil
		}
	}
	return nil, oidcTokenError("AudienceNotMatch", "Invalid audience.")
}

// SignOIDCToken makes an RS256 JWT of claims signed with key (kid, if not
// empty, goes in the header): the token an OIDC identity provider issues,
// for tests of AssumeRoleWithOIDC against a provider seeded with key's
// public half.
func SignOIDCToken(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	header := map[string]string{"alg": "RS256", "typ": "JWT"}
	if kid != "" {
		header["kid"] = kid
	}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	digest := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// PublicKeyPEM is key's public half as PEM, for a seed's oidcProviders[].publicKey.
func PublicKeyPEM(key *rsa.PrivateKey) string { return rsaPEM(&key.PublicKey) }
