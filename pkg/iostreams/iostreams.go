// Package iostreams holds the program's standard streams and what is known
// about them: which are terminals, and whether output may be coloured.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// IOStreams are the program's standard streams.
type IOStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// InTTY, OutTTY and ErrTTY say whether stdin, stdout and stderr are
	// terminals: prompts only on one, colour only on one.
	InTTY, OutTTY, ErrTTY bool
	// NoColor turns colour off even on a terminal (NO_COLOR, TERM=dumb).
	NoColor bool
}

// System is the process's streams, with what the environment says about
// colour: NO_COLOR (set and not empty) or TERM=dumb turn it off.
func System(getenv func(string) string) IOStreams {
	return IOStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
		NoColor: ColorDisabled(getenv),
	}
}

// ColorDisabled reports whether the environment asks for no colour:
// NO_COLOR set to anything (https://no-color.org), or a dumb terminal.
func ColorDisabled(getenv func(string) string) bool {
	return getenv("NO_COLOR") != "" || strings.TrimSpace(getenv("TERM")) == "dumb"
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test is a set of streams over buffers, none of them a terminal.
func Test() (ios IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return IOStreams{In: in, Out: out, Err: errOut}, in, out, errOut
}

// Synchronized returns s with Out and Err serialised: progress, --debug
// lines and prompts are written from several goroutines.
func (s IOStreams) Synchronized() IOStreams {
	s.Out, s.Err = &syncWriter{w: s.Out}, &syncWriter{w: s.Err}
	return s
}

// ColorOut is the colour scheme for stdout: colours only on a terminal.
func (s IOStreams) ColorOut() *ColorScheme { return NewColorScheme(s.OutTTY && !s.NoColor) }

// ColorErr is the colour scheme for stderr: colours only on a terminal.
func (s IOStreams) ColorErr() *ColorScheme { return NewColorScheme(s.ErrTTY && !s.NoColor) }

// syncWriter serialises writes to one stream.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
