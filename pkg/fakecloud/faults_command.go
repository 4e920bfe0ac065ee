package fakecloud

// Command faults: a fault rule with Command lets an ECS RunCommand succeed
// and decides how the command ends on the matching instances (exit code,
// output, Success/Failed/Timeout). The fake never runs a command: without a
// rule, the instance's seeded outcomes decide (instances[].commands), and
// without those the command succeeds with exit code 0 and no output.

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// CommandOutcome is how a Cloud Assistant command ends on an instance.
type CommandOutcome struct {
	// Match selects the commands it applies to: a substring of the command's
	// name or content (the content as sent, placeholders unresolved); empty
	// = every command.
	Match string `json:"match,omitempty" yaml:"match,omitempty"`
	// Status is Success, Failed or Timeout; empty = Success for exit code 0,
	// Failed otherwise.
	Status string `json:"status,omitempty" yaml:"status,omitempty"`
	// ExitCode is the command's exit code (Success needs 0, Failed not 0).
	ExitCode int64 `json:"exitCode,omitempty" yaml:"exitCode,omitempty"`
	// Output is what the command printed (answered Base64-encoded).
	Output string `json:"output,omitempty" yaml:"output,omitempty"`
}

// CommandFault is a rule's Command: the outcome, on one instance (or every
// instance the command runs on), of the RunCommand calls it fires on.
type CommandFault struct {
	// Instance is the ECS instance ID; empty = every instance of the call.
	Instance       string `json:"instance,omitempty" yaml:"instance,omitempty"`
	CommandOutcome `yaml:",inline"`
}

// commandStatuses are the outcomes a seed or rule may give.
var commandStatuses = []string{"Success", "Failed", "Timeout"}

// status is the outcome's final InvocationStatus.
func (o CommandOutcome) status() string {
	switch {
	case o.Status != "":
		return o.Status
	case o.ExitCode == 0:
		return "Success"
	}
	return "Failed"
}

// check reports what is wrong with an outcome ("" if nothing).
func (o CommandOutcome) check() string {
	switch {
	case o.Status != "" && !contains(commandStatuses, o.Status):
		return "status " + o.Status + " is not one of " + strings.Join(commandStatuses, ", ")
	case o.Status == "Success" && o.ExitCode != 0:
		return "status Success needs exitCode 0"
	case o.Status == "Failed" && o.ExitCode == 0:
		return "status Failed needs a non-zero exitCode"
	}
	return ""
}

// matches reports whether the outcome applies to a command with that name
// and (decoded) content.
func (o CommandOutcome) matches(name, content string) bool {
	return o.Match == "" || strings.Contains(name, o.Match) || strings.Contains(content, o.Match)
}

// checkCommandFault checks a rule with Command.
func checkCommandFault(f Fault, bad func(format string, args ...any)) {
	if f.Product != ProductECS {
		bad("command needs product ecs: only ECS RunCommand runs commands")
	}
	if f.Action != "" && f.Action != "RunCommand" {
		bad("command: action %q does not run a command; use RunCommand (or leave action out)", f.Action)
	}
	if f.Code != "" || f.HTTPStatus != 0 || f.Message != "" || f.CommitThenFail || f.Drop || f.JobFails || f.Health != nil {
		bad("command lets the call succeed: remove code, httpStatus, message, commitThenFail, drop, jobFails and health")
	}
	if msg := f.Command.check(); msg != "" {
		bad("command: %s", msg)
	}
}

// commandText is the name and decoded content of a RunCommand call (for
// matching; an undecodable Base64 content is matched as sent).
func commandText(params url.Values) (name, content string) {
	content = params.Get("CommandContent")
	if strings.EqualFold(params.Get("ContentEncoding"), "Base64") {
		if b, err := base64.StdEncoding.DecodeString(content); err == nil {
			content = string(b)
		}
	}
	return params.Get("Name"), content
}

// matchesCall reports whether a Command rule applies to a RunCommand call:
// its instance is one of the call's and its Match is in the name or content.
func (c *CommandFault) matchesCall(action string, params url.Values) bool {
	if action != "RunCommand" {
		return false
	}
	if c.Instance != "" {
		found := false
		for k, v := range params {
			if strings.HasPrefix(k, "InstanceId.") && len(v) > 0 && v[0] == c.Instance {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	name, content := commandText(params)
	return c.matches(name, content)
}

// commandOutcomeFor is how a command ends on an instance: the last Command
// rule that fired on the call for it, else the instance's first seeded
// outcome that matches, else success.
func commandOutcomeFor(rules []CommandFault, in *ECSInstance, name, content string) CommandOutcome {
	for i := len(rules) - 1; i >= 0; i-- {
		if rules[i].Instance == "" || rules[i].Instance == in.ID {
			return rules[i].CommandOutcome
		}
	}
	for _, o := range in.CommandOutcomes {
		if o.matches(name, content) {
			return o
		}
	}
	return CommandOutcome{}
}
