package cli_test

// What `up` and `down` do when an ALB job fails: the write is accepted and
// answers a JobId, then the job ends Failed (a JobFails fault rule; the fake
// undoes the change). Everything is read in the fake's own state and request
// log.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// stackWorld is what the fake holds of stack "chat", by name (IDs change from
// run to run): the owned server groups with their health check path and
// servers, the owned listeners with their idle timeout and target, and the
// chat records. A duplicate shows as a second line.
func stackWorld(st fakecloud.State) string {
	owned := func(tags []fakecloud.Tag) bool {
		for _, t := range tags {
			if t.Key == resource.OwnerTagKey && t.Value == "chat" {
				return true
			}
		}
		return false
	}
	var lines []string
	names := map[string]string{}
	for _, g := range st.ALB.ServerGroups {
		if g.Deleted || !owned(g.Tags) {
			continue
		}
		names[g.ID] = g.Name
		var ss []string
		for _, s := range g.Servers {
			if !s.Deleted {
				ss = append(ss, fmt.Sprintf("%s:%d=%d", s.ServerID, s.Port, s.Weight))
			}
		}
		sort.Strings(ss)
		lines = append(lines, fmt.Sprintf("group %s health %s [%s]", g.Name, g.HealthCheck.Path, strings.Join(ss, " ")))
	}
	for _, l := range st.ALB.Listeners {
		if l.Deleted || !owned(l.Tags) {
			continue
		}
		var to []string
		for _, id := range l.DefaultServerGroups {
			to = append(to, names[id])
		}
		lines = append(lines, fmt.Sprintf("listener %s:%d idle %d -> %s", l.Protocol, l.Port, l.IdleTimeout, strings.Join(to, ",")))
	}
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.RR == "chat" {
				lines = append(lines, fmt.Sprintf("record %s %s %s", r.RR, r.Type, r.Value))
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

const (
	worldGroup  = "group wsdeploy-chat health /healthz [i-fake01:5000=100 i-fake02:5000=100 i-fake03:5000=100]"
	worldHTTP   = "listener HTTP:5000 idle 60 -> wsdeploy-chat"
	worldHTTPS  = "listener HTTPS:443 idle 60 -> wsdeploy-chat"
	worldRecord = "record chat CNAME alb-fake01.cn-hangzhou.alb.aliyuncs.com"
	worldEmpty  = "" // nothing of the stack
)

func lines(l ...string) string {
	sort.Strings(l)
	return strings.Join(l, "\n")
}

// failedJobs are the IDs of the fake's ALB jobs of action that failed.
func failedJobs(st fakecloud.State, action string) map[string]*fakecloud.ALBJob {
	out := map[string]*fakecloud.ALBJob{}
	for _, j := range st.ALB.Jobs {
		if j.APIName == action && j.Failure != nil {
			out[j.ID] = j
		}
	}
	return out
}

// applyListing is the per-action part of the "apply failed" error: action
// ID -> "done", "skipped" or the failure.
func applyListing(t *testing.T, stderr string) (head string, list map[string]string) {
	t.Helper()
	i := strings.Index(stderr, "Error: apply failed: ")
	j := strings.Index(stderr, "\nTo fix: ")
	if i < 0 || j < i {
		t.Fatalf("no apply failure with a hint in:\n%s", stderr)
	}
	rows := strings.Split(stderr[i:j], "\n")
	list = map[string]string{}
	for _, row := range rows[1:] {
		id, what, ok := strings.Cut(strings.TrimPrefix(row, "  "), ": ")
		if !ok || !strings.HasPrefix(row, "  ") {
			t.Fatalf("unexpected line %q in:\n%s", row, stderr)
		}
		if _, dup := list[id]; dup {
			t.Fatalf("%s listed twice:\n%s", id, stderr)
		}
		list[id] = what
	}
	return strings.TrimPrefix(rows[0], "Error: "), list
}

// busyResends is how many times wsdeploy sends a step again after its job
// failed because something was busy (pkg/cloud/alb MaxBusyResends, which an
// end-to-end test does not import: it reads the fake's truth).
const busyResends = 3

// TestJobFailed makes the job of each kind of ALB write wsdeploy sends fail,
// in the `up` or `down` that sends it, twice in a row (the cause persists),
// then lets it succeed:
//   - each failing run exits 1 with an error naming the step, the job (a new
//     one each run: the fake's state and request log say which), the job's
//     error code and message, and the request that started it, a `To fix:`
//     that is right for the code and that repeats the run's own command, and
//     the right list of what was done, what failed and what was skipped;
//   - a job that failed because something was busy (Conflict.Lock) was sent
//     again busyResends times first, each with a new token; any other
//     failure is reported at once;
//   - the failed change is not in the fake's world (nothing else changed);
//   - once the cause is gone, the same command converges: the fake holds
//     exactly the desired world, with no duplicate, and one more run makes no
//     write.
func TestJobFailed(t *testing.T) {
	t.Parallel()
	busy := "which says the resource was busy with another change"
	other := "look the code up in ALB's error codes"
	tests := []struct {
		name, action, code, message string
		deployed                    bool   // stackYAML is up first
		stack                       string // the stack file of the runs
		cmd                         string // up | down
		failed                      string // the action that fails, as the error lists it
		step                        string // how the error names the step
		done                        [2][]string
		skipped                     []string
		hint                        string
		afterFailure, converged     string
	}{{
		name: "up/create server group", action: "CreateServerGroup", code: "InternalError", message: "backend exploded",
		stack: stackYAML, cmd: "up",
		failed: "create:server-group/wsdeploy-chat", step: "create server group wsdeploy-chat",
		skipped: []string{"create:servers/wsdeploy-chat", "create:listener/HTTP:5000", "create:listener/HTTPS:443", "create:dns-record/chat.example.com"},
		hint:    other, afterFailure: "", converged: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
	}, {
		name: "up/add servers", action: "AddServersToServerGroup", code: "InternalError", message: "backend exploded",
		stack: stackYAML, cmd: "up",
		failed: "create:servers/wsdeploy-chat", step: "add servers 1-3 of 3 in server group sgp-",
		done:    [2][]string{{"create:server-group/wsdeploy-chat"}, nil},
		skipped: []string{"create:listener/HTTP:5000", "create:listener/HTTPS:443", "create:dns-record/chat.example.com"},
		hint:    other, afterFailure: "group wsdeploy-chat health /healthz []",
		converged: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
	}, {
		name: "up/create listener", action: "CreateListener", code: "Conflict.Lock",
		stack: stackYAML, cmd: "up",
		failed: "create:listener/HTTP:5000", step: "create listener HTTP:5000",
		done:    [2][]string{{"create:server-group/wsdeploy-chat", "create:servers/wsdeploy-chat"}, nil},
		skipped: []string{"create:listener/HTTPS:443", "create:dns-record/chat.example.com"},
		hint:    busy, afterFailure: worldGroup, converged: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
	}, {
		name: "up/remove a server", action: "RemoveServersFromServerGroup", code: "InternalError", message: "backend exploded",
		deployed: true, stack: strings.Replace(stackYAML, "    - ECS03\n", "", 1), cmd: "up",
		failed: "delete:servers/wsdeploy-chat", step: "remove servers 1-1 of 1 in server group sgp-",
		hint: other, afterFailure: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
		converged: lines("group wsdeploy-chat health /healthz [i-fake01:5000=100 i-fake02:5000=100]", worldHTTP, worldHTTPS, worldRecord),
	}, {
		name: "up/reweight a server", action: "UpdateServerGroupServersAttribute", code: "InternalError", message: "backend exploded",
		deployed: true, stack: strings.Replace(stackYAML, "{instance: i-fake02, weight: 100}", "{instance: i-fake02, weight: 50}", 1), cmd: "up",
		failed: "update:servers/wsdeploy-chat", step: "reweight servers 1-1 of 1 in server group sgp-",
		hint: other, afterFailure: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
		converged: lines("group wsdeploy-chat health /healthz [i-fake01:5000=100 i-fake02:5000=50 i-fake03:5000=100]", worldHTTP, worldHTTPS, worldRecord),
	}, {
		name: "up/update listener", action: "UpdateListenerAttribute", code: "Conflict.Lock",
		deployed: true, stack: strings.Replace(stackYAML, "{protocol: HTTP, port: 5000, idleTimeout: 60", "{protocol: HTTP, port: 5000, idleTimeout: 30", 1), cmd: "up",
		failed: "update:listener/HTTP:5000", step: "update listener HTTP:5000 (lsn-",
		hint: busy, afterFailure: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
		converged: lines(worldGroup, "listener HTTP:5000 idle 30 -> wsdeploy-chat", worldHTTPS, worldRecord),
	}, {
		name: "up/update server group", action: "UpdateServerGroupAttribute", code: "InternalError", message: "backend exploded",
		deployed: true, stack: strings.Replace(stackYAML, "  port: 5000\n", "  port: 5000\n  healthCheck: {path: /ready}\n", 1), cmd: "up",
		failed: "update:server-group/wsdeploy-chat", step: "update server group sgp-",
		hint: other, afterFailure: lines(worldGroup, worldHTTP, worldHTTPS, worldRecord),
		converged: lines(strings.Replace(worldGroup, "/healthz", "/ready", 1), worldHTTP, worldHTTPS, worldRecord),
	}, {
		name: "down/delete listener", action: "DeleteListener", code: "Conflict.Lock",
		deployed: true, stack: stackYAML, cmd: "down",
		failed: "delete:listener/HTTPS:443", step: "delete listener HTTPS:443 (lsn-",
		done:    [2][]string{{"update:lb-tag/wsdeploy-epoch-chat", "delete:dns-record/chat.example.com/{record}"}, {"update:lb-tag/wsdeploy-epoch-chat"}},
		skipped: []string{"delete:listener/HTTP:5000", "delete:server-group/{group}"},
		hint:    busy, afterFailure: lines(worldGroup, worldHTTP, worldHTTPS), converged: worldEmpty,
	}, {
		name: "down/delete server group", action: "DeleteServerGroup", code: "InternalError", message: "backend exploded",
		deployed: true, stack: stackYAML, cmd: "down",
		failed: "delete:server-group/{group}", step: "delete server group sgp-",
		done: [2][]string{{"update:lb-tag/wsdeploy-epoch-chat", "delete:dns-record/chat.example.com/{record}",
			"delete:listener/HTTPS:443", "delete:listener/HTTP:5000"}, {"update:lb-tag/wsdeploy-epoch-chat"}},
		hint: other, afterFailure: worldGroup, converged: worldEmpty,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if tt.deployed {
				e.mustRun("up", "--yes")
			}
			e.write(tt.stack)
			// The IDs the listing names, from the fake's world.
			var group, record string
			st := e.fc.Snapshot()
			for _, g := range st.ALB.ServerGroups {
				group = g.ID
			}
			for _, d := range st.DNS.Domains {
				for _, r := range d.Records {
					if r.RR == "chat" {
						record = r.ID
					}
				}
			}
			if tt.deployed && (group == "" || record == "") {
				t.Fatalf("deployed, but the fake holds no group or record: %q %q", group, record)
			}
			ids := strings.NewReplacer("{group}", group, "{record}", record)
			if err := e.fc.SetFaults([]fakecloud.Fault{{Name: "job fails", Product: "alb", Action: tt.action, JobFails: true, Code: tt.code, Message: tt.message}}); err != nil {
				t.Fatal(err)
			}
			args := []string{tt.cmd, "--yes"}
			reported, sent := map[string]bool{}, map[string]bool{}
			for try := 0; try < 2; try++ {
				before := failedJobs(e.fc.Snapshot(), tt.action)
				r := e.run(args...)
				if r.code != 1 {
					t.Fatalf("try %d: exit %d, want 1\n%s", try+1, r.code, r.stderr)
				}
				// The job that failed in this run: one write of the action
				// with a ClientToken no earlier run sent started it (a
				// repeated token only replays an earlier answer).
				var fired []fakecloud.Call
				for _, c := range r.calls {
					if c.Action != tt.action {
						continue
					}
					tok := c.Params["ClientToken"]
					if c.Injected && !sent[tok] {
						fired = append(fired, c)
					}
					sent[tok] = true
				}
				st := e.fc.Snapshot()
				var fresh []*fakecloud.ALBJob
				for id, j := range failedJobs(st, tt.action) {
					if before[id] == nil {
						fresh = append(fresh, j)
					}
				}
				// A job that failed because something was busy is sent
				// again, a bounded number of times; any other is reported.
				wantFired := 1
				if tt.hint == busy {
					wantFired += busyResends
				}
				if len(fired) != wantFired || len(fresh) != wantFired {
					t.Fatalf("try %d: %d %s calls with a new ClientToken started a failing job and %d jobs failed, want %d and %d (a failed job is reported, sent again only when busy)\n%s",
						try+1, len(fired), tt.action, len(fresh), wantFired, wantFired, r.stderr)
				}
				slices.SortFunc(fresh, func(a, b *fakecloud.ALBJob) int { return a.CreateTime.Compare(b.CreateTime) })
				job := fresh[len(fresh)-1]
				reported[job.ID] = true
				want := fmt.Sprintf("ALB job %s (%s) failed: %s: %s (request %s)", job.ID, tt.action, tt.code, job.Failure.Message, fired[len(fired)-1].RequestID)
				if job.Failure.Message == "" || job.Failure.Code != tt.code {
					t.Fatalf("try %d: the fake's job: %+v", try+1, job.Failure)
				}

				head, list := applyListing(t, r.stderr)
				done := tt.done[try]
				if wantHead := fmt.Sprintf("apply failed: %d succeeded, 1 failed, %d skipped", len(done), len(tt.skipped)); head != wantHead {
					t.Errorf("try %d: %q, want %q", try+1, head, wantHead)
				}
				failed := ids.Replace(tt.failed)
				if got := list[failed]; !strings.HasPrefix(got, tt.step) || !strings.HasSuffix(got, ": "+want) {
					t.Errorf("try %d: %s is listed as\n  %q\nwant %q...: %q", try+1, failed, got, tt.step, want)
				}
				wantList := map[string]string{failed: list[failed]}
				for _, id := range done {
					wantList[ids.Replace(id)] = "done"
				}
				for _, id := range tt.skipped {
					wantList[ids.Replace(id)] = "skipped"
				}
				if fmt.Sprint(list) != fmt.Sprint(wantList) {
					t.Errorf("try %d: listing\n  %v\nwant\n  %v", try+1, list, wantList)
				}
				_, hint, _ := strings.Cut(r.stderr, "\nTo fix: ")
				again := map[string]string{"up": "again: it continues from what exists and never creates duplicates", "down": "again: it deletes what is left of the stack"}[tt.cmd]
				if !strings.Contains(hint, tt.hint) || !strings.Contains(hint, "; then run `wsdeploy "+tt.cmd+" --yes --endpoint ") || !strings.HasSuffix(strings.TrimSpace(hint), again) ||
					strings.Contains(hint, "wsdeploy up") != (tt.cmd == "up") || strings.Contains(hint, "wsdeploy down") != (tt.cmd == "down") {
					t.Errorf("try %d: To fix: %s\nwant one that says %q and repeats `wsdeploy %s`", try+1, hint, tt.hint, tt.cmd)
				}
				if got := stackWorld(st); got != tt.afterFailure {
					t.Fatalf("try %d: after the failed job the fake holds\n%s\nwant\n%s", try+1, got, tt.afterFailure)
				}
			}
			if len(reported) != 2 {
				t.Fatalf("both runs reported the same job %v: the second one did not send the step again", reported)
			}

			// The cause is gone: the same command converges.
			if err := e.fc.SetFaults(nil); err != nil {
				t.Fatal(err)
			}
			r := e.run(args...)
			if r.code != 0 {
				t.Fatalf("re-run after the cause is gone: exit %d\n%s", r.code, r.stderr)
			}
			if got := stackWorld(e.fc.Snapshot()); got != tt.converged {
				t.Fatalf("after the re-run the fake holds\n%s\nwant\n%s", got, tt.converged)
			}
			if r := e.mustRun(args...); len(r.writes()) != 0 {
				t.Fatalf("one more %s makes writes %v", tt.cmd, r.writes())
			}
		})
	}
}
