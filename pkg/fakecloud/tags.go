package fakecloud

// Resource tags, as ALB and CLB share them: Tag.N.Key/Value parameters (on
// create calls, as list filters and on TagResources), the text rules, the
// all-or-nothing TagResources/UntagResources updates and the rows of
// ListTagResources. Each product supplies its limits, its error for too many
// tags and how to find a resource's tags.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tag is one resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ALBTag and CLBTag are the tags of ALB and CLB resources (one type).
type (
	ALBTag = Tag
	CLBTag = Tag
)

// maxTagsPerResource is how many tags one ALB or CLB resource holds.
const maxTagsPerResource = 20

// tagFilter is one Tag.N pair of a request. As a filter, a key sent without
// a value matches any value.
type tagFilter struct {
	Key, Value string
	HasValue   bool
}

// checkTagText checks a tag key (isKey: not empty) or value: at most max
// characters, no aliyun or acs: prefix and no http:// or https:// anywhere,
// compared case-insensitively.
func checkTagText(field, s string, max int, isKey bool) error {
	l := strings.ToLower(s)
	switch {
	case isKey && s == "":
		return InvalidParameter(field, s, "a non-empty tag key")
	case utf8.RuneCountInString(s) > max:
		return InvalidParameter(field, s, fmt.Sprintf("at most %d characters", max))
	case strings.HasPrefix(l, "aliyun") || strings.HasPrefix(l, "acs:"):
		return InvalidParameter(field, s, "a tag not starting with aliyun or acs:")
	case strings.Contains(l, "http://") || strings.Contains(l, "https://"):
		return InvalidParameter(field, s, "a tag without http:// or https://")
	}
	return nil
}

// tagParams reads Tag.N.Key/Value: at most max pairs, keys of at most keyMax
// characters (values 128), each key once.
func tagParams(r *Request, max, keyMax int) ([]tagFilter, error) {
	idx := r.indexes("Tag")
	if len(idx) > max {
		return nil, InvalidParameter("Tag", strconv.Itoa(len(idx))+" tags", fmt.Sprintf("at most %d tags", max))
	}
	var out []tagFilter
	seen := map[string]bool{}
	for _, n := range idx {
		p := "Tag." + strconv.Itoa(n)
		k, ok := r.Str(p + ".Key")
		if !ok {
			return nil, MissingParameter(p + ".Key")
		}
		if err := checkTagText(p+".Key", k, keyMax, true); err != nil {
			return nil, err
		}
		if seen[k] {
			return nil, InvalidParameter(p+".Key", k, "a key not repeated in the request")
		}
		seen[k] = true
		v, hasV := r.Str(p + ".Value")
		if err := checkTagText(p+".Value", v, 128, false); err != nil {
			return nil, err
		}
		out = append(out, tagFilter{Key: k, Value: v, HasValue: hasV})
	}
	return out, nil
}

// tagsOf turns the Tag.N of a create call into the new resource's tags.
func tagsOf(filters []tagFilter) []Tag {
	var tags []Tag
	for _, f := range filters {
		tags = append(tags, Tag{Key: f.Key, Value: f.Value})
	}
	return tags
}

// matches reports whether the filter selects tag t.
func (f tagFilter) matches(t Tag) bool {
	return t.Key == f.Key && (!f.HasValue || t.Value == f.Value)
}

// tagsMatch reports whether tags satisfy every filter.
func tagsMatch(tags []Tag, filters []tagFilter) bool {
	for _, f := range filters {
		if !slices.ContainsFunc(tags, f.matches) {
			return false
		}
	}
	return true
}

// tagResourceIDs reads the ResourceId.N of the tag actions: at most max;
// with missing != "", none at all is MissingParameter(missing).
func tagResourceIDs(r *Request, max int, missing string) ([]string, error) {
	if missing != "" && len(r.List("ResourceId")) == 0 {
		return nil, MissingParameter(missing)
	}
	return r.ListMax("ResourceId", max, "resources")
}

// tagResources sets the tags add on every resource (TagResources): a key
// already there gets the new value. It changes nothing unless every resource
// is found and stays within maxTagsPerResource (tooMany answers otherwise).
func tagResources(ids []string, find func(id string) (*[]Tag, error), add []tagFilter, tooMany func(id string, n int) error) error {
	type update struct {
		dst    *[]Tag
		merged []Tag
	}
	var updates []update
	for _, id := range ids {
		dst, err := find(id)
		if err != nil {
			return err
		}
		merged := append([]Tag(nil), *dst...)
		for _, f := range add {
			replaced := false
			for i := range merged {
				if merged[i].Key == f.Key {
					merged[i].Value, replaced = f.Value, true
				}
			}
			if !replaced {
				merged = append(merged, Tag{Key: f.Key, Value: f.Value})
			}
		}
		if len(merged) > maxTagsPerResource {
			return tooMany(id, len(merged))
		}
		updates = append(updates, update{dst, merged})
	}
	for _, u := range updates {
		*u.dst = u.merged
	}
	return nil
}

// untagResources removes the tags drop selects from every resource
// (UntagResources), once every resource is found.
func untagResources(ids []string, find func(id string) (*[]Tag, error), drop func(Tag) bool) error {
	var targets []*[]Tag
	for _, id := range ids {
		dst, err := find(id)
		if err != nil {
			return err
		}
		targets = append(targets, dst)
	}
	for _, dst := range targets {
		var kept []Tag
		for _, t := range *dst {
			if !drop(t) {
				kept = append(kept, t)
			}
		}
		*dst = kept
	}
	return nil
}

// untagKeys checks the TagKey.N of a CLB or ECS UntagResources (keys of at
// most keyMax characters) and reads All: it returns which tags go. With
// TagKey.N, only those keys go, even with All=true; All alone removes every
// tag; neither is MissingParameter TagKey.1. (ALB's UnTagResources differs:
// see albUnTagResources.)
func untagKeys(r *Request, keys []string, keyMax int) (func(Tag) bool, error) {
	for i, k := range keys {
		if err := checkTagText(fmt.Sprintf("TagKey.%d", i+1), k, keyMax, true); err != nil {
			return nil, err
		}
	}
	all, _, err := r.Bool("All")
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 && !all {
		return nil, MissingParameter("TagKey.1")
	}
	return func(t Tag) bool { return len(keys) == 0 || contains(keys, t.Key) }, nil
}

// tagged is one resource as ListTagResources sees it.
type tagged struct {
	id   string
	tags []Tag
}

// tagRow is one row of ListTagResources: a resource and one of its tags.
type tagRow struct {
	id string
	Tag
}

// tagRows lists the tags of the resources named in ids (all when ids is
// empty) whose tags match filters, resource by resource.
func tagRows(resources []tagged, ids []string, filters []tagFilter) []tagRow {
	var rows []tagRow
	for _, res := range resources {
		if (len(ids) > 0 && !contains(ids, res.id)) || !tagsMatch(res.tags, filters) {
			continue
		}
		for _, t := range res.tags {
			rows = append(rows, tagRow{res.id, t})
		}
	}
	return rows
}
