package iostreams

import (
	"sync"
	"testing"
)

func TestColorDisabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"TERM": "xterm-256color"}, false},
		{map[string]string{"NO_COLOR": "1"}, true},
		{map[string]string{"NO_COLOR": "", "TERM": "xterm"}, false}, // set but empty: no-color.org says colour stays
		{map[string]string{"TERM": "dumb"}, true},
	}
	for _, tt := range tests {
		if got := ColorDisabled(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: ColorDisabled = %v, want %v", tt.env, got, tt.want)
		}
	}
}

// Colour only on a terminal, and never when the environment says no.
func TestColorSchemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		ios             IOStreams
		wantOut, wantEr bool
	}{
		{"no terminal", IOStreams{}, false, false},
		{"stdout a terminal", IOStreams{OutTTY: true}, true, false},
		{"stderr a terminal", IOStreams{ErrTTY: true}, false, true},
		{"terminals, NO_COLOR", IOStreams{OutTTY: true, ErrTTY: true, NoColor: true}, false, false},
		{"stdin a terminal only", IOStreams{InTTY: true}, false, false},
	}
	for _, tt := range tests {
		if got := tt.ios.ColorOut().Enabled(); got != tt.wantOut {
			t.Errorf("%s: ColorOut %v, want %v", tt.name, got, tt.wantOut)
		}
		if got := tt.ios.ColorErr().Enabled(); got != tt.wantEr {
			t.Errorf("%s: ColorErr %v, want %v", tt.name, got, tt.wantEr)
		}
	}
}

func TestColorScheme(t *testing.T) {
	t.Parallel()
	on := NewColorScheme(true)
	if got := on.Green("+") + on.Yellow("~") + on.Red("-"); got != "\x1b[32m+\x1b[0m\x1b[33m~\x1b[0m\x1b[31m-\x1b[0m" {
		t.Errorf("on: %q", got)
	}
	for _, off := range []*ColorScheme{NewColorScheme(false), nil} {
		if got := off.Green("+") + off.Yellow("~") + off.Red("-"); got != "+~-" {
			t.Errorf("off (%v): %q", off, got)
		}
	}
}

// Writes from many goroutines reach the stream whole.
func TestSynchronized(t *testing.T) {
	t.Parallel()
	ios, _, out, _ := Test()
	s := ios.Synchronized()
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Out.Write([]byte("0123456789\n"))
		}()
	}
	wg.Wait()
	if out.Len() != 50*11 {
		t.Fatalf("%d bytes", out.Len())
	}
}
