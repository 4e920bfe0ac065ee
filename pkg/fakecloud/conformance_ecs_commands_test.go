package fakecloud

// The ECS Cloud Assistant and instance-tag steps of the ECS conformance
// scenario (conformance_dns_test.go appends them), and the OOS scenario.
// The older SDK has services/ecs and services/oos; the ACS3 side of OOS is
// the generic ACS3 client (darabonba-openapi CallApi), as no OOS module of
// the ACS3 SDK is a dependency.

import (
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
	v1ecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	v1oos "github.com/aliyun/alibaba-cloud-sdk-go/services/oos"
)

func ecsCloudAssistantConformance() []confStep {
	const P = ProductECS
	region := tea.String("cn-hangzhou")
	g := func(action string, c confCall) confStep { return ok(P, action, c[0], c[1]) }
	b := func(status int, code, action string, c confCall) confStep {
		return fails(status, code, P, action, c[0], c[1])
	}

	run := func(instance, content string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateRunCommandRequest()
			req.Type, req.Name, req.CommandContent, req.InstanceId = "RunShellScript", "conf", content, &[]string{instance}
			req.Tag = &[]v1ecs.RunCommandTag{{Key: "wsdeploy", Value: "conf"}}
			out, err := e.v1ECS.RunCommand(req)
			if err == nil {
				e.vars["invoke"] = out.InvokeId
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			out, err := e.ecs.RunCommand(&ecs.RunCommandRequest{RegionId: region, Type: tea.String("RunShellScript"), Name: tea.String("conf"),
				CommandContent: tea.String(content), InstanceId: tea.StringSlice([]string{instance}),
				Tag: []*ecs.RunCommandRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("conf")}}})
			if err == nil {
				e.vars["invoke"] = tea.StringValue(out.Body.InvokeId)
			}
			return acs3(out, err)
		})
	}
	invocations := func(status string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeInvocationsRequest()
			req.InvokeId, req.InvokeStatus, req.IncludeOutput = e.v("invoke"), status, "true"
			return v1(e.v1ECS.DescribeInvocations(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DescribeInvocations(&ecs.DescribeInvocationsRequest{RegionId: region, InvokeId: tea.String(e.v("invoke")),
				InvokeStatus: confStr(status), IncludeOutput: tea.Bool(true)}))
		})
	}
	results := func(status string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeInvocationResultsRequest()
			req.InvokeId, req.InvokeRecordStatus = e.v("invoke"), status
			return v1(e.v1ECS.DescribeInvocationResults(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DescribeInvocationResults(&ecs.DescribeInvocationResultsRequest{RegionId: region, InvokeId: tea.String(e.v("invoke")),
				InvokeRecordStatus: confStr(status)}))
		})
	}
	agents := func(os string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeCloudAssistantStatusRequest()
			req.InstanceId, req.OSType = &[]string{"i-fake01", "i-fake02"}, os
			return v1(e.v1ECS.DescribeCloudAssistantStatus(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DescribeCloudAssistantStatus(&ecs.DescribeCloudAssistantStatusRequest{RegionId: region,
				InstanceId: tea.StringSlice([]string{"i-fake01", "i-fake02"}), OSType: confStr(os)}))
		})
	}
	tag := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateTagResourcesRequest()
			req.ResourceType, req.ResourceId = "instance", &[]string{id}
			req.Tag = &[]v1ecs.TagResourcesTag{{Key: "wsdeploy:stack", Value: "chat"}, {Key: "wsdeploy:app", Value: "v1"}}
			return v1(e.v1ECS.TagResources(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.TagResources(&ecs.TagResourcesRequest{RegionId: region, ResourceType: tea.String("instance"), ResourceId: tea.StringSlice([]string{id}),
				Tag: []*ecs.TagResourcesRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("chat")}, {Key: tea.String("wsdeploy:app"), Value: tea.String("v1")}}}))
		})
	}
	untag := func(key string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateUntagResourcesRequest()
			req.ResourceType, req.ResourceId = "instance", &[]string{"i-fake01"}
			if key != "" {
				req.TagKey = &[]string{key}
			}
			return v1(e.v1ECS.UntagResources(req))
		}, func(e *confEnv) (any, error) {
			req := &ecs.UntagResourcesRequest{RegionId: region, ResourceType: tea.String("instance"), ResourceId: tea.StringSlice([]string{"i-fake01"})}
			if key != "" {
				req.TagKey = tea.StringSlice([]string{key})
			}
			return acs3(e.ecs.UntagResources(req))
		})
	}
	listTags := func(typ string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateListTagResourcesRequest()
			req.ResourceType = typ
			req.Tag = &[]v1ecs.ListTagResourcesTag{{Key: "wsdeploy:stack", Value: "chat"}}
			return v1(e.v1ECS.ListTagResources(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.ListTagResources(&ecs.ListTagResourcesRequest{RegionId: region, ResourceType: tea.String(typ),
				Tag: []*ecs.ListTagResourcesRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("chat")}}}))
		})
	}
	instances := func(e *confEnv) (any, error) {
		req := v1ecs.CreateDescribeInstancesRequest()
		req.Tag = &[]v1ecs.DescribeInstancesTag{{Key: "wsdeploy:stack", Value: "chat"}}
		return v1(e.v1ECS.DescribeInstances(req))
	}
	instances3 := func(e *confEnv) (any, error) {
		return acs3(e.ecs.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: region,
			Tag: []*ecs.DescribeInstancesRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("chat")}}}))
	}

	create := func(content string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateCreateCommandRequest()
			req.Name, req.Type, req.CommandContent, req.Timeout = "kept", "RunShellScript", content, "120"
			out, err := e.v1ECS.CreateCommand(req)
			if err == nil {
				e.vars["command"] = out.CommandId
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			out, err := e.ecs.CreateCommand(&ecs.CreateCommandRequest{RegionId: region, Name: tea.String("kept"), Type: tea.String("RunShellScript"),
				CommandContent: tea.String(content), Timeout: tea.Int64(120)})
			if err == nil {
				e.vars["command"] = tea.StringValue(out.Body.CommandId)
			}
			return acs3(out, err)
		})
	}
	command := func(e *confEnv, id string) string {
		if id == "" {
			return e.v("command")
		}
		return id
	}
	invoke := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateInvokeCommandRequest()
			req.CommandId, req.InstanceId = command(e, id), &[]string{"i-fake02"}
			return v1(e.v1ECS.InvokeCommand(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: region, CommandId: tea.String(command(e, id)), InstanceId: tea.StringSlice([]string{"i-fake02"})}))
		})
	}
	commands := func(typ string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeCommandsRequest()
			req.Type = typ
			return v1(e.v1ECS.DescribeCommands(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DescribeCommands(&ecs.DescribeCommandsRequest{RegionId: region, Type: confStr(typ)}))
		})
	}
	deleteCmd := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDeleteCommandRequest()
			req.CommandId = command(e, id)
			return v1(e.v1ECS.DeleteCommand(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DeleteCommand(&ecs.DeleteCommandRequest{RegionId: region, CommandId: tea.String(command(e, id))}))
		})
	}

	return []confStep{
		g("CreateCommand", create("ZWNobyBrZXB0")), // echo kept
		b(400, "InvalidParameter", "CreateCommand", create("not Base64!")),
		g("DescribeCommands", commands("")),
		b(400, "InvalidParameter", "DescribeCommands", commands("RunPython")),
		g("InvokeCommand", invoke("")),
		b(404, "InvalidCmdId.NotFound", "InvokeCommand", invoke("c-nope")),
		g("DescribeCommands", commands("RunShellScript")),
		g("DeleteCommand", deleteCmd("")),
		b(404, "InvalidCmdId.NotFound", "DeleteCommand", deleteCmd("")),
		g("DescribeCloudAssistantStatus", agents("")),
		b(400, "InvalidParameter", "DescribeCloudAssistantStatus", agents("Plan9")),
		g("RunCommand", run("i-fake01", "echo hello")),
		b(404, "InvalidInstance.NotFound", "RunCommand", run("i-nope", "echo hello")),
		g("DescribeInvocations", invocations("")),
		g("DescribeInvocationResults", results("")),
		settle(),
		g("DescribeInvocations", invocations("Finished")),
		b(400, "InvalidParameter", "DescribeInvocations", invocations("Bogus")),
		g("DescribeInvocationResults", results("Finished")),
		b(400, "InvalidParameter", "DescribeInvocationResults", results("Bogus")),
		g("TagResources", tag("i-fake01")),
		b(404, "InvalidResourceId.NotFound", "TagResources", tag("i-nope")),
		ok(P, "DescribeInstances", instances, instances3),
		g("ListTagResources", listTags("instance")),
		b(400, "InvalidResourceType.NotFound", "ListTagResources", listTags("bogus")),
		g("UntagResources", untag("wsdeploy:app")),
		b(400, "MissingParameter", "UntagResources", untag("")),
		g("ListTagResources", listTags("instance")),
	}
}

func init() {
	confScenarios[ProductOOS] = confScenario{steps: oosConformance}
}

func oosConformance() []confStep {
	const P = ProductOOS
	q := func(kv ...string) map[string]string {
		m := map[string]string{"RegionId": "cn-hangzhou"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	acs3OOS := func(action string, query map[string]string) func(e *confEnv) (any, error) {
		return func(e *confEnv) (any, error) { return stsBody(oosCall(fcGeneric(e.t, e.ts), action, query)) }
	}
	create := func(name string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1oos.CreateCreateSecretParameterRequest()
			req.Name, req.Value, req.Type, req.Description = name, "conf-secret", "Secret", "conformance"
			return v1(oosV1(e.t, e.ts).CreateSecretParameter(req))
		}, acs3OOS("CreateSecretParameter", q("Name", name, "Value", "conf-secret", "Type", "Secret", "Description", "conformance")))
	}
	get := func(name string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1oos.CreateGetSecretParameterRequest()
			req.Name, req.WithDecryption = name, "true"
			return v1(oosV1(e.t, e.ts).GetSecretParameter(req))
		}, acs3OOS("GetSecretParameter", q("Name", name, "WithDecryption", "true")))
	}
	update := func(name string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1oos.CreateUpdateSecretParameterRequest()
			req.Name, req.Value = name, "conf-secret-2"
			return v1(oosV1(e.t, e.ts).UpdateSecretParameter(req))
		}, acs3OOS("UpdateSecretParameter", q("Name", name, "Value", "conf-secret-2")))
	}
	del := func(name string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1oos.CreateDeleteSecretParameterRequest()
			req.Name = name
			return v1(oosV1(e.t, e.ts).DeleteSecretParameter(req))
		}, acs3OOS("DeleteSecretParameter", q("Name", name)))
	}
	return []confStep{
		ok(P, "CreateSecretParameter", create("conf-redis")[0], create("conf-redis")[1]),
		fails(400, "EntityAlreadyExists.Parameter", P, "CreateSecretParameter", create("conf-redis")[0], create("conf-redis")[1]),
		ok(P, "GetSecretParameter", get("conf-redis")[0], get("conf-redis")[1]),
		fails(404, "EntityNotExists.Parameter", P, "GetSecretParameter", get("nope")[0], get("nope")[1]),
		ok(P, "UpdateSecretParameter", update("conf-redis")[0], update("conf-redis")[1]),
		fails(404, "EntityNotExists.Parameter", P, "UpdateSecretParameter", update("nope")[0], update("nope")[1]),
		ok(P, "GetSecretParameter", get("conf-redis")[0], get("conf-redis")[1]),
		ok(P, "DeleteSecretParameter", del("conf-redis")[0], del("conf-redis")[1]),
		fails(404, "EntityNotExists.Parameter", P, "DeleteSecretParameter", del("conf-redis")[0], del("conf-redis")[1]),
	}
}

// TestOOSConformanceClientsShareWorld: a secret the older SDK creates, the
// ACS3 client reads, and a RunCommand through the older SDK refers to it.
func TestOOSConformanceClientsShareWorld(t *testing.T) {
	e := newConfEnv(t)
	req := v1oos.CreateCreateSecretParameterRequest()
	req.Name, req.Value, req.Type = "shared", "shared-value", "Secret"
	must(oosV1(t, e.ts).CreateSecretParameter(req))(t, "older CreateSecretParameter")
	out := must(oosCall(fcGeneric(t, e.ts), "GetSecretParameter", map[string]string{"Name": "shared", "WithDecryption": "true"}))(t, "ACS3 GetSecretParameter")
	if v := out["body"].(map[string]any)["Parameter"].(map[string]any)["Value"]; v != "shared-value" {
		t.Errorf("ACS3 read %v", v)
	}
	run := v1ecs.CreateRunCommandRequest()
	run.Type, run.CommandContent, run.EnableParameter, run.InstanceId = "RunShellScript", "echo {{oos-secret:shared}}", "true", &[]string{"i-fake01"}
	must(e.v1ECS.RunCommand(run))(t, "older RunCommand")
	if inv := e.ts.Snapshot().ECS.Invocations; len(inv) != 1 || inv[0].DecodedContent() != "echo {{oos-secret:shared}}" || len(inv[0].SecretParameters) != 1 {
		t.Errorf("invocation: %+v", inv)
	}
}
