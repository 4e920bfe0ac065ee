package fakecloud

// ALB asynchronous writes: every write answers a JobId at once and goes on
// in a job (ListAsynJobs) while its object shows a transitional status.
// albAsync wraps each write with ClientToken replay and DryRun.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// albResult is what an async write answers besides RequestId.
type albResult struct {
	JobID      string
	ResourceID string
}

// albWrite is a validated asynchronous write: the resource its job reports
// (type servergroup or listener; the ID is "" for a create, whose apply
// makes it) and the operation (Create, Update, Delete); apply changes the
// world and returns the resource's ID.
type albWrite struct {
	resourceType, resourceID, operate string
	apply                             func() string
}

// albAsync runs an asynchronous write: ClientToken replay and DryRun around
// prepare, which validates the request against the world and returns the
// write; then the write is applied and its job recorded. A create answers
// the new resource's ID besides the JobId.
func albAsync(st *State, r *Request, prepare func() (albWrite, error)) (albResult, error) {
	token, hasToken := r.Str("ClientToken")
	if hasToken {
		if len(token) > 64 || !albASCII(token) {
			return albResult{}, InvalidParameter("ClientToken", token, "at most 64 ASCII characters")
		}
	}
	dry, _, err := r.Bool("DryRun")
	if err != nil {
		return albResult{}, err
	}
	hash := albParamsHash(r)
	if token != "" && !dry {
		if prev := st.ALB.clientToken(token); prev != nil {
			if prev.ParamsHash != hash {
				return albResult{}, Errorf(http.StatusBadRequest, "IdempotenceSignatureMismatch",
					"The idempotence token of request is same with the prev one, but the signature is different.")
			}
			if r.Now.Before(prev.DoneAt) {
				return albResult{}, Errorf(http.StatusBadRequest, "IdempotenceProcessing",
					"The request with the same client token %s is still being processed.", token)
			}
			return albResult{JobID: prev.JobID, ResourceID: prev.ResourceID}, nil
		}
	}
	w, err := prepare()
	if err != nil {
		return albResult{}, err
	}
	if dry {
		return albResult{}, albDryRun()
	}
	var failure *ALBJobFailure
	if r.failJob != nil {
		failure = &ALBJobFailure{Code: r.failJob.code, Message: r.failJob.message}
		st.ALB.keepForRollback(failure, w.resourceType, w.resourceID)
	}
	id := w.apply()
	job := albNewJob(st, r, w.resourceType, id, w.operate)
	job.Failure = failure
	res := albResult{JobID: job.ID}
	if w.operate == "Create" {
		res.ResourceID = id
	}
	if token != "" {
		st.ALB.ClientTokens = append(st.ALB.ClientTokens, &ALBClientToken{
			Token: token, Action: r.Action, ParamsHash: hash,
			JobID: res.JobID, ResourceID: res.ResourceID, DoneAt: job.DoneAt,
		})
	}
	return res, nil
}

// albParamsHash fingerprints a request's action and parameters, ClientToken
// and DryRun aside, and RegionId: no ALB action takes it (the region is the
// endpoint's), but the older SDKs send it on every call, so the same request
// through the ACS3 SDK and through a v1-signing client must match.
func albParamsHash(r *Request) string {
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		if k == "ClientToken" || k == "DryRun" || k == "RegionId" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", r.Action)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%q\n", k, r.Params[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// albNewJob records a job for the current request.
func albNewJob(st *State, r *Request, resourceType, resourceID, operate string) *ALBJob {
	j := &ALBJob{
		ID:           fmt.Sprintf("job-fake%04d", st.NextSeq()),
		APIName:      r.Action,
		ResourceType: resourceType,
		ResourceID:   resourceID,
		OperateType:  operate,
		CreateTime:   r.Now,
		DoneAt:       r.Now.Add(r.AsyncDuration),
	}
	st.ALB.Jobs = append(st.ALB.Jobs, j)
	r.created(j.ID)
	return j
}

func albJobStatus(j *ALBJob, now time.Time) string {
	switch {
	case now.Before(j.DoneAt):
		return "Processing"
	case j.Failure != nil:
		return "Failed"
	}
	return "Succeeded"
}

func albListAsynJobs(st *State, r *Request) (any, error) {
	jobIDs := r.List("JobIds")
	resIDs := r.List("ResourceIds")
	rtype, err := r.Enum("ResourceType", "", "loadbalancer", "listener", "rule", "acl", "securitypolicy", "servergroup")
	if err != nil {
		return nil, err
	}
	api := r.Get("ApiName")
	var begin, end int64
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"BeginTime", &begin}, {"EndTime", &end}} {
		if v, ok := r.Str(p.name); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, InvalidParameter(p.name, v, "a time in milliseconds since the epoch")
			}
			*p.dst = n
		}
	}
	var match []*ALBJob
	for _, j := range st.ALB.Jobs {
		ms := j.CreateTime.UnixMilli()
		switch {
		case len(jobIDs) > 0 && !contains(jobIDs, j.ID),
			len(resIDs) > 0 && !contains(resIDs, j.ResourceID),
			rtype != "" && rtype != j.ResourceType,
			api != "" && api != j.APIName,
			begin > 0 && ms < begin,
			end > 0 && ms > end,
			r.hidden(j.ID, j.CreateTime):
			continue
		}
		match = append(match, j)
	}
	return albList(st, r, &alb.ListAsynJobsResponseBody{}, "Jobs", match, func(j *ALBJob) (*alb.ListAsynJobsResponseBodyJobs, error) {
		status := albJobStatus(j, r.Now)
		modify := j.CreateTime
		if status != "Processing" {
			modify = j.DoneAt
		}
		job := &alb.ListAsynJobsResponseBodyJobs{
			Id:           tea.String(j.ID),
			ApiName:      tea.String(j.APIName),
			Status:       tea.String(status),
			ResourceType: tea.String(j.ResourceType),
			ResourceId:   tea.String(j.ResourceID),
			OperateType:  tea.String(j.OperateType),
			CreateTime:   tea.Int64(j.CreateTime.UnixMilli()),
			ModifyTime:   tea.Int64(modify.UnixMilli()),
		}
		if status == "Failed" {
			job.ErrorCode, job.ErrorMessage = tea.String(j.Failure.Code), tea.String(j.Failure.Message)
		}
		return job, nil
	})
}
