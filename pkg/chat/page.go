package chat

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// contentSecurityPolicy allows the page's own inline scripts and styles (by
// hash), WebSocket connections to any host, and nothing else: no CDN, no
// third-party script can run even if one were injected.
func contentSecurityPolicy(page []byte) string {
	scripts := inlineHashes(page, "script")
	styles := inlineHashes(page, "style")
	return "default-src 'none'; script-src " + orNone(scripts) + "; style-src " + orNone(styles) +
		"; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
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
