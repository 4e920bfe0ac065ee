package fakecloud

// The RAM side of STS: roles and OIDC identity providers (seeded), and the
// temporary credentials STS issued (kept in the world, so that every product
// accepts them while they are valid, across processes sharing a state file).

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// DefaultAccountID is the account of seeded roles and providers when the
// seed names none.
const DefaultAccountID = "1234567890123456"

// Session durations (seconds): DurationSeconds is 900 up to the role's
// MaxSessionDuration, which is 3600 (default) to 43200.
const (
	minSessionDuration     = 900
	defaultSessionDuration = 3600
	maxMaxSessionDuration  = 43200
)

// STSState is the STS/RAM part of the world.
type STSState struct {
	AccountID     string          `json:"accountId,omitempty"`
	Roles         []RAMRole       `json:"roles,omitempty"`
	OIDCProviders []OIDCProvider  `json:"oidcProviders,omitempty"`
	Credentials   []STSCredential `json:"credentials,omitempty"`
}

// RAMRole is a RAM role STS can issue credentials for.
type RAMRole struct {
	Name               string `json:"name"`
	ARN                string `json:"arn"`
	RoleID             string `json:"roleId"`
	MaxSessionDuration int    `json:"maxSessionDuration"`
	// The trust policy: the OIDC providers (ARNs) whose tokens may assume
	// the role, and the access keys that may call AssumeRole on it.
	TrustOIDCProviders []string `json:"trustOidcProviders,omitempty"`
	TrustAccessKeys    []string `json:"trustAccessKeys,omitempty"`
}

// OIDCProvider is a RAM OIDC identity provider.
type OIDCProvider struct {
	Name      string    `json:"name"`
	ARN       string    `json:"arn"`
	IssuerURL string    `json:"issuerUrl"`
	ClientIDs []string  `json:"clientIds"`
	Keys      []OIDCKey `json:"keys"`
}

// OIDCKey is one of a provider's token signing keys (RSA, as PKIX PEM).
type OIDCKey struct {
	KID string `json:"kid,omitempty"`
	PEM string `json:"pem"`
}

// STSCredential is a set of temporary credentials STS issued.
type STSCredential struct {
	AccessKeyID   string    `json:"accessKeyId"`
	Secret        string    `json:"secret"`
	SecurityToken string    `json:"securityToken"`
	Expiration    time.Time `json:"expiration"`
	RoleARN       string    `json:"roleArn"`
	RoleID        string    `json:"roleId"`
	SessionName   string    `json:"sessionName"`
}

// AssumedRoleARN is the identity calls signed with c act as:
// acs:ram::<account>:assumed-role/<role>/<session>.
func (c *STSCredential) AssumedRoleARN() string {
	account, _, _ := parseRAMARN(c.RoleARN)
	role := c.RoleARN[strings.LastIndex(c.RoleARN, "/")+1:]
	return "acs:ram::" + account + ":assumed-role/" + role + "/" + c.SessionName
}

// stsCredential returns the issued credential with that AccessKeyId.
func (st *State) stsCredential(id string) *STSCredential {
	for i := range st.STS.Credentials {
		if st.STS.Credentials[i].AccessKeyID == id {
			return &st.STS.Credentials[i]
		}
	}
	return nil
}

// signingKeys are the keys a signature may be made with: the seed's access
// keys and every STS credential still remembered (an expired one too, so
// that its use is answered InvalidSecurityToken.Expired, not NotFound).
func (st *State) signingKeys() []Key {
	keys := append([]Key(nil), st.Keys...)
	for _, c := range st.STS.Credentials {
		keys = append(keys, Key{ID: c.AccessKeyID, Secret: c.Secret})
	}
	return keys
}

func (st *State) role(arn string) *RAMRole {
	for i := range st.STS.Roles {
		if st.STS.Roles[i].ARN == arn {
			return &st.STS.Roles[i]
		}
	}
	return nil
}

func (st *State) oidcProvider(arn string) *OIDCProvider {
	for i := range st.STS.OIDCProviders {
		if st.STS.OIDCProviders[i].ARN == arn {
			return &st.STS.OIDCProviders[i]
		}
	}
	return nil
}

// credentialRetention is how long an expired credential is remembered.
const credentialRetention = 24 * time.Hour

// issueCredential makes and stores temporary credentials for role.
func (st *State) issueCredential(role *RAMRole, session string, d time.Duration, now time.Time) STSCredential {
	kept := st.STS.Credentials[:0]
	for _, c := range st.STS.Credentials {
		if now.Sub(c.Expiration) < credentialRetention {
			kept = append(kept, c)
		}
	}
	st.STS.Credentials = kept
	c := STSCredential{
		AccessKeyID:   "STS." + randomString(base58, 28),
		Secret:        randomString(base58, 44),
		SecurityToken: "CAIS" + randomString(base64Chars, 280),
		// Expiration is in whole seconds, as the answer shows it.
		Expiration:  now.Add(d).UTC().Truncate(time.Second),
		RoleARN:     role.ARN,
		RoleID:      role.RoleID,
		SessionName: session,
	}
	st.STS.Credentials = append(st.STS.Credentials, c)
	return c
}

const (
	base58      = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// ramARNRE matches acs:ram::<account>:<kind>/<name>.
var ramARNRE = regexp.MustCompile(`^acs:ram::([0-9]+):(role|oidc-provider)/(.+)$`)

// parseRAMARN splits a role or OIDC provider ARN.
func parseRAMARN(arn string) (account, kind string, ok bool) {
	m := ramARNRE.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// roleID is a role's numeric ID, derived from its ARN (stable across runs).
func roleID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return fmt.Sprintf("3%018d", binary.BigEndian.Uint64(sum[:8])%1e18)
}

// Seed side.

// SeedRAMRole is a RAM role in the seed.
type SeedRAMRole struct {
	Name string `yaml:"name"`
	// MaxSessionDuration (seconds, 3600-43200) bounds DurationSeconds; default 3600.
	MaxSessionDuration int           `yaml:"maxSessionDuration,omitempty"`
	Trust              SeedRoleTrust `yaml:"trust"`
}

// SeedRoleTrust is a role's trust policy: who may assume it.
type SeedRoleTrust struct {
	// OIDCProviders names the seed's OIDC providers whose tokens may assume the role.
	OIDCProviders []string `yaml:"oidcProviders,omitempty"`
	// AccessKeys are the seed's access key IDs that may call AssumeRole on it.
	AccessKeys []string `yaml:"accessKeys,omitempty"`
}

// SeedOIDCProvider is a RAM OIDC identity provider in the seed. Its token
// signing keys are given as an RSA public key (PEM) or a JWKS document.
type SeedOIDCProvider struct {
	Name      string   `yaml:"name"`
	IssuerURL string   `yaml:"issuerUrl"`
	ClientIDs []string `yaml:"clientIds"`
	PublicKey string   `yaml:"publicKey,omitempty"`
	JWKS      string   `yaml:"jwks,omitempty"`
}

var ramNameRE = regexp.MustCompile(`^[a-zA-Z0-9.\-]{1,64}$`)

// normalizeSTSSeed validates the seed's STS part in s (a copy it may
// change), filling in the default account.
func normalizeSTSSeed(s *Seed) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	s.RAMRoles = append([]SeedRAMRole(nil), s.RAMRoles...)
	s.OIDCProviders = append([]SeedOIDCProvider(nil), s.OIDCProviders...)
	if s.AccountID == "" && (len(s.RAMRoles) > 0 || len(s.OIDCProviders) > 0) {
		s.AccountID = DefaultAccountID
	}
	if s.AccountID != "" && !regexp.MustCompile(`^[0-9]{16}$`).MatchString(s.AccountID) {
		bad("accountId %q is not a 16-digit account ID", s.AccountID)
	}
	providers := map[string]bool{}
	for i, p := range s.OIDCProviders {
		where := fmt.Sprintf("oidcProviders[%d]", i)
		switch {
		case !ramNameRE.MatchString(p.Name):
			bad("%s: name %q must be 1-64 letters, digits, '.' or '-'", where, p.Name)
		case providers[p.Name]:
			bad("%s: duplicate name %q", where, p.Name)
		}
		providers[p.Name] = true
		if !strings.HasPrefix(p.IssuerURL, "https://") {
			bad("%s: issuerUrl %q must be an https URL", where, p.IssuerURL)
		}
		if len(p.ClientIDs) == 0 {
			bad("%s: clientIds: at least one audience is required (such as sts.aliyuncs.com)", where)
		}
		if _, err := providerKeys(p); err != nil {
			bad("%s: %v", where, err)
		}
	}
	keys := map[string]bool{}
	for _, k := range s.AccessKeys {
		keys[k.ID] = true
	}
	roles := map[string]bool{}
	for i := range s.RAMRoles {
		r := &s.RAMRoles[i]
		where := fmt.Sprintf("ramRoles[%d]", i)
		switch {
		case !ramNameRE.MatchString(r.Name):
			bad("%s: name %q must be 1-64 letters, digits, '.' or '-'", where, r.Name)
		case roles[r.Name]:
			bad("%s: duplicate name %q", where, r.Name)
		}
		roles[r.Name] = true
		if r.MaxSessionDuration == 0 {
			r.MaxSessionDuration = defaultSessionDuration
		} else if r.MaxSessionDuration < defaultSessionDuration || r.MaxSessionDuration > maxMaxSessionDuration {
			bad("%s: maxSessionDuration %d is not from %d to %d", where, r.MaxSessionDuration, defaultSessionDuration, maxMaxSessionDuration)
		}
		for _, p := range r.Trust.OIDCProviders {
			if !providers[p] {
				bad("%s: trust.oidcProviders: %q is not declared under oidcProviders", where, p)
			}
		}
		for _, k := range r.Trust.AccessKeys {
			if !keys[k] {
				bad("%s: trust.accessKeys: %q is not declared under accessKeys", where, k)
			}
		}
	}
	return errs
}

// seedSTS fills the STS part of the world.
func seedSTS(st *State, seed *Seed) error {
	st.STS.AccountID = seed.AccountID
	prefix := "acs:ram::" + seed.AccountID + ":"
	for _, p := range seed.OIDCProviders {
		keys, err := providerKeys(p)
		if err != nil {
			return err
		}
		st.STS.OIDCProviders = append(st.STS.OIDCProviders, OIDCProvider{
			Name: p.Name, ARN: prefix + "oidc-provider/" + p.Name, IssuerURL: p.IssuerURL,
			ClientIDs: append([]string(nil), p.ClientIDs...), Keys: keys,
		})
	}
	for _, r := range seed.RAMRoles {
		arn := prefix + "role/" + r.Name
		role := RAMRole{Name: r.Name, ARN: arn, RoleID: roleID(arn), MaxSessionDuration: r.MaxSessionDuration,
			TrustAccessKeys: append([]string(nil), r.Trust.AccessKeys...)}
		for _, p := range r.Trust.OIDCProviders {
			role.TrustOIDCProviders = append(role.TrustOIDCProviders, prefix+"oidc-provider/"+p)
		}
		st.STS.Roles = append(st.STS.Roles, role)
	}
	return nil
}

// providerKeys reads a seeded provider's keys: exactly one of publicKey
// (PEM, PKIX or PKCS#1) and jwks (RSA keys; others are ignored).
func providerKeys(p SeedOIDCProvider) ([]OIDCKey, error) {
	switch {
	case (p.PublicKey == "") == (p.JWKS == ""):
		return nil, errors.New("give exactly one of publicKey (PEM) and jwks")
	case p.PublicKey != "":
		pub, err := parseRSAPublicKeyPEM(p.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("publicKey: %w", err)
		}
		return []OIDCKey{{PEM: rsaPEM(pub)}}, nil
	}
	var doc struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal([]byte(p.JWKS), &doc); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	var keys []OIDCKey
	for i, k := range doc.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(n) == 0 || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("jwks: keys[%d]: n and e must be base64url big-endian integers", i)
		}
		var ev int
		for _, b := range e {
			ev = ev<<8 | int(b)
		}
		keys = append(keys, OIDCKey{KID: k.Kid, PEM: rsaPEM(&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: ev})})
	}
	if len(keys) == 0 {
		return nil, errors.New("jwks: no RSA key")
	}
	return keys, nil
}

func parseRSAPublicKeyPEM(s string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("not a PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		pub, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, errors.New("not an RSA public key (tokens are checked with RS256)")
		}
		return pub, nil
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	}
	return nil, fmt.Errorf("PEM block %q is not a public key", block.Type)
}

func rsaPEM(pub *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err) // an RSA public key always marshals
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}
