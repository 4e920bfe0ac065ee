package fakecloud

// ALB tags: TagResources, UnTagResources, ListTagResources (tags.go holds
// what ALB and CLB share).

import (
	"fmt"
	"strconv"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// albNewTags reads the Tag.N of a create call.
func albNewTags(r *Request) ([]Tag, error) {
	f, err := tagParams(r, 20, 128)
	return tagsOf(f), err
}

// albTags converts tags into an SDK response's Tags list (never nil).
func albTags[T any](tags []Tag, tag func(key, value *string) *T) []*T {
	out := []*T{}
	for _, t := range tags {
		out = append(out, tag(tea.String(t.Key), tea.String(t.Value)))
	}
	return out
}

// albTaggable returns a pointer to the tags of the resource of that type, or 404.
func albTaggable(st *State, typ, id string) (*[]Tag, error) {
	switch typ {
	case "loadbalancer":
		if lb := st.ALB.loadBalancer(id); lb != nil {
			return &lb.Tags, nil
		}
		return nil, albNotFound("LoadBalancer", id)
	case "servergroup":
		if g := st.ALB.serverGroup(id); g != nil {
			return &g.Tags, nil
		}
		return nil, albNotFound("ServerGroup", id)
	case "listener":
		if l := st.ALB.listener(id); l != nil {
			return &l.Tags, nil
		}
		return nil, albNotFound("Listener", id)
	case "acl":
		return nil, albNotFound("Acl", id)
	case "securitypolicy":
		return nil, albNotFound("SecurityPolicy", id)
	}
	return nil, InvalidParameter("ResourceType", typ, "one of loadbalancer, servergroup, listener, acl, securitypolicy")
}

// albTagTargets reads ResourceType and ResourceId.N (1 to 50) of TagResources
// and UnTagResources.
func albTagTargets(st *State, r *Request) ([]string, func(id string) (*[]Tag, error), error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return nil, nil, err
	}
	ids, err := tagResourceIDs(r, 50, "ResourceId")
	if err != nil {
		return nil, nil, err
	}
	return ids, func(id string) (*[]Tag, error) { return albTaggable(st, typ, id) }, nil
}

func albTagResources(st *State, r *Request) (any, error) {
	ids, find, err := albTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	filters, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	if len(filters) == 0 {
		return nil, MissingParameter("Tag")
	}
	err = tagResources(ids, find, filters, func(id string, n int) error {
		return InvalidParameter("Tag", strconv.Itoa(n)+" tags on "+id, "at most 20 tags per resource")
	})
	if err != nil {
		return nil, err
	}
	return &alb.TagResourcesResponseBody{}, nil
}

func albUnTagResources(st *State, r *Request) (any, error) {
	ids, find, err := albTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	all, _, err := r.Bool("All")
	if err != nil {
		return nil, err
	}
	keys, err := r.ListMax("TagKey", 20, "values")
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		if err := checkTagText(fmt.Sprintf("TagKey.%d", i+1), k, 128, true); err != nil {
			return nil, err
		}
	}
	pairs, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	if !all && len(keys) == 0 && len(pairs) == 0 {
		return nil, MissingParameter("TagKey")
	}
	err = untagResources(ids, find, func(t Tag) bool {
		if all || contains(keys, t.Key) {
			return true
		}
		for _, p := range pairs {
			if p.matches(t) {
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	return &alb.UnTagResourcesResponseBody{}, nil
}

func albListTagResources(st *State, r *Request) (any, error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return nil, err
	}
	ids, err := r.ListMax("ResourceId", 50, "values")
	if err != nil {
		return nil, err
	}
	filters, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	var resources []tagged
	switch typ {
	case "loadbalancer":
		for _, lb := range st.ALB.LoadBalancers {
			resources = append(resources, tagged{lb.ID, lb.Tags})
		}
	case "servergroup":
		for _, g := range st.ALB.ServerGroups {
			resources = append(resources, tagged{g.ID, g.Tags})
		}
	case "listener":
		for _, l := range st.ALB.Listeners {
			resources = append(resources, tagged{l.ID, l.Tags})
		}
	case "acl", "securitypolicy":
	default:
		return nil, InvalidParameter("ResourceType", typ, "one of loadbalancer, servergroup, listener, acl, securitypolicy")
	}
	rows := tagRows(resources, ids, filters)
	p, err := tokenPage(st, r, len(rows), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListTagResourcesResponseBody{
		TagResources: []*alb.ListTagResourcesResponseBodyTagResources{},
		MaxResults:   tea.Int32(int32(p.maxResults)),
		NextToken:    tea.String(p.next),
	}
	for _, row := range pageOf(rows, p) {
		body.TagResources = append(body.TagResources, &alb.ListTagResourcesResponseBodyTagResources{
			ResourceId: tea.String(row.id), ResourceType: tea.String(typ),
			TagKey: tea.String(row.Key), TagValue: tea.String(row.Value),
		})
	}
	return body, nil
}
