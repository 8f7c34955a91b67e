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
// did not find expected key"), so the offending line is the first line, from
// the one reported on, whose addition makes the file fail with the same
// message. (Not from the top: a shorter prefix can fail with the same
// message where the file does not, e.g. a flow list that the next line
// closes.) The search parses at most syntaxSearchBytes in all, so a large
// file is explained at once, with yaml's own line when the budget runs out.
func syntaxError(path string, data []byte, err error) error {
	msg := yamlLine.ReplaceAllString(err.Error(), "")
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	lines := strings.SplitAfter(string(data), "\n")
	if line >= 1 && line <= len(lines) {
		end := 0 // the end of lines[:n]
		for _, l := range lines[:line-1] {
			end += len(l)
		}
		budget := syntaxSearchBytes
		for n := line; n <= len(lines) && budget >= end+len(lines[n-1]); n++ {
			end += len(lines[n-1])
			budget -= end
			var doc yaml.Node
			perr := yaml.Unmarshal(data[:end], &doc)
			if perr != nil && yamlLine.ReplaceAllString(perr.Error(), "") == msg {
				line = n
				break
			}
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

// syntaxSearchBytes bounds syntaxError's search: about 0.1 s of parsing
// here, twice what searching the whole example config (configs/, 11 KB)
// from its first line takes.
const syntaxSearchBytes = 4 << 20
