package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlLine matches yaml.v3's "yaml: line N: " prefix.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// syntaxError explains a YAML syntax error of the file at path: the line it
// is on and that line's text. yaml.v3 often reports the line where the
// enclosing mapping began (a mis-indented key under "server:" is "line 1:
// did not find expected key"), so the offending line is the first line
// whose addition makes the file fail with the same message.
func syntaxError(path string, data []byte, err error) error {
	msg := yamlLine.ReplaceAllString(err.Error(), "")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	lines := strings.SplitAfter(string(data), "\n")
	for n := 1; n <= len(lines); n++ {
		var doc yaml.Node
		perr := yaml.Unmarshal([]byte(strings.Join(lines[:n], "")), &doc)
		if perr != nil && yamlLine.ReplaceAllString(perr.Error(), "") == msg {
			line = n
			break
		}
	}
	if line < 1 || line > len(lines) {
		return fmt.Errorf("%w: %s: %s", ErrConfig, path, msg)
	}
	text := strings.TrimRight(lines[line-1], "\r\n")
	hint := ""
	if strings.Contains(msg, "expected key") || strings.Contains(msg, "tab character") ||
		strings.Contains(msg, "mapping values are not allowed") {
		hint = " (check its indentation: the keys of one section line up, indented with spaces, never tabs)"
	}
	return fmt.Errorf("%w: %s:%d: %s: %q%s", ErrConfig, path, line, msg, text, hint)
}
