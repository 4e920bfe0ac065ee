package cli_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
)

// TestFakecloudDataPlane: `wsdeploy fakecloud` with a seed whose instances
// map port 5000 to local apps carries real traffic after `wsdeploy up`: both
// listeners (HTTP 5000, HTTPS 443) are listed by /_fake/dataplane, requests
// reach both apps, and HTTPS verifies against /_fake/ca.pem for the stack's
// DNS name.
func TestFakecloudDataPlane(t *testing.T) {
	t.Parallel()
	sb := &sandbox{}
	dir := t.TempDir()
	var apps []*httptest.Server
	for _, name := range []string{"web-1", "web-2"} {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, name) }))
		t.Cleanup(hs.Close)
		apps = append(apps, hs)
	}
	seed := filepath.Join(dir, "seed.yaml")
	if err := os.WriteFile(seed, []byte(fmt.Sprintf(`region: cn-hangzhou
accessKeys: [{id: ci-key, secret: ci-secret}]
vpcs: [{id: vpc-fake01}]
instances:
  - {id: i-fake01, name: ECS01, vpcId: vpc-fake01, privateIp: 192.168.0.11, ports: {5000: "%s"}}
  - {id: i-fake02, name: ECS02, vpcId: vpc-fake01, privateIp: 192.168.0.12, ports: {5000: "%s"}}
albs: [{id: alb-fake01, vpcId: vpc-fake01, dnsName: alb-fake01.cn-hangzhou.alb.aliyuncs.com}]
domains: [example.com]
`, apps[0].Listener.Addr(), apps[1].Listener.Addr())), 0o644); err != nil {
		t.Fatal(err)
	}
	stack := filepath.Join(dir, "wsdeploy.yaml")
	if err := os.WriteFile(stack, []byte(strings.Replace(stackYAML, "    - ECS03\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	exited := make(chan struct{})
	var code int
	var errOut strings.Builder
	go func() {
		code = sb.runCLI(ctx, []string{"fakecloud", "--addr", "127.0.0.1:0", "--seed", seed, "--async-duration", "30ms"},
			cli.IOStreams{In: strings.NewReader(""), Out: pw, Err: &errOut}, cli.Build{})
		pw.Close()
		close(exited)
	}()
	stopped := func() (bool, string) {
		select {
		case <-exited:
			return true, fmt.Sprintf("fakecloud exited %d: %s", code, errOut.String())
		default:
			return false, ""
		}
	}
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("fakecloud printed nothing: %v", err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.TrimSpace(strings.TrimPrefix(line, "fakecloud listening on "))
	defer func() {
		cancel()
		select {
		case <-exited:
			if code != 0 {
				t.Errorf("fakecloud exit %d:\n%s", code, errOut.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("fakecloud did not stop")
		}
	}()

	sb.setenv("WSDEPLOY_ENDPOINT", "")
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "ci-key")
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ci-secret")
	var out, errb strings.Builder
	if code := sb.runCLI(context.Background(), []string{"up", "-f", stack, "--endpoint", url},
		cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{}); code != 0 {
		t.Fatalf("up: exit %d\n%s%s", code, out.String(), errb.String())
	}

	type listener struct {
		LBType, Protocol, Address string
		Port                      int
	}
	var view struct {
		Listeners []listener
		CAPath    string
	}
	addrs := map[string]string{}
	waitFor(t, "both listeners listen", stopped, func() (bool, string) {
		res, err := http.Get(url + "/_fake/dataplane")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&view)
		res.Body.Close()
		for _, l := range view.Listeners {
			if l.LBType == "alb" {
				addrs[fmt.Sprintf("%s/%d", l.Protocol, l.Port)] = l.Address
			}
		}
		return len(addrs) == 2, fmt.Sprintf("/_fake/dataplane: %+v", view)
	})
	if addrs["HTTP/5000"] == "" || addrs["HTTPS/443"] == "" || view.CAPath != "/_fake/ca.pem" {
		t.Fatalf("/_fake/dataplane: %+v", view)
	}

	res, err := http.Get(url + view.CAPath)
	if err != nil {
		t.Fatal(err)
	}
	pemData, _ := io.ReadAll(res.Body)
	res.Body.Close()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemData) {
		t.Fatalf("CA: %q", pemData)
	}
	tr := &http.Transport{DisableKeepAlives: true, TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "chat.example.com"}}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	// The backends become healthy after the health check's thresholds.
	seen := map[string]bool{}
	waitFor(t, "both apps answer through both listeners", stopped, func() (bool, string) {
		for _, u := range []string{"http://" + addrs["HTTP/5000"] + "/", "https://" + addrs["HTTPS/443"] + "/"} {
			res, err := client.Get(u)
			var hostErr x509.HostnameError
			if errors.As(err, &hostErr) {
				// The record is written once the listeners serve; the
				// data plane then adds its name to the certificate.
				return false, fmt.Sprintf("GET %s: %v", u, err)
			}
			if err != nil {
				t.Fatalf("GET %s: %v", u, err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				seen[u+" "+string(body)] = true
			}
		}
		return len(seen) == 4, fmt.Sprintf("reached %v", seen)
	})
}
