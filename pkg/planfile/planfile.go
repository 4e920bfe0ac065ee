// Package planfile is wsdeploy's saved plan: the document `wsdeploy plan --out
// FILE` writes, `wsdeploy show FILE` prints and `wsdeploy up FILE` applies.
//
// A saved plan holds the plan value, the resolved stack it was built from, a
// digest of the stack file's bytes and the cloud it was made against. That is
// everything `up FILE` needs to prove, before it writes anything, that applying
// the saved actions is still what a fresh plan would do: the stack file is the
// same, the cloud is the same one, and re-planning against it now gives the
// very same actions (Diff). It never holds a credential: nothing in a stack or
// a plan is secret, and the access key never reaches this package.
package planfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// Kind marks a JSON document as a wsdeploy saved plan.
const Kind = "wsdeploy-saved-plan"

// FormatVersion is the version of the saved-plan document. Readers refuse
// newer versions: a file from a newer wsdeploy may mean something this one
// cannot apply safely.
const FormatVersion = 1

// MaxSize bounds what Read accepts (a real saved plan is a few KiB to a few
// hundred KiB for thousands of backends).
const MaxSize = 16 << 20

// File is a saved plan.
type File struct {
	Kind          string `json:"kind"`
	FormatVersion int    `json:"formatVersion"`
	// CreatedAt and WsdeployVersion say when and by what the plan was made (for people).
	CreatedAt       time.Time `json:"createdAt"`
	WsdeployVersion string    `json:"wsdeployVersion"`
	// Target is the cloud the plan was read from; it may be applied there only.
	Target Target `json:"target"`
	// Account is the Alibaba Cloud account the plan was read in (STS
	// GetCallerIdentity's AccountId, with the credentials of `plan --out`);
	// `up FILE` applies it with credentials of that account only. The
	// region is the stack's (Stack.Region).
	Account string `json:"account"`
	// Source is where the stack came from.
	Source Source `json:"source"`
	// Stack is the resolved stack (overrides and defaults applied) the plan was built from.
	Stack *config.Stack `json:"stack"`
	// Plan is the plan itself: exactly what `up FILE` executes.
	Plan *plan.Plan `json:"plan"`
}

// TargetKind says which kind of cloud a plan was made against.
type TargetKind string

// Target kinds.
const (
	AlibabaCloud TargetKind = "alibaba-cloud"
	Local        TargetKind = "local"    // --local: the built-in fake cloud in .wsdeploy/
	Endpoint     TargetKind = "endpoint" // --endpoint or WSDEPLOY_ENDPOINT
)

// Target is the cloud a plan was made against.
type Target struct {
	Kind TargetKind `json:"kind"`
	// Endpoint is the API URL when Kind is Endpoint (never carries user info:
	// wsdeploy refuses such URLs).
	Endpoint string `json:"endpoint,omitempty"`
}

// String names the target for people.
func (t Target) String() string {
	switch t.Kind {
	case Local:
		return "the local fake cloud (--local)"
	case Endpoint:
		return "endpoint " + t.Endpoint + " (NOT Alibaba Cloud)"
	}
	return "Alibaba Cloud"
}

// Flags are the command-line flags that select the target.
func (t Target) Flags() []string {
	switch t.Kind {
	case Local:
		return []string{"--local"}
	case Endpoint:
		return []string{"--endpoint", t.Endpoint}
	}
	return nil
}

// Source says where the stack of a plan came from.
type Source struct {
	// Path is the stack file as given to -f (relative paths are relative to
	// the directory wsdeploy runs in); empty with Builtin.
	Path string `json:"path,omitempty"`
	// SHA256 is the hex SHA-256 of the stack file's bytes.
	SHA256 string `json:"sha256,omitempty"`
	// Builtin is set when --local used the built-in demo stack (no file).
	Builtin bool `json:"builtin,omitempty"`
	// LB and Region are the --lb and --region overrides the stack was resolved with.
	LB     string `json:"lb,omitempty"`
	Region string `json:"region,omitempty"`
}

// Overrides are the Source's overrides, as config takes them.
func (s Source) Overrides() config.Overrides { return config.Overrides{LB: s.LB, Region: s.Region} }

// String names the source for people.
func (s Source) String() string {
	if s.Builtin {
		return "the built-in demo stack"
	}
	return s.Path
}

// Digest is the SHA-256 of a stack file's bytes, in hex.
func Digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// ApplyCommand is the command that applies the plan saved at path.
func (f *File) ApplyCommand(path string) string {
	return command(append([]string{"wsdeploy", "up", path}, f.Target.Flags()...))
}

// PlanCommand is the command that makes this plan again, into path.
func (f *File) PlanCommand(path string) string {
	args := []string{"wsdeploy", "plan"}
	if !f.Source.Builtin && f.Source.Path != "wsdeploy.yaml" {
		args = append(args, "-f", f.Source.Path)
	}
	if f.Source.LB != "" {
		args = append(args, "--lb", f.Source.LB)
	}
	if f.Source.Region != "" {
		args = append(args, "--region", f.Source.Region)
	}
	args = append(args, f.Target.Flags()...)
	return command(append(args, "--out", path))
}

// command joins args into a command line a POSIX shell reads back as args.
func command(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") != "" {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

func (f *File) check() error {
	switch {
	case f.Kind != Kind:
		return errors.New("not a wsdeploy saved plan (no \"kind\": \"" + Kind + "\")")
	case f.FormatVersion > FormatVersion:
		return &VersionError{Got: f.FormatVersion, By: f.WsdeployVersion}
	case f.FormatVersion < 1:
		return fmt.Errorf("formatVersion %d is not a saved-plan format", f.FormatVersion)
	case f.Plan == nil || f.Stack == nil:
		return errors.New("incomplete: it has no plan or no stack")
	case f.Plan.FormatVersion > plan.FormatVersion:
		return &VersionError{Got: f.Plan.FormatVersion, By: f.WsdeployVersion, Plan: true}
	case f.Plan.Mode != "up":
		return fmt.Errorf("a plan of mode %q: only plans for `up` can be saved and applied", f.Plan.Mode)
	case f.Source.Builtin == (f.Source.Path != ""):
		return errors.New("its source names neither a stack file nor the built-in demo stack")
	case !f.Source.Builtin && len(f.Source.SHA256) != sha256.Size*2:
		return errors.New("its source has no SHA-256 of the stack file")
	case f.Account == "":
		return errors.New("it does not record the account it was made in (plans saved before wsdeploy recorded it cannot be checked against the account they are applied to)")
	}
	switch f.Target.Kind {
	case AlibabaCloud, Local:
		if f.Target.Endpoint != "" {
			return fmt.Errorf("target %q has an endpoint", f.Target.Kind)
		}
	case Endpoint:
		if f.Target.Endpoint == "" {
			return errors.New("target \"endpoint\" has no endpoint URL")
		}
	default:
		return fmt.Errorf("unknown target kind %q", f.Target.Kind)
	}
	return nil
}

// Marshal encodes f as indented JSON.
func Marshal(f *File) ([]byte, error) {
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("encode saved plan: %w", err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode saved plan: %w", err)
	}
	return b.Bytes(), nil
}

// Write saves f at path atomically: a reader (or a crash) sees the old file
// or the whole new one, never a part. The file is mode 0644: it holds no
// secret, and it is meant to be read by reviewers and review tools.
func Write(path string, f *File) error {
	data, err := Marshal(f)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("save plan to %s: not a regular file", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("save plan to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err == nil {
		err = tmp.Chmod(0o644)
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("save plan to %s: %w", path, err)
		}
	} else {
		tmp.Close()
		return fmt.Errorf("save plan to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save plan to %s: %w", path, err)
	}
	return nil
}

// Read loads and checks the saved plan at path. Errors are *ReadError (with a
// hint) or *VersionError.
func Read(path string) (*File, error) {
	fail := func(err error) (*File, error) { return nil, &ReadError{Path: path, Err: err} }
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fail(errors.New("no such file"))
		}
		return fail(err)
	}
	if !fi.Mode().IsRegular() {
		return fail(errors.New("not a regular file")) // a FIFO would hang the read
	}
	if fi.Size() > MaxSize {
		return fail(fmt.Errorf("%d bytes, more than the %d MiB a saved plan can be", fi.Size(), MaxSize>>20))
	}
	fh, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxSize+1))
	if err != nil {
		return fail(err)
	}
	return Parse(path, data)
}

// Parse decodes and checks a saved plan. Unknown fields are errors: a field
// this wsdeploy does not know could change what the plan means.
func Parse(path string, data []byte) (*File, error) {
	// The version first, so that a newer file is reported as newer rather than
	// as having unknown fields.
	var head struct {
		Kind            string `json:"kind"`
		FormatVersion   int    `json:"formatVersion"`
		WsdeployVersion string `json:"wsdeployVersion"`
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&head); err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("not a wsdeploy saved plan: %w", err)}
	}
	if head.Kind == Kind && head.FormatVersion > FormatVersion {
		return nil, &ReadError{Path: path, Err: &VersionError{Got: head.FormatVersion, By: head.WsdeployVersion}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	f := &File{}
	if err := dec.Decode(f); err != nil {
		if head.Kind != Kind {
			return nil, &ReadError{Path: path, Err: errors.New("not a wsdeploy saved plan (no \"kind\": \"" + Kind + "\")")}
		}
		return nil, &ReadError{Path: path, Err: err}
	}
	if dec.More() {
		return nil, &ReadError{Path: path, Err: errors.New("extra data after the saved plan")}
	}
	if err := f.check(); err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	return f, nil
}

// ReadError says why a saved plan could not be used.
type ReadError struct {
	Path string
	Err  error
}

func (e *ReadError) Error() string { return "read saved plan " + e.Path + ": " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// Hint tells the user what to do.
func (e *ReadError) Hint() string {
	var ve *VersionError
	if errors.As(e.Err, &ve) {
		return ve.Hint()
	}
	return "pass the file `wsdeploy plan --out FILE` wrote, or make a new one that way"
}

// VersionError reports a saved plan written in a newer format.
type VersionError struct {
	Got  int
	By   string // the wsdeploy version that wrote it
	Plan bool   // the plan's own format, not the file's
}

func (e *VersionError) Error() string {
	what, have := "saved-plan format", FormatVersion
	if e.Plan {
		what, have = "plan format", plan.FormatVersion
	}
	by := ""
	if e.By != "" {
		by = " (written by wsdeploy " + e.By + ")"
	}
	return fmt.Sprintf("%s %d%s is newer than the %s %d this wsdeploy reads", what, e.Got, by, what, have)
}

// Hint tells the user what to do.
func (e *VersionError) Hint() string {
	return "apply it with the wsdeploy that made it, or make a new plan with this one: `wsdeploy plan --out FILE`"
}

// AccountError refuses a saved plan applied with credentials of another
// account than the one it was made in.
type AccountError struct {
	Path          string
	Made, Now     string // account IDs
	NowArn        string // who the credentials of this run are
	Apply, Replan string // the commands
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("saved plan %s was made in account %s, and this run's credentials (%s) act in account %s; nothing was changed", e.Path, e.Made, e.NowArn, e.Now)
}

// Hint tells the user what to do.
func (e *AccountError) Hint() string {
	return fmt.Sprintf("apply it with credentials of account %s (ALIBABA_CLOUD_PROFILE / --profile, or the ALIBABA_CLOUD_* variables), or make a plan in account %s with `%s`, review it, then run `%s`",
		e.Made, e.Now, e.Replan, e.Apply)
}
