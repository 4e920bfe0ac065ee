package fakecloud

import (
	"strings"
	"testing"
)

// TestParseCommandFaults: command rules read from YAML and JSON, and the
// refusals.
func TestParseCommandFaults(t *testing.T) {
	fs, err := ParseFaults([]byte(`
faults:
  - {product: ecs, command: {instance: i-fake02, match: wschat, exitCode: 2, output: "boom"}}
  - {product: ecs, action: RunCommand, times: 1, command: {status: Timeout}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if c := fs.Faults[0].Command; c == nil || c.Instance != "i-fake02" || c.Match != "wschat" || c.ExitCode != 2 || c.Output != "boom" {
		t.Errorf("yaml rule: %+v", fs.Faults[0].Command)
	}
	js, err := ParseFaults([]byte(`[{"product":"ecs","command":{"match":"redis","exitCode":1}}]`))
	if err != nil || js.Faults[0].Command.Match != "redis" || js.Faults[0].Command.status() != "Failed" {
		t.Errorf("json rule: %+v %v", js, err)
	}
	for _, bad := range []struct{ doc, want string }{
		{`[{product: alb, command: {match: x}}]`, "command needs product ecs"},
		{`[{product: ecs, action: DescribeInstances, command: {match: x}}]`, "does not run a command"},
		{`[{product: ecs, code: Throttling, command: {match: x}}]`, "command lets the call succeed"},
		{`[{product: ecs, command: {status: Success, exitCode: 1}}]`, "status Success needs exitCode 0"},
		{`[{product: ecs, command: {status: Failed}}]`, "non-zero exitCode"},
		{`[{product: ecs, command: {status: Done}}]`, "is not one of Success, Failed, Timeout"},
		{`[{product: ecs, command: {bogus: 1}}]`, "bogus"},
	} {
		_, err := ParseFaults([]byte(bad.doc))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want an error with %q", bad.doc, err, bad.want)
		}
	}
}

// TestSeedCloudAssistantAndCommands: the seed's cloudAssistant and commands.
func TestSeedCloudAssistantAndCommands(t *testing.T) {
	seed := `region: cn-hangzhou
accessKeys: [{id: k, secret: s}]
vpcs: [{id: vpc-1}]
instances:
  - {id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1, cloudAssistant: false}
  - {id: i-2, vpcId: vpc-1, privateIp: 10.0.0.2, commands: [{match: redis, exitCode: 1, output: "no space"}]}
`
	s, err := ParseSeed([]byte(seed))
	if err != nil {
		t.Fatal(err)
	}
	st, err := stateFromSeed(s)
	if err != nil {
		t.Fatal(err)
	}
	if !st.ECS.Instances[0].CloudAssistantOff || st.ECS.Instances[1].CloudAssistantOff {
		t.Errorf("cloudAssistant: %+v", st.ECS.Instances)
	}
	if o := st.ECS.Instances[1].CommandOutcomes; len(o) != 1 || o[0].status() != "Failed" || o[0].Output != "no space" {
		t.Errorf("commands: %+v", o)
	}
	_, err = ParseSeed([]byte(strings.Replace(seed, "exitCode: 1", "status: Success, exitCode: 1", 1)))
	if err == nil || !strings.Contains(err.Error(), "instances[1]: commands[0]: status Success needs exitCode 0") {
		t.Errorf("bad seeded outcome: %v", err)
	}
}
