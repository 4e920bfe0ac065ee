package config

// Network says how wsdeploy treats the security groups of the stack's
// instances. With a network block, plan reads them and reports, before any
// write, a load balancer that cannot reach backends.port, backends that cannot
// reach Redis, and those ports open to 0.0.0.0/0. Manage lets up add the
// missing rules (and down remove them); without it they are errors naming
// the rule to add.
type Network struct {
	Manage bool `yaml:"manage" json:"manage"`
}

// RedisPort is the port Redis listens on (templates/app/redis.conf).
const RedisPort = 6379

// RedisInstance is the ECS instance the config runs Redis on ("" for none).
func (s *Stack) RedisInstance() string {
	if s.App == nil || s.App.Deploy == nil || s.App.Deploy.Redis == nil {
		return ""
	}
	return s.App.Deploy.Redis.Instance
}

// ManagesNetwork reports whether up may add the stack's security-group rules.
func (s *Stack) ManagesNetwork() bool { return s.Network != nil && s.Network.Manage }
