package web_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sdkTools is the directory holding node_modules/.bin/tsc (typescript from
// npm; scripts/test installs it outside the repository), or "" when missing.
func sdkTools(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SWITCHBOARD_SDK_TOOLS")
	if dir == "" {
		if home, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(home, "switchboard-sdk-tools")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "tsc")); err == nil {
		if _, err := exec.LookPath("npm"); err == nil {
			return dir
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set and typescript or npm is missing (SWITCHBOARD_SDK_TOOLS=%q): scripts/test installs them", dir)
	}
	t.Skip("typescript (npm) is not installed: scripts/test installs it into ~/.cache/switchboard-sdk-tools")
	return ""
}

// TestSDKPackage: web/static/sdk is a self-contained ES module package:
// `npm pack` builds it (prepack generates the .d.ts from the JSDoc with
// tsc), its exports name the SDK and the CometChat surface with their
// types, it has no runtime dependencies, and a TypeScript app that
// installs the tarball type-checks against it.
func TestSDKPackage(t *testing.T) {
	tools := sdkTools(t)
	src := filepath.Join("static", "sdk")
	pkg := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, e.Name()), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "PATH="+filepath.Join(tools, "node_modules", ".bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"npm_config_cache="+filepath.Join(t.TempDir(), "npm-cache"), "npm_config_offline=true", "npm_config_update_notifier=false")
	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	out := run(pkg, "npm", "pack", "--json", "--silent")
	var packed []struct {
		Name, Version, Filename string
		Files                   []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "["):]), &packed); err != nil || len(packed) != 1 {
		t.Fatalf("npm pack --json: %v\n%s", err, out)
	}
	files := map[string]bool{}
	for _, f := range packed[0].Files {
		files[f.Path] = true
	}
	for _, want := range []string{"package.json", "switchboard.js", "cometchat.js", "session.js", "types/switchboard.d.ts", "types/cometchat.d.ts", "README.md"} {
		if !files[want] {
			t.Errorf("the package lacks %s (has %v)", want, files)
		}
	}
	var meta struct {
		Version      string
		Exports      map[string]any
		Dependencies map[string]string
	}
	raw, _ := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Version == "" || meta.Exports["."] == nil || meta.Exports["./cometchat"] == nil || len(meta.Dependencies) != 0 {
		t.Errorf("package.json: version %q, exports %v, dependencies %v; want a version, . and ./cometchat, none", meta.Version, meta.Exports, meta.Dependencies)
	}
	t.Logf("npm pack: %s (%d files)", packed[0].Filename, len(packed[0].Files))

	// An app installs the tarball and type-checks against it.
	appDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(appDir, "package.json"), []byte(`{"name":"app","private":true,"type":"module"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	run(appDir, "npm", "install", "--no-audit", "--no-fund", "--silent", filepath.Join(pkg, packed[0].Filename))
	// the app scripts/test type-checks against the generated declarations: the seeds'
	// TypeScript, every CometChat class as a value and as a type
	raw, err = os.ReadFile(filepath.Join("testdata", "sdk-consumer", "app.ts"))
	if err != nil {
		t.Fatal(err)
	}
	app := string(raw)
	if err := os.WriteFile(filepath.Join(appDir, "app.ts"), []byte(app), 0o644); err != nil {
		t.Fatal(err)
	}
	tsc := filepath.Join(tools, "node_modules", ".bin", "tsc")
	run(appDir, tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom", "app.ts")
	// Misuse is caught: a number where a session id goes.
	bad := strings.Replace(app, "generateToken(sessionId, authToken)", "generateToken(42, authToken)", 1)
	if bad == app {
		t.Fatal("testdata/sdk-consumer/app.ts no longer calls generateToken(sessionId, authToken)")
	}
	if err := os.WriteFile(filepath.Join(appDir, "app.ts"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom", "app.ts")
	cmd.Dir, cmd.Env = appDir, env
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "app.ts") {
		t.Errorf("tsc accepted generateToken(42, ...): the types check nothing\n%s", out)
	}
}
