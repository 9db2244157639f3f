// Package gdaltest runs GDAL's command-line tools for the tests of the geo
// packages and of the exports and services built on them. GDAL is the reference reader for the files Wumen writes, so a
// missing ogrinfo fails the test instead of skipping it (CI installs
// gdal-bin). Under go test -short a test that runs a GDAL tool is skipped
// there: the quick loop checks Wumen's own readers, CI checks GDAL's too.
package gdaltest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// Ogrinfo runs ogrinfo with args and returns its stdout and stderr. It
// fails the test if ogrinfo is not installed or exits non-zero.
func Ogrinfo(t testing.TB, args ...string) (stdout, stderr string) {
	t.Helper()
	return Run(t, "ogrinfo", args...)
}

// Run runs a GDAL tool, failing the test if it is missing or fails.
func Run(t testing.TB, tool string, args ...string) (stdout, stderr string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs " + tool)
	}
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not found (install gdal-bin): %v", tool, err)
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstdout:\n%s\nstderr:\n%s", tool, args, err, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// Quiet runs a GDAL tool like Run and also fails the test when the tool
// printed a warning or an error: a file Wumen writes must open cleanly.
func Quiet(t testing.TB, tool string, args ...string) string {
	t.Helper()
	out, errs := Run(t, tool, args...)
	if strings.Contains(errs, "Warning") || strings.Contains(errs, "ERROR") {
		t.Errorf("%s %v printed warnings:\n%s", tool, args, errs)
	}
	return out
}
