package cli_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEndToEndTestsReadTheTruth keeps two rules of the end-to-end tests
// (pkg/cli/*_test.go) checkable: they prove what happened from the fake's
// own state and request log, so they import none of wsdeploy's cloud
// adapters (pkg/cloud/...); and they never sleep to let something happen:
// time.Sleep appears only in waitFor, between two polls of what a test waits for.
func TestEndToEndTestsReadTheTruth(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files (%v)", err)
	}
	sleeps := 0
	for _, name := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "github.com/wsdeploy/wsdeploy/pkg/cloud" || strings.HasPrefix(path, "github.com/wsdeploy/wsdeploy/pkg/cloud/") {
				t.Errorf("%s imports %s: read the fake's state (Snapshot, Calls) instead, and arrange the world with Update", fset.Position(imp.Pos()), path)
			}
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sleep" {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "time" {
						if fn.Name.Name != "waitFor" {
							t.Errorf("%s: time.Sleep in %s: wait for what the fake reports (waitFor), not for time to pass", fset.Position(call.Pos()), fn.Name.Name)
						} else {
							sleeps++
						}
					}
				}
				return true
			})
		}
	}
	if sleeps != 1 {
		t.Errorf("waitFor sleeps %d times, want once (its polling interval)", sleeps)
	}
}
