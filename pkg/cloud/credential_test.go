package cloud

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testSecret = "Unit-Secret-DoNotPrint-0b7e"

// credEnv gives DefaultCredential an empty world: no variables, an empty
// home, and no instance metadata service (never asked from a test).
func credEnv(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, k := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_PROFILE",
		"ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED"} {
		t.Setenv(k, "")
	}
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	return home
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// resolve runs DefaultCredential and the first GetCredential, as wsdeploy does.
func resolve(profile string) (string, error) {
	c, err := DefaultCredential(profile)
	if err != nil {
		return "", err
	}
	m, err := c.GetCredential()
	if err != nil {
		return "", err
	}
	return *m.AccessKeyId, nil
}

func TestCredentialErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, home string)
		profile string
		want    []string // in Error() + Hint()
	}{
		{"nothing anywhere", func(*testing.T, string) {}, "",
			[]string{"no Alibaba Cloud credentials found", "config.json: does not exist", ".alibabacloud/credentials: does not exist", "ECS RAM role: turned off", "--profile NAME", "--local"}},
		{"half-set environment", func(t *testing.T, _ string) { t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI") }, "",
			[]string{"ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is empty"}},
		{"JSON syntax", func(t *testing.T, home string) {
			write(t, filepath.Join(home, ".aliyun/config.json"), "{\n \"profiles\": [{\"name\": \"a\", \"access_key_secret\": \""+testSecret+"\"}\n}")
		}, "", []string{"aliyun CLI config", "is malformed at line 3, column 1: not valid JSON", "at line 3, column 1 (or write it again"}},
		{"JSON of the wrong shape", func(t *testing.T, home string) {
			write(t, filepath.Join(home, ".aliyun/config.json"), `{"profiles": [{"name": "a", "access_key_secret": "`+testSecret+`", "expired_seconds": "`+testSecret+`"}]}`)
		}, "", []string{"is malformed at line 1, column ", "profiles.expired_seconds must be a JSON number, not a string"}},
		{"JSON of the wrong shape, --profile", func(t *testing.T, home string) {
			write(t, filepath.Join(home, ".aliyun/config.json"), `{"profiles": "`+testSecret+`"}`)
		}, "a", []string{"profiles must be a JSON array, not a string"}},
		{"missing profile", func(t *testing.T, home string) {
			write(t, filepath.Join(home, ".aliyun/config.json"), `{"profiles": [{"name": "b", "mode": "AK", "access_key_id": "x", "access_key_secret": "`+testSecret+`"}, {"name": "a", "mode": "AK"}]}`)
		}, "prod", []string{`--profile prod:`, `has no profile "prod" (it has: a, b)`, "pass --profile with one of: a, b"}},
		{"no CLI config with --profile", func(*testing.T, string) {}, "prod",
			[]string{"--profile prod: aliyun CLI config ", "config.json: does not exist", "aliyun configure --profile prod"}},
		{"INI syntax", func(t *testing.T, home string) {
			write(t, filepath.Join(home, ".alibabacloud/credentials"), "[default]\ntype = access_key\naccess_key_secret "+testSecret+"\n")
		}, "", []string{"the credentials file ", "is malformed at line 3, column 1: not a valid INI file"}},
		{"profile of an unknown mode", func(t *testing.T, home string) {
			write(t, filepath.Join(home, ".aliyun/config.json"), `{"current": "a", "profiles": [{"name": "a", "mode": "Quantum", "access_key_secret": "`+testSecret+`"}]}`)
		}, "", []string{`aliyun CLI profile "a" in `, `its mode "Quantum" gave no credentials`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := credEnv(t)
			tt.setup(t, home)
			_, err := resolve(tt.profile)
			var ce *CredentialError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %T %v, want *CredentialError", err, err)
			}
			text := ce.Error() + "\n" + ce.Hint()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, testSecret) {
				t.Errorf("the secret was printed:\n%s", text)
			}
			// Classify leaves it as it is, with its own hint.
			if got := Classify("alb", "X", err); got != err {
				t.Errorf("Classify changed a credential error: %v", got)
			}
		})
	}
}

func TestCredentialSources(t *testing.T) {
	home := credEnv(t)
	write(t, filepath.Join(home, ".aliyun/config.json"), `{"current": "a", "profiles": [
		{"name": "a", "mode": "AK", "access_key_id": "from-cli-a", "access_key_secret": "s"},
		{"name": "b", "mode": "AK", "access_key_id": "from-cli-b", "access_key_secret": "s"}]}`)
	write(t, filepath.Join(home, ".alibabacloud/credentials"), "[default]\ntype = access_key\naccess_key_id = from-ini\naccess_key_secret = s\n")
	check := func(profile, want string) {
		t.Helper()
		if got, err := resolve(profile); err != nil || got != want {
			t.Fatalf("profile %q: got %q, %v; want %q", profile, got, err, want)
		}
	}
	check("", "from-cli-a") // the CLI config's current profile comes before the credentials file
	check("b", "from-cli-b")
	t.Setenv("ALIBABA_CLOUD_PROFILE", "b")
	check("", "from-cli-b")
	t.Setenv("ALIBABA_CLOUD_PROFILE", "")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
	check("", "from-ini")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "from-env")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
	check("", "from-env") // the environment comes first
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\nef")
	for off, want := range map[int64][2]int{1: {1, 1}, 2: {1, 2}, 3: {1, 3}, 4: {2, 1}, 8: {3, 2}, 99: {3, 2}} {
		if l, c := lineCol(data, off); l != want[0] || c != want[1] {
			t.Errorf("offset %d: %d:%d, want %d:%d", off, l, c, want[0], want[1])
		}
	}
}
