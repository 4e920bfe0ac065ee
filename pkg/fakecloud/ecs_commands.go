package fakecloud

// ECS Cloud Assistant: RunCommand and what every run reads and records
// (DescribeInvocations, DescribeInvocationResults and
// DescribeCloudAssistantStatus are in ecs_invocations.go). Commands are
// recorded, never executed: how one ends on an instance is decided by the
// Command fault rules that fired on the RunCommand call, else by the
// instance's seeded outcomes (faults_command.go). An invocation is Pending
// for the first half of AsyncDuration, Running for the second half, then
// ends (Success, Failed or Timeout). The behaviour notes are in doc.go.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
)

// Cloud Assistant limits (RunCommand docs).
const (
	maxCommandInstances  = 100       // InstanceId.N
	maxKeptContentBytes  = 18 * 1024 // Base64 content with KeepCommand=true
	maxContentBytes      = 24 * 1024 // Base64 content otherwise
	maxCommandParameters = 20        // distinct {{name}} in the content
	maxParameterKey      = 64
	maxOutputBytes       = 24 * 1024 // Output beyond this is Dropped
	defaultTimeout       = 60
	minTimeout           = 10
	maxTimeout           = 86400
	cloudAssistantVer    = "2.2.3.344"
)

// ECSInvocation is one RunCommand task: the command as sent (content Base64,
// placeholders such as {{oos-secret:name}} kept as they were) and one record
// per instance.
type ECSInvocation struct {
	ID string `json:"id"` // t-...
	// Action is RunCommand or InvokeCommand.
	Action          string `json:"action"`
	CommandID       string `json:"commandId"`
	Name            string `json:"name"`
	Description     string `json:"description,omitempty"`
	Type            string `json:"type"`
	Content         string `json:"content"` // Base64, as the API answers it
	EnableParameter bool   `json:"enableParameter,omitempty"`
	// Parameters are the custom parameter values sent (a JSON object), never
	// the values of secret parameters.
	Parameters string `json:"parameters,omitempty"`
	// SecretParameters names the OOS secret parameters the content refers to
	// ({{oos-secret:name}}), resolved when the command was sent; their
	// values are never stored with the invocation.
	SecretParameters []string           `json:"secretParameters,omitempty"`
	WorkingDir       string             `json:"workingDir,omitempty"`
	Username         string             `json:"username,omitempty"`
	Timeout          int64              `json:"timeout"`
	KeepCommand      bool               `json:"keepCommand,omitempty"`
	ClientToken      string             `json:"clientToken,omitempty"`
	RequestHash      string             `json:"requestHash,omitempty"`
	Tags             []Tag              `json:"tags,omitempty"`
	CreatedAt        time.Time          `json:"createdAt"`
	Instances        []InvocationRecord `json:"instances"`
}

// InvocationRecord is the command's run on one instance, with the outcome
// decided when it was sent.
type InvocationRecord struct {
	InstanceID string `json:"instanceId"`
	Status     string `json:"status"` // the final InvocationStatus: Success, Failed, Timeout
	ExitCode   int64  `json:"exitCode"`
	Output     string `json:"output,omitempty"`
	// RuntimePending: the instance runtime acts the run out (instance_runtime.go); Running until it is done.
	RuntimePending bool `json:"runtimePending,omitempty"`
}

// DecodedContent returns the command's content decoded (placeholders unresolved).
func (inv *ECSInvocation) DecodedContent() string {
	b, _ := base64.StdEncoding.DecodeString(inv.Content)
	return string(b)
}

// invocationPhase is where a run is at t: Pending, Running or its final status.
func (inv *ECSInvocation) phase(rec *InvocationRecord, now time.Time, async time.Duration) string {
	switch {
	case now.Before(inv.CreatedAt.Add(async / 2)):
		return "Pending"
	case now.Before(inv.CreatedAt.Add(async)) || rec.RuntimePending:
		return "Running"
	}
	return rec.Status
}

func (st *State) invocation(id string) *ECSInvocation {
	for i := range st.ECS.Invocations {
		if st.ECS.Invocations[i].ID == id {
			return &st.ECS.Invocations[i]
		}
	}
	return nil
}

func registerECSCommands(reg registry) {
	reg.add(VersionECS, "RunCommand", true, ecsRunCommand)
	reg.add(VersionECS, "CreateCommand", true, ecsCreateCommand)
	reg.add(VersionECS, "InvokeCommand", true, ecsInvokeCommand)
	reg.add(VersionECS, "DescribeCommands", false, ecsDescribeCommands)
	reg.add(VersionECS, "DeleteCommand", true, ecsDeleteCommand)
	reg.add(VersionECS, "DescribeInvocations", false, ecsDescribeInvocations)
	reg.add(VersionECS, "DescribeInvocationResults", false, ecsDescribeInvocationResults)
	reg.add(VersionECS, "DescribeCloudAssistantStatus", false, ecsDescribeCloudAssistantStatus)
}

var (
	commandTypes     = []string{"RunShellScript", "RunBatScript", "RunPowerShellScript"}
	placeholderRE    = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)
	customParamRE    = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	secretParamRefRE = regexp.MustCompile(`^oos-secret:(.+)$`)
)

func ecsCmdError(status int, code, msg string) error { return Errorf(status, code, "%s", msg) }

// commandDef is a command as RunCommand or CreateCommand define it.
type commandDef struct {
	name, desc, typ, dir string
	content              string // decoded
	encoded              string // Base64
	timeout              int64
	enable               bool
}

// readCommandDef reads a command's definition; defaultEncoding is how
// CommandContent is encoded when ContentEncoding is absent or invalid
// (RunCommand: PlainText, CreateCommand: Base64).
func readCommandDef(r *Request, defaultEncoding string) (commandDef, error) {
	var d commandDef
	typ, err := r.Required("Type")
	if err != nil {
		return d, err
	}
	if !contains(commandTypes, typ) {
		return d, InvalidParameter("Type", typ, strings.Join(commandTypes, ", "))
	}
	raw, err := r.Required("CommandContent")
	if err != nil {
		return d, err
	}
	enc := r.Get("ContentEncoding")
	if !strings.EqualFold(enc, "Base64") && !strings.EqualFold(enc, "PlainText") {
		enc = defaultEncoding
	}
	content := raw
	if strings.EqualFold(enc, "Base64") {
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil || !utf8.Valid(b) {
			return d, InvalidParameter("CommandContent", raw, "Base64 of UTF-8 text (ContentEncoding is Base64)")
		}
		content = string(b)
	}
	d = commandDef{typ: typ, content: content, encoded: base64.StdEncoding.EncodeToString([]byte(content)),
		name: r.Get("Name"), desc: r.Get("Description"), dir: r.Get("WorkingDir"), timeout: defaultTimeout}
	switch {
	case utf8.RuneCountInString(d.name) > 128:
		return d, InvalidParameter("Name", d.name, "at most 128 characters")
	case utf8.RuneCountInString(d.desc) > 512:
		return d, InvalidParameter("Description", d.desc, "at most 512 characters")
	case len(d.dir) > 200:
		return d, ecsCmdError(http.StatusBadRequest, "InvalidParameter.WorkingDir", "The specified parameter WorkingDir is not valid.")
	}
	if d.timeout, err = readTimeout(r, defaultTimeout); err != nil {
		return d, err
	}
	if err := r.OptBool("EnableParameter", &d.enable); err != nil {
		return d, err
	}
	if r.Get("Launcher") != "" {
		return d, InvalidParameter("Launcher", r.Get("Launcher"), "no launcher (not modelled by fakecloud)")
	}
	return d, nil
}

// readTimeout reads Timeout (seconds, 10-86400; def when absent).
func readTimeout(r *Request, def int64) (int64, error) {
	n, ok, err := r.Int("Timeout")
	if err != nil || !ok {
		return def, err
	}
	if n < minTimeout || n > maxTimeout {
		return 0, ecsCmdError(http.StatusForbidden, "InvalidTimeout.ExceedLimit", "The specified parameter Timeout exceeds the upper limit.")
	}
	return int64(n), nil
}

// checkContentSize enforces the Base64 size limit: 18 KB for a kept
// command, 24 KB otherwise.
func checkContentSize(encoded string, keep bool) error {
	limit := maxContentBytes
	if keep {
		limit = maxKeptContentBytes
	}
	if len(encoded) > limit {
		return ecsCmdError(http.StatusForbidden, "CmdContent.ExceedLimit", "The maximum length of a command is exceeded.")
	}
	return nil
}

// commandParameters checks a command's {{name}} placeholders (with
// EnableParameter) and returns the custom parameter names (lower case) and
// the OOS secret parameters it refers to; with resolve, a secret that does
// not exist is an error.
func commandParameters(st *State, content string, resolve bool) (custom map[string]bool, secrets []string, err error) {
	names := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(content, -1) {
		names[m[1]] = true
	}
	custom = map[string]bool{}
	for n := range names {
		switch {
		case strings.HasPrefix(n, "ACS::"):
		case secretParamRefRE.MatchString(n):
			secret := secretParamRefRE.FindStringSubmatch(n)[1]
			if resolve && st.secretParameter(secret) == nil {
				return nil, nil, Errorf(http.StatusForbidden, "ParameterStore.InvalidParameters", "The parameter is invalid in Parameter Store. (%s)", n)
			}
			secrets = append(secrets, secret)
		case strings.HasPrefix(n, "oos:"):
			return nil, nil, Errorf(http.StatusForbidden, "ParameterStore.InvalidParameters", "The parameter is invalid in Parameter Store. (%s: plain OOS parameters are not modelled by fakecloud)", n)
		default:
			if !customParamRE.MatchString(n) {
				return nil, nil, ecsCmdError(http.StatusBadRequest, "InvalidParameter.Parameters", "The specified parameter Parameters is not valid.")
			}
			if len(n) > maxParameterKey {
				return nil, nil, ecsCmdError(http.StatusForbidden, "ParameterKey.ExceedLimit", "The maximum length of a parameter name is exceeded.")
			}
			custom[strings.ToLower(n)] = true
		}
	}
	if len(names) > maxCommandParameters {
		return nil, nil, ecsCmdError(http.StatusForbidden, "ParameterCount.ExceedLimit", "The maximum number of parameters is exceeded.")
	}
	sort.Strings(secrets)
	return custom, secrets, nil
}

// invokeParameters checks the Parameters of a run against the command's
// custom parameters and resolves its secrets; it returns the Parameters as
// sent ("" when none) and the secrets' names.
func invokeParameters(st *State, r *Request, content string, enable bool) (string, []string, error) {
	raw := r.Get("Parameters")
	var params map[string]any
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &params); err != nil {
			return "", nil, ecsCmdError(http.StatusBadRequest, "InvalidParameter.Parameters", "The specified parameter Parameters is not valid.")
		}
	}
	if !enable {
		if len(params) > 0 {
			return "", nil, ecsCmdError(http.StatusNotFound, "Parameter.Disabled", "Parameters cannot be passed in when the command customization function is disabled.")
		}
		return "", nil, nil
	}
	custom, secrets, err := commandParameters(st, content, true)
	if err != nil {
		return "", nil, err
	}
	given := map[string]bool{}
	for k, v := range params {
		if !custom[strings.ToLower(k)] {
			return "", nil, ecsCmdError(http.StatusForbidden, "Parameter.NotMatched", "The passed-in parameters do not match the parameters defined when you created the command.")
		}
		if _, ok := v.(string); !ok {
			return "", nil, ecsCmdError(http.StatusForbidden, "ParameterType.NotSupported", "The type of parameter value is not supported.")
		}
		given[strings.ToLower(k)] = true
	}
	for n := range custom {
		if !given[n] {
			return "", nil, ecsCmdError(http.StatusBadRequest, "Parameter.MissingValue", "The parameter value of this command is required.")
		}
	}
	if len(params) == 0 {
		raw = ""
	}
	return raw, secrets, nil
}

// runOptions refuses what a run may ask for and the fake does not model.
func runOptions(r *Request) error {
	mode := r.Get("RepeatMode")
	switch {
	case r.Get("Frequency") != "" || (mode != "" && mode != "Once" && contains([]string{"Period", "NextRebootOnly", "EveryReboot", "DryRun"}, mode)):
		return InvalidParameter("RepeatMode", mode, "Once (fakecloud runs commands once, at once; schedules are not modelled)")
	case mode != "" && mode != "Once":
		return ecsCmdError(http.StatusNotFound, "InvalidRepeatMode.NotFound", "The specified repeat mode does not exist.")
	}
	if tm := r.Get("TerminationMode"); tm != "" && tm != "Process" && tm != "ProcessTree" {
		return ecsCmdError(http.StatusNotFound, "InvalidTerminationMode.NotFound", "The specified parameter TerminationMode does not exist.")
	}
	if r.Get("ContainerId") != "" || r.Get("ContainerName") != "" || r.Get("Launcher") != "" || r.Get("OssOutputDelivery") != "" {
		return InvalidParameter("ContainerId", r.Get("ContainerId"), "no container, launcher or OSS delivery (not modelled by fakecloud)")
	}
	if len(r.Structs("ResourceTag")) > 0 {
		return InvalidParameter("ResourceTag", "", "InstanceId.N (choosing instances by tag is not modelled by fakecloud)")
	}
	if len(r.Get("Username")) > 255 {
		return ecsCmdError(http.StatusForbidden, "Username.ExceedLimit", "The length of the username exceeds the upper limit.")
	}
	return nil
}

// runInputs reads what every run of a command (RunCommand, InvokeCommand)
// takes from the request, in this order: the run options, the task's Tag.N,
// and the Parameters checked against cmd (invokeParameters).
func runInputs(st *State, r *Request, cmd commandDef) (tags []Tag, params string, secrets []string, err error) {
	if err := runOptions(r); err != nil {
		return nil, "", nil, err
	}
	if tags, err = ecsNewTags(r); err != nil {
		return nil, "", nil, err
	}
	if params, secrets, err = invokeParameters(st, r, cmd.content, cmd.enable); err != nil {
		return nil, "", nil, err
	}
	return tags, params, secrets, nil
}

// runInstances reads InstanceId.N: the instances must exist, run, have the
// agent, and run the command's type (Linux: RunShellScript).
func runInstances(st *State, r *Request, typ string) ([]*ECSInstance, error) {
	ids := r.List("InstanceId")
	if len(ids) == 0 {
		return nil, ecsCmdError(http.StatusBadRequest, "MissingParam.InstanceId", "The parameter instanceId is missing or empty.")
	}
	if len(ids) > maxCommandInstances {
		return nil, ecsCmdError(http.StatusForbidden, "InstanceIds.ExceedLimit", "The number of instance IDs exceeds the upper limit.")
	}
	var instances []*ECSInstance
	seen := map[string]bool{}
	for _, id := range ids {
		in, ok := st.Instance(id)
		if !ok {
			return nil, Errorf(http.StatusNotFound, "InvalidInstance.NotFound", "The specified instance does not exist. (%s)", id)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if in.Status != "Running" || in.CloudAssistantOff || typ != "RunShellScript" {
			return nil, Errorf(http.StatusBadRequest, "InvalidInstance.NotMatch",
				"The specified instance type does not match the command. (%s: %s)", id, notMatchReason(in, typ))
		}
		instances = append(instances, in)
	}
	return instances, nil
}

// ecsClientToken reads the ClientToken of a Cloud Assistant write call (at
// most 64 characters) and the hash of the request's other parameters, which
// a replay must repeat; both are "" without a token.
func ecsClientToken(r *Request) (token, hash string, err error) {
	token = r.Get("ClientToken")
	if token == "" {
		return "", "", nil
	}
	if len(token) > 64 {
		return "", "", ecsCmdError(http.StatusBadRequest, "InvalidClientToken.Malformed", "The specified parameter clientToken is not valid.")
	}
	return token, requestHash(r, "ClientToken"), nil
}

// ecsTokenReused answers a ClientToken sent again with other parameters.
func ecsTokenReused() error {
	return ecsCmdError(http.StatusForbidden, "IdempotentParameterMismatch", "The specified parameter has changed while using an already used clientToken.")
}

// replayedInvocation is the task an earlier call with the same ClientToken
// started (nil if none); the same token with other parameters is an error.
// It returns the token and the request's hash to store.
func replayedInvocation(st *State, r *Request) (inv *ECSInvocation, token, hash string, err error) {
	token, hash, err = ecsClientToken(r)
	if token == "" || err != nil {
		return nil, token, hash, err
	}
	for i := range st.ECS.Invocations {
		inv := &st.ECS.Invocations[i]
		if inv.ClientToken != token || inv.Action != r.Action {
			continue
		}
		if inv.RequestHash != hash {
			return nil, "", "", ecsTokenReused()
		}
		return inv, token, hash, nil
	}
	return nil, token, hash, nil
}

// startInvocation records a task of cmd on instances, each run's outcome
// decided now (faults_command.go).
func startInvocation(st *State, r *Request, id string, cmd commandDef, instances []*ECSInstance, params string, secrets []string, tags []Tag, token, hash string) *ECSInvocation {
	inv := ECSInvocation{
		ID:               id,
		Action:           r.Action,
		Name:             cmd.name,
		Description:      cmd.desc,
		Type:             cmd.typ,
		Content:          cmd.encoded,
		EnableParameter:  cmd.enable,
		Parameters:       params,
		SecretParameters: secrets,
		WorkingDir:       cmd.dir,
		Username:         r.Get("Username"),
		Timeout:          cmd.timeout,
		ClientToken:      token,
		RequestHash:      hash,
		Tags:             tags,
		CreatedAt:        r.Now.UTC(),
	}
	for _, in := range instances {
		o := commandOutcomeFor(r.command, in, cmd.name, cmd.content)
		inv.Instances = append(inv.Instances, InvocationRecord{InstanceID: in.ID, Status: o.status(), ExitCode: o.ExitCode, Output: o.Output})
	}
	for i, in := range instances {
		queueRuntime(st, r, &inv, &inv.Instances[i], in, cmd.content)
	}
	st.ECS.Invocations = append(st.ECS.Invocations, inv)
	return &st.ECS.Invocations[len(st.ECS.Invocations)-1]
}

func ecsRunCommand(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	cmd, err := readCommandDef(r, "PlainText")
	if err != nil {
		return nil, err
	}
	keep := false
	if err := r.OptBool("KeepCommand", &keep); err != nil {
		return nil, err
	}
	tags, params, secrets, err := runInputs(st, r, cmd)
	if err != nil {
		return nil, err
	}
	if err := checkContentSize(cmd.encoded, keep); err != nil {
		return nil, err
	}
	instances, err := runInstances(st, r, cmd.typ)
	if err != nil {
		return nil, err
	}
	if inv, token, hash, err := replayedInvocation(st, r); err != nil {
		return nil, err
	} else if inv != nil {
		return &ecs.RunCommandResponseBody{CommandId: dara.String(inv.CommandID), InvokeId: dara.String(inv.ID)}, nil
	} else {
		seq := st.NextSeq()
		inv := startInvocation(st, r, fmt.Sprintf("t-fake%04d", seq), cmd, instances, params, secrets, tags, token, hash)
		inv.CommandID, inv.KeepCommand = fmt.Sprintf("c-fake%04d", seq), keep
		if keep { // a kept command can be invoked again (InvokeCommand)
			st.ECS.Commands = append(st.ECS.Commands, ECSCommand{ID: inv.CommandID, Name: cmd.name, Description: cmd.desc, Type: cmd.typ,
				Content: cmd.encoded, WorkingDir: cmd.dir, Timeout: cmd.timeout, EnableParameter: cmd.enable, CreatedAt: inv.CreatedAt, InvokeTimes: 1})
		}
		return &ecs.RunCommandResponseBody{CommandId: dara.String(inv.CommandID), InvokeId: dara.String(inv.ID)}, nil
	}
}

// notMatchReason says why an instance cannot run the command.
func notMatchReason(in *ECSInstance, typ string) string {
	switch {
	case in.Status != "Running":
		return "the instance is " + in.Status + ", not Running"
	case in.CloudAssistantOff:
		return "the Cloud Assistant Agent is not running on the instance"
	}
	return typ + " does not run on a Linux instance"
}

// requestHash identifies a request's parameters, but those named in skip.
func requestHash(r *Request, skip ...string) string {
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		if !contains(skip, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%q=%q;", k, r.Params[k])
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}
