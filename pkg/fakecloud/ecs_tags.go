package fakecloud

// ECS tags: TagResources, UntagResources and ListTagResources on ECS
// instances (ResourceType instance) and Cloud Assistant tasks (invocation),
// the Tag.N of RunCommand, and DescribeInstances' Tags and Tag.N filter.
// Keys and values up to 128 characters, no aliyun/acs: prefix, no
// http(s)://; at most 20 tags per resource and per call.

import (
	"net/http"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
)

// ecsMaxTags is how many tags an ECS resource holds, and a call may send.
const ecsMaxTags = 20

// ecsResourceTypes are the ResourceType values the ECS tag actions accept;
// only instance and invocation resources exist in the fake.
var ecsResourceTypes = []string{
	"instance", "disk", "snapshot", "image", "securitygroup", "volume", "eni", "ddh", "ddhcluster", "keypair",
	"launchtemplate", "reservedinstance", "snapshotpolicy", "elasticityassurance", "capacityreservation",
	"command", "invocation", "activation", "managedinstance",
}

func registerECSTags(reg registry) {
	reg.add(VersionECS, "TagResources", true, ecsTagResources)
	reg.add(VersionECS, "UntagResources", true, ecsUntagResources)
	reg.add(VersionECS, "ListTagResources", false, ecsListTagResources)
}

func ecsTagCountError(n int) error {
	return Errorf(http.StatusBadRequest, "InvalidTagCount", "The specified tags are beyond the permitted range. (%d tags; at most %d)", n, ecsMaxTags)
}

// ecsTagParams reads Tag.N (at most 20, keys and values up to 128 characters).
func ecsTagParams(r *Request) ([]tagFilter, error) {
	if n := len(r.indexes("Tag")); n > ecsMaxTags {
		return nil, ecsTagCountError(n)
	}
	return tagParams(r, ecsMaxTags, 128)
}

// ecsNewTags are the tags of a resource a call creates (RunCommand's Tag.N).
func ecsNewTags(r *Request) ([]Tag, error) {
	f, err := ecsTagParams(r)
	return tagsOf(f), err
}

func ecsResourceType(r *Request) (string, error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return "", err
	}
	if !contains(ecsResourceTypes, typ) {
		return "", Errorf(http.StatusBadRequest, "InvalidResourceType.NotFound", "The specified ResourceType %q does not exist.", typ)
	}
	return typ, nil
}

func ecsResourceNotFound(id string) error {
	return Errorf(http.StatusNotFound, "InvalidResourceId.NotFound", "The specified ResourceIds are not found in our records. (%s)", id)
}

// ecsTaggable finds the tags of one resource.
func ecsTaggable(st *State, typ, id string) (*[]Tag, error) {
	switch typ {
	case "instance":
		if in, ok := st.Instance(id); ok {
			return &in.Tags, nil
		}
	case "invocation":
		if inv := st.invocation(id); inv != nil {
			return &inv.Tags, nil
		}
	}
	return nil, ecsResourceNotFound(id)
}

func ecsTagTargets(st *State, r *Request) ([]string, func(id string) (*[]Tag, error), error) {
	if err := checkRegion(st, r); err != nil {
		return nil, nil, err
	}
	typ, err := ecsResourceType(r)
	if err != nil {
		return nil, nil, err
	}
	ids, err := tagResourceIDs(r, 50, "ResourceId.1")
	if err != nil {
		return nil, nil, err
	}
	return ids, func(id string) (*[]Tag, error) { return ecsTaggable(st, typ, id) }, nil
}

func ecsTagResources(st *State, r *Request) (any, error) {
	ids, find, err := ecsTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	tags, err := ecsTagParams(r)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, MissingParameter("Tag.1.Key")
	}
	err = tagResources(ids, find, tags, func(id string, n int) error {
		return Errorf(http.StatusForbidden, "OperationDenied.QuotaExceed", "The quota of tags on resource is beyond permitted range. (%s would have %d tags; at most %d)", id, n, ecsMaxTags)
	})
	if err != nil {
		return nil, err
	}
	return &ecs.TagResourcesResponseBody{}, nil
}

func ecsUntagResources(st *State, r *Request) (any, error) {
	ids, find, err := ecsTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	keys := r.List("TagKey")
	if len(keys) > ecsMaxTags {
		return nil, ecsTagCountError(len(keys))
	}
	drop, err := untagKeys(r, keys, 128)
	if err != nil {
		return nil, err
	}
	if err := untagResources(ids, find, drop); err != nil {
		return nil, err
	}
	return &ecs.UntagResourcesResponseBody{}, nil
}

// ecsTagPageSize is how many rows one ListTagResources page holds.
const ecsTagPageSize = 50

func ecsListTagResources(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	typ, err := ecsResourceType(r)
	if err != nil {
		return nil, err
	}
	ids, err := tagResourceIDs(r, 50, "")
	if err != nil {
		return nil, err
	}
	for _, t := range r.Structs("Tag") {
		if _, hasKey := t["Key"]; !hasKey {
			if _, hasValue := t["Value"]; hasValue {
				return nil, Errorf(http.StatusBadRequest, "InvalidParameter.TagValue", "The specified Tag.N.Value needs its Tag.N.Key.")
			}
		}
	}
	filters, err := ecsTagParams(r)
	if err != nil {
		return nil, err
	}
	if len(r.Structs("TagFilter")) > 0 {
		return nil, InvalidParameter("TagFilter", "", "Tag.N (fuzzy TagFilter search is not modelled by fakecloud)")
	}
	if len(ids) == 0 && len(filters) == 0 {
		return nil, MissingParameter("ResourceId.1")
	}
	var resources []tagged
	switch typ {
	case "instance":
		for _, in := range st.ECS.Instances {
			resources = append(resources, tagged{in.ID, in.Tags})
		}
	case "invocation":
		for _, inv := range st.ECS.Invocations {
			resources = append(resources, tagged{inv.ID, inv.Tags})
		}
	}
	rows := tagRows(resources, ids, filters)
	p, err := tokenWindow(st, r, len(rows), ecsTagPageSize)
	if err != nil {
		return nil, err
	}
	list := []*ecs.ListTagResourcesResponseBodyTagResourcesTagResource{}
	for _, row := range pageOf(rows, p) {
		list = append(list, &ecs.ListTagResourcesResponseBodyTagResourcesTagResource{
			ResourceId: dara.String(row.id), ResourceType: dara.String(typ), TagKey: dara.String(row.Key), TagValue: dara.String(row.Value),
		})
	}
	body := &ecs.ListTagResourcesResponseBody{TagResources: &ecs.ListTagResourcesResponseBodyTagResources{TagResource: list}}
	if p.next != "" {
		body.NextToken = dara.String(p.next)
	}
	return body, nil
}

// ecsInstanceTags are an instance's tags as DescribeInstances answers them.
func ecsInstanceTags(tags []Tag) *ecs.DescribeInstancesResponseBodyInstancesInstanceTags {
	out := &ecs.DescribeInstancesResponseBodyInstancesInstanceTags{Tag: []*ecs.DescribeInstancesResponseBodyInstancesInstanceTagsTag{}}
	for _, t := range tags {
		out.Tag = append(out.Tag, &ecs.DescribeInstancesResponseBodyInstancesInstanceTagsTag{
			TagKey: dara.String(t.Key), TagValue: dara.String(t.Value),
		})
	}
	return out
}
