// app.deploy: what `up` installs on the ECS instances through Cloud Assistant.

package config

// Deploy says what `up` installs on the stack's instances: the wschat release
// on every backend, and Redis on one instance (or a managed Redis it only
// points wschat at). Without it, wsdeploy installs nothing.
type Deploy struct {
	Wschat *WschatRelease `yaml:"wschat,omitempty" json:"wschat,omitempty"`
	Redis  *RedisTarget   `yaml:"redis,omitempty" json:"redis,omitempty"`
	// AllowedOrigins are the hosts of pages allowed to connect (wschat
	// --allowed-origins); empty means the stack's DNS name.
	AllowedOrigins []string `yaml:"allowedOrigins,omitempty" json:"allowedOrigins,omitempty"`
}

// WschatRelease is a wschat build: a release version (from the project's
// goreleaser release), or an archive URL with its SHA-256.
type WschatRelease struct {
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	URL     string `yaml:"url,omitempty" json:"url,omitempty"`
	SHA256  string `yaml:"sha256,omitempty" json:"sha256,omitempty"`
}

// RedisTarget is where wschat's Redis is: an instance wsdeploy installs it
// on, or the URL of a managed Redis (Tair) where nothing is installed.
type RedisTarget struct {
	Instance string `yaml:"instance,omitempty" json:"instance,omitempty"`
	URL      string `yaml:"url,omitempty" json:"url,omitempty"`
	// PasswordSecret names an OOS encrypted parameter holding the managed
	// Redis's password (with url only); wsdeploy reads it nowhere but on the
	// instances, through Cloud Assistant.
	PasswordSecret string `yaml:"passwordSecret,omitempty" json:"passwordSecret,omitempty"`
}

// DeployOf returns the stack's app.deploy, or nil.
func (s *Stack) DeployOf() *Deploy {
	if s == nil || s.App == nil {
		return nil
	}
	return s.App.Deploy
}

// Origins are the allowed origins wschat gets: app.deploy.allowedOrigins, or
// the DNS name.
func (s *Stack) Origins() []string {
	d := s.DeployOf()
	if d != nil && len(d.AllowedOrigins) > 0 {
		return d.AllowedOrigins
	}
	if s.DNS != nil {
		return []string{s.DNS.FQDN()}
	}
	return nil
}
