// app.deploy: the wschat release, where Redis runs, the allowed origins.

package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

var (
	// versionRE is a release tag as goreleaser names them: v1.2.3, v1.2.3-rc.1.
	versionRE = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// originRE is a host pattern wschat accepts (setup-app.sh's check).
	originRE = regexp.MustCompile(`^[A-Za-z0-9.*:_-]{1,253}$`)
	// oosNameRE is an OOS parameter name that Cloud Assistant can reference as {{oos-secret:NAME}} (letters, digits, '-' and '_').
	oosNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,180}$`)
)

func (v *validator) deploy(d *Deploy, s *Stack) {
	const base = "app.deploy."
	if d.Wschat == nil && d.Redis == nil {
		v.add("app.deploy", "", "says nothing to deploy",
			"set wschat: {version: v0.4.0} and redis: {instance: ECS03} (or redis: {url: rediss://…}), or remove app.deploy")
		return
	}
	if d.Wschat == nil {
		v.add(base+"wschat", "", "required field is missing: redis alone serves no one",
			"set wschat: {version: v0.4.0} (a wsdeploy release) or wschat: {url: https://…/wschat_linux_amd64.tar.gz, sha256: …}")
	} else {
		v.wschatRelease(d.Wschat)
	}
	if d.Redis == nil {
		v.add(base+"redis", "", "required field is missing: the backends share their chat through Redis",
			"set redis: {instance: ECS03} to install Redis there, or redis: {url: rediss://host:port} for a managed Redis (Tair)")
	} else {
		v.redisTarget(d.Redis, s)
	}
	if d.Wschat != nil && s.Backends.Port > 0 && s.Backends.Port < 1024 {
		v.add("backends.port", fmt.Sprint(s.Backends.Port), "is below 1024, where wschat, which app.deploy runs without privileges, cannot listen",
			"use a port from 1024 to 65535 (5000, the default); the listeners can still be 80 and 443")
	}
	seen := firstSeen[string]{}
	for i, o := range d.AllowedOrigins {
		p := fmt.Sprintf("%sallowedOrigins[%d]", base, i)
		if !v.present(p, o, "write a host such as chat.example.com, or remove the item") {
			continue
		}
		switch {
		case o == "*":
			v.add(p, q(o), "allows every page on the web to connect", "list the hosts of your pages, e.g. chat.example.com")
		case !originRE.MatchString(o):
			v.add(p, q(o), "is not a host pattern", "write a host such as chat.example.com or *.example.com (no scheme, no path)")
		}
		if j, dup := seen.repeat(o, i); dup {
			v.add(p, q(o), fmt.Sprintf("repeats allowedOrigins[%d]", j), "remove one of them")
		}
	}
}

func (v *validator) wschatRelease(w *WschatRelease) {
	const base = "app.deploy.wschat."
	switch {
	case w.Version != "" && (w.URL != "" || w.SHA256 != ""):
		v.add(base+"version", q(w.Version), "is set together with url/sha256", "keep version (a wsdeploy release) or url and sha256 (your own build), not both")
	case w.Version != "":
		if v.text(base+"version", w.Version) && !versionRE.MatchString(w.Version) {
			v.add(base+"version", q(w.Version), "is not a release tag", "write the tag of a wsdeploy release, such as v0.4.0")
		}
	case w.URL == "" && w.SHA256 == "":
		v.add("app.deploy.wschat", "", "names no build", "set version: v0.4.0, or url and sha256 of your own build")
	default:
		if v.present(base+"url", w.URL, "set url to the https:// address of the wschat archive (.tar.gz) or binary") && v.text(base+"url", w.URL) {
			if u, err := url.Parse(w.URL); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
				v.add(base+"url", q(w.URL), "is not an https:// URL", "use an https:// address without a user or password, e.g. https://example.com/wschat_linux_amd64.tar.gz")
			}
		}
		if v.present(base+"sha256", w.SHA256, "set sha256 to the file's checksum (sha256sum FILE): the instances refuse a download that does not match") &&
			!sha256RE.MatchString(w.SHA256) {
			v.add(base+"sha256", q(w.SHA256), "is not a SHA-256", "write the 64 lowercase hex digits sha256sum prints")
		}
	}
}

func (v *validator) redisTarget(r *RedisTarget, s *Stack) {
	const base = "app.deploy.redis."
	switch {
	case r.Instance != "" && r.URL != "":
		v.add(base+"url", q(r.URL), "is set together with instance", "keep instance (wsdeploy installs Redis there) or url (a managed Redis), not both")
	case r.Instance != "":
		if r.PasswordSecret != "" {
			v.add(base+"passwordSecret", q(r.PasswordSecret), "only applies to url (a managed Redis); with instance wsdeploy makes the password itself",
				"remove passwordSecret")
		}
		if !v.text(base+"instance", r.Instance) {
			return
		}
		if !ecsIDRE.MatchString(r.Instance) && !ecsNameRE.MatchString(r.Instance) {
			v.add(base+"instance", q(r.Instance), "is not a valid ECS instance ID or instance name",
				"use the instance ID (e.g. i-bp1g6zv0ce8oghu7k4hz) or the instance name (e.g. ECS03)")
			return
		}
		for i, sv := range s.Backends.Servers {
			if sv.Instance == r.Instance {
				v.add(base+"instance", q(r.Instance), fmt.Sprintf("is also backends.servers[%d]", i),
					"run Redis on an instance that is not a backend (the tutorials' ECS03), or use a managed Redis: redis: {url: rediss://…}")
			}
		}
	case r.URL == "":
		v.add("app.deploy.redis", "", "names no Redis", "set instance: ECS03, or url: rediss://host:port for a managed Redis")
	default:
		if !v.text(base+"url", r.URL) {
			return
		}
		u, err := url.Parse(r.URL)
		switch {
		case err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "":
			v.add(base+"url", "", "is not a redis:// or rediss:// URL", "write it as rediss://host:port (TLS) or redis://host:port")
		case hasPassword(u):
			// The value is not shown: it holds a password.
			v.add(base+"url", "", "holds a password, and wsdeploy.yaml is no place for secrets (it is committed, printed in plans, saved with them)",
				"remove the password from the URL, store it as an OOS encrypted parameter (aliyun oos CreateSecretParameter) and name it in redis.passwordSecret")
		case u.Path != "" && u.Path != "/" && strings.Trim(u.Path, "/0123456789") != "":
			v.add(base+"url", q(r.URL), "has a path that is not a database number", "write it as rediss://host:port or rediss://host:port/0")
		}
		if r.PasswordSecret != "" && v.text(base+"passwordSecret", r.PasswordSecret) && !oosNameRE.MatchString(r.PasswordSecret) {
			v.add(base+"passwordSecret", q(r.PasswordSecret), "is not an OOS parameter name", "use 1–180 letters, digits, '-' and '_'")
		}
	}
}

func hasPassword(u *url.URL) bool {
	if u.User == nil {
		return false
	}
	_, set := u.User.Password()
	return set // a user name alone (rediss://wschat@host) is fine
}
