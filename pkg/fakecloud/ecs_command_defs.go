package fakecloud

// Kept Cloud Assistant commands: CreateCommand, InvokeCommand,
// DescribeCommands, DeleteCommand (RunCommand with KeepCommand=true keeps
// its command too). An invocation of a kept command is an ECSInvocation like
// RunCommand's (ecs_commands.go).

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
)

// maxKeptCommands is the per-region quota of kept commands (the docs give
// 500 to 50,000 depending on the account; the fake takes the lowest).
const maxKeptCommands = 500

// ECSCommand is a kept Cloud Assistant command.
type ECSCommand struct {
	ID              string    `json:"id"` // c-...
	Name            string    `json:"name"`
	Description     string    `json:"description,omitempty"`
	Type            string    `json:"type"`
	Content         string    `json:"content"` // Base64
	WorkingDir      string    `json:"workingDir,omitempty"`
	Timeout         int64     `json:"timeout"`
	EnableParameter bool      `json:"enableParameter,omitempty"`
	Tags            []Tag     `json:"tags,omitempty"`
	CreatedAt       time.Time `json:"createdAt"`
	InvokeTimes     int       `json:"invokeTimes"`
	ClientToken     string    `json:"clientToken,omitempty"`
	RequestHash     string    `json:"requestHash,omitempty"`
}

func (st *State) command(id string) *ECSCommand {
	for i := range st.ECS.Commands {
		if st.ECS.Commands[i].ID == id {
			return &st.ECS.Commands[i]
		}
	}
	return nil
}

func cmdNotFound(id string) error {
	return Errorf(http.StatusNotFound, "InvalidCmdId.NotFound", "The specified command ID does not exist. (%s)", id)
}

// def is the command's definition.
func (c *ECSCommand) def() commandDef {
	d := commandDef{name: c.Name, desc: c.Description, typ: c.Type, dir: c.WorkingDir, encoded: c.Content, timeout: c.Timeout, enable: c.EnableParameter}
	d.content = (&ECSInvocation{Content: c.Content}).DecodedContent()
	return d
}

func ecsCreateCommand(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	if _, err := r.Required("Name"); err != nil {
		return nil, err
	}
	cmd, err := readCommandDef(r, "Base64")
	if err != nil {
		return nil, err
	}
	if err := checkContentSize(cmd.encoded, true); err != nil {
		return nil, err
	}
	if cmd.enable {
		if _, _, err := commandParameters(st, cmd.content, false); err != nil {
			return nil, err
		}
	}
	tags, err := ecsNewTags(r)
	if err != nil {
		return nil, err
	}
	token, hash, err := ecsClientToken(r)
	if err != nil {
		return nil, err
	}
	if token != "" {
		for _, c := range st.ECS.Commands {
			if c.ClientToken == token {
				if c.RequestHash != hash {
					return nil, ecsTokenReused()
				}
				return &ecs.CreateCommandResponseBody{CommandId: dara.String(c.ID)}, nil
			}
		}
	}
	if len(st.ECS.Commands) >= maxKeptCommands {
		return nil, ecsCmdError(http.StatusForbidden, "CmdCount.ExceedQuota", "The total number of commands in the current region exceeds the quota.")
	}
	c := ECSCommand{ID: fmt.Sprintf("c-fake%04d", st.NextSeq()), Name: cmd.name, Description: cmd.desc, Type: cmd.typ, Content: cmd.encoded,
		WorkingDir: cmd.dir, Timeout: cmd.timeout, EnableParameter: cmd.enable, Tags: tags, CreatedAt: r.Now.UTC(), ClientToken: token, RequestHash: hash}
	st.ECS.Commands = append(st.ECS.Commands, c)
	return &ecs.CreateCommandResponseBody{CommandId: dara.String(c.ID)}, nil
}

func ecsInvokeCommand(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	id, err := r.Required("CommandId")
	if err != nil {
		return nil, err
	}
	c := st.command(id)
	if c == nil {
		return nil, cmdNotFound(id)
	}
	cmd := c.def()
	if cmd.timeout, err = readTimeout(r, c.Timeout); err != nil {
		return nil, err
	}
	if dir, ok := r.Str("WorkingDir"); ok {
		if len(dir) > 200 {
			return nil, ecsCmdError(http.StatusBadRequest, "InvalidParameter.WorkingDir", "The specified parameter WorkingDir is not valid.")
		}
		cmd.dir = dir
	}
	if _, _, err := r.Bool("Timed"); err != nil {
		return nil, err
	}
	if timed, _, _ := r.Bool("Timed"); timed {
		return nil, InvalidParameter("Timed", "true", "false (fakecloud runs commands once, at once; schedules are not modelled)")
	}
	tags, params, secrets, err := runInputs(st, r, cmd)
	if err != nil {
		return nil, err
	}
	instances, err := runInstances(st, r, cmd.typ)
	if err != nil {
		return nil, err
	}
	inv, token, hash, err := replayedInvocation(st, r)
	if err != nil {
		return nil, err
	}
	if inv == nil {
		inv = startInvocation(st, r, fmt.Sprintf("t-fake%04d", st.NextSeq()), cmd, instances, params, secrets, tags, token, hash)
		inv.CommandID = c.ID
		c.InvokeTimes++
	}
	return &ecs.InvokeCommandResponseBody{InvokeId: dara.String(inv.ID)}, nil
}

func ecsDescribeCommands(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	encoding, err := answerEncoding(r)
	if err != nil {
		return nil, err
	}
	if t := r.Get("Type"); t != "" && !contains(commandTypes, t) {
		return nil, InvalidParameter("Type", t, strings.Join(commandTypes, ", "))
	}
	if _, _, err := r.Bool("Latest"); err != nil {
		return nil, err
	}
	filters, err := ecsTagParams(r)
	if err != nil {
		return nil, err
	}
	var matched []*ECSCommand
	for i := len(st.ECS.Commands) - 1; i >= 0; i-- { // newest first
		c := &st.ECS.Commands[i]
		switch {
		case r.Get("CommandId") != "" && r.Get("CommandId") != c.ID,
			r.Get("Name") != "" && r.Get("Name") != c.Name,
			r.Get("Type") != "" && r.Get("Type") != c.Type,
			r.Get("Description") != "" && r.Get("Description") != c.Description,
			r.Get("Provider") != "", // no public commands
			!tagsMatch(c.Tags, filters):
			continue
		}
		matched = append(matched, c)
	}
	p, err := ecsCommandPage(st, r, len(matched))
	if err != nil {
		return nil, err
	}
	body := &ecs.DescribeCommandsResponseBody{TotalCount: dara.Int64(int64(len(matched)))}
	body.PageNumber, body.PageSize, body.NextToken = p.ecsEcho()
	list := []*ecs.DescribeCommandsResponseBodyCommandsCommand{}
	for _, c := range pageOf(matched, p) {
		d := c.def()
		names := []*string{}
		if c.EnableParameter {
			custom, _, _ := commandParameters(st, d.content, false)
			var sorted []string
			for _, m := range placeholderRE.FindAllStringSubmatch(d.content, -1) {
				if custom[strings.ToLower(m[1])] && !contains(sorted, m[1]) {
					sorted = append(sorted, m[1])
				}
			}
			sort.Strings(sorted)
			names = dara.StringSlice(sorted)
		}
		item := &ecs.DescribeCommandsResponseBodyCommandsCommand{
			CommandId:       dara.String(c.ID),
			Name:            dara.String(c.Name),
			Description:     dara.String(c.Description),
			Type:            dara.String(c.Type),
			CommandContent:  dara.String(encodeText(d.content, encoding)),
			WorkingDir:      dara.String(c.WorkingDir),
			Timeout:         dara.Int64(c.Timeout),
			EnableParameter: dara.Bool(c.EnableParameter),
			InvokeTimes:     dara.Int32(int32(c.InvokeTimes)),
			CreationTime:    dara.String(c.CreatedAt.Format("2006-01-02T15:04:05Z")),
			Category:        dara.String(""),
			Provider:        dara.String(""),
			Version:         dara.Int32(1),
			Latest:          dara.Bool(true),
			ParameterNames:  &ecs.DescribeCommandsResponseBodyCommandsCommandParameterNames{ParameterName: names},
			Tags:            &ecs.DescribeCommandsResponseBodyCommandsCommandTags{Tag: []*ecs.DescribeCommandsResponseBodyCommandsCommandTagsTag{}},
		}
		for _, t := range c.Tags {
			item.Tags.Tag = append(item.Tags.Tag, &ecs.DescribeCommandsResponseBodyCommandsCommandTagsTag{TagKey: dara.String(t.Key), TagValue: dara.String(t.Value)})
		}
		list = append(list, item)
	}
	body.Commands = &ecs.DescribeCommandsResponseBodyCommands{Command: list}
	return body, nil
}

func ecsDeleteCommand(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	id, err := r.Required("CommandId")
	if err != nil {
		return nil, err
	}
	for i := range st.ECS.Commands {
		if st.ECS.Commands[i].ID == id {
			st.ECS.Commands = append(st.ECS.Commands[:i], st.ECS.Commands[i+1:]...)
			return &ecs.DeleteCommandResponseBody{}, nil
		}
	}
	return nil, cmdNotFound(id)
}
