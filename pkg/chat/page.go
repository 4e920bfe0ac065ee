package chat

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
)

// contentSecurityPolicy allows the page's own inline scripts and styles (by
// hash), connections to the backend that served it, and nothing else: no CDN,
// no third-party script can run even if one were injected, and no script can
// send the chat anywhere else. It is completed per request by connectSrc.
func contentSecurityPolicy(page []byte) string {
	scripts := inlineHashes(page, "script")
	styles := inlineHashes(page, "style")
	return "default-src 'none'; script-src " + orNone(scripts) + "; style-src " + orNone(styles) +
		"; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// plainHost is a Host header that can be written into a policy as it is.
var plainHost = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// connectSrc is the connect-src directive for a page served under host:
// 'self', which in CSP Level 3 also covers ws:// and wss:// to the same host
// and port, and those two spelled out for browsers that still read 'self' as
// the page's own scheme only (older Safari).
func connectSrc(host string) string {
	if !plainHost.MatchString(host) {
		return "connect-src 'self'"
	}
	return "connect-src 'self' ws://" + host + " wss://" + host
}

func orNone(hashes []string) string {
	if len(hashes) == 0 {
		return "'none'"
	}
	return strings.Join(hashes, " ")
}

// inlineHashes returns the CSP hash sources of every inline <tag>…</tag> body.
func inlineHashes(page []byte, tag string) []string {
	var out []string
	open, closing := []byte("<"+tag+">"), []byte("</"+tag+">")
	rest := page
	for {
		i := bytes.Index(rest, open)
		if i < 0 {
			return out
		}
		rest = rest[i+len(open):]
		j := bytes.Index(rest, closing)
		if j < 0 {
			return out
		}
		sum := sha256.Sum256(rest[:j])
		out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		rest = rest[j+len(closing):]
	}
}
