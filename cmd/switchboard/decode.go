package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder applies a YAML node tree to a struct strictly: an unknown key or a
// value of the wrong type is an error naming the key and its line.
type decoder struct {
	set   map[string]bool // keys seen, by dotted path
	lines map[string]int  // the line of each key (nil: not recorded)
}

// keyError is a bad key or value; Line is 0 when it came from env or flags.
type keyError struct {
	Line int
	Key  string
	Msg  string
}

func (e *keyError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d: %s: %s", e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Msg)
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return nil // "key:" with no value keeps the default
	}
	switch {
	case v.Kind() == reflect.Struct:
		return d.decodeStruct(n, v, key)
	case v.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		if err := uniqueKeys(n, key); err != nil {
			return err
		}
		for i := 0; d.lines != nil && i+1 < len(n.Content); i += 2 { // keys.<name>
			d.lines[joinKey(key, n.Content[i].Value)] = n.Content[i].Line
		}
		return decodeScalar(n, v, key)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		return d.decodeStructs(n, v, key)
	case v.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, item := range n.Content { // server.allowed_origins[0], ...
			if d.lines != nil {
				d.lines[fmt.Sprintf("%s[%d]", key, i)] = item.Line
			}
		}
		return decodeScalar(n, v, key)
	default:
		return decodeScalar(n, v, key)
	}
}

// uniqueKeys refuses a mapping that has a key twice: yaml.v3 would keep
// the last value (or, for two server: blocks, merge them) without a word.
func uniqueKeys(n *yaml.Node, key string) error {
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if line, dup := first[k.Value]; dup {
			return &keyError{k.Line, joinKey(key, k.Value), fmt.Sprintf("is set twice, on line %d and on line %d; keep one (merge the two)", line, k.Line)}
		}
		first[k.Value] = k.Line
	}
	return nil
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind != yaml.MappingNode {
		return &keyError{n.Line, orTop(key), "must be a mapping of keys (key: value lines indented under it)"}
	}
	if err := uniqueKeys(n, key); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		full := joinKey(key, k.Value)
		idx, ok := structField(v.Type(), k.Value)
		if !ok {
			return &keyError{k.Line, full, fmt.Sprintf("unknown key; the keys here are: %s",
				strings.Join(structKeys(v.Type()), ", "))}
		}
		if err := d.decode(val, v.FieldByIndex(idx), full); err != nil {
			return err
		}
		if d.set != nil {
			d.set[full] = true
		}
		if d.lines != nil {
			d.lines[full] = k.Line
		}
	}
	return nil
}

func (d *decoder) decodeStructs(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind != yaml.SequenceNode {
		return &keyError{n.Line, key, "must be a list (lines starting with -)"}
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	sub := decoder{lines: d.lines} // keys inside list items are not tracked as set, their lines are
	for i, item := range n.Content {
		if d.lines != nil {
			d.lines[fmt.Sprintf("%s[%d]", key, i)] = item.Line
		}
		if err := sub.decode(item, out.Index(i), fmt.Sprintf("%s[%d]", key, i)); err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

// decodeScalar decodes a leaf (scalar, list of scalars, or map).
func decodeScalar(n *yaml.Node, v reflect.Value, key string) error {
	if v.Type() == durationType {
		return decodeDuration(n, v, key)
	}
	if isInteger(v.Type()) && n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
		return &keyError{n.Line, key, fmt.Sprintf("%s is not a whole number", n.Value)} // yaml.v3 would cut 19881.9 to 19881
	}
	tmp := reflect.New(v.Type())
	if err := n.Decode(tmp.Interface()); err != nil {
		return &keyError{n.Line, key, fmt.Sprintf("%s is not %s", describeNode(n), kindName(v.Type()))}
	}
	v.Set(tmp.Elem())
	return nil
}

func decodeDuration(n *yaml.Node, v reflect.Value, key string) error {
	if n.Kind != yaml.ScalarNode {
		return &keyError{n.Line, key, "must be a duration such as 30s, 2m or 1h30m"}
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		return &keyError{n.Line, key, fmt.Sprintf("%s has no unit; write a duration such as %ss", n.Value, n.Value)}
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		return &keyError{n.Line, key, fmt.Sprintf("%q is not a duration; write one such as 30s, 2m or 1h30m", n.Value)}
	}
	v.SetInt(int64(dur))
	return nil
}

// setFromString sets v (the key's field) from an env or flag value: strings
// as is, []string comma-separated, map[string]string as "k1:v1,k2:v2",
// anything else parsed as YAML (numbers, booleans, durations, flow lists).
func setFromString(v reflect.Value, key, s string) error {
	switch {
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		v.Set(reflect.ValueOf(splitList(s)).Convert(v.Type()))
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && v.Type().Elem().Kind() == reflect.String:
		m, err := parsePairs(s)
		if err != nil {
			return &keyError{Key: key, Msg: err.Error()}
		}
		v.Set(reflect.ValueOf(m).Convert(v.Type()))
	default:
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(s), &doc); err != nil || len(doc.Content) == 0 {
			return &keyError{Key: key, Msg: fmt.Sprintf("%q is not %s", s, kindName(v.Type()))}
		}
		if v.Kind() == reflect.Slice && doc.Content[0].Kind != yaml.SequenceNode {
			// a list of objects: "lines starting with -" cannot be written here
			return &keyError{Key: key, Msg: "must be a list of objects in YAML flow style, e.g. [{urls: [\"stun:stun.example.com:3478\"]}] for media.ice_servers"}
		}
		if err := (&decoder{}).decode(doc.Content[0], v, key); err != nil {
			var ke *keyError
			if errors.As(err, &ke) {
				ke.Line = 0
			}
			return err
		}
	}
	return nil
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parsePairs reads "key1:secret1,key2:secret2".
func parsePairs(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, p := range splitList(s) {
		k, v, ok := strings.Cut(p, ":")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("want key:secret pairs separated by commas (key1:secret1,key2:secret2), got an entry without both parts")
		}
		m[k] = v
	}
	return m, nil
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return fmt.Sprintf("%q", n.Value)
	}
}

func isInteger(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func kindName(t reflect.Type) string {
	switch {
	case t.Kind() == reflect.Bool:
		return "true or false"
	case isInteger(t):
		return "a whole number"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() == reflect.Map:
		return "a mapping"
	default:
		return "a " + t.String()
	}
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func orTop(key string) string {
	if key == "" {
		return "(top level)"
	}
	return key
}
