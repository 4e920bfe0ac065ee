package fakecloud

// CLB tags: TagResources, UntagResources, ListTagResources, and the tags of
// create calls (tags.go holds what ALB and CLB share).

import (
	"net/http"
	"strings"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

// clbTagCount refuses more than 20 Tag.N where they would all land on one
// resource (create calls, TagResources).
func clbTagCount(r *Request) error {
	if n := len(r.indexes("Tag")); n > 20 {
		return Errorf(http.StatusBadRequest, "TagCountLimit", "Tags count limit exceeded. (%d tags; at most 20)", n)
	}
	return nil
}

// clbTagParams reads Tag.N.Key/Value: at most 20 pairs, keys 1-64 characters.
func clbTagParams(r *Request) ([]tagFilter, error) { return tagParams(r, 20, 64) }

// clbNewTags reads the Tag.N of a create call.
func clbNewTags(r *Request) ([]Tag, error) {
	if err := clbTagCount(r); err != nil {
		return nil, err
	}
	f, err := clbTagParams(r)
	return tagsOf(f), err
}

// clbTagMaps renders tags as [{TagKey, TagValue}], nil when there are none.
func clbTagMaps(tags []Tag) []any {
	if len(tags) == 0 {
		return nil
	}
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, map[string]any{"TagKey": t.Key, "TagValue": t.Value})
	}
	return out
}

// clbWrappedTags renders tags as {Tag: [...]}, or nil when there are none.
func clbWrappedTags(tags []Tag) any {
	if len(tags) == 0 {
		return nil
	}
	return map[string]any{"Tag": clbTagMaps(tags)}
}

var clbResourceTypes = []string{"instance", "certificate", "acl", "listener", "vservergroup", "masterslaveservergroup"}

func clbResourceType(r *Request) (string, error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return "", err
	}
	if !contains(clbResourceTypes, typ) {
		return "", InvalidParameter("ResourceType", typ, "one of "+strings.Join(clbResourceTypes, ", "))
	}
	return typ, nil
}

// clbTaggable returns a pointer to the tags of a resource, or why it cannot be tagged.
func clbTaggable(st *State, typ, id string) (*[]Tag, error) {
	switch typ {
	case "instance":
		lb, err := clbLoadBalancer(st, id)
		if err != nil {
			return nil, err
		}
		return &lb.Tags, nil
	case "vservergroup":
		g, err := clbGroup(st, id)
		if err != nil {
			return nil, err
		}
		return &g.Tags, nil
	case "listener":
		lbID, proto, port, ok := parseListenerResourceID(id)
		if !ok {
			return nil, InvalidParameter("ResourceId", id, "<LoadBalancerId>_<protocol>_<port> for a listener")
		}
		lb, err := clbLoadBalancer(st, lbID)
		if err != nil {
			return nil, err
		}
		if l := st.CLB.listener(lb.ID, port); l != nil && l.Protocol == proto {
			return &l.Tags, nil
		}
		return nil, clbListenerNotFound()
	}
	return nil, Errorf(http.StatusNotFound, "InvalidResourceId.NotFound", "The specified resource %s does not exist.", id)
}

// clbTagTargets reads ResourceType and ResourceId.N (1 to 20) of
// TagResources and UntagResources.
func clbTagTargets(st *State, r *Request) ([]string, func(id string) (*[]Tag, error), error) {
	typ, err := clbResourceType(r)
	if err != nil {
		return nil, nil, err
	}
	ids, err := tagResourceIDs(r, 20, "ResourceId.1")
	if err != nil {
		return nil, nil, err
	}
	return ids, func(id string) (*[]Tag, error) { return clbTaggable(st, typ, id) }, nil
}

func slbTagResources(st *State, r *Request) (any, error) {
	ids, find, err := clbTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	if err := clbTagCount(r); err != nil {
		return nil, err
	}
	tags, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, MissingParameter("Tag.1.Key")
	}
	err = tagResources(ids, find, tags, func(id string, n int) error {
		return Errorf(http.StatusBadRequest, "TagCountLimit", "Tags count limit exceeded. (%s would have %d tags; at most 20)", id, n)
	})
	if err != nil {
		return nil, err
	}
	return &slb.TagResourcesResponseBody{}, nil
}

func slbUntagResources(st *State, r *Request) (any, error) {
	ids, find, err := clbTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	keys, err := r.ListMax("TagKey", 20, "keys")
	if err != nil {
		return nil, err
	}
	drop, err := untagKeys(r, keys, 64)
	if err != nil {
		return nil, err
	}
	if err := untagResources(ids, find, drop); err != nil {
		return nil, err
	}
	return &slb.UntagResourcesResponseBody{}, nil
}

// clbTagPageSize is how many rows one ListTagResources page holds.
const clbTagPageSize = 50

func slbListTagResources(st *State, r *Request) (any, error) {
	typ, err := clbResourceType(r)
	if err != nil {
		return nil, err
	}
	ids, err := tagResourceIDs(r, 20, "")
	if err != nil {
		return nil, err
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 && len(filters) == 0 {
		return nil, MissingParameter("ResourceId.1")
	}
	var resources []tagged
	switch typ {
	case "instance":
		for _, lb := range st.CLB.LoadBalancers {
			resources = append(resources, tagged{lb.ID, lb.Tags})
		}
	case "vservergroup":
		for _, g := range st.CLB.VServerGroups {
			resources = append(resources, tagged{g.ID, g.Tags})
		}
	case "listener":
		for _, lb := range st.CLB.LoadBalancers {
			for _, l := range st.CLB.listenersOf(lb.ID) {
				resources = append(resources, tagged{l.resourceID(), l.Tags})
			}
		}
	}
	var rows []any
	for _, row := range tagRows(resources, ids, filters) {
		rows = append(rows, map[string]any{"ResourceId": row.id, "ResourceType": typ, "TagKey": row.Key, "TagValue": row.Value})
	}
	p, err := tokenWindow(st, r, len(rows), clbTagPageSize)
	if err != nil {
		return nil, err
	}
	m := map[string]any{"TagResources": map[string]any{"TagResource": pageOf(rows, p)}}
	if p.next != "" {
		m["NextToken"] = p.next
	}
	body := &slb.ListTagResourcesResponseBody{}
	return body, sdkFill(body, m)
}
