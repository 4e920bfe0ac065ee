// backends: the servers behind the load balancer.

package config

import (
	"fmt"
	"regexp"
	"strconv"
)

var (
	ecsIDRE   = regexp.MustCompile(`^i-[a-z0-9]{4,64}$`)
	ecsNameRE = regexp.MustCompile(`^[A-Za-z\p{Han}][A-Za-z0-9\p{Han}._:-]{1,127}$`)
)

func (v *validator) backends(b *Backends) {
	v.rangeOf("backends.port", "backends.port", b.Port)
	v.servers(b.Servers)
	v.healthCheck(&b.HealthCheck)
	v.sticky(&b.StickySession)
}

func (v *validator) servers(servers []Server) {
	const path = "backends.servers"
	if len(servers) == 0 {
		v.add(path, "", "no servers: at least 1 is required",
			"list your ECS instances by ID or name, e.g. servers: [i-bp1g6zv0ce8oghu7k4hz, ECS01]")
		return
	}
	if len(servers) > 1000 {
		v.add(path, "", fmt.Sprintf("has %d servers: at most 1000 are allowed", len(servers)),
			"split the servers over several stacks")
	}
	seen := firstSeen[string]{}
	allZero := true
	for i, sv := range servers {
		p := fmt.Sprintf("%s[%d]", path, i)
		if sv.WeightOr100() != 0 {
			allZero = false
		}
		if sv.Weight != nil && (*sv.Weight < 0 || *sv.Weight > 100) {
			v.add(p+".weight", strconv.Itoa(*sv.Weight), "is out of range: allowed 0–100",
				"set 0–100 (100 is the default; 0 keeps the server registered but sends it no traffic)")
		}
		switch {
		case sv.Instance == "":
			v.add(p, "", "instance is missing",
				"write the ECS instance ID (e.g. i-bp1g6zv0ce8oghu7k4hz) or the instance name (e.g. ECS01)")
			continue
		case !v.text(p, sv.Instance):
			continue
		case !ecsIDRE.MatchString(sv.Instance) && !ecsNameRE.MatchString(sv.Instance):
			v.add(p, q(sv.Instance), "is not a valid ECS instance ID or instance name",
				"use the instance ID (i- and 4–64 lowercase letters and digits, e.g. i-bp1g6zv0ce8oghu7k4hz) or the instance name "+
					"(2–128 characters: letters, digits, Chinese characters, '.', '_', ':', '-', starting with a letter or Chinese character)")
			continue
		}
		if j, dup := seen.repeat(sv.Instance, i); dup {
			v.add(p, q(sv.Instance), fmt.Sprintf("is listed twice (also %s[%d])", path, j),
				"list each instance once; use weight to change its share of traffic")
		}
	}
	if allZero {
		v.add(path, "", "every server has weight 0, so no traffic would reach the app",
			"give at least one server a weight from 1 to 100, or remove weight to use the default 100")
	}
}
