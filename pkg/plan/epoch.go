// What makes a plan's ClientTokens: the fingerprint of the owned resources
// a snapshot holds and the stack's epoch tag.

package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// fingerprint names the owned load-balancer resources a snapshot holds (IDs
// only, no statuses), so runs that start from the same cloud agree on it. It
// goes into every ALB ClientToken. DNS records stay out: Alidns writes run
// alongside the LB's lane, so a concurrent run may start after another has
// written the record but before its server group exists, and it must still
// send that run's token for the group (records are recovered by lookup).
func fingerprint(snap *inventory.Snapshot) string {
	var ids []string
	for _, g := range snap.ServerGroups {
		ids = append(ids, "g:"+g.ID)
		for _, b := range snap.Servers[g.ID] {
			ids = append(ids, fmt.Sprintf("s:%s:%s:%d", g.ID, b.Key(), b.Weight))
		}
	}
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, snap.Stack) {
			ids = append(ids, "l:"+l.ID)
		}
	}
	if o := snap.Other; o != nil {
		for _, g := range o.ServerGroups {
			ids = append(ids, "g:"+g.ID)
		}
		for _, l := range o.Listeners {
			if resource.OwnedBy(l.Tags, o.Stack) {
				ids = append(ids, "l:"+o.LB.ID+":"+l.ID)
			}
		}
	}
	sort.Strings(ids)
	h := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	return hex.EncodeToString(h[:8])
}

func epochOf(snap *inventory.Snapshot) string {
	if e := snap.LB.Tags[resource.EpochTagKey(snap.Stack)]; e != "" {
		return e
	}
	return "0"
}

// nextEpoch derives the epoch `down` records: new for every teardown of a
// different set of resources, the same for concurrent teardowns of one set.
func nextEpoch(cur, observed string) string {
	h := sha256.Sum256([]byte(cur + "|" + observed))
	return hex.EncodeToString(h[:6])
}
