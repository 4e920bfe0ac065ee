// backends.stickySession: Insert (the load balancer's cookie) or Server (the app's).

package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var cookieRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

func (v *validator) sticky(ss *StickySession) {
	const base = "backends.stickySession."
	enabled := ss.Enabled == nil || *ss.Enabled
	cookieOK := ss.Cookie == "" || v.text(base+"cookie", ss.Cookie)
	switch ss.Type {
	case "Insert":
		v.rangeOf(base+"cookieTimeout", base+"cookieTimeout", ss.CookieTimeout)
		if ss.Cookie != "" && cookieOK && enabled {
			v.add(base+"cookie", q(ss.Cookie), "is set but type is Insert (the load balancer makes its own cookie)",
				fmt.Sprintf("remove cookie, or set type: Server to keep sessions on your app's cookie %s", q(ss.Cookie)))
			return
		}
	case "Server":
		if ss.CookieTimeout != 0 {
			v.add(base+"cookieTimeout", strconv.Itoa(ss.CookieTimeout),
				"only applies to type Insert; with type Server your app's cookie sets its own lifetime",
				"remove cookieTimeout, or set type: Insert")
		}
		if ss.Cookie == "" && enabled {
			v.add(base+"cookie", "", "required field is missing: type Server keeps sessions on a cookie your app sets",
				"set cookie to the name of your app's session cookie, e.g. cookie: sessionid (or use type: Insert and let the load balancer add one)")
		}
	default:
		fix := "use Insert (the load balancer adds a cookie) or Server (your app's cookie)"
		if !v.present(base+"type", ss.Type, fix) {
			break
		}
		switch strings.ToLower(ss.Type) {
		case "insert":
			fix = `write "Insert" with a capital I`
		case "server":
			fix = `write "Server" with a capital S`
		}
		v.add(base+"type", q(ss.Type), "is not a sticky-session type", fix)
	}
	if ss.Cookie != "" && cookieOK && !cookieRE.MatchString(ss.Cookie) {
		v.add(base+"cookie", q(ss.Cookie), "is not a valid cookie name", "use 1–200 letters, digits, '_' and '-'")
	}
}
