package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// snippet returns the code between <!-- verify-LANG --> and its closing
// marker in docs/webhooks.md, without the fence lines.
func snippet(t *testing.T, lang string) string {
	t.Helper()
	doc, err := os.ReadFile("../docs/webhooks.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- verify-"+lang+" -->")
	body, _, ok2 := strings.Cut(rest, "<!-- /verify-"+lang+" -->")
	if !ok || !ok2 {
		t.Fatalf("docs/webhooks.md has no verify-%s block", lang)
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	return strings.Join(lines[1:len(lines)-1], "\n") + "\n"
}

// docCase is a request a receiver must accept (ok) or refuse.
type docCase struct {
	Name   string `json:"name"`
	Header string `json:"header"`
	Body   string `json:"body"`
	NowMs  int64  `json:"nowMs"`
	OK     bool   `json:"ok"`
}

func docCases() []docCase {
	now := time.Unix(1_790_000_000, 0)
	body := `{"id":"evt_S_3","type":"call.accepted","sessionId":"S","seq":3,"data":{}}`
	good := Sign(secret, now, []byte(body))
	return []docCase{
		{"genuine", good, body, now.UnixMilli(), true},
		{"genuine, 4 min later", good, body, now.Add(4 * time.Minute).UnixMilli(), true},
		{"replayed 6 min later", good, body, now.Add(6 * time.Minute).UnixMilli(), false},
		{"tampered body", good, strings.Replace(body, "accepted", "rejected", 1), now.UnixMilli(), false},
		{"signed with another secret", Sign("another-secret-0123456", now, []byte(body)), body, now.UnixMilli(), false},
		{"rotation: new and old secret", SignEach([]string{"another-secret-0123456", secret}, now, []byte(body)), body, now.UnixMilli(), true},
		{"rotation: old secret dropped", SignEach([]string{"another-secret-0123456", "yet-another-secret-0123"}, now, []byte(body)), body, now.UnixMilli(), false},
		{"timestamp moved", strings.Replace(good, "t=1790000000", "t=1790000200", 1), body, now.Add(200 * time.Second).UnixMilli(), false},
		{"no header", "", body, now.UnixMilli(), false},
		{"garbage header", "v1=abc", body, now.UnixMilli(), false},
	}
}

// TestDocsGoSnippetVerifies compiles the Go snippet of docs/webhooks.md
// and runs it on genuine, tampered and replayed requests.
func TestDocsGoSnippetVerifies(t *testing.T) {
	dir := t.TempDir()
	code := strings.Replace(snippet(t, "go"), "package hooks", "package main", 1)
	cases, _ := json.Marshal(docCases())
	main := fmt.Sprintf(`
func main() {
	var cases []struct{ Name, Header, Body string; NowMs int64; OK bool }
	_ = json.Unmarshal([]byte(%q), &cases)
	for _, c := range cases {
		err := VerifySwitchboard(%q, c.Header, []byte(c.Body), time.UnixMilli(c.NowMs))
		if (err == nil) != c.OK {
			fmt.Printf("FAIL %%s: err %%v\n", c.Name, err)
		}
	}
	fmt.Println("done")
}
`, cases, secret)
	code = strings.Replace(code, "import (", "import (\n\t\"encoding/json\"\n\t\"fmt\"", 1) + main
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module verify\n\ngo 1.22\n"), 0o600)
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "FAIL") || !strings.Contains(string(out), "done") {
		t.Fatalf("go snippet: %v\n%s", err, out)
	}
}

// runSnippet runs a doc snippet's program (file: its name) with the
// interpreter, which must print "done" and no "FAIL"; skipped when the
// interpreter is not installed.
func runSnippet(t *testing.T, interpreter, file, code string) {
	t.Helper()
	bin, err := exec.LookPath(interpreter)
	if err != nil {
		t.Skip(interpreter + " is not installed")
	}
	path := filepath.Join(t.TempDir(), file)
	if err := os.WriteFile(path, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("done")) || bytes.Contains(out, []byte("FAIL")) {
		t.Fatalf("%s snippet: %v\n%s", interpreter, err, out)
	}
}

// TestDocsJSSnippetVerifies runs the JavaScript snippet under node.
func TestDocsJSSnippetVerifies(t *testing.T) {
	cases, _ := json.Marshal(docCases())
	runSnippet(t, "node", "verify.mjs", snippet(t, "js")+fmt.Sprintf(`
const cases = %s;
let bad = 0;
for (const c of cases) {
  let ok = true;
  try { verifySwitchboard(%q, c.header, c.body, c.nowMs); } catch (e) { ok = false; }
  if (ok !== c.ok) { console.log("FAIL " + c.name); bad++; }
}
console.log(bad ? "failed" : "done");
`, cases, secret))
}

// TestDocsPythonSnippetVerifies runs the Python snippet under python3.
func TestDocsPythonSnippetVerifies(t *testing.T) {
	cases, _ := json.Marshal(docCases())
	runSnippet(t, "python3", "verify.py", snippet(t, "python")+fmt.Sprintf(`

import json
bad = 0
for c in json.loads(%q):
    try:
        verify_switchboard(%q, c["header"], c["body"].encode(), c["nowMs"] / 1000)
        ok = True
    except ValueError:
        ok = False
    if ok != c["ok"]:
        print("FAIL " + c["name"])
        bad += 1
print("failed" if bad else "done")
`, cases, secret))
}
