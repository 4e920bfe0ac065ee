package fakecloud

// ALB listener XForwardedForConfig (CreateListener, UpdateListenerAttribute)
// and LogConfig, as GetListenerAttribute and ListListeners answer them. The
// defaults are the ones the SDK model documents: only X-Forwarded-For is on,
// in append mode; custom-header logging and Xtrace are off.

import (
	"maps"
	"regexp"
	"strconv"
	"strings"
)

// albXFFSwitches are the XForwardedForConfig booleans, with their defaults
// and the listener protocols that take them.
var albXFFSwitches = []struct {
	name      string
	def       bool
	protocols []string
}{
	{"XForwardedForEnabled", true, []string{"HTTP", "HTTPS"}},
	{"XForwardedForProtoEnabled", false, []string{"HTTP", "HTTPS", "QUIC"}},
	{"XForwardedForSLBIdEnabled", false, []string{"HTTP", "HTTPS", "QUIC"}},
	{"XForwardedForSLBPortEnabled", false, []string{"HTTP", "HTTPS", "QUIC"}},
	{"XForwardedForHostEnabled", false, []string{"HTTP", "HTTPS", "QUIC"}},
	{"XForwardedForClientSrcPortEnabled", false, []string{"HTTP", "HTTPS"}},
	{"XForwardedForClientSourceIpsEnabled", false, []string{"HTTP", "HTTPS"}},
	{"XForwardedForClientCertClientVerifyEnabled", false, []string{"HTTPS"}},
	{"XForwardedForClientCertFingerprintEnabled", false, []string{"HTTPS"}},
	{"XForwardedForClientCertIssuerDNEnabled", false, []string{"HTTPS"}},
	{"XForwardedForClientCertSubjectDNEnabled", false, []string{"HTTPS"}},
}

// albXFFAliases are the custom header names of the client-certificate
// switches (HTTPS only): 1-40 lowercase letters, digits, '-' and '_'.
var (
	albXFFAliases = []string{
		"XForwardedForClientCertClientVerifyAlias", "XForwardedForClientCertFingerprintAlias",
		"XForwardedForClientCertIssuerDNAlias", "XForwardedForClientCertSubjectDNAlias",
	}
	albXFFAliasRE   = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
	albXFFTrustedRE = regexp.MustCompile(`^[0-9A-Fa-f.:/, ]{1,512}$`)
)

// albParseXFF overlays XForwardedForConfig.* onto l.XForwardedFor (only the
// values sent are kept; the rest are defaults).
func albParseXFF(r *Request, l *ALBListener) error {
	const p = "XForwardedForConfig."
	// A copy: l may be a shallow copy of the live listener (an update that
	// applies when its job runs, or not at all).
	kept := maps.Clone(l.XForwardedFor)
	set := func(name, v string) {
		if kept == nil {
			kept = map[string]string{}
		}
		kept[name] = v
	}
	defer func() { l.XForwardedFor = kept }()
	for _, sw := range albXFFSwitches {
		v, ok, err := r.Bool(p + sw.name)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if !contains(sw.protocols, l.Protocol) {
			return InvalidParameter(p+sw.name, strconv.FormatBool(v), "only on "+joinOr(sw.protocols)+" listeners")
		}
		set(sw.name, strconv.FormatBool(v))
	}
	if v, ok, err := r.OneOf(p+"XForwardedForProcessingMode", "append", "remove"); err != nil {
		return err
	} else if ok {
		if l.Protocol == "QUIC" {
			return InvalidParameter(p+"XForwardedForProcessingMode", v, "only on HTTP or HTTPS listeners")
		}
		set("XForwardedForProcessingMode", v)
	}
	for _, name := range albXFFAliases {
		v, ok := r.Str(p + name)
		if !ok {
			continue
		}
		if l.Protocol != "HTTPS" {
			return InvalidParameter(p+name, v, "only on HTTPS listeners")
		}
		if !albXFFAliasRE.MatchString(v) {
			return InvalidParameter(p+name, v, "1-40 lowercase letters, digits, '-' or '_'")
		}
		set(name, v)
	}
	if v, ok := r.Str(p + "XForwardedForClientSourceIpsTrusted"); ok {
		if l.Protocol == "QUIC" {
			return InvalidParameter(p+"XForwardedForClientSourceIpsTrusted", v, "only on HTTP or HTTPS listeners")
		}
		if !albXFFTrustedRE.MatchString(v) {
			return InvalidParameter(p+"XForwardedForClientSourceIpsTrusted", v, "IP addresses or CIDR blocks")
		}
		set("XForwardedForClientSourceIpsTrusted", v)
	}
	return nil
}

// joinOr joins "A", "A or B", "A, B or C".
func joinOr(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}

// albXFFConfig is l's XForwardedForConfig as the SDK's GetListenerAttribute
// body has it: every switch (sent or default), the processing mode while
// X-Forwarded-For is on, and the aliases and trusted addresses that were set.
func albXFFConfig(l *ALBListener) map[string]any {
	m := map[string]any{}
	for _, sw := range albXFFSwitches {
		v := sw.def
		if s, ok := l.XForwardedFor[sw.name]; ok {
			v = s == "true"
		}
		m[sw.name] = v
	}
	if m["XForwardedForEnabled"] == true {
		mode := "append"
		if s, ok := l.XForwardedFor["XForwardedForProcessingMode"]; ok {
			mode = s
		}
		m["XForwardedForProcessingMode"] = mode
	}
	for _, name := range append(albXFFAliases, "XForwardedForClientSourceIpsTrusted") {
		if s, ok := l.XForwardedFor[name]; ok {
			m[name] = s
		}
	}
	return m
}

// albLogConfig is a listener's LogConfig: custom-header logging and Xtrace
// are off until UpdateListenerLogConfig (not served) turns them on.
func albLogConfig() map[string]any {
	return map[string]any{
		"AccessLogRecordCustomizedHeadersEnabled": false,
		"AccessLogTracingConfig":                  map[string]any{"TracingEnabled": false},
	}
}
