package clb

// Two `up`s of one stack at the same moment may both create its CLB: CLB
// takes no ClientToken here (lb.go), and both plans saw none. So a run lists
// the stack's CLBs right before it creates one, and uses one that another
// run created since its plan (with the settings it wants) instead; and it
// lists them again after its create: when another run's new CLB with those
// settings is there too, the one created later (by CreateTimeStamp, then by
// ID, so that both runs agree) is deleted by the run that created it, and
// that run goes on with the earlier one. A run whose create's answer was
// lost while another run created one too cannot tell which new instance is
// its own: it keeps the earliest as well and deletes every later one it
// found (raceCheckUnknown), so that none is left behind.

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// sameSettings reports whether a listed instance has spec's create settings
// (name and deletion protection, which change in place, may differ).
func sameSettings(lb resource.LoadBalancer, spec resource.LBSpec) bool {
	if lb.Spec == nil {
		return false
	}
	for _, d := range resource.DiffLBSpec(*lb.Spec, spec) {
		if !d.InPlace {
			return false
		}
	}
	return true
}

// firstMatching is the earliest created of list with spec's settings.
func firstMatching(list []listedLB, spec resource.LBSpec) (resource.LoadBalancer, bool) {
	var m []listedLB
	for _, l := range list {
		if sameSettings(l.lb, spec) {
			m = append(m, l)
		}
	}
	if len(m) == 0 {
		return resource.LoadBalancer{}, false
	}
	sortByCreation(m)
	return m[0].lb, true
}

// sortByCreation sorts instances earliest created first, by ID on a tie.
func sortByCreation(l []listedLB) {
	sort.Slice(l, func(i, j int) bool {
		if l[i].created != l[j].created {
			return l[i].created < l[j].created
		}
		return l[i].lb.ID < l[j].lb.ID
	})
}

// raceCheck lists the stack's instances after this run created mine and
// returns the one to go on with: mine, or an instance with the same
// settings that another run created earlier (not in before), once mine is
// deleted. Mine not listed yet counts as the latest.
func (x Executor) raceCheck(ctx context.Context, mine string, before map[string]bool, spec resource.LBSpec, p cloud.Progress) (string, error) {
	stack := spec.Tags[resource.OwnerTagKey]
	list, err := x.c.listTagged(ctx, resource.OwnerTagKey, stack)
	if err != nil {
		return "", fmt.Errorf("created %s; list the stack's CLBs to check that no other run created one at the same moment: %w", mine, err)
	}
	var cands []listedLB
	seen := false
	for _, l := range list {
		switch {
		case l.lb.ID == mine:
			seen = true
			cands = append(cands, l)
		case !before[l.lb.ID] && sameSettings(l.lb, spec):
			cands = append(cands, l)
		}
	}
	sortByCreation(cands)
	if len(cands) == 0 || (seen && cands[0].lb.ID == mine) {
		return mine, nil
	}
	keep := cands[0].lb.ID
	if p != nil {
		p("another run of the stack created "+keep+" at the same moment: deleting "+mine+", which this run created later, and using "+keep, 0)
	}
	if err := x.discard(ctx, mine, spec, p); err != nil {
		return "", fmt.Errorf("another run created %s at the same moment; %w", keep, err)
	}
	return keep, nil
}

// raceCheckUnknown is raceCheck for a run whose create's answer was lost
// while another run created an instance too: its look-up found several new
// instances of the stack with spec's settings (found), one of which may be
// this run's, and nothing tells which. Every run keeps the earliest created;
// a run that knows its instance deletes it when it is a later one, and this
// run cannot know its own, so it deletes every later one it found (another
// run's later copy is deleted by that run too: both deletes end in the same
// state). Lists of instances show a new one at once, so every later copy
// was listed by its own run's check together with the earliest: no run goes
// on with one of them.
func (x Executor) raceCheckUnknown(ctx context.Context, found []string, before map[string]bool, spec resource.LBSpec, p cloud.Progress) (string, error) {
	stack := spec.Tags[resource.OwnerTagKey]
	list, err := x.c.listTagged(ctx, resource.OwnerTagKey, stack)
	if err != nil {
		return "", fmt.Errorf("the create's answer was lost and the stack has new CLBs %v; list them again to tell which one every run keeps: %w", found, err)
	}
	var cands []listedLB
	for _, l := range list {
		if !before[l.lb.ID] && sameSettings(l.lb, spec) {
			cands = append(cands, l)
		}
	}
	if len(cands) == 0 {
		return "", fmt.Errorf("the create's answer was lost and the stack's new CLBs %v are gone from the list since", found)
	}
	sortByCreation(cands)
	keep := cands[0].lb.ID
	for _, l := range cands[1:] {
		id := l.lb.ID
		if !slices.Contains(found, id) {
			continue // created after this run's look-up: not this run's
		}
		if p != nil {
			p("the create's answer was lost and another run of the stack created a CLB at the same moment: keeping "+keep+", the earliest, and deleting "+id+", which may be this run's", 0)
		}
		if err := x.discard(ctx, id, spec, p); err != nil {
			return "", fmt.Errorf("the create's answer was lost and the stack has new CLBs %v; keeping %s, the earliest: %w", found, keep, err)
		}
	}
	return keep, nil
}

// discard deletes id, a copy of the stack's new instance that no run keeps,
// first releasing the deletion protection spec gave it. Another run may be
// deleting it at the same time: gone is success.
func (x Executor) discard(ctx context.Context, id string, spec resource.LBSpec, p cloud.Progress) error {
	if spec.DeletionProtection {
		if err := x.c.SetDeleteProtection(ctx, id, false); err != nil && !cloud.IsNotFound(err) {
			return fmt.Errorf("release the deletion protection of %s, created later, to delete it: %w", id, err)
		}
	}
	if err := x.DeleteLB(ctx, id, "", p); err != nil {
		return fmt.Errorf("delete %s, created later: %w", id, err)
	}
	return nil
}
