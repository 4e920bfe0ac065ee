package fakecloud

// What goes with a deleted CLB instance. The SDK documents DeleteLoadBalancer
// as "The listeners and tags of the SLB instance are deleted along with the
// SLB instance"; the vServer groups (with their backend servers and tags)
// belong to the instance and go too. Tags live on the objects they tag, so
// they go with them. Master-slave groups, ACL attachments and the default
// server group are not modelled (nothing to delete). Reads that name the
// instance afterwards answer 404 InvalidLoadBalancerId.NotFound, and a
// vServer group or listener of it is as unknown as one never created.

import "slices"

// deleteInstance removes lb with its listeners and vServer groups.
func (c *CLBState) deleteInstance(lb *CLBInstance) {
	c.Listeners = slices.DeleteFunc(c.Listeners, func(l *CLBListener) bool { return l.LoadBalancerID == lb.ID })
	c.VServerGroups = slices.DeleteFunc(c.VServerGroups, func(g *CLBVServerGroup) bool { return g.LoadBalancerID == lb.ID })
	c.LoadBalancers = slices.DeleteFunc(c.LoadBalancers, func(x *CLBInstance) bool { return x == lb })
}
