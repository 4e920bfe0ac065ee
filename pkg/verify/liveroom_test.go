package verify_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// liveRoom is a minimal wschat-protocol backend in a busy room: before it
// answers set_username, someone else's "left" notice reaches the client, as
// it can on any live deployment.
func liveRoom(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		send := func(v map[string]string) error {
			b, _ := json.Marshal(v)
			return c.Write(ctx, websocket.MessageText, b)
		}
		if send(map[string]string{"type": "system", "code": "welcome", "text": "Welcome!", "backend": "web-live"}) != nil {
			return
		}
		name := ""
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			var in map[string]string
			_ = json.Unmarshal(data, &in)
			switch in["type"] {
			case "set_username":
				name = in["username"]
				_ = send(map[string]string{"type": "system", "code": "left", "text": "bob left the chat.", "backend": "web-live"})
				_ = send(map[string]string{"type": "system", "code": "username_set", "text": "You are " + name, "backend": "web-live"})
			case "message":
				_ = send(map[string]string{"type": "message", "text": name + ": " + in["text"], "username": name, "backend": "web-live", "origin": "web-live"})
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Other people's notices arriving before the answer to set_username are not
// the answer: the clients check passes in a busy room.
func TestClientsCheckInABusyRoom(t *testing.T) {
	t.Parallel()
	srv := liveRoom(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	o := quick(verify.Target{Addr: "chat.test:5000", Scheme: "ws", DialAddrs: []string{addr}})
	rep := run(t, o)
	wantStatus(t, rep, verify.CheckClients, verify.Pass, "clients connected")
}
