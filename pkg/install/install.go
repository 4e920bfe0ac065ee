// Package install writes the shell commands wsdeploy runs on ECS instances
// through Cloud Assistant to install, update and remove Redis and wschat.
// They are templates/app's setup scripts, given their settings as
// environment variables, so a command run by wsdeploy and a script run by
// hand install the same thing.
//
// No command holds a secret: the Redis password is referenced as
// {{oos-secret:NAME}}, an OOS encrypted parameter that Cloud Assistant
// substitutes on the instance (RunCommand with EnableParameter=true). A
// command's content is therefore fixed by the settings alone, and its hash
// is what the instance's deployment tag records.
package install

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"github.com/wsdeploy/wsdeploy/templates"
)

// Roles of an instance.
const (
	RoleRedis  = "redis"
	RoleWschat = "wschat"
)

// ReleaseBase is where the project's goreleaser releases are downloaded from.
const ReleaseBase = "https://github.com/wsdeploy/wsdeploy/releases/download"

// MaxContent is the most a command's content may be (RunCommand: 24 KB once
// Base64-encoded, for commands that are not kept; wsdeploy sends plain text,
// which the limit counts as its Base64 form).
const MaxContent = 24 * 1024

// Timeout is each command's RunCommand Timeout in seconds: a package
// install and a download on a slow mirror, with room to spare.
const Timeout = 600

// SecretRef is how a command references an OOS encrypted parameter.
func SecretRef(name string) string { return "{{oos-secret:" + name + "}}" }

// PasswordParameter is the name of the stack's OOS encrypted parameter that
// holds the Redis password wsdeploy generated.
func PasswordParameter(stack string) string { return "wsdeploy-" + stack + "-redis-password" }

// Command is one Cloud Assistant command.
type Command struct {
	Name    string `json:"name"`
	Content string `json:"-"` // shell script; holds no secret, but is long: plans show its Hash
	Hash    string `json:"hash"`
}

func command(name, content string) (Command, error) {
	if n := (len(content) + 2) / 3 * 4; n > MaxContent {
		return Command{}, fmt.Errorf("command %s is %d bytes in Base64, more than Cloud Assistant's %d", name, n, MaxContent)
	}
	return Command{Name: name, Content: content, Hash: Hash(content)}, nil
}

// Hash is the short hash of a command's content that deployment tags record.
func Hash(content string) string {
	h := sha256.Sum256([]byte(content))
	return hex.EncodeToString(h[:6])
}

// Release is the wschat build to install.
type Release struct {
	Version     string // v0.4.0: the project's release
	URL, SHA256 string // or this file
}

// Label names the build in plans: the version, or the file's checksum.
func (r Release) Label() string {
	if r.Version != "" {
		return r.Version
	}
	return "sha256:" + r.SHA256[:min(12, len(r.SHA256))]
}

// Redis is how the backends reach Redis.
type Redis struct {
	// Host is the Redis instance's private address (installed by wsdeploy),
	// or empty with URL set (a managed Redis).
	Host string
	URL  string
	// Secret is the OOS encrypted parameter holding the password ("" for none).
	Secret string
}

// Backend is what a wschat command needs.
type Backend struct {
	Name           string // shown to clients as "backend"
	Port           int
	PingInterval   string
	AllowedOrigins []string
	Release        Release
	Redis          Redis
}

// RedisInstall is the command that installs Redis on its instance.
func RedisInstall(privateIP, secret string) (Command, error) {
	body, err := templates.App.ReadFile("app/setup-redis.sh")
	if err != nil {
		return Command{}, err
	}
	var b strings.Builder
	b.WriteString("#!/bin/bash\n# wsdeploy: install Redis for wschat (Cloud Assistant command; the password comes from OOS)\nset -euo pipefail\n")
	fmt.Fprintf(&b, "export REDIS_PRIVATE_IP=%s\n", shellQuote(privateIP))
	writePassword(&b, secret)
	runScript(&b, string(body))
	return command("wsdeploy-install-redis", b.String())
}

// WschatInstall is the command that installs (or updates) wschat on a
// backend: download and verify the release, write the environment file and
// the systemd unit, start it, and wait until /healthz answers on the instance.
func WschatInstall(be Backend) (Command, error) {
	raw, err := templates.App.ReadFile("app/setup-app.sh")
	if err != nil {
		return Command{}, err
	}
	body := string(raw)
	if be.Redis.Host == "" {
		// A managed Redis: its URL, not the private address of ECS03.
		u, err := url.Parse(be.Redis.URL)
		if err != nil {
			return Command{}, fmt.Errorf("redis url: %w", err)
		}
		userinfo := ""
		if be.Redis.Secret != "" {
			user := "default"
			if u.User != nil && u.User.Username() != "" {
				user = u.User.Username()
			}
			userinfo = user + `:${REDIS_PASSWORD}@`
		}
		db := strings.Trim(u.Path, "/")
		if db == "" {
			db = "0"
		}
		for _, r := range []struct{ old, new string }{
			{"WSCHAT_REDIS_URL=redis://wschat:${REDIS_PASSWORD}@${REDIS_PRIVATE_IP}:6379/0",
				"WSCHAT_REDIS_URL=" + u.Scheme + "://" + userinfo + u.Host + "/" + db},
			{"[[ $REDIS_PRIVATE_IP =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]] || fail", "true ||"},
			{"[[ $REDIS_PASSWORD =~ ^[A-Za-z0-9]{16,}$ ]] || fail", "true ||"},
		} {
			if !strings.Contains(body, r.old) {
				return Command{}, fmt.Errorf("templates/app/setup-app.sh changed: %q is no longer in it", r.old)
			}
			body = strings.Replace(body, r.old, r.new, 1)
		}
	}
	var b strings.Builder
	b.WriteString("#!/bin/bash\n# wsdeploy: install wschat (Cloud Assistant command; the Redis password comes from OOS)\nset -euo pipefail\n")
	fmt.Fprintf(&b, "export BACKEND_NAME=%s APP_PORT=%d PING_INTERVAL=%s\n", shellQuote(be.Name), be.Port, shellQuote(be.PingInterval))
	fmt.Fprintf(&b, "export ALLOWED_ORIGINS=%s\n", shellQuote(strings.Join(be.AllowedOrigins, ",")))
	if be.Redis.Host != "" {
		fmt.Fprintf(&b, "export REDIS_PRIVATE_IP=%s\n", shellQuote(be.Redis.Host))
	} else {
		b.WriteString("export REDIS_PRIVATE_IP=managed\n")
	}
	if be.Redis.Secret != "" {
		writePassword(&b, be.Redis.Secret)
	} else {
		b.WriteString("export REDIS_PASSWORD=none\n")
	}
	b.WriteString(download(be.Release))
	runScript(&b, body)
	return command("wsdeploy-install-wschat", b.String())
}

// runScript writes a setup script to a file only root can read and runs it
// (not from standard input, which the package managers it runs may read).
func runScript(b *strings.Builder, body string) {
	b.WriteString("script=$(umask 077; mktemp)\ncat > \"$script\" <<'WSDEPLOY_SETUP'\n")
	b.WriteString(body)
	b.WriteString("WSDEPLOY_SETUP\nrc=0\nbash \"$script\" || rc=$?\nrm -f \"$script\"\nexit $rc\n")
}

// writePassword reads the password from the OOS parameter into
// REDIS_PASSWORD through a quoted here-document, so no character of it is
// interpreted by the shell, and it is never on a command line.
func writePassword(b *strings.Builder, secret string) {
	fmt.Fprintf(b, "IFS= read -r REDIS_PASSWORD <<'WSDEPLOY_SECRET' || true\n%s\nWSDEPLOY_SECRET\nexport REDIS_PASSWORD\n", SecretRef(secret))
}

// download installs /usr/local/bin/wschat from the release, checksum verified.
func download(r Release) string {
	var b strings.Builder
	b.WriteString(`fail() { echo "wsdeploy: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
`)
	if r.Version != "" {
		v := strings.TrimPrefix(r.Version, "v")
		fmt.Fprintf(&b, `case $(uname -m) in x86_64) arch=amd64;; aarch64|arm64) arch=arm64;; *) fail "no wschat release for $(uname -m)";; esac
base=%s
archive=wschat_%s_linux_${arch}.tar.gz
curl -fsSL --retry 3 -o "$tmp/$archive" "$base/$archive" || fail "download $base/$archive"
curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$base/checksums.txt" || fail "download $base/checksums.txt"
grep -q " $archive\$" "$tmp/checksums.txt" || fail "checksums.txt of %s does not list $archive"
(cd "$tmp" && grep " $archive\$" checksums.txt | sha256sum -c --quiet -) || fail "$archive does not match its SHA-256 in checksums.txt"
tar -xzf "$tmp/$archive" -C "$tmp" wschat
`, shellQuote(ReleaseBase+"/"+r.Version), v, r.Version)
	} else {
		fmt.Fprintf(&b, `url=%s
curl -fsSL --retry 3 -o "$tmp/download" "$url" || fail "download $url"
echo %s"  $tmp/download" | sha256sum -c --quiet - || fail "the download does not match app.deploy.wschat.sha256"
if gzip -t "$tmp/download" 2>/dev/null; then tar -xzf "$tmp/download" -C "$tmp" wschat; else mv "$tmp/download" "$tmp/wschat"; fi
`, shellQuote(r.URL), shellQuote(r.SHA256))
	}
	b.WriteString("install -m 0755 \"$tmp/wschat\" /usr/local/bin/wschat.new && mv -f /usr/local/bin/wschat.new /usr/local/bin/wschat\n")
	return b.String()
}

// WschatUninstall stops and removes wschat (`down --app`).
func WschatUninstall() (Command, error) {
	return command("wsdeploy-uninstall-wschat", `#!/bin/bash
# wsdeploy: remove wschat (down --app)
set -euo pipefail
systemctl disable --now wschat.service 2>/dev/null || true
rm -f /etc/systemd/system/wschat.service /usr/local/bin/wschat
rm -rf /etc/wschat
systemctl daemon-reload
echo "wsdeploy: wschat removed"
`)
}

// RedisUninstall stops Redis and removes it, its configuration and its unit (`down --app`).
func RedisUninstall() (Command, error) {
	return command("wsdeploy-uninstall-redis", `#!/bin/bash
# wsdeploy: remove Redis installed for wschat (down --app)
set -euo pipefail
systemctl disable --now redis-server.service 2>/dev/null || true
rm -f /etc/systemd/system/redis-server.service /etc/redis/redis.conf
if [ -f /etc/redis/redis.conf.dist ]; then mv /etc/redis/redis.conf.dist /etc/redis/redis.conf; fi
systemctl daemon-reload
if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq redis-server
elif command -v dnf >/dev/null; then dnf remove -y -q redis
elif command -v yum >/dev/null; then yum remove -y -q redis
fi
echo "wsdeploy: Redis removed"
`)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
