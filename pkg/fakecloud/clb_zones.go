package fakecloud

// A CLB instance's zones. A VPC instance lives in its vSwitch's zone (the
// master zone: a created instance's VSwitchId, a seeded one's VPC's first
// vSwitch, clbVSwitch); the slave (standby) zone is another zone of the
// region. The region's zones are those of the world's vSwitches, in the
// world's order, then the zones where ALB can be created (albZones), so a
// zone the fake never lists is never reported.
//
// CreateLoadBalancer takes MasterZoneId and SlaveZoneId (SDK model; the
// vendor tells callers to pick them from DescribeZone). Stricter choices,
// the real checks being unconfirmed: MasterZoneId, when given, must be the
// vSwitch's zone, and SlaveZoneId a zone of the region other than the
// master zone; otherwise 400 InvalidParameter. Without SlaveZoneId the
// instance gets the region's first zone other than its master zone.

// regionZones lists the zones of the world's region.
func regionZones(st *State) []string {
	var zones []string
	for _, w := range st.VPC.VSwitches {
		if w.ZoneID != "" && !contains(zones, w.ZoneID) {
			zones = append(zones, w.ZoneID)
		}
	}
	for _, z := range albZones(st.Region) {
		if !contains(zones, z) {
			zones = append(zones, z)
		}
	}
	return zones
}

// clbSlaveZone is the instance's slave zone: the one it was created with,
// else the region's first zone other than master.
func clbSlaveZone(st *State, lb *CLBInstance, master string) string {
	if lb.SlaveZoneID != "" {
		return lb.SlaveZoneID
	}
	for _, z := range regionZones(st) {
		if z != master {
			return z
		}
	}
	return ""
}

// clbCreateZones reads a create's MasterZoneId and SlaveZoneId for an
// instance in vsw and returns the slave zone.
func clbCreateZones(st *State, r *Request, vsw *VSwitch) (string, error) {
	if m, ok := r.Str("MasterZoneId"); ok && m != vsw.ZoneID {
		return "", InvalidParameter("MasterZoneId", m, "the zone of the vSwitch "+vsw.ID+" ("+vsw.ZoneID+")")
	}
	s, ok := r.Str("SlaveZoneId")
	if !ok {
		return clbSlaveZone(st, &CLBInstance{}, vsw.ZoneID), nil
	}
	if s == vsw.ZoneID || !contains(regionZones(st), s) {
		return "", InvalidParameter("SlaveZoneId", s, "a zone of the region other than the master zone "+vsw.ZoneID)
	}
	return s, nil
}
