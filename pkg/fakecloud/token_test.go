package fakecloud

// NextToken values through the real SDK: opaque, bound to their query,
// and read by every process that shares the state file.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// createALBGroups makes n server groups g00.. in vpc-fake01 through the SDK.
func createALBGroups(t *testing.T, c *alb.Client, n int) {
	t.Helper()
	for i := range n {
		_, err := c.CreateServerGroupWithContext(context.Background(), &alb.CreateServerGroupRequest{
			ServerGroupName: tea.String(fmt.Sprintf("g%02d", i)), VpcId: tea.String("vpc-fake01"),
			HealthCheckConfig: sdkHealthCheck(),
		}, &dara.RuntimeOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestNextTokenIsOpaqueAndBoundToItsQuery(t *testing.T) {
	ts, c := newALBClient(t, Options{AsyncDuration: time.Millisecond})
	ctx, rt := context.Background(), &dara.RuntimeOptions{}
	createALBGroups(t, c, 25)

	byVPC := func(token *string) *alb.ListServerGroupsRequest {
		return &alb.ListServerGroupsRequest{VpcId: tea.String("vpc-fake01"), NextToken: token}
	}
	p1, err := c.ListServerGroupsWithContext(ctx, byVPC(nil), rt)
	if err != nil {
		t.Fatal(err)
	}
	tok := tea.StringValue(p1.Body.NextToken)
	if len(p1.Body.ServerGroups) != 20 || tok == "" {
		t.Fatalf("page 1: %d groups, next %q", len(p1.Body.ServerGroups), tok)
	}
	if _, err := strconv.Atoi(tok); err == nil || len(tok) < 16 {
		t.Fatalf("NextToken %q shows the offset", tok)
	}

	// The same query follows the token to the last page.
	p2, err := c.ListServerGroupsWithContext(ctx, byVPC(&tok), rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Body.ServerGroups) != 5 || tea.StringValue(p2.Body.NextToken) != "" || tea.StringValue(p2.Body.ServerGroups[0].ServerGroupName) != "g20" {
		t.Fatalf("page 2: %v", p2.Body)
	}
	// MaxResults is paging, not the query: a page size change is allowed.
	if _, err := c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{VpcId: tea.String("vpc-fake01"), NextToken: &tok, MaxResults: tea.Int32(50)}, rt); err != nil {
		t.Fatalf("same query, other MaxResults: %v", err)
	}

	// Other filters, no filter, another action, a forged or decimal token: rejected.
	_, err = c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{VpcId: tea.String("vpc-other01"), NextToken: &tok}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter.NextToken")
	_, err = c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{NextToken: &tok}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter.NextToken")
	_, err = c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{VpcId: tea.String("vpc-fake01"), ServerGroupType: tea.String("Instance"), NextToken: &tok}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter.NextToken")
	_, err = c.ListListenersWithContext(ctx, &alb.ListListenersRequest{NextToken: &tok}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter.NextToken")
	flipped := []byte(tok) // one hex digit changed
	if flipped[0] == '0' {
		flipped[0] = '1'
	} else {
		flipped[0] = '0'
	}
	for _, forged := range []string{"20", "19", string(flipped), tok + "00", strings.ToUpper(tok)} {
		_, err = c.ListServerGroupsWithContext(ctx, byVPC(tea.String(forged)), rt)
		wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter.NextToken")
	}

	// Every page was read through the SDK (no hidden retry).
	n := 0
	for _, call := range ts.Calls() {
		if call.Action == "ListServerGroups" {
			n++
		}
	}
	if n != 3+3+5 {
		t.Fatalf("%d ListServerGroups calls, want 11", n)
	}
}

// TestNextTokenAcrossProcesses: a token one server issued works on another
// server sharing the state file, and the key that makes tokens is kept in
// the file, not in a process.
func TestNextTokenAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	_, a := newALBClient(t, Options{StatePath: path, AsyncDuration: time.Millisecond})
	createALBGroups(t, a, 21)
	ctx, rt := context.Background(), &dara.RuntimeOptions{}
	p1, err := a.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(p1.Body.NextToken) == "" {
		t.Fatalf("page 1: %v", p1.Body)
	}
	_, b := newALBClient(t, Options{StatePath: path})
	p2, err := b.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{NextToken: p1.Body.NextToken}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Body.ServerGroups) != 1 || tea.StringValue(p2.Body.ServerGroups[0].ServerGroupName) != "g20" {
		t.Fatalf("page 2 on the other server: %v", p2.Body)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if key, _ := file["pagingKey"].(string); len(key) < 40 {
		t.Fatalf("paging key in the state file: %q", key)
	}
}

// TestNextTokenAcrossSignatures: a token is bound to the query, not to the
// way the call was signed; a v1-signed client follows a token an ACS3
// client got, with the same filters only.
func TestNextTokenAcrossSignatures(t *testing.T) {
	ts, c := newALBClient(t, Options{AsyncDuration: time.Millisecond})
	createALBGroups(t, c, 22)
	p1, err := c.ListServerGroupsWithContext(context.Background(), &alb.ListServerGroupsRequest{VpcId: tea.String("vpc-fake01")}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok := tea.StringValue(p1.Body.NextToken)
	status, m := v1Req{version: VersionALB, action: "ListServerGroups", query: map[string]string{"VpcId": "vpc-fake01", "NextToken": tok}}.send(t, ts)
	groups, _ := m["ServerGroups"].([]any)
	if status != http.StatusOK || len(groups) != 2 {
		t.Fatalf("v1 page 2: %d %v", status, m)
	}
	status, m = v1Req{version: VersionALB, action: "ListServerGroups", query: map[string]string{"VpcId": "vpc-other01", "NextToken": tok}}.send(t, ts)
	if status != http.StatusBadRequest || m["Code"] != "InvalidParameter.NextToken" {
		t.Fatalf("v1 other filter: %d %v", status, m)
	}
}
