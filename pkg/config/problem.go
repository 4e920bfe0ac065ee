// What validation reports: a Problem per invalid setting, gathered in a ValidationError.

package config

import (
	"fmt"
	"strings"
)

// Problem is one invalid setting: where it is, what it holds, what is wrong and how to fix it.
type Problem struct {
	Path    string // field path, e.g. "listeners[1].idleTimeout"
	Value   string // the offending value as written ("0", "\"http\""); "" when missing
	Message string // what is wrong and what is allowed
	Fix     string // what to do about it
}

// String renders the problem as one line: "path: value message; fix".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	b.WriteString(": ")
	if p.Value != "" {
		b.WriteString(p.Value)
		b.WriteByte(' ')
	}
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString("; ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// ValidationError lists every problem found in a stack. File names the source for messages
// ("wsdeploy.yaml" when empty).
type ValidationError struct {
	File     string
	Problems []Problem
}

// maxShownProblems caps Error's output so a hostile file cannot flood the terminal.
const maxShownProblems = 100

// Error prints a header and one problem per line.
func (e *ValidationError) Error() string {
	file := e.File
	if file == "" {
		file = "wsdeploy.yaml"
	}
	var b strings.Builder
	if len(e.Problems) == 1 {
		fmt.Fprintf(&b, "%s: 1 problem:", file)
	} else {
		fmt.Fprintf(&b, "%s: %d problems:", file, len(e.Problems))
	}
	for i, p := range e.Problems {
		if i == maxShownProblems {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Problems)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
