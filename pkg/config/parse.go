package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest wsdeploy.yaml Load and Parse accept. A real file is a few KiB;
// the cap keeps a wrong path or a hostile file from eating memory.
const MaxFileSize = 1 << 20

// DecodeError reports why a file could not be read as a wsdeploy.yaml document: YAML syntax,
// unknown or duplicate fields, values of the wrong type. Every issue in the document is listed.
type DecodeError struct {
	File   string
	Issues []Issue
	// Syntax says the file is not valid YAML (Issues[0] says where).
	Syntax bool
}

// Hint says how to fix a YAML syntax error; other decode errors explain
// themselves issue by issue.
func (e *DecodeError) Hint() string {
	if !e.Syntax || len(e.Issues) == 0 {
		return ""
	}
	where := e.File
	if is := e.Issues[0]; is.Line > 0 {
		where = fmt.Sprintf("%s line %d", e.File, is.Line)
		if is.Column > 0 {
			where += fmt.Sprintf(", column %d", is.Column)
		}
	}
	return "fix the YAML at " + where + ": indent with spaces (never tabs), one `key: value` per line, " +
		"close every quote, [ and {, and quote values that contain \": \" or \" #\" or start with @ or `; " +
		"then `wsdeploy validate` checks the file again, offline"
}

// Issue is one decode problem at a position in the file.
type Issue struct {
	Line, Column int    // 1-based; 0 when unknown
	Path         string // field path such as "listeners[0]"; "" for the whole document
	Message      string
}

// Error prints one issue per line as "file:line:col: message", the format editors jump to.
func (e *DecodeError) Error() string {
	var b strings.Builder
	for i, is := range e.Issues {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		if is.Line > 0 {
			fmt.Fprintf(&b, ":%d", is.Line)
			if is.Column > 0 {
				fmt.Fprintf(&b, ":%d", is.Column)
			}
		}
		b.WriteString(": ")
		b.WriteString(is.Message)
	}
	return b.String()
}

// FileError is a path that cannot be a wsdeploy.yaml: a directory, a FIFO, a
// device or a socket. Its Hint says what to pass instead.
type FileError struct {
	Path string
	Kind string // "a directory", "a named pipe (FIFO)", …
}

func (e *FileError) Error() string {
	return fmt.Sprintf("read %s: is %s, want a regular wsdeploy.yaml file", e.Path, e.Kind)
}

// Hint is the next step for the user.
func (e *FileError) Hint() string {
	return "pass -f with the path of a regular file (not a directory, pipe, device or socket); `wsdeploy init` writes a starter one"
}

// checkRegular refuses anything but a regular file (symbolic links are
// followed). It runs before the file is opened: opening a FIFO blocks until
// someone writes to it, and reading a device may never end.
func checkRegular(path string, st fs.FileInfo) error {
	m := st.Mode()
	if m.IsRegular() {
		return nil
	}
	kind := "not a regular file"
	switch {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	}
	return &FileError{Path: path, Kind: kind}
}

// Load reads the file at path and Parses it. Only regular files are opened;
// files over MaxFileSize are refused unread.
func Load(path string) (*Stack, error) { return LoadFrom(path, path) }

// LoadFrom is Load of the file at path, named name in every message: the
// path as the user wrote it, when path is where that is on disk.
func LoadFrom(name, path string) (*Stack, error) {
	st, err := os.Stat(path)
	if err != nil {
		err = renamed(err, path, name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read %s: file does not exist (run `wsdeploy init` to write a starter file, or pass -f with the right path): %w", name, err)
		}
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if err := checkRegular(name, st); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, renamed(err, path, name))
	}
	defer f.Close()
	// The path may have been swapped between Stat and Open: check what was opened.
	if st, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, renamed(err, path, name))
	}
	if err := checkRegular(name, st); err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("read %s: file is %d bytes, more than the 1 MiB limit for wsdeploy.yaml; is this the right file?", name, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, renamed(err, path, name))
	}
	return Parse(name, data)
}

// renamed makes a *fs.PathError about path name the file name instead.
func renamed(err error, path, name string) error {
	var pe *fs.PathError
	if path != name && errors.As(err, &pe) && pe.Path == path {
		pe.Path = name
	}
	return err
}

// LoadAndResolve Loads path and Resolves it; a *ValidationError names path as its File.
func LoadAndResolve(path string, o Overrides) (*Stack, error) {
	return LoadAndResolveFrom(path, path, o)
}

// LoadAndResolveFrom is LoadAndResolve of the file at path, named name in messages (see LoadFrom).
func LoadAndResolveFrom(name, path string, o Overrides) (*Stack, error) {
	s, err := LoadFrom(name, path)
	if err != nil {
		return nil, err
	}
	if err := Resolve(s, o); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.File = name
		}
		return nil, err
	}
	return s, nil
}

// Parse decodes one wsdeploy.yaml document strictly: unknown and duplicate fields, values of the
// wrong type, YAML aliases, several documents and a non-mapping top level are errors
// (a *DecodeError listing every issue found). name is the file name used in messages.
// Parse does not apply defaults or validate values; see Resolve.
func Parse(name string, data []byte) (*Stack, error) {
	fail := func(line int, msg string) (*Stack, error) {
		return nil, &DecodeError{File: name, Issues: []Issue{{Line: line, Message: msg}}}
	}
	if len(data) > MaxFileSize {
		return fail(0, fmt.Sprintf("file is %d bytes, more than the 1 MiB limit for wsdeploy.yaml", len(data)))
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			if len(bytes.TrimSpace(data)) > 0 {
				return fail(0, "file has no settings, only comments; run `wsdeploy init` to write a starter file")
			}
			return fail(0, "file is empty; run `wsdeploy init` to write a starter file")
		}
		return nil, syntaxError(name, data, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxError(name, data, err)
		}
		if !isEmptyDocument(&next) {
			return fail(next.Line, "found a second YAML document (after ---); a wsdeploy.yaml file holds exactly one stack: "+
				"remove the extra document or put it in its own file")
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return fail(doc.Line, "not a YAML document")
	}
	root := doc.Content[0]
	if isEmptyDocument(&doc) {
		return fail(0, "file has no settings; run `wsdeploy init` to write a starter file")
	}
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, fmt.Sprintf("the top level must be a mapping of fields (%s), found %s",
			strings.Join(fieldNames(reflect.TypeOf(Stack{})), ", "), describe(root)))
	}
	w := &walker{kind: documentLBKind(root)}
	w.value(root, reflect.TypeOf(Stack{}), "", "")
	if len(w.issues) > 0 {
		return nil, &DecodeError{File: name, Issues: w.issues}
	}
	var s Stack
	if err := root.Decode(&s); err != nil {
		// The walker checks everything yaml.v3 does; this is a safety net.
		return nil, syntaxError(name, nil, err)
	}
	s.zeros = w.zeros
	return &s, nil
}

// isEmptyDocument reports whether a document holds nothing but null ("---" alone, or "~").
func isEmptyDocument(d *yaml.Node) bool {
	if d.Kind != yaml.DocumentNode || len(d.Content) != 1 {
		return false
	}
	n := d.Content[0]
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 error ("yaml: line 3: did not find expected key") into a DecodeError.
// yaml.v3 reports the line where the enclosing construct starts (for parser errors one too
// few) and no column, so when data is given the position is found again with syntaxPosition.
func syntaxError(name string, data []byte, err error) error {
	var issues []Issue
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		is := Issue{Message: strings.TrimPrefix(m, "yaml: ")}
		if sm := yamlLineRE.FindStringSubmatch(m); sm != nil {
			is.Line, _ = strconv.Atoi(sm[1])
			is.Message = sm[2]
		} else if strings.HasPrefix(m, "line ") {
			if i := strings.Index(m, ": "); i > 0 {
				is.Line, _ = strconv.Atoi(m[len("line "):i])
				is.Message = m[i+2:]
			}
		}
		if strings.Contains(is.Message, "tab") {
			is.Message += " (indent with spaces, not tabs)"
		}
		is.Message = "invalid YAML: " + is.Message
		issues = append(issues, is)
	}
	if te == nil && data != nil && len(issues) == 1 {
		if line, col := syntaxPosition(data); line > 0 {
			issues[0].Line, issues[0].Column = line, col
			if r := runeAt(data, line, col); strings.ContainsRune("[{\"'", r) {
				issues[0].Message += fmt.Sprintf(" (the %c here is never closed)", r)
			}
		}
	}
	return &DecodeError{File: name, Issues: issues, Syntax: te == nil}
}

// syntaxBudget caps the bytes syntaxPosition parses, so a huge broken file
// costs a bounded time (it then keeps yaml.v3's line).
const syntaxBudget = 64 << 20

// syntaxPosition finds where data stops being YAML: the first line from which
// no longer prefix of whole lines parses, and in it the first character from
// which no longer prefix parses (so an unclosed quote, [ or { is found where
// it opens). It returns 0, 0 when data parses or the budget runs out.
func syntaxPosition(data []byte) (line, col int) {
	budget := syntaxBudget
	parses := func(b []byte) (bool, bool) {
		budget -= len(b)
		if budget < 0 {
			return false, false
		}
		return validYAML(b), true
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	starts := make([]int, len(lines)+1)
	for i, l := range lines {
		starts[i+1] = starts[i] + len(l)
	}
	if ok, _ := parses(data); ok {
		return 0, 0
	}
	bad := -1
	for k := len(lines) - 1; k >= 0; k-- {
		ok, within := parses(data[:starts[k]])
		if !within {
			return 0, 0
		}
		if ok {
			bad = k
			break
		}
	}
	if bad < 0 {
		return 0, 0
	}
	text := bytes.TrimRight(lines[bad], "\r\n")
	c := 0
	for n := len(text); n >= 0; n-- {
		ok, within := parses(data[:starts[bad]+n])
		if !within {
			return bad + 1, 0
		}
		if ok {
			c = n
			break
		}
	}
	if c >= len(text) {
		c = max(len(text)-1, 0) // the line parses alone: what follows breaks it
	}
	return bad + 1, utf8.RuneCount(text[:c]) + 1
}

// runeAt is the character at a 1-based line and column of data (0 if none).
func runeAt(data []byte, line, col int) rune {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 0
	}
	for i, r := range []rune(string(lines[line-1])) {
		if i == col-1 {
			return r
		}
	}
	return 0
}

// validYAML reports whether data is a stream of YAML documents.
func validYAML(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// documentLBKind peeks at the top-level lb field so parse-time messages can name the LB kind.
func documentLBKind(root *yaml.Node) string {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "lb" {
			return kindName(root.Content[i+1].Value)
		}
	}
	return kindName(LBALB)
}

var serverType = reflect.TypeOf(Server{})
var lbRefType = reflect.TypeOf(LBRef{})

// walker checks a yaml.Node tree against the Stack type before it is decoded, so that every
// issue is reported with its line, column and field path. It never follows aliases and only
// descends into nodes the schema knows, so its work is bounded by the file size.
type walker struct {
	kind   string // "ALB"/"CLB" for messages
	issues []Issue
	// zeros are explicit 0s in fields that have a default. They are value
	// problems, not decoding ones: Validate reports them with all the others.
	zeros []Problem
}

// maxIssues caps the issues collected from one file; a hostile file could otherwise
// produce megabytes of messages.
const maxIssues = 100

func (w *walker) add(n *yaml.Node, path, msg string) {
	if w.full() {
		return
	}
	w.issues = append(w.issues, Issue{Line: n.Line, Column: n.Column, Path: path, Message: msg})
	if len(w.issues) == maxIssues {
		w.issues = append(w.issues, Issue{Line: n.Line, Message: "too many problems; stopped here: fix the ones above and run again"})
	}
}

func (w *walker) full() bool { return len(w.issues) > maxIssues }

// at prefixes a message with the field path.
func at(path, msg string) string {
	if path == "" {
		return msg
	}
	return path + ": " + msg
}

// value checks n against type t. path is the concrete field path ("listeners[0].port"),
// gpath the generic one ("listeners[].port") used to look up defaults.
func (w *walker) value(n *yaml.Node, t reflect.Type, path, gpath string) {
	if n.Kind == yaml.AliasNode {
		w.add(n, path, at(path, fmt.Sprintf("YAML aliases (*%s) are not supported in wsdeploy.yaml; write the value out in full", clip(n.Value, 40))))
		return
	}
	if n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") {
		w.add(n, path, at(path, fmt.Sprintf("YAML tag %s is not supported; remove it", strconv.Quote(clip(n.Tag, 40)))))
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		if strings.HasSuffix(gpath, "[]") {
			// yaml.v3 would silently drop it from the list.
			w.add(n, path, at(path, "empty list item; fill it in or remove the line"))
		}
		return // unset; defaults or validation deal with it
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == serverType && n.Kind == yaml.ScalarNode {
		w.scalar(n, reflect.TypeOf(""), path, gpath)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			msg := fmt.Sprintf("want a mapping of fields (%s), found %s", strings.Join(fieldNames(t), ", "), describe(n))
			if fs := fieldNames(t); len(fs) == 1 && n.Kind == yaml.ScalarNode {
				msg += fmt.Sprintf("; write {%s: %s}", fs[0], clip(n.Value, 64))
			} else if t == lbRefType && n.Kind == yaml.ScalarNode {
				msg += fmt.Sprintf("; write {id: %s}", clip(n.Value, 64))
			}
			w.add(n, path, at(path, msg))
			return
		}
		w.mapping(n, t, path, gpath)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.add(n, path, at(path, fmt.Sprintf("want a list (one item per line, each starting with \"- \"), found %s", describe(n))))
			return
		}
		if len(n.Content) == 0 && gpath == "backends.healthCheck.codes" {
			w.add(n, path, at(path, "the list is empty; list at least one of http_2xx, http_3xx, http_4xx, http_5xx, or remove the line to use the default [http_2xx, http_3xx]"))
			return
		}
		for i, item := range n.Content {
			if w.full() {
				break
			}
			w.value(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), gpath+"[]")
		}
	default:
		w.scalar(n, t, path, gpath)
	}
}

func (w *walker) scalar(n *yaml.Node, t reflect.Type, path, gpath string) {
	if n.Kind != yaml.ScalarNode {
		w.add(n, path, at(path, fmt.Sprintf("want %s, found %s", wantName(t), describe(n))))
		return
	}
	tag := n.ShortTag()
	switch t.Kind() {
	case reflect.String:
		switch tag {
		case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
		default:
			w.add(n, path, at(path, fmt.Sprintf("want a string, found %s", describe(n))))
		}
	case reflect.Int:
		var v int
		if tag != "!!int" || n.Decode(&v) != nil {
			msg := fmt.Sprintf("want a whole number, found %s", describe(n))
			if tag == "!!str" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				if _, err := strconv.Atoi(n.Value); err == nil {
					msg += "; remove the quotes"
				}
			}
			w.add(n, path, at(path, msg))
			return
		}
		if v == 0 {
			if r, ok := defaultedRange(gpath, w.kind); ok {
				if p := r.check(path, 0); p != nil {
					p.Fix += fmt.Sprintf(", or remove the line to use the default (%d)", r.def)
					w.zeros = append(w.zeros, *p)
				}
			}
		}
	case reflect.Bool:
		var v bool
		if n.Decode(&v) != nil {
			w.add(n, path, at(path, fmt.Sprintf("want true or false, found %s", describe(n))))
		}
	default:
		w.add(n, path, at(path, "unsupported field type "+t.String()))
	}
}

func (w *walker) mapping(n *yaml.Node, t reflect.Type, path, gpath string) {
	fields := fieldIndex(t)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content) && !w.full(); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.add(k, path, fmt.Sprintf("field names must be plain words, found %s%s", describe(k), where(path)))
			continue
		}
		key := k.Value
		if prev, dup := seen[key]; dup {
			w.add(k, path, fmt.Sprintf("field %s is set twice%s (first on line %d); keep one", strconv.Quote(clip(key, 64)), where(path), prev))
			continue
		}
		seen[key] = k.Line
		f, ok := fields[key]
		if !ok {
			w.add(k, path, w.unknown(key, v, t, path))
			continue
		}
		w.value(v, f.Type, join(path, key), join(gpath, key))
	}
}

// unknown words the message for an unknown field, with a suggestion when one is close.
func (w *walker) unknown(key string, v *yaml.Node, t reflect.Type, path string) string {
	names := fieldNames(t)
	if key == "<<" {
		return fmt.Sprintf("YAML merge keys (<<) are not supported%s; write the fields out in full", where(path))
	}
	msg := fmt.Sprintf("unknown field %s%s; allowed: %s", strconv.Quote(clip(key, 64)), where(path), strings.Join(names, ", "))
	if s := closest(key, names); s != "" {
		return msg + fmt.Sprintf("; did you mean %q?", s)
	}
	if t == serverType && v.Kind == yaml.ScalarNode && len(names) == 2 {
		return msg + fmt.Sprintf("; write {instance: %s, weight: %s}", clip(key, 64), clip(v.Value, 16))
	}
	if home := fieldHome(key); home != "" {
		return msg + fmt.Sprintf("; %q belongs under %s", key, home)
	}
	return msg
}

func where(path string) string {
	if path == "" {
		return " at the top level"
	}
	return " in " + path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fieldNames lists the YAML names of t's fields in declaration order.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	return names
}

func fieldIndex(t reflect.Type) map[string]reflect.StructField {
	m := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			m[name] = t.Field(i)
		}
	}
	return m
}

func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

// fieldHome finds where in the document a field name lives, for keys written at the wrong level.
func fieldHome(key string) string {
	var homes []string
	var walk func(t reflect.Type, path string, depth int)
	walk = func(t reflect.Type, path string, depth int) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || depth > 4 {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			name := yamlName(t.Field(i))
			if name == "" {
				continue
			}
			if normalize(name) == normalize(key) {
				if path == "" {
					homes = append(homes, "the top level")
				} else {
					homes = append(homes, path)
				}
			}
			walk(t.Field(i).Type, join(path, name), depth+1)
		}
	}
	walk(reflect.TypeOf(Stack{}), "", 0)
	if len(homes) == 0 {
		return ""
	}
	return strings.Join(homes, " or ")
}

func normalize(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(s))
}

// closest returns the allowed name key most likely stands for, or "".
func closest(key string, names []string) string {
	nk := normalize(key)
	for _, n := range names {
		if normalize(n) == nk {
			return n
		}
	}
	best, bestD := "", 3
	for _, n := range names {
		if len(key) < 4 {
			break
		}
		if d := editDistance(nk, normalize(n)); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" {
		return best
	}
	if len(nk) >= 4 {
		for _, n := range names {
			if strings.HasPrefix(normalize(n), nk) {
				return n
			}
		}
	}
	return ""
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// describe names what a node is, for "want X, found Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	v := strconv.Quote(clip(n.Value, 64))
	switch n.ShortTag() {
	case "!!str":
		return "the string " + v
	case "!!int":
		return "the number " + v
	case "!!float":
		return "the decimal number " + v
	case "!!bool":
		return "the boolean " + v
	case "!!null":
		return "nothing (null)"
	case "!!timestamp":
		return "the date " + v
	case "!!binary":
		return "binary data"
	}
	return "the value " + v
}

func wantName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	}
	return t.String()
}

// Server YAML forms: a plain string is the instance; a mapping has instance and weight.

// serverFields has Server's fields without its methods, for plain decoding and encoding.
type serverFields Server

// UnmarshalYAML accepts "ECS01" or {instance: i-xxx, weight: 50}.
func (s *Server) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*s = Server{Instance: n.Value}
		return nil
	case yaml.MappingNode:
		var f serverFields
		if err := n.Decode(&f); err != nil {
			return err
		}
		*s = Server(f)
		return nil
	}
	return fmt.Errorf("line %d: a server is an instance ID or name, or a mapping {instance, weight}", n.Line)
}

// MarshalYAML writes the plain string form when no weight is set.
func (s Server) MarshalYAML() (any, error) {
	if s.Weight == nil {
		return s.Instance, nil
	}
	return serverFields(s), nil
}
