package apply

import (
	"context"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Executor is one load balancer product's way of carrying out plan steps;
// the adapters provide them (alb.Client.Executor, clb.Client.Executor) and
// the command wires them into the Engine. Each method returns when the
// change has taken effect (async jobs done, listeners running), so the next
// step on the same load balancer can start. token is the step's ClientToken
// (products without ClientTokens recover lost answers by lookup instead).
type Executor interface {
	CreateGroup(ctx context.Context, lbID string, spec resource.ServerGroup, token string, p cloud.Progress) (string, error)
	UpdateGroup(ctx context.Context, id string, spec resource.ServerGroup, token string, p cloud.Progress) error
	DeleteGroup(ctx context.Context, id, token string, p cloud.Progress) error
	AddServers(ctx context.Context, groupID string, batch []resource.Backend, token string, p cloud.Progress) error
	RemoveServers(ctx context.Context, groupID string, batch []resource.Backend, token string, p cloud.Progress) error
	SetWeights(ctx context.Context, groupID string, batch []resource.Backend, token string, p cloud.Progress) error
	CreateListener(ctx context.Context, lbID string, spec resource.Listener, groupID, token string, p cloud.Progress) (string, error)
	UpdateListener(ctx context.Context, lbID string, cur resource.Listener, spec resource.Listener, groupID, token string, p cloud.Progress) error
	DeleteListener(ctx context.Context, lbID string, l resource.Listener, token string, p cloud.Progress) error
	SetTag(ctx context.Context, lbID, key, value string) error
}

// DNS is what the engine needs of the Alidns API. CreateRecord creates once:
// a lost answer is recovered by lookup, never by a second record.
type DNS interface {
	CreateRecord(ctx context.Context, r resource.Record) (string, error)
	UpdateRecord(ctx context.Context, r resource.Record) error
	SetRemark(ctx context.Context, id, remark string) error
	DeleteRecord(ctx context.Context, id string) error
}

// Network is what the engine needs of ECS to change security groups: one
// inbound rule at a time. Adding a rule the group has succeeds and adds
// nothing; removing one already gone succeeds.
type Network interface {
	AuthorizeRule(ctx context.Context, groupID string, r resource.SecurityRule) error
	RevokeRule(ctx context.Context, groupID, ruleID string) error
}
