package fakecloud

// The simulated backend health both load balancers report (ALB
// GetListenerHealthStatus, CLB DescribeHealthStatus): what the fake says of
// a backend when nothing probes it for real. In the fast profile a backend
// is healthy as soon as it is attached and its listener serves; in the
// realistic profile health checks take interval × threshold (of the group's
// or listener's health-check settings, scaled) from the moment checks start
// (the later of: the backend attached, the listener's last change done)
// before they decide, and until then the backend is Initial (ALB) or
// unavailable (CLB).

import "time"

// albHealth is the status and reason ALB reports for backend s of group g
// behind listener l at now ("" for healthy): the data plane's real probe
// result when the instance has a mapped port and checks run (probedHealth:
// its checks already take interval × threshold, so the realistic profile
// adds no delay), else the simulated health.
func albHealth(st *State, m *realism, l *ALBListener, g *ALBServerGroup, s *ALBServer, now time.Time) (status, reason string) {
	if !(s.busy(now) && s.Transit != "Configuring") && s.Weight != 0 && g.HealthCheck.Enabled && s.ServerType == "Ecs" {
		if inst, ok := st.Instance(s.ServerID); ok && inst.Status == "Running" {
			if probed, real := probedHealth(st, s.ServerID, s.Port, albProbeKey(g.ID, s.ServerID, s.Port)); real {
				switch probed.State {
				case probeHealthy:
					return "", ""
				case probeInitial:
					return "Initial", ""
				}
				return "Unhealthy", probed.Reason
			}
		}
	}
	return albSimulatedHealth(st, m, l, g, s, now)
}

// clbHealth is the ServerHealthStatus CLB reports for backend b of listener
// l at now: the data plane's real probe result when the instance has a
// mapped port and checks run, else the simulated health.
func clbHealth(st *State, m *realism, l *CLBListener, b CLBBackend, now time.Time) string {
	if l.HealthCheck.Enabled && l.status(now) != "stopped" && l.status(now) != "starting" {
		if inst, ok := st.Instance(b.ServerID); ok && inst.Status == "Running" {
			if h, real := probedHealth(st, b.ServerID, b.Port, clbProbeKey(l.LoadBalancerID, l.Port, b.ServerID, b.Port)); real {
				switch h.State {
				case probeHealthy:
					return "normal"
				case probeInitial:
					return "unavailable"
				}
				return "abnormal"
			}
		}
	}
	return clbSimulatedHealth(st, m, l, b, now)
}

// albSimulatedHealth is the status and reason ALB reports for backend s of
// group g behind listener l at now; "" for a healthy (normal) backend.
// Initial while being added or replaced (and, realistic profile, until the
// checks decide), Unused at weight 0, Unhealthy when the ECS instance is not
// Running (CONNECT_TIMEOUT) or unhealthy (CONNECT_FAILED); with health
// checks off (or a non-Ecs server) only the first two.
func albSimulatedHealth(st *State, m *realism, l *ALBListener, g *ALBServerGroup, s *ALBServer, now time.Time) (status, reason string) {
	switch {
	case s.busy(now) && s.Transit != "Configuring":
		return "Initial", ""
	case s.Weight == 0:
		return "Unused", ""
	case !g.HealthCheck.Enabled || s.ServerType != "Ecs":
		return "", ""
	}
	status, reason, threshold := "", "", g.HealthCheck.Healthy
	inst, ok := st.Instance(s.ServerID)
	switch {
	case !ok || inst.Status != "Running":
		status, reason, threshold = "Unhealthy", "CONNECT_TIMEOUT", g.HealthCheck.Unhealthy
	case inst.Health == "unhealthy":
		status, reason, threshold = "Unhealthy", "CONNECT_FAILED", g.HealthCheck.Unhealthy
	}
	if m != nil && now.Before(latest(s.ReadyAt, l.ReadyAt).Add(m.healthDelay(orDefault(g.HealthCheck.Interval, 2), orDefault(threshold, 3)))) {
		return "Initial", ""
	}
	return status, reason
}

// clbSimulatedHealth is the ServerHealthStatus CLB reports for backend b of
// listener l at now: unavailable while the listener is stopped or starting,
// its health check is off (and, realistic profile, until the checks decide);
// abnormal when the ECS instance is missing, not Running or unhealthy; else
// normal.
func clbSimulatedHealth(st *State, m *realism, l *CLBListener, b CLBBackend, now time.Time) string {
	if !l.HealthCheck.Enabled || l.status(now) == "stopped" || l.status(now) == "starting" {
		return "unavailable"
	}
	status, threshold := "normal", l.HealthCheck.Healthy
	inst, ok := st.Instance(b.ServerID)
	if !ok || inst.Status != "Running" || inst.Health == "unhealthy" {
		status, threshold = "abnormal", l.HealthCheck.Unhealthy
	}
	if m != nil && now.Before(l.ReadyAt.Add(m.healthDelay(orDefault(l.HealthCheck.Interval, 2), orDefault(threshold, 3)))) {
		return "unavailable"
	}
	return status
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
