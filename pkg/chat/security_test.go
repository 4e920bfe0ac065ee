package chat_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
	"github.com/wsdeploy/wsdeploy/templates"
)

// TestMessageTextIsPrintable: a chat line with a control or invisible
// formatting character (a bidi override can make a line read backwards) is
// refused with a notice to its sender and reaches nobody; printable text in
// any script, emoji sequences and non-ASCII spaces go through.
func TestMessageTextIsPrintable(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo", RateLimit: -1})
	sender := chattest.Dial(t, b.WSURL(), "")
	sender.SetUsername("mallory")
	receiver := chattest.Dial(t, b.WSURL(), "")
	receiver.SetUsername("alice")

	refused := map[string]string{
		"right-to-left override":   "txt.\u202Eexe",
		"left-to-right isolate":    "a\u2066b",
		"right-to-left mark":       "a\u200Fb",
		"zero-width space":         "pay\u200Bpal",
		"byte order mark":          "\uFEFFhi",
		"soft hyphen":              "a\u00ADb",
		"line break":               "line one\nfake: line two",
		"carriage return":          "a\rb",
		"escape sequence":          "\x1b[2Jcleared",
		"bell":                     "a\x07b",
		"line separator":           "a\u2028b",
		"private use":              "a\uE000b",
		"override after good text": "hello \u202Edlrow",
	}
	for name, text := range refused {
		sender.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: text})
		f := sender.Expect(isType(chat.TypeSystem))
		if f.Code != chat.CodeInvalid || !strings.Contains(f.Text, "control or invisible characters") {
			t.Errorf("%s: %q answered %+v, want an invalid notice", name, text, f)
		}
	}
	allowed := []string{
		"héllo wörld",
		"مرحبا بالعالم",          // right-to-left script, no override
		"こんにちは\u3000世界",          // ideographic space
		"family 👨\u200D👩\u200D👧", // emoji joined with ZWJ
		"می\u200Cخواهم",          // Persian needs the non-joiner
		"flag 🇯🇵 and ❤\uFE0F",    // regional indicators, variation selector
	}
	for _, text := range allowed {
		sender.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: text})
	}
	// The receiver's chat lines are exactly the allowed ones, in order.
	for _, text := range allowed {
		f := receiver.Expect(isType(chat.TypeMessage))
		if f.Text != "mallory: "+text {
			t.Fatalf("receiver got %q, want %q (a refused line was broadcast?)", f.Text, "mallory: "+text)
		}
	}
}

// TestPageCSPConnectsOnlyToItself: the chat page may open connections to the
// backend that served it and nowhere else (no ws: / wss: to any host).
func TestPageCSPConnectsOnlyToItself(t *testing.T) {
	t.Parallel()
	page, err := templates.App.ReadFile("app/index.html")
	if err != nil {
		t.Fatal(err)
	}
	b := chattest.Start(t, chat.Options{Name: "solo", Page: page})
	for host, want := range map[string][]string{
		"":                      {"'self'", "ws://" + b.Addr, "wss://" + b.Addr},
		"chat.example.com":      {"'self'", "ws://chat.example.com", "wss://chat.example.com"},
		"chat.example.com:8080": {"'self'", "ws://chat.example.com:8080", "wss://chat.example.com:8080"},
		"[2001:db8::1]:5000":    {"'self'", "ws://[2001:db8::1]:5000", "wss://[2001:db8::1]:5000"},
		"a_b.example.com":       {"'self'"}, // not a plain host: 'self' alone
	} {
		req, err := http.NewRequest("GET", b.HTTPURL()+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		directives := map[string][]string{}
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 {
				if _, dup := directives[f[0]]; dup {
					t.Errorf("Host %q: CSP has %s twice: %s", host, f[0], csp)
				}
				directives[f[0]] = f[1:]
			}
		}
		if got := strings.Join(directives["connect-src"], " "); got != strings.Join(want, " ") {
			t.Errorf("Host %q: connect-src %q, want %q (CSP %s)", host, got, strings.Join(want, " "), csp)
		}
		if got := strings.Join(directives["default-src"], " "); got != "'none'" {
			t.Errorf("Host %q: default-src %q, want 'none'", host, got)
		}
	}
}
