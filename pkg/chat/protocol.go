package chat

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Frame types of the wire protocol.
const (
	TypeSetUsername = "set_username" // client → server
	TypeMessage     = "message"      // both ways: a chat line
	TypeSystem      = "system"       // server → client: a notice
)

// Codes say what kind of notice a system frame is, so programs need not
// match on its text.
const (
	CodeWelcome          = "welcome"           // sent once, on connect
	CodeUsernameSet      = "username_set"      // the username was accepted
	CodeUsernameRequired = "username_required" // a message without a username: not broadcast
	CodeInvalid          = "invalid"           // a frame the server does not understand: ignored
	CodeRateLimited      = "rate_limited"      // too many frames: this one was dropped
	CodeUnavailable      = "unavailable"       // the message could not be handed to the other backends
	CodeLeft             = "left"              // a named client left (broadcast)
	// CodeGap: chat lines were not delivered to this client because its
	// connection could not keep up (its socket stayed full); missed says how
	// many. The lines after the notice arrive in order.
	CodeGap = "gap"
)

// MaxUsernameLength is the longest username accepted, in characters.
const MaxUsernameLength = 32

// ClientFrame is a frame sent by a client.
type ClientFrame struct {
	Type     string `json:"type"`
	Username string `json:"username,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Frame is a frame sent by the server.
type Frame struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Backend  string `json:"backend"`
	Code     string `json:"code,omitempty"`
	Username string `json:"username,omitempty"`
	Origin   string `json:"origin,omitempty"`
	Missed   int    `json:"missed,omitempty"` // with code "gap": how many chat lines this client missed
}

// Event is what travels between backends: a chat line or a notice for
// everybody. Each backend turns it into a Frame carrying its own name.
type Event struct {
	Type     string `json:"type"`
	Code     string `json:"code,omitempty"`
	Text     string `json:"text"`
	Username string `json:"username,omitempty"`
	Origin   string `json:"origin"`
}

// cleanUsername trims a requested username and checks it.
func cleanUsername(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", fmt.Errorf("a username cannot be empty")
	case n > MaxUsernameLength:
		return "", fmt.Errorf("a username has at most %d characters", MaxUsernameLength)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return "", fmt.Errorf("a username cannot contain control or invisible characters (it contains %U)", r)
		}
	}
	return s, nil
}

// cleanMessage trims a chat line and checks it with the username's rule:
// printable characters only. No control character (line breaks, escape
// sequences), no format character that changes how the text around it shows
// (bidirectional overrides such as U+202E, which can make a line read
// backwards, zero-width spaces, byte order marks). Unlike a username, a
// message may contain any space character (U+3000 from Japanese input) and
// the zero-width joiners that emoji sequences and several scripts need.
func cleanMessage(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("empty message")
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) && r != zeroWidthJoiner && r != zeroWidthNonJoiner {
			return "", fmt.Errorf("a message cannot contain control or invisible characters (it contains %U)", r)
		}
	}
	return s, nil
}

const (
	zeroWidthNonJoiner = '\u200c'
	zeroWidthJoiner    = '\u200d'
)
