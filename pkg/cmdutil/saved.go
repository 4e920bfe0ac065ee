package cmdutil

// Helpers of saved plans (`plan --out`, `up FILE`): the document is
// pkg/planfile's.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
)

// Target is the cloud this run talks to.
func (f *Factory) Target(c CloudFlags) planfile.Target {
	switch {
	case c.Local:
		return planfile.Target{Kind: planfile.Local}
	case f.Endpoint(c) != "":
		return planfile.Target{Kind: planfile.Endpoint, Endpoint: strings.TrimRight(f.Endpoint(c), "/")}
	}
	return planfile.Target{Kind: planfile.AlibabaCloud}
}

// ReadStackFile reads a stack file's bytes, as config.Load would accept
// them, from path (Factory.Path of name); messages call it name.
func ReadStackFile(name, path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, renamed(err, path, name)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, renamed(err, path, name)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, config.MaxFileSize+1))
	return data, renamed(err, path, name)
}

// renamed makes a *fs.PathError about path name the file name instead.
func renamed(err error, path, name string) error {
	var pe *fs.PathError
	if err != nil && path != name && errors.As(err, &pe) && pe.Path == path {
		pe.Path = name
	}
	return err
}

// ResolveStack is config.LoadAndResolve on bytes already read from the file path.
func ResolveStack(path string, data []byte, o config.Overrides) (*config.Stack, error) {
	s, err := config.Parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := config.Resolve(s, o); err != nil {
		var ve *config.ValidationError
		if errors.As(err, &ve) {
			ve.File = path
		}
		return nil, err
	}
	return s, nil
}

// SameStack compares two resolved stacks by what they say.
func SameStack(a, b *config.Stack) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
