package iostreams

// ColorScheme colours text with ANSI escapes, or leaves it as it is when
// colour is off. A nil *ColorScheme is a scheme with colour off, so views can
// be called without one.
type ColorScheme struct{ enabled bool }

// NewColorScheme is a scheme with colour on or off.
func NewColorScheme(enabled bool) *ColorScheme { return &ColorScheme{enabled: enabled} }

// Enabled reports whether the scheme colours anything.
func (c *ColorScheme) Enabled() bool { return c != nil && c.enabled }

const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	reset  = "\x1b[0m"
)

func (c *ColorScheme) paint(code, s string) string {
	if !c.Enabled() || s == "" {
		return s
	}
	return code + s + reset
}

// Green is for what is added or went well (+, ✔).
func (c *ColorScheme) Green(s string) string { return c.paint(green, s) }

// Yellow is for what changes in place (~).
func (c *ColorScheme) Yellow(s string) string { return c.paint(yellow, s) }

// Red is for what is removed or failed (-, ✘).
func (c *ColorScheme) Red(s string) string { return c.paint(red, s) }
