package fakecloud

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// The state file is the source of truth when Options.StatePath is set: every
// request takes an exclusive lock on <StatePath>.lock, reloads the file if
// another process replaced it, runs, saves, and unlocks. Several processes
// (wsdeploy --local runs one fake per process) thereby share one world.

// fileStamp identifies one version of the state file by content. (Inode,
// size and mtime are not enough: inodes are reused and mtimes are coarse.)
type fileStamp [sha256.Size]byte

// readState reads a state file and its stamp, decoding it only if its stamp
// differs from have. It returns a nil State when the content is unchanged.
func readState(path string, have fileStamp) (*State, fileStamp, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileStamp{}, err
	}
	stamp := fileStamp(sha256.Sum256(data))
	if stamp == have {
		return nil, stamp, nil
	}
	st, err := decodeState(data)
	if err != nil {
		return nil, fileStamp{}, fmt.Errorf("fakecloud: state file %s: %w", path, err)
	}
	return st, stamp, nil
}

// loadState reads a state file strictly (unknown fields are an error).
func loadState(path string) (*State, fileStamp, error) {
	return readState(path, fileStamp{})
}

func decodeState(data []byte) (*State, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	st := new(State)
	if err := dec.Decode(st); err != nil {
		return nil, err
	}
	return st, nil
}

// saveState writes the state atomically (temp file in the same directory, then rename).
func saveState(path string, st *State) (fileStamp, error) {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fileStamp{}, err
	}
	data = append(data, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return fileStamp{}, err
	}
	tmpName := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmpName, 0o600)
	}
	if werr == nil {
		werr = os.Rename(tmpName, path)
	}
	if werr != nil {
		os.Remove(tmpName)
		return fileStamp{}, werr
	}
	return fileStamp(sha256.Sum256(data)), nil
}

// cloneState deep-copies a state through JSON (the same encoding as the state file).
func cloneState(st *State) (*State, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	return decodeState(data)
}
