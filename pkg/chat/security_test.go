package chat_test

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
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
