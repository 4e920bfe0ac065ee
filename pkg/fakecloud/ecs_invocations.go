package fakecloud

// ECS Cloud Assistant, read back: DescribeInvocations,
// DescribeInvocationResults and DescribeCloudAssistantStatus, with the
// statuses, outputs and times they answer for the tasks RunCommand and
// InvokeCommand started (ecs_commands.go, ecs_command_defs.go).

import (
	"encoding/base64"
	"strings"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
)

// invocationStatus is a task's overall InvocationStatus from its
// instances' statuses.
func invocationStatus(statuses []string) string {
	has := func(s string) bool { return contains(statuses, s) }
	switch {
	case has("Pending"):
		return "Pending"
	case has("Running"):
		return "Running"
	case !has("Failed") && !has("Timeout"):
		return "Success"
	case !has("Success"):
		return "Failed"
	}
	return "PartialFailed"
}

// recordStatus is the older per-instance status (InvokeRecordStatus,
// InstanceInvokeStatus): Running until the end, then Finished when the
// command ran to its end (any exit code) and Failed when it timed out.
func recordStatus(phase string) string {
	switch phase {
	case "Pending", "Running":
		return "Running"
	case "Timeout":
		return "Failed"
	}
	return "Finished"
}

// invokeStatus is the older overall status (InvokeStatus).
func invokeStatus(records []string) string {
	has := func(s string) bool { return contains(records, s) }
	switch {
	case has("Running"):
		return "Running"
	case !has("Failed"):
		return "Finished"
	case !has("Finished"):
		return "Failed"
	}
	return "PartialFailed"
}

// runErrors are ErrorCode and ErrorInfo of a run that did not succeed.
func runErrors(phase string) (code, info string) {
	switch phase {
	case "Failed":
		return "ExitCodeNonzero", "the command execution exit code is not zero."
	case "Timeout":
		return "ExecutionTimeout", "the command execution has been timeout."
	}
	return "", ""
}

// answerEncoding reads the ContentEncoding of a Describe call: how it
// answers command content and output (PlainText or Base64; "" is Base64).
func answerEncoding(r *Request) (string, error) {
	encoding := r.Get("ContentEncoding")
	if encoding != "" && !strings.EqualFold(encoding, "PlainText") && !strings.EqualFold(encoding, "Base64") {
		return "", InvalidParameter("ContentEncoding", encoding, "PlainText or Base64")
	}
	return encoding, nil
}

// encodeText answers a text per ContentEncoding (Base64, the default, or PlainText).
func encodeText(s, encoding string) string {
	if strings.EqualFold(encoding, "PlainText") {
		return s
	}
	return base64.StdEncoding.EncodeToString([]byte(s))
}

// runOutput is a run's Output (empty until it ends), at most 24 KB, and the
// number of bytes dropped beyond.
func runOutput(rec *InvocationRecord, phase string) (string, int32) {
	if phase == "Pending" || phase == "Running" {
		return "", 0
	}
	out := rec.Output
	if len(out) > maxOutputBytes {
		return out[:maxOutputBytes], int32(len(out) - maxOutputBytes)
	}
	return out, 0
}

// runTimes are a run's start and end times (RFC 3339, UTC); "" until then.
func runTimes(inv *ECSInvocation, phase string, async time.Duration) (start, finish string) {
	const layout = "2006-01-02T15:04:05Z"
	if phase != "Pending" {
		start = inv.CreatedAt.Add(async / 2).Format(layout)
	}
	if phase != "Pending" && phase != "Running" {
		finish = inv.CreatedAt.Add(async).Format(layout)
	}
	return start, finish
}

// invocationTagFilters reads the Tag.N filters of the Describe calls.
func invocationTagFilters(r *Request) ([]tagFilter, error) { return tagParams(r, 20, 128) }

func ecsDescribeInvocations(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	encoding, err := answerEncoding(r)
	if err != nil {
		return nil, err
	}
	var includeOutput bool
	if err := r.OptBool("IncludeOutput", &includeOutput); err != nil {
		return nil, err
	}
	status := r.Get("InvokeStatus")
	if status != "" && !contains([]string{"Running", "Finished", "Failed", "PartialFailed", "Stopped", "Stopping", "Pending", "Scheduled", "Success"}, status) {
		return nil, InvalidParameter("InvokeStatus", status, "Running, Finished, Failed, PartialFailed, Stopped, Stopping, Pending, Scheduled or Success")
	}
	if t := r.Get("CommandType"); t != "" && !contains(commandTypes, t) {
		return nil, InvalidParameter("CommandType", t, strings.Join(commandTypes, ", "))
	}
	if m := r.Get("RepeatMode"); m != "" && !contains([]string{"Once", "Period", "NextRebootOnly", "EveryReboot"}, m) {
		return nil, InvalidParameter("RepeatMode", m, "Once, Period, NextRebootOnly or EveryReboot")
	}
	timed, _, err := r.Bool("Timed")
	if err != nil {
		return nil, err
	}
	filters, err := invocationTagFilters(r)
	if err != nil {
		return nil, err
	}

	var matched []*ECSInvocation
	for i := len(st.ECS.Invocations) - 1; i >= 0; i-- { // newest first
		inv := &st.ECS.Invocations[i]
		phases, records := invocationPhases(inv, r)
		switch {
		case r.Get("InvokeId") != "" && r.Get("InvokeId") != inv.ID,
			r.Get("CommandId") != "" && r.Get("CommandId") != inv.CommandID,
			r.Get("CommandName") != "" && r.Get("CommandName") != inv.Name,
			r.Get("CommandType") != "" && r.Get("CommandType") != inv.Type,
			r.Get("InstanceId") != "" && !slicesContainsRecord(inv, r.Get("InstanceId")),
			r.Get("RepeatMode") != "" && r.Get("RepeatMode") != "Once",
			timed, // every fakecloud task runs once
			status != "" && status != invocationStatus(phases) && status != invokeStatus(records),
			!tagsMatch(inv.Tags, filters):
			continue
		}
		matched = append(matched, inv)
	}

	body := &ecs.DescribeInvocationsResponseBody{TotalCount: dara.Int64(int64(len(matched)))}
	p, err := ecsCommandPage(st, r, len(matched))
	if err != nil {
		return nil, err
	}
	body.PageNumber, body.PageSize, body.NextToken = p.ecsEcho()
	list := []*ecs.DescribeInvocationsResponseBodyInvocationsInvocation{}
	for _, inv := range pageOf(matched, p) {
		phases, records := invocationPhases(inv, r)
		content := inv.DecodedContent()
		item := &ecs.DescribeInvocationsResponseBodyInvocationsInvocation{
			InvokeId:           dara.String(inv.ID),
			CommandId:          dara.String(inv.CommandID),
			CommandName:        dara.String(inv.Name),
			CommandDescription: dara.String(inv.Description),
			CommandType:        dara.String(inv.Type),
			CommandContent:     dara.String(encodeText(content, encoding)),
			CreationTime:       dara.String(inv.CreatedAt.Format("2006-01-02T15:04:05Z")),
			Frequency:          dara.String(""),
			InvocationStatus:   dara.String(invocationStatus(phases)),
			InvokeStatus:       dara.String(invokeStatus(records)),
			Parameters:         dara.String(inv.Parameters),
			RepeatMode:         dara.String("Once"),
			Timed:              dara.Bool(false),
			Timeout:            dara.Int64(inv.Timeout),
			Username:           dara.String(inv.Username),
			WorkingDir:         dara.String(inv.WorkingDir),
			TerminationMode:    dara.String(""),
			Tags:               &ecs.DescribeInvocationsResponseBodyInvocationsInvocationTags{Tag: []*ecs.DescribeInvocationsResponseBodyInvocationsInvocationTagsTag{}},
			InvokeInstances:    &ecs.DescribeInvocationsResponseBodyInvocationsInvocationInvokeInstances{},
		}
		for _, t := range inv.Tags {
			item.Tags.Tag = append(item.Tags.Tag, &ecs.DescribeInvocationsResponseBodyInvocationsInvocationTagsTag{TagKey: dara.String(t.Key), TagValue: dara.String(t.Value)})
		}
		for i := range inv.Instances {
			rec := &inv.Instances[i]
			phase := phases[i]
			code, info := runErrors(phase)
			start, finish := runTimes(inv, phase, r.AsyncDuration)
			out, dropped := runOutput(rec, phase)
			ii := &ecs.DescribeInvocationsResponseBodyInvocationsInvocationInvokeInstancesInvokeInstance{
				InstanceId:           dara.String(rec.InstanceID),
				InvocationStatus:     dara.String(phase),
				InstanceInvokeStatus: dara.String(records[i]),
				CreationTime:         dara.String(inv.CreatedAt.Format("2006-01-02T15:04:05Z")),
				UpdateTime:           dara.String(r.Now.UTC().Format("2006-01-02T15:04:05Z")),
				StartTime:            dara.String(start),
				FinishTime:           dara.String(finish),
				StopTime:             dara.String(""),
				ErrorCode:            dara.String(code),
				ErrorInfo:            dara.String(info),
				Dropped:              dara.Int32(dropped),
				Repeats:              dara.Int32(0),
				Timed:                dara.Bool(false),
			}
			if phase != "Pending" && phase != "Running" {
				ii.ExitCode = dara.Int64(rec.ExitCode)
				ii.Repeats = dara.Int32(1)
			}
			if includeOutput {
				ii.Output = dara.String(encodeText(out, encoding))
			}
			item.InvokeInstances.InvokeInstance = append(item.InvokeInstances.InvokeInstance, ii)
		}
		list = append(list, item)
	}
	body.Invocations = &ecs.DescribeInvocationsResponseBodyInvocations{Invocation: list}
	return body, nil
}

func slicesContainsRecord(inv *ECSInvocation, id string) bool {
	for _, rec := range inv.Instances {
		if rec.InstanceID == id {
			return true
		}
	}
	return false
}

// invocationPhases are the instances' InvocationStatus and older status now.
func invocationPhases(inv *ECSInvocation, r *Request) (phases, records []string) {
	for i := range inv.Instances {
		ph := inv.phase(&inv.Instances[i], r.Now, r.AsyncDuration)
		phases = append(phases, ph)
		records = append(records, recordStatus(ph))
	}
	return phases, records
}

// ecsCommandPage pages Cloud Assistant lists: MaxResults (1-50, default
// 10)/NextToken when either is given, else PageNumber/PageSize (1-50,
// default 10).
func ecsCommandPage(st *State, r *Request, n int) (page, error) {
	_, hasMax := r.Str("MaxResults")
	_, hasToken := r.Str("NextToken")
	if hasMax || hasToken {
		return tokenPage(st, r, n, 10, 1, 50)
	}
	return numberPage(r, n, pageNumberMax, 10, 50)
}

// ecsEcho is what a Cloud Assistant list answers of its page p: PageNumber
// and PageSize with number paging, NextToken when a page follows; nil
// otherwise.
func (p page) ecsEcho() (number, size *int64, next *string) {
	if p.number > 0 {
		number, size = dara.Int64(int64(p.number)), dara.Int64(int64(p.size))
	}
	if p.next != "" {
		next = dara.String(p.next)
	}
	return number, size, next
}

func ecsDescribeInvocationResults(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	encoding, err := answerEncoding(r)
	if err != nil {
		return nil, err
	}
	var history bool
	if err := r.OptBool("IncludeHistory", &history); err != nil {
		return nil, err
	}
	status := r.Get("InvokeRecordStatus")
	if status != "" && !contains([]string{"Running", "Finished", "Failed", "Stopped", "Stopping", "PartialFailed"}, status) {
		return nil, InvalidParameter("InvokeRecordStatus", status, "Running, Finished, Failed, Stopped, Stopping or PartialFailed")
	}
	filters, err := invocationTagFilters(r)
	if err != nil {
		return nil, err
	}
	type row struct {
		inv   *ECSInvocation
		rec   *InvocationRecord
		phase string
	}
	var rows []row
	for i := len(st.ECS.Invocations) - 1; i >= 0; i-- {
		inv := &st.ECS.Invocations[i]
		if (r.Get("InvokeId") != "" && r.Get("InvokeId") != inv.ID) ||
			(r.Get("CommandId") != "" && r.Get("CommandId") != inv.CommandID) || !tagsMatch(inv.Tags, filters) {
			continue
		}
		for j := range inv.Instances {
			rec := &inv.Instances[j]
			phase := inv.phase(rec, r.Now, r.AsyncDuration)
			if (r.Get("InstanceId") != "" && r.Get("InstanceId") != rec.InstanceID) || (status != "" && status != recordStatus(phase)) {
				continue
			}
			rows = append(rows, row{inv, rec, phase})
		}
	}
	p, err := ecsCommandPage(st, r, len(rows))
	if err != nil {
		return nil, err
	}
	res := &ecs.DescribeInvocationResultsResponseBodyInvocation{
		TotalCount: dara.Int64(int64(len(rows))),
		InvocationResults: &ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResults{
			InvocationResult: []*ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult{},
		},
	}
	res.PageNumber, res.PageSize, res.NextToken = p.ecsEcho()
	for _, rw := range pageOf(rows, p) {
		code, info := runErrors(rw.phase)
		start, finish := runTimes(rw.inv, rw.phase, r.AsyncDuration)
		out, dropped := runOutput(rw.rec, rw.phase)
		item := &ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult{
			CommandId:          dara.String(rw.inv.CommandID),
			InvokeId:           dara.String(rw.inv.ID),
			InstanceId:         dara.String(rw.rec.InstanceID),
			InvocationStatus:   dara.String(rw.phase),
			InvokeRecordStatus: dara.String(recordStatus(rw.phase)),
			ErrorCode:          dara.String(code),
			ErrorInfo:          dara.String(info),
			Output:             dara.String(encodeText(out, encoding)),
			Dropped:            dara.Int32(dropped),
			Repeats:            dara.Int32(0),
			StartTime:          dara.String(start),
			FinishedTime:       dara.String(finish),
			StopTime:           dara.String(""),
			Username:           dara.String(rw.inv.Username),
			TerminationMode:    dara.String(""),
			Tags: &ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResultTags{
				Tag: []*ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResultTagsTag{},
			},
		}
		if rw.phase != "Pending" && rw.phase != "Running" {
			item.ExitCode = dara.Int64(rw.rec.ExitCode)
			item.Repeats = dara.Int32(1)
		}
		for _, t := range rw.inv.Tags {
			item.Tags.Tag = append(item.Tags.Tag, &ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResultTagsTag{TagKey: dara.String(t.Key), TagValue: dara.String(t.Value)})
		}
		res.InvocationResults.InvocationResult = append(res.InvocationResults.InvocationResult, item)
	}
	return &ecs.DescribeInvocationResultsResponseBody{Invocation: res}, nil
}

func ecsDescribeCloudAssistantStatus(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	ids, err := r.ListMax("InstanceId", 50, "instances")
	if err != nil {
		return nil, err
	}
	osType := r.Get("OSType")
	if osType != "" && !contains([]string{"Windows", "Linux", "FreeBSD"}, osType) {
		return nil, InvalidParameter("OSType", osType, "Windows, Linux or FreeBSD")
	}
	var matched []*ECSInstance
	for i := range st.ECS.Instances {
		in := &st.ECS.Instances[i]
		if (len(ids) > 0 && !contains(ids, in.ID)) || (osType != "" && osType != "Linux") {
			continue
		}
		matched = append(matched, in)
	}
	body := &ecs.DescribeCloudAssistantStatusResponseBody{TotalCount: dara.Int64(int64(len(matched)))}
	var p page
	if len(ids) > 0 { // MaxResults does not apply
		p = page{end: len(matched), total: len(matched)}
	} else {
		if p, err = ecsCommandPage(st, r, len(matched)); err != nil {
			return nil, err
		}
	}
	body.PageNumber, body.PageSize, body.NextToken = p.ecsEcho()
	list := []*ecs.DescribeCloudAssistantStatusResponseBodyInstanceCloudAssistantStatusSetInstanceCloudAssistantStatus{}
	for _, in := range pageOf(matched, p) {
		var done, active int64
		last := ""
		for i := range st.ECS.Invocations {
			inv := &st.ECS.Invocations[i]
			for j := range inv.Instances {
				if inv.Instances[j].InstanceID != in.ID {
					continue
				}
				last = inv.CreatedAt.Format("2006-01-02T15:04:05Z")
				if ph := inv.phase(&inv.Instances[j], r.Now, r.AsyncDuration); ph == "Pending" || ph == "Running" {
					active++
				} else {
					done++
				}
			}
		}
		item := &ecs.DescribeCloudAssistantStatusResponseBodyInstanceCloudAssistantStatusSetInstanceCloudAssistantStatus{
			InstanceId:            dara.String(in.ID),
			OSType:                dara.String("Linux"),
			CloudAssistantStatus:  dara.String("true"),
			CloudAssistantVersion: dara.String(cloudAssistantVer),
			LastHeartbeatTime:     dara.String(r.Now.UTC().Truncate(time.Minute).Format("2006-01-02T15:04:05Z")),
			LastInvokedTime:       dara.String(last),
			ActiveTaskCount:       dara.Int64(active),
			InvocationCount:       dara.Int64(done),
			SupportSessionManager: dara.Bool(true),
		}
		if in.CloudAssistantOff || in.Status != "Running" {
			item.CloudAssistantStatus, item.CloudAssistantVersion = dara.String("false"), dara.String("")
			item.LastHeartbeatTime, item.SupportSessionManager = dara.String(""), dara.Bool(false)
		}
		list = append(list, item)
	}
	body.InstanceCloudAssistantStatusSet = &ecs.DescribeCloudAssistantStatusResponseBodyInstanceCloudAssistantStatusSet{InstanceCloudAssistantStatus: list}
	return body, nil
}
