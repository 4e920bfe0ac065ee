package alb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// groupSettings fills the health check and sticky session structs of a
// create or update request (the SDK has one struct type per request, with the
// same field names, so one JSON form fills either).
func groupSettings(spec resource.ServerGroup, hc, sc any) error {
	h := map[string]any{"HealthCheckEnabled": spec.HealthCheck.Enabled}
	if x := spec.HealthCheck; x.Enabled {
		h["HealthCheckProtocol"] = "HTTP"
		h["HealthCheckPath"] = x.Path
		h["HealthCheckMethod"] = x.Method
		h["HealthCheckCodes"] = x.Codes
		h["HealthCheckInterval"] = x.Interval
		h["HealthCheckTimeout"] = x.Timeout
		h["HealthyThreshold"] = x.HealthyThreshold
		h["UnhealthyThreshold"] = x.UnhealthyThreshold
	}
	st := map[string]any{"StickySessionEnabled": spec.StickySession.Enabled}
	if x := spec.StickySession; x.Enabled {
		st["StickySessionType"] = x.Type
		if x.Type == "Insert" {
			st["CookieTimeout"] = x.CookieTimeout
		} else {
			st["Cookie"] = x.Cookie
		}
	}
	for _, p := range []struct {
		dst any
		src map[string]any
	}{{hc, h}, {sc, st}} {
		b, err := json.Marshal(p.src)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, p.dst); err != nil {
			return fmt.Errorf("build server group settings: %w", err)
		}
	}
	return nil
}

// CreateServerGroup creates an HTTP Instance server group (name, VPC, health
// check, sticky session and tags of spec) and returns its ID and job.
func (c *Client) CreateServerGroup(ctx context.Context, spec resource.ServerGroup, token string) (id, job string, err error) {
	req := &albsdk.CreateServerGroupRequest{
		ServerGroupName: tea.String(spec.Name),
		ServerGroupType: tea.String("Instance"),
		Protocol:        tea.String("HTTP"),
		Scheduler:       tea.String("Wrr"),
		VpcId:           tea.String(spec.VpcID),
		ClientToken:     tokenOrNil(token),
	}
	if err := groupSettings(spec, &req.HealthCheckConfig, &req.StickySessionConfig); err != nil {
		return "", "", err
	}
	for _, k := range resource.SortedKeys(spec.Tags) {
		req.Tag = append(req.Tag, &albsdk.CreateServerGroupRequestTag{Key: tea.String(k), Value: tea.String(spec.Tags[k])})
	}
	err = c.api.Call(ctx, "CreateServerGroup", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.CreateServerGroupWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		id, job = tea.StringValue(resp.Body.ServerGroupId), tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "CreateServerGroup", resp.Body.RequestId)
		return nil
	})
	return id, job, err
}

// UpdateServerGroup changes health check and sticky session settings.
func (c *Client) UpdateServerGroup(ctx context.Context, id string, spec resource.ServerGroup, token string) (job string, err error) {
	req := &albsdk.UpdateServerGroupAttributeRequest{
		ServerGroupId: tea.String(id),
		ClientToken:   tokenOrNil(token),
	}
	if err := groupSettings(spec, &req.HealthCheckConfig, &req.StickySessionConfig); err != nil {
		return "", err
	}
	err = c.api.Call(ctx, "UpdateServerGroupAttribute", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.UpdateServerGroupAttributeWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "UpdateServerGroupAttribute", resp.Body.RequestId)
		return nil
	})
	return job, err
}

// DeleteServerGroup deletes a server group. Already gone is success (job "").
func (c *Client) DeleteServerGroup(ctx context.Context, id, token string) (job string, err error) {
	err = c.api.Call(ctx, "DeleteServerGroup", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.DeleteServerGroupWithContext(ctx, &albsdk.DeleteServerGroupRequest{ServerGroupId: tea.String(id), ClientToken: tokenOrNil(token)}, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "DeleteServerGroup", resp.Body.RequestId)
		return nil
	})
	if cloud.IsNotFound(err) {
		return "", nil
	}
	return job, err
}

// AddServers attaches up to resource.ALBServersPerCall ECS servers.
func (c *Client) AddServers(ctx context.Context, groupID string, servers []resource.Backend, token string) (job string, err error) {
	if len(servers) > resource.ALBServersPerCall {
		return "", fmt.Errorf("add %d servers: more than %d per call", len(servers), resource.ALBServersPerCall)
	}
	req := &albsdk.AddServersToServerGroupRequest{ServerGroupId: tea.String(groupID), ClientToken: tokenOrNil(token)}
	for _, s := range servers {
		req.Servers = append(req.Servers, &albsdk.AddServersToServerGroupRequestServers{
			ServerType: tea.String("Ecs"), ServerId: tea.String(s.InstanceID), Port: tea.Int32(int32(s.Port)), Weight: tea.Int32(int32(s.Weight)),
		})
	}
	err = c.api.Call(ctx, "AddServersToServerGroup", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.AddServersToServerGroupWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "AddServersToServerGroup", resp.Body.RequestId)
		return nil
	})
	return job, err
}

// RemoveServers detaches up to resource.ALBServersPerCall servers.
func (c *Client) RemoveServers(ctx context.Context, groupID string, servers []resource.Backend, token string) (job string, err error) {
	if len(servers) > resource.ALBServersPerCall {
		return "", fmt.Errorf("remove %d servers: more than %d per call", len(servers), resource.ALBServersPerCall)
	}
	req := &albsdk.RemoveServersFromServerGroupRequest{ServerGroupId: tea.String(groupID), ClientToken: tokenOrNil(token)}
	for _, s := range servers {
		req.Servers = append(req.Servers, &albsdk.RemoveServersFromServerGroupRequestServers{
			ServerType: tea.String("Ecs"), ServerId: tea.String(s.InstanceID), Port: tea.Int32(int32(s.Port)),
		})
	}
	err = c.api.Call(ctx, "RemoveServersFromServerGroup", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.RemoveServersFromServerGroupWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "RemoveServersFromServerGroup", resp.Body.RequestId)
		return nil
	})
	return job, err
}

// SetWeights changes the weights of up to resource.ALBServersPerCall servers in place.
func (c *Client) SetWeights(ctx context.Context, groupID string, servers []resource.Backend, token string) (job string, err error) {
	if len(servers) > resource.ALBServersPerCall {
		return "", fmt.Errorf("update %d servers: more than %d per call", len(servers), resource.ALBServersPerCall)
	}
	req := &albsdk.UpdateServerGroupServersAttributeRequest{ServerGroupId: tea.String(groupID), ClientToken: tokenOrNil(token)}
	for _, s := range servers {
		req.Servers = append(req.Servers, &albsdk.UpdateServerGroupServersAttributeRequestServers{
			ServerType: tea.String("Ecs"), ServerId: tea.String(s.InstanceID), Port: tea.Int32(int32(s.Port)), Weight: tea.Int32(int32(s.Weight)),
		})
	}
	err = c.api.Call(ctx, "UpdateServerGroupServersAttribute", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.UpdateServerGroupServersAttributeWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "UpdateServerGroupServersAttribute", resp.Body.RequestId)
		return nil
	})
	return job, err
}

// CreateListener creates a listener on lbID forwarding to spec.ServerGroupID.
func (c *Client) CreateListener(ctx context.Context, lbID string, spec resource.Listener, token string) (id, job string, err error) {
	req := &albsdk.CreateListenerRequest{
		LoadBalancerId:      tea.String(lbID),
		ListenerProtocol:    tea.String(spec.Protocol),
		ListenerPort:        tea.Int32(int32(spec.Port)),
		IdleTimeout:         tea.Int32(int32(spec.IdleTimeout)),
		RequestTimeout:      tea.Int32(int32(spec.RequestTimeout)),
		ListenerDescription: tea.String(spec.Description),
		ClientToken:         tokenOrNil(token),
		DefaultActions: []*albsdk.CreateListenerRequestDefaultActions{{
			Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &albsdk.CreateListenerRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*albsdk.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(spec.ServerGroupID)}},
			},
		}},
	}
	if spec.CertificateID != "" {
		req.Certificates = []*albsdk.CreateListenerRequestCertificates{{CertificateId: tea.String(spec.CertificateID)}}
	}
	for _, k := range resource.SortedKeys(spec.Tags) {
		req.Tag = append(req.Tag, &albsdk.CreateListenerRequestTag{Key: tea.String(k), Value: tea.String(spec.Tags[k])})
	}
	err = c.api.Call(ctx, "CreateListener", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.CreateListenerWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		id, job = tea.StringValue(resp.Body.ListenerId), tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "CreateListener", resp.Body.RequestId)
		return nil
	})
	return id, job, err
}

// UpdateListener sets timeouts, certificate and forwarding (to
// spec.ServerGroupID) of a listener.
func (c *Client) UpdateListener(ctx context.Context, id string, spec resource.Listener, token string) (job string, err error) {
	req := &albsdk.UpdateListenerAttributeRequest{
		ListenerId:     tea.String(id),
		IdleTimeout:    tea.Int32(int32(spec.IdleTimeout)),
		RequestTimeout: tea.Int32(int32(spec.RequestTimeout)),
		ClientToken:    tokenOrNil(token),
		DefaultActions: []*albsdk.UpdateListenerAttributeRequestDefaultActions{{
			Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &albsdk.UpdateListenerAttributeRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*albsdk.UpdateListenerAttributeRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(spec.ServerGroupID)}},
			},
		}},
	}
	if spec.CertificateID != "" {
		req.Certificates = []*albsdk.UpdateListenerAttributeRequestCertificates{{CertificateId: tea.String(spec.CertificateID)}}
	}
	err = c.api.Call(ctx, "UpdateListenerAttribute", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.UpdateListenerAttributeWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "UpdateListenerAttribute", resp.Body.RequestId)
		return nil
	})
	return job, err
}

// DeleteListener deletes a listener. Already gone is success (job "").
func (c *Client) DeleteListener(ctx context.Context, id, token string) (job string, err error) {
	err = c.api.Call(ctx, "DeleteListener", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.DeleteListenerWithContext(ctx, &albsdk.DeleteListenerRequest{ListenerId: tea.String(id), ClientToken: tokenOrNil(token)}, c.api.Runtime)
		if err != nil {
			return err
		}
		job = tea.StringValue(resp.Body.JobId)
		c.noteJob(job, "DeleteListener", resp.Body.RequestId)
		return nil
	})
	if cloud.IsNotFound(err) {
		return "", nil
	}
	return job, err
}

// JobFailedError reports an asynchronous job that ended Failed: the write
// was accepted (RequestID is the request that answered JobID), but ALB could
// not carry it out.
type JobFailedError struct {
	JobID, API, Code, Message string
	// RequestID is the request of the write that answered JobID ("" when
	// the job was not started through this client).
	RequestID string
	// Created and Ended are the job's CreateTime and ModifyTime, on the
	// cloud's clock (zero when ALB did not say).
	Created, Ended time.Time
	// endedUnseen is set when the first look at the job already found it
	// Failed: no poll of this wait saw it listed and unfinished.
	endedUnseen bool
}

func (e *JobFailedError) Error() string {
	msg := fmt.Sprintf("ALB job %s (%s) failed: %s", e.JobID, e.API, e.Code)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	return msg
}

// busyJobCodes are the job error codes that say the resource or the
// instance was busy with another change: waiting is the cure.
var busyJobCodes = map[string]bool{"Conflict.Lock": true, "OperationBusy": true, "SystemBusy": true}

// busy reports whether the job failed because the resource or the instance
// was busy with another change: waiting is the cure.
func (e *JobFailedError) busy() bool {
	return busyJobCodes[e.Code] || strings.HasPrefix(e.Code, "IncorrectStatus.") || strings.HasPrefix(e.Code, "ResourceInConfiguring.")
}

// Hint says what to do about a failed job. It does not name the command to
// run again: the apply error that carries this one adds that, in the run's
// own mode (up or down).
func (e *JobFailedError) Hint() string {
	if e.busy() {
		return fmt.Sprintf("ALB accepted the change but its job %s failed with %s, which says the resource was busy with another change: "+
			"wait until that change is done (ListAsynJobs, or the console's operation log, shows it)", e.JobID, e.Code)
	}
	ids := "job " + e.JobID
	if e.RequestID != "" {
		ids += ", request " + e.RequestID
	}
	return fmt.Sprintf("ALB accepted the change but its job failed with %s: look the code up in ALB's error codes, "+
		"and if it does not say what to change, ask Alibaba Cloud support, quoting %s", e.Code, ids)
}

// jobNote is what the client knows of a job it started.
type jobNote struct{ action, requestID string }

// noteJob remembers which write (action) and request answered a job, for
// the pace of its wait and its JobFailedError.
func (c *Client) noteJob(job, action string, requestID *string) {
	if job != "" {
		c.requests.Store(job, jobNote{action: action, requestID: tea.StringValue(requestID)})
	}
}

func (c *Client) noteOf(job string) jobNote {
	v, _ := c.requests.Load(job)
	n, _ := v.(jobNote)
	return n
}

func (c *Client) requestOf(job string) string { return c.noteOf(job).requestID }

// WaitJob polls ListAsynJobs until the job succeeds or fails (a
// *JobFailedError), paced by what the run expects of the write that started
// it (cloud.Waits; a job this client did not start is paced as any job).
// The first look is at once: whether it finds the job already Failed is one
// of the two signs of an earlier run's failure (see Executor).
// progress, if set, is called after each poll that is still Processing.
func (c *Client) WaitJob(ctx context.Context, jobID string, progress cloud.Progress) error {
	if jobID == "" {
		return nil
	}
	start := time.Now()
	first := true
	return c.api.Config.Waits.WaitNow(ctx, "alb/"+c.noteOf(jobID).action, func(ctx context.Context) (bool, error) {
		var job *albsdk.ListAsynJobsResponseBodyJobs
		err := c.api.Call(ctx, "ListAsynJobs", false, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.ListAsynJobsWithContext(ctx, &albsdk.ListAsynJobsRequest{JobIds: []*string{tea.String(jobID)}}, c.api.Runtime)
			if err != nil {
				return err
			}
			if len(resp.Body.Jobs) > 0 {
				job = resp.Body.Jobs[0]
			}
			return nil
		})
		if err != nil {
			return false, fmt.Errorf("wait for ALB job %s: %w", jobID, err)
		}
		unseen := first
		first = false
		if job == nil {
			// Eventual consistency: a fresh job may not be listed yet.
			return false, nil
		}
		switch st := tea.StringValue(job.Status); st {
		case "Succeeded":
			return true, nil
		case "Failed":
			return false, &JobFailedError{
				JobID: jobID, API: tea.StringValue(job.ApiName), Code: tea.StringValue(job.ErrorCode), Message: tea.StringValue(job.ErrorMessage),
				RequestID: c.requestOf(jobID), Created: msTime(job.CreateTime), Ended: msTime(job.ModifyTime), endedUnseen: unseen,
			}
		default:
			if progress != nil {
				progress(st, time.Since(start))
			}
			return false, nil
		}
	})
}

// msTime is a time in milliseconds since the epoch; zero for nil or 0.
func msTime(ms *int64) time.Time {
	if ms == nil || *ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(*ms)
}

func tokenOrNil(t string) *string {
	if t == "" {
		return nil
	}
	return tea.String(t)
}

// TagLoadBalancer sets one tag on an ALB instance (synchronous).
func (c *Client) TagLoadBalancer(ctx context.Context, lbID, key, value string) error {
	return c.api.Call(ctx, "TagResources", true, func(ctx context.Context, sdk *albsdk.Client) error {
		_, err := sdk.TagResourcesWithContext(ctx, &albsdk.TagResourcesRequest{
			ResourceType: tea.String("loadbalancer"), ResourceId: []*string{tea.String(lbID)},
			Tag: []*albsdk.TagResourcesRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
		}, c.api.Runtime)
		return err
	})
}
