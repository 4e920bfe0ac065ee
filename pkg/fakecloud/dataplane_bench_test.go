package fakecloud

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// BenchmarkDataPlaneWebSocket holds 200 WebSocket connections and measures
// echo round trips per second over them, straight to the app and through
// each load balancer's data plane: the data plane's cost per message. Run it
// briefly: go test ./pkg/fakecloud -run '^$' -bench DataPlane -benchtime 2000x
func BenchmarkDataPlaneWebSocket(b *testing.B) {
	const conns = 200
	for _, via := range []string{"direct", "alb", "clb"} {
		b.Run(via, func(b *testing.B) {
			app := startApp(b, "web-a")
			dial := func(ctx context.Context) (*websocket.Conn, error) {
				c, _, err := websocket.Dial(ctx, "ws://"+app.addr()+"/ws", nil)
				return c, err
			}
			if via != "direct" {
				e := newDPEnv(b, dpStack{lb: via, idle: 60, request: 60, drain: -1}, app)
				dial = func(ctx context.Context) (*websocket.Conn, error) { return e.dial(ctx, &websocket.DialOptions{}) }
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cs := make([]*websocket.Conn, conns)
			for i := range cs {
				c, err := dial(ctx)
				if err != nil {
					b.Fatalf("connection %d: %v", i, err)
				}
				defer c.CloseNow()
				cs[i] = c
			}
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			errs := make(chan error, conns)
			for i, c := range cs {
				n := b.N / conns
				if i < b.N%conns {
					n++
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; j < n; j++ {
						if _, err := echo(ctx, c, fmt.Sprint(j)); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
			b.ReportMetric(conns, "conns")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
		})
	}
}
