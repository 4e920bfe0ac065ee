package fakecloud

// OOS (CloudOps Orchestration Service), API version 2019-06-01: the secret
// parameters Cloud Assistant commands refer to as {{oos-secret:name}}
// (RunCommand with EnableParameter=true). CreateSecretParameter,
// GetSecretParameter, UpdateSecretParameter, DeleteSecretParameter.
//
// A secret's value is kept in the world (the state file) but never written
// to the request log (Value is dropped from Call.Params of these actions),
// never answered by GET /_fake/state, and printed as <redacted> by fmt.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// SecretValue is a secret parameter's value. fmt prints it as <redacted>
// (with any verb), so a test that prints a Snapshot does not show it; JSON
// keeps it (the state file must).
type SecretValue string

// Format prints <redacted>.
func (SecretValue) Format(f fmt.State, _ rune) { fmt.Fprint(f, "<redacted>") }

// Reveal returns the value.
func (v SecretValue) Reveal() string { return string(v) }

// OOSState is the OOS part of the world.
type OOSState struct {
	SecretParameters []OOSSecretParameter `json:"secretParameters,omitempty"`
}

// OOSSecretParameter is an OOS secret (encrypted) parameter.
type OOSSecretParameter struct {
	ID          string `json:"id"` // p-...
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	KeyID       string `json:"keyId,omitempty"`
	Constraints string `json:"constraints,omitempty"`
	Tags        []Tag  `json:"tags,omitempty"`
	// Values holds every version's value, version 1 first.
	Values    []SecretValue `json:"values"`
	CreatedAt time.Time     `json:"createdAt"`
	UpdatedAt time.Time     `json:"updatedAt"`
}

// Value is the current value.
func (p *OOSSecretParameter) Value() SecretValue { return p.Values[len(p.Values)-1] }

func (st *State) secretParameter(name string) *OOSSecretParameter {
	for i := range st.OOS.SecretParameters {
		if st.OOS.SecretParameters[i].Name == name {
			return &st.OOS.SecretParameters[i]
		}
	}
	return nil
}

// ProductOOS and VersionOOS name OOS.
const (
	ProductOOS = "oos"
	VersionOOS = "2019-06-01"
)

// oosSecretActions carry a secret's value in their Value parameter.
var oosSecretActions = []string{"CreateSecretParameter", "UpdateSecretParameter"}

// redactLogParams drops what the request log must not hold for a product's
// action (the value of an OOS secret parameter).
func redactLogParams(product, action string, params map[string]string) map[string]string {
	if product == ProductOOS && contains(oosSecretActions, action) {
		delete(params, "Value")
	}
	if len(params) == 0 {
		return nil
	}
	return params
}

func registerOOS(reg registry) {
	reg.add(VersionOOS, "CreateSecretParameter", true, oosCreateSecretParameter)
	reg.add(VersionOOS, "GetSecretParameter", false, oosGetSecretParameter)
	reg.add(VersionOOS, "UpdateSecretParameter", true, oosUpdateSecretParameter)
	reg.add(VersionOOS, "DeleteSecretParameter", true, oosDeleteSecretParameter)
}

// secretNameRE: letters, digits, '-' and '_', up to 180.
var secretNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,180}$`)

// oosRegion checks the optional RegionId: another region is 404.
func oosRegion(st *State, r *Request) error {
	if reg := r.Get("RegionId"); reg != "" && reg != st.Region {
		return Errorf(http.StatusNotFound, "InvalidRegionId.NotFound", "The specified RegionId does not exist.")
	}
	return nil
}

func oosName(r *Request) (string, error) {
	name, err := r.Required("Name")
	if err != nil {
		return "", err
	}
	up := strings.ToUpper(name)
	for _, p := range []string{"ALIYUN", "ACS", "ALIBABA", "ALICLOUD", "OOS"} {
		if strings.HasPrefix(up, p) {
			return "", InvalidParameter("Name", name, "a name not starting with ALIYUN, ACS, ALIBABA, ALICLOUD or OOS")
		}
	}
	if !secretNameRE.MatchString(name) {
		return "", InvalidParameter("Name", name, "1-180 letters, digits, '-' or '_'")
	}
	return name, nil
}

func oosNotFound(name string) error {
	return Errorf(http.StatusNotFound, "EntityNotExists.Parameter", "The Parameter (%s) does not exist.", name)
}

// oosValue reads Value (required, 1-4096 characters).
func oosValue(r *Request) (string, error) {
	v, err := r.Required("Value")
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(v) > 4096 {
		return "", Errorf(http.StatusBadRequest, "InvalidParameter", "The specified parameter Value is too long (at most 4096 characters).")
	}
	return v, nil
}

// oosTags reads Tags, a JSON object of string values (ACS3), or Tags.<key>
// map entries (the older SDK's Map style); at most 20.
func oosTags(r *Request) ([]Tag, error) {
	m := map[string]string{}
	if raw := r.Get("Tags"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, InvalidParameter("Tags", raw, `a JSON object of string values, e.g. {"k1":"v1"}`)
		}
	}
	for k, v := range r.Sub("Tags") {
		m[k] = v
	}
	if len(m) > 20 {
		return nil, InvalidParameter("Tags", fmt.Sprint(len(m)), "at most 20 tags")
	}
	var tags []Tag
	for k, v := range m {
		if err := checkTagText("Tags", k, 128, true); err != nil {
			return nil, err
		}
		if err := checkTagText("Tags", v, 128, false); err != nil {
			return nil, err
		}
		tags = append(tags, Tag{Key: k, Value: v})
	}
	sortTags(tags)
	return tags, nil
}

func sortTags(tags []Tag) {
	for i := 1; i < len(tags); i++ {
		for j := i; j > 0 && tags[j].Key < tags[j-1].Key; j-- {
			tags[j], tags[j-1] = tags[j-1], tags[j]
		}
	}
}

// oosParameterBody is the Parameter of an answer; value only when asked.
func oosParameterBody(st *State, p *OOSSecretParameter, version int, value *SecretValue) map[string]any {
	const layout = "2006-01-02T15:04:05Z"
	tags := map[string]any{}
	for _, t := range p.Tags {
		tags[t.Key] = t.Value
	}
	m := map[string]any{
		"Id":               p.ID,
		"Name":             p.Name,
		"Type":             "Secret",
		"Description":      p.Description,
		"KeyId":            p.KeyID,
		"Constraints":      p.Constraints,
		"ParameterVersion": version,
		"CreatedBy":        "root(" + st.accountID() + ")",
		"UpdatedBy":        "root(" + st.accountID() + ")",
		"CreatedDate":      p.CreatedAt.Format(layout),
		"UpdatedDate":      p.UpdatedAt.Format(layout),
		"ShareType":        "Private",
		"ResourceGroupId":  "",
		"Tags":             tags,
	}
	if value != nil {
		m["Value"] = value.Reveal()
	}
	return m
}

// accountID is the world's account (STS seed), for CreatedBy.
func (st *State) accountID() string {
	if st.STS.AccountID != "" {
		return st.STS.AccountID
	}
	return DefaultAccountID
}

func oosCreateSecretParameter(st *State, r *Request) (any, error) {
	if err := oosRegion(st, r); err != nil {
		return nil, err
	}
	name, err := oosName(r)
	if err != nil {
		return nil, err
	}
	value, err := oosValue(r)
	if err != nil {
		return nil, err
	}
	if t := r.Get("Type"); t != "" && t != "Secret" {
		return nil, InvalidParameter("Type", t, "Secret")
	}
	desc := r.Get("Description")
	if utf8.RuneCountInString(desc) > 200 {
		return nil, InvalidParameter("Description", desc, "at most 200 characters")
	}
	if c := r.Get("Constraints"); c != "" && !json.Valid([]byte(c)) {
		return nil, InvalidParameter("Constraints", c, "a JSON object")
	}
	tags, err := oosTags(r)
	if err != nil {
		return nil, err
	}
	if st.secretParameter(name) != nil {
		return nil, Errorf(http.StatusBadRequest, "EntityAlreadyExists.Parameter", "The Parameter (%s) already exists.", name)
	}
	now := r.Now.UTC().Truncate(time.Second)
	st.OOS.SecretParameters = append(st.OOS.SecretParameters, OOSSecretParameter{
		ID: fmt.Sprintf("p-fake%04d", st.NextSeq()), Name: name, Description: desc, KeyID: r.Get("KeyId"),
		Constraints: r.Get("Constraints"), Tags: tags, Values: []SecretValue{SecretValue(value)}, CreatedAt: now, UpdatedAt: now,
	})
	p := &st.OOS.SecretParameters[len(st.OOS.SecretParameters)-1]
	return map[string]any{"Parameter": oosParameterBody(st, p, 1, nil)}, nil
}

func oosGetSecretParameter(st *State, r *Request) (any, error) {
	if err := oosRegion(st, r); err != nil {
		return nil, err
	}
	name, err := r.Required("Name")
	if err != nil {
		return nil, err
	}
	decrypt := false
	if err := r.OptBool("WithDecryption", &decrypt); err != nil {
		return nil, err
	}
	p := st.secretParameter(name)
	if p == nil {
		return nil, oosNotFound(name)
	}
	version := len(p.Values)
	if err := r.OptInt("ParameterVersion", 1, 1<<30, &version); err != nil {
		return nil, err
	}
	if version > len(p.Values) {
		return nil, Errorf(http.StatusNotFound, "EntityNotExists.ParameterVersion", "The Parameter (%s) has no version %d.", name, version)
	}
	var value *SecretValue
	if decrypt {
		v := p.Values[version-1]
		value = &v
	}
	return map[string]any{"Parameter": oosParameterBody(st, p, version, value)}, nil
}

func oosUpdateSecretParameter(st *State, r *Request) (any, error) {
	if err := oosRegion(st, r); err != nil {
		return nil, err
	}
	name, err := r.Required("Name")
	if err != nil {
		return nil, err
	}
	p := st.secretParameter(name)
	if p == nil {
		return nil, oosNotFound(name)
	}
	if _, ok := r.Str("Value"); ok {
		v, err := oosValue(r)
		if err != nil {
			return nil, err
		}
		if SecretValue(v) != p.Value() {
			p.Values = append(p.Values, SecretValue(v))
		}
	}
	if d, ok := r.Str("Description"); ok {
		if utf8.RuneCountInString(d) > 200 {
			return nil, InvalidParameter("Description", d, "at most 200 characters")
		}
		p.Description = d
	}
	if _, ok := r.Str("Tags"); ok {
		tags, err := oosTags(r)
		if err != nil {
			return nil, err
		}
		p.Tags = tags
	}
	p.UpdatedAt = r.Now.UTC().Truncate(time.Second)
	body := oosParameterBody(st, p, len(p.Values), nil)
	// UpdateSecretParameter answers Tags as a JSON string (its SDK struct
	// says so), the other actions as an object.
	tags, _ := json.Marshal(body["Tags"])
	body["Tags"] = string(tags)
	return map[string]any{"Parameter": body}, nil
}

func oosDeleteSecretParameter(st *State, r *Request) (any, error) {
	if err := oosRegion(st, r); err != nil {
		return nil, err
	}
	name, err := r.Required("Name")
	if err != nil {
		return nil, err
	}
	for i := range st.OOS.SecretParameters {
		if st.OOS.SecretParameters[i].Name == name {
			st.OOS.SecretParameters = append(st.OOS.SecretParameters[:i], st.OOS.SecretParameters[i+1:]...)
			return nil, nil
		}
	}
	return nil, oosNotFound(name)
}
