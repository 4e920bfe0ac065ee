package cli_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
)

// chromium finds a headless-capable Chromium (Debian's chromium package),
// or skips the test; with CI set, a missing browser fails it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium on PATH and CI is set: the browser test must run in CI.\nTo fix: apt-get install chromium (.ci/run does this)")
	}
	t.Skip("no Chromium on PATH (apt-get install chromium): the browser test is skipped; .ci/run installs it")
	return ""
}

// wsProbe counts, in the page, the WebSocket connections it opens and the
// ones that close: installed before the page's own script runs.
const wsProbe = `(function () {
  var W = window.WebSocket;
  window.__wsOpened = 0; window.__wsClosed = 0;
  function Probe(url, protocols) {
    var ws = protocols === undefined ? new W(url) : new W(url, protocols);
    ws.addEventListener("open", function () { window.__wsOpened++; });
    ws.addEventListener("close", function () { window.__wsClosed++; });
    return ws;
  }
  Probe.prototype = W.prototype;
  Probe.CONNECTING = 0; Probe.OPEN = 1; Probe.CLOSING = 2; Probe.CLOSED = 3;
  window.WebSocket = Probe;
})();`

func onNewDocument(src string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return chromedp.Void{}, err
	}
}

// backendOf waits until the page says it is connected and returns to which backend.
func backendOf(t *testing.T, ctx context.Context, who string) string {
	t.Helper()
	const connected = "connected to backend "
	status, err := chromedp.Run(ctx, chromedp.Poll[string](
		`(function(){ var s = document.getElementById("status").textContent; return s.indexOf("`+connected+`") === 0 ? s : ""; })()`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Minute)))
	if err != nil {
		t.Fatalf("%s's page never said which backend it is connected to: %v", who, err)
	}
	return strings.TrimPrefix(status, connected)
}

// say sends a chat line from a page, through its form.
func say(t *testing.T, ctx context.Context, who, text string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.WaitEnabled(chromedp.CSS("#send")),
		chromedp.SetValue(chromedp.CSS("#message"), text),
		chromedp.Click(chromedp.CSS("#send")),
	); err != nil {
		t.Fatalf("%s says %q: %v", who, text, err)
	}
}

// sees waits until a page's chat log shows text.
func sees(t *testing.T, ctx context.Context, who, text string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		fmt.Sprintf(`document.getElementById("log").textContent.indexOf(%q) >= 0`, text),
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Minute))); err != nil {
		log, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("log").textContent`))
		t.Fatalf("%s never saw %q: %v\nits log: %s", who, text, err, log)
	}
}

func evalInt(t *testing.T, ctx context.Context, expr string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return n
}

// TestBrowser drives headless Chromium against `wsdeploy demo`: two browser
// contexts (two users, separate cookies) load the page through the load
// balancer and land on different backends (the page says which); they set
// names and each sees the other's messages, which cross backends through
// Redis. Then the backend of the first page gets SIGTERM: that page
// reconnects, through the load balancer, to the other backend and keeps
// chatting. Last, both pages stay quiet past the listener's idle timeout and
// keep their connections, because wschat pings more often than that.
func TestBrowser(t *testing.T) {
	t.Parallel()
	chrome := chromium(t)
	if redistest.Binary() == "" && redistest.InCI() {
		t.Fatal("redis-server is not installed and CI is set: the browser test must run with the real Redis")
	}
	dir := t.TempDir()
	// A short idle timeout, so that outliving it takes seconds; wschat pings
	// every second; a health check that decides within two seconds.
	const idle = 3 * time.Second
	stack := strings.NewReplacer("idleTimeout: 60", "idleTimeout: 3", "pingInterval: 10s", "pingInterval: 1s",
		"# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ",
		"# unhealthyThreshold: 3", "unhealthyThreshold: 2  ").Replace(string(config.Example()))
	if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), []byte(stack), 0o644); err != nil {
		t.Fatal(err)
	}
	sb := &sandbox{workDir: dir}
	p, ready := startDemo(t, dir, sb.environ())
	pids := map[string]int{}
	for _, b := range ready.Backends {
		pids[b.Name] = b.PID
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", chrome, err)
	}
	open := func(who string) (context.Context, string) {
		ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx, onNewDocument(wsProbe), chromedp.Navigate(ready.URL)); err != nil {
			t.Fatalf("%s opens %s: %v", who, ready.URL, err)
		}
		return ctx, backendOf(t, ctx, who)
	}
	alice, aliceOn := open("alice")
	bob, bobOn := open("bob")
	if aliceOn == bobOn || pids[aliceOn] == 0 || pids[bobOn] == 0 {
		t.Fatalf("alice is on %q and bob on %q: want two different backends of %v", aliceOn, bobOn, pids)
	}
	for who, ctx := range map[string]context.Context{"alice": alice, "bob": bob} {
		if err := chromedp.Do(ctx,
			chromedp.WaitEnabled(chromedp.CSS("#set-user")),
			chromedp.SetValue(chromedp.CSS("#username"), who),
			chromedp.Click(chromedp.CSS("#set-user")),
		); err != nil {
			t.Fatalf("%s sets her name: %v", who, err)
		}
	}
	sees(t, alice, "alice", "Username set to alice.")
	sees(t, bob, "bob", "Username set to bob.")
	say(t, alice, "alice", "hello bob, from "+aliceOn)
	sees(t, bob, "bob", "hello bob, from "+aliceOn)
	say(t, bob, "bob", "hello alice, from "+bobOn)
	sees(t, alice, "alice", "hello alice, from "+bobOn)

	// alice's backend stops as systemd stops wschat.
	if err := syscall.Kill(pids[aliceOn], syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	poll(t, p, true, "the demo to see "+aliceOn+" exit", func() (bool, string) {
		return strings.Contains(p.out.String(), "! Backend "+aliceOn+" (pid "+strconv.Itoa(pids[aliceOn])+")"), ""
	})
	if now := backendOf(t, alice, "alice"); now != bobOn {
		// The status may still name the old backend for a moment: wait for the new one.
		if _, err := chromedp.Run(alice, chromedp.Poll[bool](
			fmt.Sprintf(`document.getElementById("status").textContent === "connected to backend %s"`, bobOn),
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Minute))); err != nil {
			t.Fatalf("alice's page did not move to %s after %s stopped (it says %q): %v", bobOn, aliceOn, now, err)
		}
	}
	say(t, alice, "alice", "still here, now on "+bobOn)
	sees(t, bob, "bob", "still here, now on "+bobOn)
	say(t, bob, "bob", "welcome back")
	sees(t, alice, "alice", "welcome back")

	// Quiet past the listener's idle timeout: the load balancer would close a
	// connection with no data for 3s; wschat's pings (every 1s) keep both.
	opened := map[string]int{}
	closed := map[string]int{}
	for who, ctx := range map[string]context.Context{"alice": alice, "bob": bob} {
		opened[who], closed[who] = evalInt(t, ctx, "window.__wsOpened"), evalInt(t, ctx, "window.__wsClosed")
	}
	// Time passing is what this checks, not a wait for something to happen.
	quiet := time.NewTimer(idle + 2*time.Second)
	<-quiet.C
	for who, ctx := range map[string]context.Context{"alice": alice, "bob": bob} {
		if o, c := evalInt(t, ctx, "window.__wsOpened"), evalInt(t, ctx, "window.__wsClosed"); o != opened[who] || c != closed[who] {
			t.Errorf("%s's page: %d opened, %d closed before the quiet spell; %d and %d after: the idle timeout cut it", who, opened[who], closed[who], o, c)
		}
	}
	if closed["bob"] != 0 || opened["bob"] != 1 {
		t.Errorf("bob's page opened %d and closed %d connections: his backend never stopped", opened["bob"], closed["bob"])
	}
	say(t, bob, "bob", "after the quiet spell")
	sees(t, alice, "alice", "after the quiet spell")
}
