package chat_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
	"github.com/wsdeploy/wsdeploy/templates"
)

// TestRedisACL runs a real redis-server with the shipped redis.conf (its
// placeholders filled in) and wschat with the shipped WSCHAT_REDIS_URL: the
// fan-out works as Redis user wschat, Redis refuses nothing wschat sends, and
// everything else is refused: Lua, user changes, MIGRATE, MONITOR, BGSAVE,
// keys, other channels, and the default user.
func TestRedisACL(t *testing.T) {
	const password = "AclTestPassw0rd4wschat2026"
	file := func(name string) string {
		b, err := templates.App.ReadFile("app/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	sum := sha256.Sum256([]byte(password))
	conf := strings.NewReplacer("__REDIS_PRIVATE_IP__", "127.0.0.1", "__REDIS_PASSWORD_SHA256__", hex.EncodeToString(sum[:])).Replace(file("redis.conf"))
	// The test's own observer: it may read the ACL log and nothing else.
	const observerPassword = "Obs3rverOnlyReadsTheAclLog"
	conf += "\nuser observer on >" + observerPassword + " -@all +acl|log\n"
	rs := redistest.StartConf(t, conf)

	line := regexp.MustCompile(`(?m)^WSCHAT_REDIS_URL=(.*)$`).FindStringSubmatch(file("wschat.env"))
	if line == nil {
		t.Fatal("wschat.env sets no WSCHAT_REDIS_URL")
	}
	url := strings.NewReplacer("__REDIS_PASSWORD__", password, "__REDIS_PRIVATE_IP__:6379", rs.Addr).Replace(line[1])
	if !strings.HasPrefix(url, "redis://wschat:") {
		t.Fatalf("wschat.env connects as %s, want user wschat", url)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	observer := redis.NewClient(&redis.Options{Addr: rs.Addr, Username: "observer", Password: observerPassword, DisableIdentity: true})
	defer observer.Close()
	if err := observer.Do(ctx, "ACL", "LOG", "RESET").Err(); err != nil {
		t.Fatalf("ACL LOG RESET as the observer: %v", err)
	}

	// wschat's fan-out, as user wschat: a line crosses from web-a to web-b.
	a := chattest.Start(t, chat.Options{Name: "web-a", Bus: chattest.SteadyRedisBus(t, url)})
	b := chattest.Start(t, chat.Options{Name: "web-b", Bus: chattest.SteadyRedisBus(t, url)})
	chattest.WaitHealthy(t, a, 10*time.Second)
	chattest.WaitHealthy(t, b, 10*time.Second)
	alice := chattest.Dial(t, a.WSURL(), "")
	alice.SetUsername("alice")
	bob := chattest.Dial(t, b.WSURL(), "")
	bob.SetUsername("bob")
	alice.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "across"})
	if f := bob.Expect(isMessage("alice: across")); f.Origin != "web-a" || f.Backend != "web-b" {
		t.Fatalf("bob got %+v, want a line from web-a delivered by web-b", f)
	}
	_ = bob.Conn.CloseNow()
	alice.Expect(isCode(chat.CodeLeft)) // the departure is published too
	// Redis refused nothing wschat sent (go-redis ignores some refusals).
	entries, err := observer.Do(ctx, "ACL", "LOG").Slice()
	if err != nil {
		t.Fatalf("ACL LOG: %v", err)
	}
	if len(entries) != 0 {
		t.Fatalf("Redis refused %d command(s) wschat sent: %v", len(entries), entries)
	}

	// Everything else, as user wschat.
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr, Username: "wschat", Password: password, DisableIdentity: true, MaxRetries: -1})
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING as wschat: %v", err)
	}
	if err := rdb.Publish(ctx, "wschat", `{"type":"system","text":"x","origin":"test"}`).Err(); err != nil {
		t.Fatalf("PUBLISH wschat as wschat: %v", err)
	}
	refused := [][]any{
		{"EVAL", "return 1", "0"},
		{"EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"},
		{"FUNCTION", "LIST"},
		{"ACL", "SETUSER", "intruder", "on", ">intruderpw", "+@all"},
		{"ACL", "LIST"},
		{"MIGRATE", "127.0.0.1", "1", "", "0", "1000", "KEYS", "k"},
		{"MONITOR"},
		{"BGSAVE"},
		{"SAVE"},
		{"BGREWRITEAOF"},
		{"PUBLISH", "other", "x"},
		{"SUBSCRIBE", "other"},
		{"PSUBSCRIBE", "*"},
		{"SET", "k", "v"},
		{"GET", "k"},
		{"CLIENT", "LIST"},
		{"CLIENT", "KILL", "TYPE", "pubsub"},
		{"INFO"},
	}
	for _, c := range refused {
		err := rdb.Do(ctx, c...).Err()
		if err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
			t.Errorf("%v as wschat: %v, want NOPERM", c, err)
		}
	}
	// Renamed away for everybody: unknown even before the ACL is asked.
	for _, c := range [][]any{{"CONFIG", "GET", "bind"}, {"FLUSHALL"}, {"KEYS", "*"}, {"DEBUG", "SLEEP", "0"}, {"SHUTDOWN"}, {"REPLICAOF", "127.0.0.1", "1"}} {
		if err := rdb.Do(ctx, c...).Err(); err == nil || !(strings.Contains(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "NOPERM")) {
			t.Errorf("%v as wschat: %v, want unknown command or NOPERM", c, err)
		}
	}

	// The default user is off: no client gets in without user wschat's password.
	for name, opts := range map[string]*redis.Options{
		"no login":                        {},
		"password only (requirepass)":     {Password: password},
		"user default, wschat's password": {Username: "default", Password: password},
		"user wschat, wrong password":     {Username: "wschat", Password: "WrongPassw0rdWrongPassw0rd"},
	} {
		opts.Addr, opts.DisableIdentity, opts.MaxRetries = rs.Addr, true, -1
		c := redis.NewClient(opts)
		err := c.Ping(ctx).Err()
		c.Close()
		if err == nil || !(strings.Contains(err.Error(), "NOAUTH") || strings.Contains(err.Error(), "WRONGPASS")) {
			t.Errorf("%s: PING answered %v, want NOAUTH or WRONGPASS", name, err)
		}
	}
}

// TestRedisTLS follows redis.conf's commented TLS section: with it
// uncommented, wschat reaches Redis over rediss:// as user wschat (checking
// the certificate against --redis-ca), and the port speaks nothing but TLS.
func TestRedisTLS(t *testing.T) {
	const password = "TlsTestPassw0rd4wschat2026"
	conf, err := templates.App.ReadFile("app/redis.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ca := writeTestPKI(t, dir) // dir/redis.crt, dir/redis.key for 127.0.0.1, signed by the returned CA file
	tlsLines := regexp.MustCompile(`(?m)^#   ((?:port|tls-)\S* .*)$`)
	if n := len(tlsLines.FindAllString(string(conf), -1)); n < 4 {
		t.Fatalf("redis.conf offers %d commented TLS settings, want port 0, tls-port, the certificate and the key", n)
	}
	sum := sha256.Sum256([]byte(password))
	text := tlsLines.ReplaceAllString(string(conf), "$1")
	text = strings.NewReplacer("__REDIS_PRIVATE_IP__", "127.0.0.1", "__REDIS_PASSWORD_SHA256__", hex.EncodeToString(sum[:]),
		"/etc/redis/tls/", dir+"/").Replace(text)
	// The test's port instead of 6380; the plain port stays off, as the section says.
	rs := redistest.StartConf(t, text, "--port", "0", "--tls-port", "PORT")

	bus := chattest.RedisBusWith(t, chat.RedisOptions{URL: "rediss://wschat:" + password + "@" + rs.Addr + "/0", CAFile: ca})
	a := chattest.Start(t, chat.Options{Name: "web-a", Bus: bus})
	chattest.WaitHealthy(t, a, 10*time.Second)
	alice := chattest.Dial(t, a.WSURL(), "")
	alice.SetUsername("alice")
	alice.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "over tls"})
	alice.Expect(isMessage("alice: over tls")) // through Redis and back

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plain := redis.NewClient(&redis.Options{Addr: rs.Addr, Username: "wschat", Password: password, DisableIdentity: true, MaxRetries: -1})
	defer plain.Close()
	if err := plain.Ping(ctx).Err(); err == nil {
		t.Fatal("a plain-text client got an answer from the TLS port")
	}
}
