package fakecloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The state file is the source of truth when Options.StatePath is set: every
// request takes an exclusive lock on <StatePath>.lock, reloads the file if
// another process replaced it, runs, saves, and unlocks. Several processes
// (wsdeploy --local runs one fake per process) thereby share one world.

// fileStamp identifies one version of the state file. Saves go through
// rename, so a new version always has a new inode (on unix).
type fileStamp struct {
	ino  uint64
	size int64
	mod  time.Time
}

func statStamp(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{ino: inodeOf(fi), size: fi.Size(), mod: fi.ModTime()}, nil
}

// loadState reads a state file strictly (unknown fields are an error).
func loadState(path string) (*State, fileStamp, error) {
	stamp, err := statStamp(path)
	if err != nil {
		return nil, fileStamp{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileStamp{}, err
	}
	st, err := decodeState(data)
	if err != nil {
		return nil, fileStamp{}, fmt.Errorf("fakecloud: state file %s: %w", path, err)
	}
	return st, stamp, nil
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
	return statStamp(path)
}

// cloneState deep-copies a state through JSON (the same encoding as the state file).
func cloneState(st *State) (*State, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	return decodeState(data)
}
