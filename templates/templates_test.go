package templates

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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

// TestPageServerParamOnlyFromFile: served by a backend, the page connects to
// that backend only; ?server= (a link could point a visitor's chat at any
// server) is honoured only when the page is opened from a file.
func TestPageServerParamOnlyFromFile(t *testing.T) {
	page := read(t, "index.html")
	// Statically: the query string is read only inside the file: branch.
	block := regexp.MustCompile(`(?s)if \(location\.protocol === "file:"\) \{\n(.*?)\n  \}\n`).FindStringSubmatchIndex(page)
	if block == nil {
		t.Fatal(`index.html has no if (location.protocol === "file:") { … } block choosing the server`)
	}
	outside := page[:block[0]] + page[block[1]:]
	for _, read := range []string{"location.search", "URLSearchParams", "location.href", "location.hash"} {
		if strings.Contains(outside, read) {
			t.Errorf("index.html reads %s outside the file: branch", read)
		}
	}
	// And by running the page's script (node, when installed).
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("node is not installed: the page's script was checked statically only")
		return
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "index.html")
	if err := os.WriteFile(p, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"http://chat.example.com/?server=attacker.example:80":         "ws://chat.example.com/ws",
		"https://chat.example.com/?server=attacker.example:443&tls=1": "wss://chat.example.com/ws",
		"https://chat.example.com/?tls=0":                             "wss://chat.example.com/ws",
		"http://10.0.0.11:5000/":                                      "ws://10.0.0.11:5000/ws",
		"file:///home/me/index.html?server=10.0.0.11:5000":            "ws://10.0.0.11:5000/ws",
		"file:///home/me/index.html?server=chat.example.com&tls=1":    "wss://chat.example.com/ws",
		"file:///home/me/index.html":                                  "ws://localhost:5000/ws",
	}
	args := []string{"testdata/page-url.js", p}
	for href := range want {
		args = append(args, href)
	}
	out, err := exec.Command(node, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("node page-url.js: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if href, url, ok := strings.Cut(line, " "); ok {
			got[href] = url
		}
	}
	for href, w := range want {
		if got[href] != w {
			t.Errorf("page at %s connects to %q, want %q", href, got[href], w)
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
	vars := regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`)
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
			needTool(t, "bash")
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
	needTool(t, "systemd-analyze")
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

// TestRedisConfIsHardened checks what redis.conf says; pkg/chat's
// TestRedisACL runs a real redis-server with it and wschat against it.
func TestRedisConfIsHardened(t *testing.T) {
	conf := read(t, "redis.conf")
	for _, want := range []string{
		"protected-mode yes",
		"bind 127.0.0.1 __REDIS_PRIVATE_IP__",
		"\nuser default off\n",
		"\nuser wschat on #__REDIS_PASSWORD_SHA256__ resetkeys resetchannels &wschat -@all +publish +subscribe +ping +auth +hello\n",
		"\n#   tls-port 6380\n",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("redis.conf lacks %q", want)
		}
	}
	for _, bad := range []string{"requirepass", "__REDIS_PASSWORD__", "+@all", "allcommands", "allchannels", "nopass", "~*"} {
		if strings.Contains(conf, bad) {
			t.Errorf("redis.conf contains %q", bad)
		}
	}
	if regexp.MustCompile(`(?m)^bind .*(0\.0\.0\.0|\*)`).MatchString(conf) {
		t.Error("redis.conf binds every address")
	}
	if users := regexp.MustCompile(`(?m)^user `).FindAllString(conf, -1); len(users) != 2 {
		t.Errorf("redis.conf declares %d users, want default (off) and wschat", len(users))
	}
}

// serviceSettings returns the [Service] section of a unit as key → values.
func serviceSettings(unit string) map[string][]string {
	out := map[string][]string{}
	in := false
	for _, line := range strings.Split(unit, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "["):
			in = line == "[Service]"
		case in && line != "" && !strings.HasPrefix(line, "#"):
			if k, v, ok := strings.Cut(line, "="); ok {
				out[k] = append(out[k], v)
			}
		}
	}
	return out
}

// TestUnitsAreConfined: both services have memory and task ceilings, hide
// other processes, and cannot reach the ECS metadata service (whose RAM role
// credentials a compromised process could otherwise fetch).
func TestUnitsAreConfined(t *testing.T) {
	common := map[string]string{
		"NoNewPrivileges":         "yes",
		"CapabilityBoundingSet":   "",
		"ProtectSystem":           "strict",
		"ProtectProc":             "invisible",
		"SystemCallFilter":        "@system-service",
		"SystemCallArchitectures": "native",
		"IPAddressDeny":           "100.100.100.200",
		"MemoryDenyWriteExecute":  "yes",
	}
	units := map[string]map[string]string{
		"wschat.service":       {"MemoryMax": "1G", "TasksMax": "512", "DynamicUser": "yes"},
		"redis-server.service": {"MemoryMax": "1G", "TasksMax": "64", "User": "redis"},
	}
	for name, own := range units {
		got := serviceSettings(read(t, name))
		for k, want := range common {
			if v := got[k]; len(v) != 1 || v[0] != want {
				t.Errorf("%s: %s=%v, want %s=%s", name, k, v, k, want)
			}
		}
		for k, want := range own {
			if v := got[k]; len(v) != 1 || v[0] != want {
				t.Errorf("%s: %s=%v, want %s=%s", name, k, v, k, want)
			}
		}
		if v := got["IPAddressAllow"]; len(v) > 0 {
			t.Errorf("%s: IPAddressAllow=%v would override the metadata deny", name, v)
		}
	}
}

// TestScriptsReadThePassword runs the settings part of both setup scripts
// (everything before "settings checked", which changes nothing): the Redis
// password comes from the environment or from a file only its owner can
// read, never from the command line, and is never echoed.
func TestScriptsReadThePassword(t *testing.T) {
	needTool(t, "bash")
	const good = "0123456789abcdefABCDEF42"
	tests := []struct {
		name    string
		env     []string
		file    string // content of the password file
		mode    os.FileMode
		named   bool // name the file with REDIS_PASSWORD_FILE instead of ./redis-password
		want    string
		wantErr string
	}{
		{name: "environment", env: []string{"REDIS_PASSWORD=" + good}, want: good},
		{name: "file in the working directory", file: good + "\n", mode: 0o600, want: good},
		{name: "named file, read-only", file: good, mode: 0o400, named: true, want: good},
		{name: "environment wins over the file", env: []string{"REDIS_PASSWORD=" + good}, file: "fromthefile0000000000", mode: 0o600, want: good},
		{name: "file readable by the group", file: good, mode: 0o640, wantErr: "readable by others (mode 640): chmod 600"},
		{name: "file readable by everyone", file: good, mode: 0o644, named: true, wantErr: "readable by others (mode 644)"},
		{name: "no password", wantErr: "no Redis password"},
		{name: "weak password", file: "hunter2", mode: 0o600, wantErr: "16 or more letters and digits"},
	}
	for _, script := range []string{"setup-redis.sh", "setup-app.sh"} {
		text := read(t, script)
		marker := "# --- settings checked"
		i := strings.Index(text, marker)
		if i < 0 {
			t.Fatalf("%s has no %q line", script, marker)
		}
		prefix := text[:i] + "echo \"password=$REDIS_PASSWORD\"\necho \"sha256=${REDIS_PASSWORD_SHA256:-}\"\n"
		for _, tt := range tests {
			t.Run(script+"/"+tt.name, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "settings.sh")
				if err := os.WriteFile(p, []byte(prefix), 0o600); err != nil {
					t.Fatal(err)
				}
				env := []string{"PATH=" + os.Getenv("PATH"), "REDIS_PRIVATE_IP=10.0.0.13"}
				if tt.file != "" {
					pw := filepath.Join(dir, "redis-password")
					if tt.named {
						pw = filepath.Join(t.TempDir(), "secret")
						env = append(env, "REDIS_PASSWORD_FILE="+pw)
					}
					if err := os.WriteFile(pw, []byte(tt.file), tt.mode); err != nil {
						t.Fatal(err)
					}
					if err := os.Chmod(pw, tt.mode); err != nil {
						t.Fatal(err)
					}
				}
				cmd := exec.Command("bash", p)
				cmd.Dir = dir
				cmd.Env = append(env, tt.env...)
				out, err := cmd.CombinedOutput()
				if tt.wantErr != "" {
					if err == nil || !strings.Contains(string(out), tt.wantErr) {
						t.Fatalf("err %v, output %q: want a failure saying %q", err, out, tt.wantErr)
					}
					if tt.file != "" && strings.Contains(string(out), strings.TrimSpace(tt.file)) {
						t.Fatalf("the failure shows the password: %s", out)
					}
					return
				}
				if err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				if !strings.Contains(string(out), "password="+tt.want+"\n") {
					t.Fatalf("output %q, want password %s", out, tt.want)
				}
				if script == "setup-redis.sh" {
					sum := sha256.Sum256([]byte(tt.want))
					if !strings.Contains(string(out), "sha256="+hex.EncodeToString(sum[:])+"\n") {
						t.Fatalf("output %q, want the password's SHA-256 for redis.conf", out)
					}
				}
			})
		}
	}
}

// TestNoPasswordOnCommandLines: the README and the scripts never show a Redis
// password typed as a command's argument or VAR=… before a command.
func TestNoPasswordOnCommandLines(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"README.md": string(readme), "setup-redis.sh": read(t, "setup-redis.sh"), "setup-app.sh": read(t, "setup-app.sh")}
	bad := regexp.MustCompile(`REDIS_PASSWORD=[^"$\s]|redis-cli[^\n]* -a |requirepass [^_\n]|redis://:[^@_]+@`)
	for name, text := range texts {
		if m := bad.FindString(text); m != "" {
			t.Errorf("%s puts a password on a command line: %q", name, m)
		}
	}
}

// needTool skips a test that needs a program the machine lacks, on a
// developer's machine; under CI (env CI set) a missing program is a failure,
// so the path is never left untested there (.ci/run installs them).
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed, and CI is set: the test it serves must run here.\nTo fix: install it (.ci/run installs bash and systemd)", name)
	}
	t.Skipf("no %s on this machine (under CI this fails)", name)
}
