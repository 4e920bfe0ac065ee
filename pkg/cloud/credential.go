package cloud

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
	"gopkg.in/ini.v1"
)

// CredentialError says why wsdeploy has no credentials to call the cloud
// with. Its text is wsdeploy's own: credentials-go's messages can quote a
// whole config file, every profile's access_key_secret included, so they are
// never shown.
type CredentialError struct {
	// Tried lists each source looked at, with what was found there.
	Tried []string
	// File is a credentials file that exists but is malformed; Kind says
	// which ("aliyun CLI config"), Line and Column (1-based, 0 = unknown)
	// where, and Problem what.
	File, Kind   string
	Line, Column int
	Problem      string
	// Profile is the --profile that was asked for; Profiles are those File has.
	Profile  string
	Profiles []string
	// Env names a half-set pair of environment variables.
	Env string
	// OIDC says why assuming the OIDC role failed, when it was configured.
	OIDC *OIDCFailure
}

func (e *CredentialError) Error() string {
	switch {
	case e.Env != "":
		return "incomplete Alibaba Cloud credentials in the environment: " + e.Env
	case e.File != "" && e.Problem != "":
		where := ""
		if e.Line > 0 {
			where = fmt.Sprintf(" at line %d, column %d", e.Line, e.Column)
		}
		return fmt.Sprintf("the %s %s is malformed%s: %s (its content is not shown: it holds secrets)", e.Kind, e.File, where, e.Problem)
	case e.Profile != "":
		return fmt.Sprintf("--profile %s: %s", e.Profile, strings.Join(e.Tried, "; "))
	}
	var b strings.Builder
	if e.OIDC != nil {
		b.WriteString("could not assume the OIDC role (ALIBABA_CLOUD_ROLE_ARN), and found no other Alibaba Cloud credentials; looked at:")
	} else {
		b.WriteString("no Alibaba Cloud credentials found; looked at:")
	}
	for _, t := range e.Tried {
		b.WriteString("\n  - ")
		b.WriteString(t)
	}
	return b.String()
}

// Hint says how to give wsdeploy credentials.
func (e *CredentialError) Hint() string {
	if e.OIDC != nil {
		return e.OIDC.Hint()
	}
	const env = "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	switch {
	case e.Env != "":
		return env + " both (or neither, to use --profile), or add --local to try the built-in fake cloud"
	case e.File != "" && e.Problem != "":
		where := ""
		if e.Line > 0 {
			where = fmt.Sprintf(" at line %d, column %d", e.Line, e.Column)
		}
		return fmt.Sprintf("fix %s%s (or write it again with `aliyun configure`); or %s, which are used before any file; or add --local to try the built-in fake cloud", e.File, where, env)
	case e.Profile != "":
		if len(e.Profiles) > 0 {
			return fmt.Sprintf("pass --profile with one of: %s; or create the profile with `aliyun configure --profile %s`", strings.Join(e.Profiles, ", "), e.Profile)
		}
		return fmt.Sprintf("create the profile with `aliyun configure --profile %s` (ALIBABA_CLOUD_CONFIG_FILE names another file); or %s", e.Profile, env)
	}
	return env + ", or pass --profile NAME to use a profile of the aliyun CLI (~/.aliyun/config.json), " +
		"or add --local to try wsdeploy on the built-in fake cloud without an account"
}

// DefaultCredential finds credentials in the places, and the order, of
// credentials-go's default chain: the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
// _SECRET, _SECURITY_TOKEN), an OIDC role (ALIBABA_CLOUD_ROLE_ARN,
// _OIDC_PROVIDER_ARN, _OIDC_TOKEN_FILE), the aliyun CLI config
// (ALIBABA_CLOUD_CONFIG_FILE or ~/.aliyun/config.json; profile
// ALIBABA_CLOUD_PROFILE or its current one), the credentials file
// (ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials), the ECS RAM
// role (instance metadata; ALIBABA_CLOUD_ECS_METADATA_DISABLED=true turns it
// off) and ALIBABA_CLOUD_CREDENTIALS_URI. Unlike that chain it reads the files
// itself first, so a malformed one is reported by name and position (never
// content), and every failure is a *CredentialError in wsdeploy's words.
//
// profile, when set, takes that profile of the aliyun CLI config and nothing else.
func DefaultCredential(profile string) (credentials.Credential, error) {
	return DefaultCredentialFrom(os.Getenv, profile)
}

// DefaultCredentialFrom is DefaultCredential with the environment read
// through getenv (HOME included), so that a caller can give each run an
// environment of its own. credentials-go still reads the process's
// environment in a few places: the credentials file's provider
// (ALIBABA_CLOUD_CREDENTIALS_FILE, HOME), the STS settings of the OIDC
// provider (ALIBABA_CLOUD_STS_REGION, ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED) and
// the ECS RAM role's ALIBABA_CLOUD_ECS_METADATA_DISABLED (which can only turn
// that source off).
func DefaultCredentialFrom(getenv func(string) string, profile string) (credentials.Credential, error) {
	return DefaultCredentialAt(getenv, profile, "")
}

// DefaultCredentialAt is DefaultCredentialFrom for calls that go to endpoint
// (--endpoint, e.g. a wsdeploy fakecloud; "" = Alibaba Cloud): an OIDC role
// is then assumed at that endpoint's STS (stsOIDCProvider), not at
// Alibaba Cloud's.
func DefaultCredentialAt(getenv func(string) string, profile, endpoint string) (credentials.Credential, error) {
	c := &chain{getenv: getenv, endpoint: endpoint}
	if profile != "" {
		l, err := c.cliProfileLink(profile, true)
		if err != nil {
			return nil, err
		}
		c.links = []link{l}
		return Locked(credentials.FromCredentialsProvider("cli_profile", c)), nil
	}
	if err := c.build(); err != nil {
		return nil, err
	}
	return Locked(credentials.FromCredentialsProvider("default", c)), nil
}

// link is one place credentials can come from.
type link struct {
	name   string                        // "environment", "aliyun CLI profile \"x\" in PATH"
	p      providers.CredentialsProvider // nil: nothing there
	absent string                        // why nothing is there
	failed string                        // what to say when p gives nothing
	// oidc, for the OIDC role, describes it: its failures are classified.
	oidc *OIDCFailure
}

// oidcFailure classifies the OIDC role's error err (nil for other links).
func (l *link) oidcFailure(err error) *OIDCFailure {
	var f *OIDCFailure
	if errors.As(err, &f) {
		return f
	}
	if l.oidc == nil || err == nil {
		return nil
	}
	cp := *l.oidc
	if cp.Code = credentialsGoSTSCode(err); cp.Code == "" {
		cp.Problem = "assuming the role with the OIDC token failed"
	}
	return &cp
}

// chain tries its links in order and keeps to the first that gives
// credentials (as credentials-go's chain does). Its errors are its own.
type chain struct {
	getenv   func(string) string
	endpoint string // where STS is called for the OIDC role ("" = Alibaba Cloud)
	links    []link
	used     *link
}

func (c *chain) GetCredentials() (*providers.Credentials, error) {
	if c.used != nil {
		cc, err := c.used.p.GetCredentials()
		if f := c.used.oidcFailure(err); f != nil {
			return nil, &CredentialError{Tried: []string{c.used.name + ": " + f.Error() + " (the credentials it gave before could not be renewed)"}, OIDC: f}
		}
		if err != nil {
			return nil, &CredentialError{Tried: []string{c.used.name + ": " + c.used.failed + " (the credentials it gave before could not be renewed)"}}
		}
		return cc, nil
	}
	var tried []string
	var oidc *OIDCFailure
	for i := range c.links {
		l := &c.links[i]
		if l.p == nil {
			tried = append(tried, l.name+": "+l.absent)
			continue
		}
		// The provider's error is dropped on purpose: it can quote file
		// contents. Only the OIDC role's is classified (by its code alone).
		cc, err := l.p.GetCredentials()
		if err == nil && cc != nil {
			c.used = l
			return cc, nil
		}
		if f := l.oidcFailure(err); f != nil {
			oidc = f
			tried = append(tried, l.name+": "+f.Error())
			continue
		}
		tried = append(tried, l.name+": "+l.failed)
	}
	return nil, &CredentialError{Tried: tried, OIDC: oidc}
}

func (c *chain) GetProviderName() string { return "wsdeploy" }

func (c *chain) build() error {
	// 1. The environment.
	id, secret := c.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), c.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	switch {
	case id != "" && secret == "":
		return &CredentialError{Env: "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is empty"}
	case id == "" && secret != "":
		return &CredentialError{Env: "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is empty"}
	case id != "":
		p := envProvider{id: id, secret: secret, token: c.getenv("ALIBABA_CLOUD_SECURITY_TOKEN")}
		c.add(link{name: "environment", p: p, absent: "cannot be used", failed: "ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET could not be used"})
	default:
		c.add(link{name: "environment", absent: "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set"})
	}
	// 2. An OIDC role, only when configured.
	if c.getenv("ALIBABA_CLOUD_ROLE_ARN") != "" || c.getenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE") != "" {
		role, idp, file := c.getenv("ALIBABA_CLOUD_ROLE_ARN"), c.getenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"), c.getenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
		l := link{name: "OIDC role (ALIBABA_CLOUD_ROLE_ARN)",
			absent: "incomplete: it needs ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE",
			failed: "assuming the role with the OIDC token failed",
			oidc:   &OIDCFailure{RoleARN: role, ProviderARN: idp, TokenFile: file, Endpoint: c.endpoint}}
		switch {
		case role == "" || idp == "" || file == "":
			// absent
		case c.endpoint != "":
			l.p = newSTSOIDCProvider(c.endpoint, role, idp, file)
		default:
			p, err := providers.NewOIDCCredentialsProviderBuilder().
				WithRoleArn(role).WithOIDCProviderARN(idp).WithOIDCTokenFilePath(file).Build()
			l.p = provider(p, err)
		}
		c.add(l)
	}
	// 3. The aliyun CLI config.
	if strings.EqualFold(c.getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true") {
		c.add(link{name: "aliyun CLI config", absent: "turned off by ALIBABA_CLOUD_CLI_PROFILE_DISABLED"})
	} else {
		l, err := c.cliProfileLink(c.getenv("ALIBABA_CLOUD_PROFILE"), false)
		if err != nil {
			return err
		}
		c.add(l)
	}
	// 4. The credentials file.
	l, err := c.iniProfileLink()
	if err != nil {
		return err
	}
	c.add(l)
	// 5. The ECS RAM role.
	if strings.EqualFold(c.getenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED"), "true") {
		c.add(link{name: "ECS RAM role", absent: "turned off by ALIBABA_CLOUD_ECS_METADATA_DISABLED"})
	} else {
		p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().
			WithRoleName(c.getenv("ALIBABA_CLOUD_ECS_METADATA")).
			WithDisableIMDSv1(strings.EqualFold(c.getenv("ALIBABA_CLOUD_IMDSV1_DISABLED"), "true")).
			Build()
		c.add(link{name: "ECS RAM role", p: provider(p, err), absent: "cannot be used",
			failed: "the instance metadata service (100.100.100.200) gave none: this is not an ECS instance, or it has no RAM role"})
	}
	// 6. A credentials URI, only when configured.
	if uri := c.getenv("ALIBABA_CLOUD_CREDENTIALS_URI"); uri != "" {
		p, err := providers.NewURLCredentialsProviderBuilder().WithUrl(uri).Build()
		c.add(link{name: "ALIBABA_CLOUD_CREDENTIALS_URI", p: provider(p, err), absent: "cannot be used", failed: "gave no credentials"})
	}
	return nil
}

func (c *chain) add(l link) { c.links = append(c.links, l) }

// envProvider gives the access key found in the environment (as
// credentials-go's environment provider does, from values already read).
type envProvider struct{ id, secret, token string }

func (p envProvider) GetCredentials() (*providers.Credentials, error) {
	return &providers.Credentials{AccessKeyId: p.id, AccessKeySecret: p.secret, SecurityToken: p.token, ProviderName: p.GetProviderName()}, nil
}

func (p envProvider) GetProviderName() string { return "env" }

// provider turns a builder's result into a link's provider (nil on error).
func provider[P providers.CredentialsProvider](p P, err error) providers.CredentialsProvider {
	if err != nil {
		return nil
	}
	return p
}

// cliConfig mirrors the aliyun CLI config's JSON shape with credentials-go's
// field types, so that a file this decodes is one credentials-go decodes.
type cliConfig struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name                   string `json:"name"`
		Mode                   string `json:"mode"`
		AccessKeyID            string `json:"access_key_id"`
		AccessKeySecret        string `json:"access_key_secret"`
		SecurityToken          string `json:"sts_token"`
		RegionID               string `json:"region_id"`
		RoleArn                string `json:"ram_role_arn"`
		RoleSessionName        string `json:"ram_session_name"`
		DurationSeconds        int    `json:"expired_seconds"`
		StsRegion              string `json:"sts_region"`
		EnableVpc              bool   `json:"enable_vpc"`
		SourceProfile          string `json:"source_profile"`
		RoleName               string `json:"ram_role_name"`
		OIDCTokenFile          string `json:"oidc_token_file"`
		OIDCProviderARN        string `json:"oidc_provider_arn"`
		Policy                 string `json:"policy"`
		ExternalID             string `json:"external_id"`
		SignInURL              string `json:"cloud_sso_sign_in_url"`
		AccountID              string `json:"cloud_sso_account_id"`
		AccessConfig           string `json:"cloud_sso_access_config"`
		AccessToken            string `json:"access_token"`
		AccessTokenExpire      int64  `json:"cloud_sso_access_token_expire"`
		OauthSiteType          string `json:"oauth_site_type"`
		OauthRefreshToken      string `json:"oauth_refresh_token"`
		OauthAccessToken       string `json:"oauth_access_token"`
		OauthAccessTokenExpire int64  `json:"oauth_access_token_expire"`
		StsExpire              int64  `json:"sts_expiration"`
	} `json:"profiles"`
}

// cliConfigPath is where credentials-go reads the aliyun CLI config.
func (c *chain) cliConfigPath() string {
	if p := c.getenv("ALIBABA_CLOUD_CONFIG_FILE"); p != "" {
		return p
	}
	return filepath.Join(c.homeDir(), ".aliyun", "config.json")
}

// homeDir is the home directory as credentials-go finds it.
func (c *chain) homeDir() string {
	if h := c.getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// cliProfileLink checks the aliyun CLI config and returns the link for
// profile (its current profile when ""). A malformed file is an error;
// so are a missing file or profile when explicit (--profile).
func (c *chain) cliProfileLink(profile string, explicit bool) (link, error) {
	path := c.cliConfigPath()
	l := link{name: "aliyun CLI config " + path}
	data, err := os.ReadFile(path)
	if err != nil {
		why := "cannot be read"
		if errors.Is(err, fs.ErrNotExist) {
			why = "does not exist"
		} else if errors.Is(err, fs.ErrPermission) {
			why = "cannot be read: permission denied"
		}
		if explicit {
			return l, &CredentialError{Profile: profile, Tried: []string{l.name + ": " + why}}
		}
		l.absent = why
		return l, nil
	}
	var cfg cliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return l, malformedJSON(path, data, err)
	}
	var names []string
	modes := map[string]string{}
	for _, p := range cfg.Profiles {
		names = append(names, p.Name)
		modes[p.Name] = p.Mode
	}
	if profile == "" {
		profile = cfg.Current
	}
	mode, ok := modes[profile]
	switch {
	case profile == "" && !explicit:
		l.absent = "names no current profile"
		return l, nil
	case len(names) == 0:
		if explicit {
			return l, &CredentialError{Profile: profile, Tried: []string{l.name + ": has no profiles"}}
		}
		l.absent = "has no profiles"
		return l, nil
	case !ok:
		sort.Strings(names)
		why := fmt.Sprintf("has no profile %q (it has: %s)", profile, strings.Join(names, ", "))
		if explicit {
			return l, &CredentialError{Profile: profile, Profiles: names, Tried: []string{l.name + ": " + why}}
		}
		l.absent = why
		return l, nil
	}
	p, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(path).WithProfileName(profile).Build()
	l.name = fmt.Sprintf("aliyun CLI profile %q in %s", profile, path)
	l.p = provider(p, err)
	l.absent = "turned off by ALIBABA_CLOUD_CLI_PROFILE_DISABLED"
	l.failed = fmt.Sprintf("its mode %q gave no credentials", mode)
	if explicit && l.p == nil {
		return l, &CredentialError{Profile: profile, Tried: []string{l.name + ": " + l.absent}}
	}
	return l, nil
}

// malformedJSON says where data stops being the aliyun CLI config, from
// encoding/json's offsets and types: never a byte of the file.
func malformedJSON(path string, data []byte, err error) error {
	e := &CredentialError{File: path, Kind: "aliyun CLI config", Problem: "not valid JSON"}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		e.Line, e.Column = lineCol(data, se.Offset)
	case errors.As(err, &te):
		got, _, _ := strings.Cut(te.Value, " ") // "number 5" -> "number": the kind only
		e.Problem = fmt.Sprintf("%s must be a JSON %s, not a %s", te.Field, jsonKind(te.Type.Kind().String()), got)
		e.Line, e.Column = lineCol(data, te.Offset)
	}
	return e
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "bool":
		return "true or false"
	}
	return "number"
}

// lineCol turns a byte offset of data into a 1-based line and column
// (encoding/json reports the offset after the byte it stopped at).
func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off > 0 {
		off-- // the byte it stopped at
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// iniProfileLink checks the credentials file (INI) and returns its link.
func (c *chain) iniProfileLink() (link, error) {
	path := c.getenv("ALIBABA_CLOUD_CREDENTIALS_FILE")
	if path == "" {
		path = filepath.Join(c.homeDir(), ".alibabacloud", "credentials")
	}
	section := c.getenv("ALIBABA_CLOUD_PROFILE")
	if section == "" {
		section = "default"
	}
	l := link{name: "credentials file " + path}
	data, err := os.ReadFile(path)
	if err != nil {
		l.absent = "cannot be read"
		if errors.Is(err, fs.ErrNotExist) {
			l.absent = "does not exist"
		}
		return l, nil
	}
	f, err := ini.Load(data)
	if err != nil {
		// ini's messages quote the offending line: say where, not what.
		e := &CredentialError{File: path, Kind: "credentials file", Problem: "not a valid INI file"}
		e.Line = iniBadLine(data)
		if e.Line > 0 {
			e.Column = 1
		}
		return l, e
	}
	if _, err := f.GetSection(section); err != nil {
		l.absent = fmt.Sprintf("has no section [%s]", section)
		return l, nil
	}
	p, err := providers.NewProfileCredentialsProviderBuilder().WithProfileName(section).Build()
	l.name = fmt.Sprintf("credentials file %s [%s]", path, section)
	l.p = provider(p, err)
	l.absent = "cannot be used"
	l.failed = "its section gave no credentials"
	return l, nil
}

// iniBadLine is the first line that is neither blank, a comment, a
// [section] nor a key = value (or key: value) pair; 0 if none.
func iniBadLine(data []byte) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		t := strings.TrimSpace(sc.Text())
		switch {
		case t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";"):
		case strings.HasPrefix(t, "["):
			if !strings.HasSuffix(t, "]") {
				return n
			}
		case !strings.ContainsAny(t, "=:"):
			return n
		}
	}
	return 0
}

// lockedCredential serialises access to a credentials-go credential: its
// default provider chain caches the provider it found without a lock, and
// wsdeploy signs requests from several goroutines.
type lockedCredential struct {
	mu sync.Mutex
	c  credentials.Credential
}

// Locked wraps c for concurrent use.
func Locked(c credentials.Credential) credentials.Credential {
	if c == nil {
		return nil
	}
	if _, ok := c.(*lockedCredential); ok {
		return c
	}
	return &lockedCredential{c: c}
}

func (l *lockedCredential) GetAccessKeyId() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetAccessKeyId()
}

func (l *lockedCredential) GetAccessKeySecret() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetAccessKeySecret()
}

func (l *lockedCredential) GetSecurityToken() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetSecurityToken()
}

func (l *lockedCredential) GetBearerToken() *string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetBearerToken()
}

func (l *lockedCredential) GetType() *string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetType()
}

func (l *lockedCredential) GetCredential() (*credentials.CredentialModel, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetCredential()
}
