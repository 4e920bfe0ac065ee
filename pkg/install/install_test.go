package install

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func commands(t *testing.T) map[string]Command {
	t.Helper()
	out := map[string]Command{}
	var err error
	add := func(name string, c Command, e error) {
		if e != nil {
			err = e
		}
		out[name] = c
	}
	c, e := RedisInstall("10.0.0.13", PasswordParameter("chat"))
	add("redis", c, e)
	c, e = WschatInstall(Backend{Name: "ECS01", Port: 5000, PingInterval: "10s", AllowedOrigins: []string{"chat.example.com"},
		Release: Release{Version: "v0.4.0"}, Redis: Redis{Host: "10.0.0.13", Secret: PasswordParameter("chat")}})
	add("wschat-release", c, e)
	c, e = WschatInstall(Backend{Name: "ECS02", Port: 5000, PingInterval: "10s",
		Release: Release{URL: "https://example.com/wschat.tar.gz", SHA256: strings.Repeat("ab", 32)},
		Redis:   Redis{URL: "rediss://wschat@r-1.redis.rds.aliyuncs.com:6380", Secret: "tair-pw"}})
	add("wschat-url-managed", c, e)
	c, e = WschatUninstall()
	add("wschat-uninstall", c, e)
	c, e = RedisUninstall()
	add("redis-uninstall", c, e)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommandsHoldNoSecret: the only {{…}} in a command is the password
// parameter's reference (Cloud Assistant would take any other for a
// parameter), and no password is written into it.
func TestCommandsHoldNoSecret(t *testing.T) {
	ref := regexp.MustCompile(`\{\{[^}]*\}\}`)
	for name, c := range commands(t) {
		for _, m := range ref.FindAllString(c.Content, -1) {
			if !strings.HasPrefix(m, "{{oos-secret:") {
				t.Errorf("%s: %s would be taken for a Cloud Assistant parameter", name, m)
			}
		}
		if strings.Contains(c.Content, "__REDIS_PASSWORD__\n") {
			t.Errorf("%s: a placeholder password is written", name)
		}
		if n := (len(c.Content) + 2) / 3 * 4; n > MaxContent {
			t.Errorf("%s: %d bytes in Base64, over %d", name, n, MaxContent)
		}
		if c.Hash != Hash(c.Content) || len(c.Hash) != 12 {
			t.Errorf("%s: hash %q", name, c.Hash)
		}
	}
	if c := commands(t)["wschat-release"]; !strings.Contains(c.Content, "sha256sum -c") || !strings.Contains(c.Content, ReleaseBase+"/v0.4.0") {
		t.Error("the release is not downloaded from the release URL and checked against checksums.txt")
	}
}

// TestCommandsParse: every command is a shell script bash accepts.
func TestCommandsParse(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no bash under CI")
		}
		t.Skip("no bash")
	}
	for name, c := range commands(t) {
		cmd := exec.Command("bash", "-n")
		cmd.Stdin = strings.NewReader(c.Content)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: bash -n: %v\n%s", name, err, out)
		}
	}
}

// TestCommandsStable: the same settings make the same command (the tag's hash).
func TestCommandsStable(t *testing.T) {
	a, b := commands(t), commands(t)
	for name := range a {
		if a[name].Hash != b[name].Hash {
			t.Errorf("%s: the hash changes between builds", name)
		}
	}
}
