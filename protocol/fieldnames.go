package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// CheckFieldNames refuses what encoding/json lets through in an object it
// decoded into the struct v points to: a key that names a field in
// another case ("SessionId" for "sessionId": the schema's names are exact)
// and a key given twice (json keeps the last; another parser, e.g. a
// proxy's, may keep the first). Nested objects are not looked into. raw
// must have decoded into v without error.
func CheckFieldNames(raw []byte, v any) error {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	names := fieldNamesOf(t)
	// A scan of the top-level keys, without allocating (every request's
	// params pass here); a key with an escape, or more keys than seen
	// holds, goes the Decoder's way.
	var seen [16][]byte
	n := 0
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil
	}
	for i = skipSpace(raw, i+1); i < len(raw) && raw[i] != '}'; i = skipSpace(raw, i+1) {
		if raw[i] != '"' {
			return nil
		}
		end, _ := skipString(raw, i+1)
		if end < 0 {
			return nil
		}
		key := raw[i+1 : end]
		if bytes.IndexByte(key, '\\') >= 0 || n == len(seen) {
			return checkFieldNamesSlow(raw, names)
		}
		if err := names.check(key); err != nil {
			return err
		}
		for _, k := range seen[:n] {
			if bytes.Equal(k, key) {
				return fmt.Errorf("field %q is given twice", key)
			}
		}
		seen[n] = key
		n++
		if i = skipSpace(raw, end+1); i >= len(raw) || raw[i] != ':' {
			return nil
		}
		if i = skipValue(raw, skipSpace(raw, i+1)); i < 0 {
			return nil
		}
		if i = skipSpace(raw, i); i >= len(raw) || raw[i] != ',' {
			return nil // '}' (done) or not an object: decoding judged it
		}
	}
	return nil
}

// checkFieldNamesSlow is CheckFieldNames through a json.Decoder, which
// unescapes keys.
func checkFieldNamesSlow(raw []byte, names fieldNames) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		if err := names.check([]byte(key)); err != nil {
			return err
		}
		if seen[key] {
			return fmt.Errorf("field %q is given twice", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}

// fieldNames are a struct type's JSON field names, exactly: each exported
// field's tag name, or its Go name when untagged (as encoding/json names
// it).
type fieldNames map[string]bool

// check refuses key unless it is a field's name exactly. Decoding with
// unknown fields refused took the key, so it matched a field as
// encoding/json matches them: ignoring case, with its Unicode folds too
// (the Kelvin sign for k, the long s for s).
func (f fieldNames) check(key []byte) error {
	if f[string(key)] {
		return nil // (the conversion in an index allocates nothing)
	}
	for name := range f {
		if strings.EqualFold(name, string(key)) {
			return fmt.Errorf("field %q: names are case-sensitive; it is %q", key, name)
		}
	}
	return fmt.Errorf("field %q: names are case-sensitive, and no field is named so exactly", key)
}

var fieldNamesCache sync.Map // reflect.Type -> fieldNames

func fieldNamesOf(t reflect.Type) fieldNames {
	if f, ok := fieldNamesCache.Load(t); ok {
		return f.(fieldNames)
	}
	f := fieldNames{}
	addFieldNames(f, t)
	fieldNamesCache.Store(t, f)
	return f
}

func addFieldNames(f fieldNames, t reflect.Type) {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFieldNames(f, ft)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f[name] = true
	}
}
