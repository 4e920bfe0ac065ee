package templates

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := App.ReadFile("app/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAppFiles(t *testing.T) {
	want := []string{"index.html", "redis-server.service", "redis.conf", "setup-app.sh", "setup-redis.sh", "wschat.env", "wschat.service"}
	var got []string
	err := fs.WalkDir(App, "app", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, strings.TrimPrefix(p, "app/"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("app/ holds %v, want %v", got, want)
	}
}

func TestPageIsSelfContained(t *testing.T) {
	page := read(t, "index.html")
	// Anything loaded from elsewhere: src=, href= or url() pointing off the page, or @import.
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import`)
	if m := external.FindString(page); m != "" {
		t.Errorf("index.html loads something from elsewhere: %q", m)
	}
	if strings.Contains(page, "innerHTML") {
		t.Error("index.html uses innerHTML: chat text must be inserted as text")
	}
	for _, want := range []string{`"/ws"`, `type: "set_username"`, `type: "message"`, "f.backend", "retry("} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

// heredocs returns the files a setup script writes with cat > path <<EOF.
func heredocs(script string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`(?ms)^cat > (\S+) <<'?EOF'?\n(.*?)^EOF$`)
	for _, m := range re.FindAllStringSubmatch(script, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestScriptsWriteTheTemplates keeps the files embedded in the setup scripts
// (which must be self-contained to work as user data) identical to the
// standalone templates, placeholders aside.
func TestScriptsWriteTheTemplates(t *testing.T) {
	vars := regexp.MustCompile(`\$\{([A-Z_]+)\}`)
	tests := []struct{ script, path, template string }{
		{"setup-app.sh", "/etc/wschat/wschat.env", "wschat.env"},
		{"setup-app.sh", "/etc/systemd/system/wschat.service", "wschat.service"},
		{"setup-redis.sh", "/etc/redis/redis.conf", "redis.conf"},
		{"setup-redis.sh", "/etc/systemd/system/redis-server.service", "redis-server.service"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			docs := heredocs(read(t, tt.script))
			got, ok := docs[tt.path]
			if !ok {
				t.Fatalf("%s does not write %s (it writes %v)", tt.script, tt.path, docs)
			}
			got = vars.ReplaceAllString(got, "__${1}__")
			if want := read(t, tt.template); got != want {
				t.Errorf("%s writes a %s that differs from templates/app/%s:\n--- script\n%s\n--- template\n%s", tt.script, tt.path, tt.template, got, want)
			}
		})
	}
}

func TestScriptsParse(t *testing.T) {
	for _, name := range []string{"setup-app.sh", "setup-redis.sh"} {
		t.Run(name, func(t *testing.T) {
			if _, err := exec.LookPath("bash"); err != nil {
				t.Skip("no bash")
			}
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, []byte(read(t, name)), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("bash", "-n", p).CombinedOutput(); err != nil {
				t.Fatalf("bash -n %s: %v\n%s", name, err, out)
			}
		})
	}
}

// TestUnitsVerify runs systemd-analyze verify on both units (with the
// binaries pointed at /bin/true, which exists everywhere).
func TestUnitsVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("no systemd-analyze")
	}
	dir := t.TempDir()
	for _, name := range []string{"wschat.service", "redis-server.service"} {
		unit := read(t, name)
		unit = regexp.MustCompile(`(?m)^ExecStart=.*$`).ReplaceAllString(unit, "ExecStart=/bin/true")
		unit = strings.ReplaceAll(unit, "EnvironmentFile=/", "EnvironmentFile=-/")
		unit = strings.ReplaceAll(unit, "User=redis\nGroup=redis\n", "")
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(unit), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("systemd-analyze", "verify", p).CombinedOutput()
		if err != nil || len(strings.TrimSpace(string(out))) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", name, err, out)
		}
	}
}

// TestRedisConfIsHardened starts a real redis-server with redis.conf (the
// address, port and directory swapped for the test's) and checks what it promises.
func TestRedisConfIsHardened(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" { // CI must run this test, not skip it
			t.Fatal("redis-server is not installed and CI is set.\nTo fix: install it (apt-get install redis-server; .ci/run does this)")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
	}
	conf := read(t, "redis.conf")
	for _, want := range []string{"protected-mode yes", "requirepass __REDIS_PASSWORD__", "bind 127.0.0.1 __REDIS_PRIVATE_IP__"} {
		if !strings.Contains(conf, want) {
			t.Errorf("redis.conf lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?m)^bind .*(0\.0\.0\.0|\*)`).MatchString(conf) {
		t.Error("redis.conf binds every address")
	}
	const password = "Templ4teTestPassw0rd"
	conf = strings.NewReplacer("__REDIS_PRIVATE_IP__", "127.0.0.1", "__REDIS_PASSWORD__", password).Replace(conf)
	dir := t.TempDir()
	confPath := filepath.Join(dir, "redis.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, confPath, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	authed := redis.NewClient(&redis.Options{Addr: addr, Password: password})
	defer authed.Close()
	for authed.Ping(ctx).Err() != nil {
		if ctx.Err() != nil {
			t.Fatalf("redis-server did not start with redis.conf:\n%s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	anon := redis.NewClient(&redis.Options{Addr: addr})
	defer anon.Close()
	if err := anon.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("PING without the password: %v, want NOAUTH", err)
	}
	for _, c := range [][]any{{"CONFIG", "GET", "bind"}, {"FLUSHALL"}, {"KEYS", "*"}, {"DEBUG", "SLEEP", "0"}} {
		err := authed.Do(ctx, c...).Err()
		var rerr redis.Error
		if !errors.As(err, &rerr) || !strings.Contains(err.Error(), "unknown command") {
			t.Errorf("%v with the password: %v, want unknown command (disabled)", c[0], err)
		}
	}
	if err := authed.Publish(ctx, "wschat", "x").Err(); err != nil {
		t.Errorf("PUBLISH with the password: %v", err)
	}
}
