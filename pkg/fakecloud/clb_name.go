package fakecloud

// SetLoadBalancerName: renaming a CLB instance (seeded or created).
// LoadBalancerName is required, 1-80 characters of letters, digits, '.',
// '_' and '-' (the SDK's documented rule; the older page also allows '/'
// and the fake takes the stricter), else 400 InvalidParameter (code
// unconfirmed). A locked instance refuses it (400 ActionNotAllowed).

import (
	"regexp"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

var clbNameRE = regexp.MustCompile(`^[\p{L}0-9._-]{1,80}$`)

func slbSetLoadBalancerName(st *State, r *Request) (any, error) {
	var name string
	lb, err := clbInstanceParam(st, r, func() error {
		var err error
		if name, err = r.Required("LoadBalancerName"); err != nil {
			return err
		}
		if !clbNameRE.MatchString(name) {
			return InvalidParameter("LoadBalancerName", name, "1-80 letters, digits, '.', '_' and '-'")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if lb.Status == "locked" {
		return nil, clbLocked()
	}
	lb.Name = name
	return &slb.SetLoadBalancerNameResponseBody{}, nil
}
