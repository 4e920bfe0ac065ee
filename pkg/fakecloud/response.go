package fakecloud

// Answers are the SDK's own ...ResponseBody structs, so field names cannot
// drift: handlers fill them directly, or from a map through sdkFill (which
// refuses any key the struct does not have), or copy a richer answer about
// the same object into a narrower one with sdkProject (Get...Attribute into
// a List... item).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// sdkFill decodes m into dst, an SDK ...ResponseBody, refusing keys that dst
// does not have: response field names come from the SDK, never from here.
func sdkFill(dst any, m map[string]any) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("fakecloud: response does not fit %T: %w", dst, err)
	}
	return nil
}

// sdkProject copies into dst, an SDK struct, the fields it shares by JSON
// name with src, an SDK struct describing the same object more fully; the
// fields dst lacks are left out.
func sdkProject(dst, src any) error {
	data, err := json.Marshal(src)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return fmt.Errorf("fakecloud: %T does not fit %T: %w", src, dst, err)
	}
	return nil
}

// fmtTime is the ISO 8601 form of times in ALB and CLB answers.
func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
