package fakecloud

// How list and struct parameters must be serialised. Every Array and Struct
// parameter of the actions the fake serves has the "flat" (or "repeatList")
// style in the vendor's API metadata: a struct is sent field by field
// (HealthCheckConfig.HealthCheckPath=/), a list element by element, 1-based
// (Servers.1.ServerId=i-1, Servers.1.Port=80, ServerIds.1=i-1). The ACS3 SDKs
// are generated from that metadata: a parameter of style "json" becomes a
// <Name>Shrink string field holding JSON text, and no request of alb v2,
// slb v4, ECS DescribeInstances or the served Alidns actions has one. The
// gateway refuses such a parameter sent as a whole value (JSON text, or empty)
// before the service sees the call: 400 Invalid<Name> "Specified parameter
// <Name> is not valid. Illegal parameter serialization format. Flat format is
// required." (real answers to the aliyun CLI, which sends ALB Array/Struct
// parameters as JSON text: aliyun-cli issues #1393 and #420).
//
// Which parameters are lists or structs is read from the SDK's request type
// of the action (<Action>WithOptions' request argument), so the check covers
// every served action and its nested fields without a table to keep in step.

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
)

// sdkClients maps an API version to the ACS3 SDK client whose
// <Action>WithOptions methods name each action's request type.
var sdkClients = map[string]reflect.Type{
	VersionALB:    reflect.TypeOf((*alb.Client)(nil)),
	VersionSLB:    reflect.TypeOf((*slb.Client)(nil)),
	VersionAlidns: reflect.TypeOf((*alidns.Client)(nil)),
	VersionECS:    reflect.TypeOf((*ecs.Client)(nil)),
	VersionVPC:    reflect.TypeOf((*vpc.Client)(nil)),
}

// scalarOnly lists the API versions without an ACS3 SDK here whose served
// actions take no list or struct parameter: STS (AssumeRole,
// AssumeRoleWithOIDC take strings and a Long, GetCallerIdentity nothing) and
// OOS (the secret-parameter actions take strings and a Boolean; Tags and
// Constraints are JSON text by the API's own definition).
var scalarOnly = map[string]bool{VersionSTS: true, VersionOOS: true}

var (
	requestTypes sync.Map // actionKey -> reflect.Type (struct) or nil
	fieldTables  sync.Map // reflect.Type (struct) -> map[wire name]reflect.Type
)

// requestType is the SDK's request struct for an action, or nil if the SDK
// has no such action.
func requestType(version, action string) reflect.Type {
	key := actionKey{version, action}
	if t, ok := requestTypes.Load(key); ok {
		t, _ := t.(reflect.Type)
		return t
	}
	var rt reflect.Type
	if c, ok := sdkClients[version]; ok {
		if m, ok := c.MethodByName(action + "WithOptions"); ok && m.Type.NumIn() >= 2 {
			if in := m.Type.In(1); in.Kind() == reflect.Pointer && in.Elem().Kind() == reflect.Struct {
				rt = in.Elem()
			}
		}
	}
	requestTypes.Store(key, rt)
	return rt
}

// fields maps a struct's wire names (json tags) to field types.
func fields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldTables.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Type
	}
	fieldTables.Store(t, m)
	return m
}

// structured reports whether a parameter of type t is a list or a struct
// (after pointers), i.e. one that only travels in flat form.
func structured(t reflect.Type) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t, t.Kind() == reflect.Struct || t.Kind() == reflect.Slice
}

// checkFlatParams rejects a list or struct parameter (or a nested list or
// struct field of one) sent as a whole value instead of in flat form.
func checkFlatParams(r *Request) *APIError {
	rt := requestType(r.Version, r.Action)
	if rt == nil {
		return nil
	}
	for name := range r.Params {
		if path, bad := wholeValue(rt, name); bad {
			top, _, _ := strings.Cut(path, ".")
			return Errorf(http.StatusBadRequest, "Invalid"+top,
				"Specified parameter %s is not valid. Illegal parameter serialization format. Flat format is required.", path)
		}
	}
	return nil
}

// wholeValue walks a parameter name (A.1.B.2) down the request type and
// reports whether it ends on a list or a struct: a value that must have been
// sent in flat form. A name the type does not know is not judged here.
func wholeValue(rt reflect.Type, name string) (string, bool) {
	segs := strings.Split(name, ".")
	t := rt
	for i, seg := range segs {
		var ok bool
		switch t.Kind() {
		case reflect.Struct:
			if t, ok = fields(t)[seg]; !ok {
				return "", false
			}
		case reflect.Slice:
			if n, err := strconv.Atoi(seg); err != nil || n < 1 {
				return "", false
			}
			t = t.Elem()
		default:
			return "", false // a scalar has no fields
		}
		var isStructured bool
		if t, isStructured = structured(t); isStructured && i == len(segs)-1 {
			return name, true
		}
	}
	return "", false
}
