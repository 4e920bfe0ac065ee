package fakecloud

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndependentOfTheClient keeps the fake a separately written
// implementation of the wire protocol: it may use the SDKs' model types (for
// response field names) but no wsdeploy package, so a misunderstanding of the
// API cannot be shared by the client and the fake and pass every test.
func TestIndependentOfTheClient(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if strings.HasPrefix(path, "github.com/wsdeploy/wsdeploy/") {
				t.Errorf("%s imports %s: the fake must not share code with wsdeploy's client side", f, path)
			}
		}
	}
}
