package config

import "errors"

// Report is the verdict on a stack file's content (`wsdeploy validate -o json`):
// valid, or every problem found, each with where it is when that is known.
type Report struct {
	File     string          `json:"file"`
	Valid    bool            `json:"valid"`
	Problems []ReportProblem `json:"problems"`
}

// ReportProblem is one problem: a decode Issue (with its line and column) or a
// validation Problem (with its field path, value and fix).
type ReportProblem struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// ReportOf turns what LoadAndResolve returned for file into a Report. ok is
// false when err says nothing about the content (the file could not be read):
// the caller reports err itself.
func ReportOf(file string, err error) (r Report, ok bool) {
	r = Report{File: file, Problems: []ReportProblem{}}
	if err == nil {
		r.Valid = true
		return r, true
	}
	var de *DecodeError
	var ve *ValidationError
	switch {
	case errors.As(err, &de):
		for _, is := range de.Issues {
			r.Problems = append(r.Problems, ReportProblem{Line: is.Line, Column: is.Column, Path: is.Path, Message: is.Message})
		}
	case errors.As(err, &ve):
		for _, p := range ve.Problems {
			r.Problems = append(r.Problems, ReportProblem{Path: p.Path, Value: p.Value, Message: p.Message, Fix: p.Fix})
		}
	default:
		return Report{}, false
	}
	return r, true
}
