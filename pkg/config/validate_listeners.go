// listeners, and app (whose ping interval keeps the listeners' idle connections open).

package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var certIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

func (v *validator) listeners(ls []Listener) {
	if len(ls) == 0 {
		v.add("listeners", "", "no listeners: at least 1 is required",
			"add one, e.g. listeners: [{protocol: HTTP, port: 80}] (HTTPS needs a certificateId)")
		return
	}
	if len(ls) > 10 {
		v.add("listeners", "", fmt.Sprintf("has %d listeners: at most 10 are allowed", len(ls)), "remove listeners you do not need")
	}
	ports := firstSeen[int]{}
	for i, l := range ls {
		p := fmt.Sprintf("listeners[%d].", i)
		v.protocol(p+"protocol", l.Protocol)
		if l.Port < 1 || l.Port > 65535 {
			v.add(p+"port", strconv.Itoa(l.Port), "is out of range: allowed 1–65535",
				"set the public port clients connect to, e.g. 80 for HTTP or 443 for HTTPS")
		} else if j, dup := ports.repeat(l.Port, i); dup {
			v.add(p+"port", strconv.Itoa(l.Port), fmt.Sprintf("is also used by listeners[%d]", j),
				fmt.Sprintf("each listener needs its own port on the %s; change one or remove the duplicate", v.kind))
		}
		v.certificate(p+"certificateId", strings.ToUpper(l.Protocol), l.CertificateID)
		v.rangeOf(p+"idleTimeout", "listeners[].idleTimeout", l.IdleTimeout)
		v.rangeOf(p+"requestTimeout", "listeners[].requestTimeout", l.RequestTimeout)
	}
}

func (v *validator) protocol(path, proto string) {
	if proto == "HTTP" || proto == "HTTPS" || !v.present(path, proto, "set protocol: HTTP or protocol: HTTPS") {
		return
	}
	fix := "use HTTP or HTTPS"
	switch u := strings.ToUpper(proto); u {
	case "HTTP", "HTTPS":
		fix = fmt.Sprintf("write %q in upper case", u)
	case "WS", "WSS":
		fix = "WebSockets run over HTTP and HTTPS listeners: use HTTP for ws:// and HTTPS for wss://"
	case "TCP", "UDP", "QUIC":
		fix = "wsdeploy manages HTTP and HTTPS listeners only: use HTTP or HTTPS"
	}
	v.add(path, q(proto), "is not allowed: protocol must be exactly HTTP or HTTPS", fix)
}

func (v *validator) certificate(path, proto, cert string) {
	switch {
	case cert == "" && proto == "HTTPS":
		v.add(path, "", "required field is missing: HTTPS listeners need a server certificate",
			"set certificateId to the ID of your certificate in Certificate Management Service "+
				"(e.g. 12315790212_166f8204689_1714763408_70998 for ALB, 123157-cn-hangzhou for CLB)")
	case cert == "":
	case !v.text(path, cert):
	case proto == "HTTP":
		v.add(path, q(cert), "is set on an HTTP listener", "remove certificateId, or set protocol: HTTPS")
	case !certIDRE.MatchString(cert):
		v.add(path, q(cert), "is not a valid certificate ID",
			"copy the ID from Certificate Management Service: letters, digits, '_', '.', '-', at most 128 characters "+
				"(e.g. 12315790212_166f8204689_1714763408_70998 or 123157-cn-hangzhou)")
	}
}

func (v *validator) app(a *App) {
	const path = "app.pingInterval"
	if a.PingInterval == "" {
		return
	}
	if !v.text(path, a.PingInterval) {
		return
	}
	d, err := time.ParseDuration(a.PingInterval)
	switch {
	case err != nil:
		v.add(path, q(a.PingInterval), "is not a duration", `write it like "10s" or "500ms", or remove the line to use the default 10s`)
	case d < 100*time.Millisecond || d > time.Hour:
		v.add(path, q(a.PingInterval), "is out of range: allowed 100ms–1h", `use an interval below the listeners' idleTimeout, e.g. "10s"`)
	}
}
