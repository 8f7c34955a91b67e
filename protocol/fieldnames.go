package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// CheckFieldNames refuses what encoding/json lets through in an object it
// decoded into the struct v points to: a key that names a field in
// another case ("SessionId" for "sessionId": the schema's names are exact),
// a key given twice (json keeps the last; another parser, e.g. a proxy's,
// may keep the first), and a field tagged `wire:"required"` that is absent
// or, unless its Go type is a pointer, null (json leaves the zero value:
// a missing "muted" would read as false). Nested objects are looked into
// only where their struct type has required fields of its own. raw must
// have decoded into v without error.
func CheckFieldNames(raw []byte, v any) error {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return checkObject(raw, fieldNamesOf(t))
}

// checkObject is CheckFieldNames for the fields names describes.
func checkObject(raw []byte, names *fieldNames) error {
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
		start := skipSpace(raw, i+1)
		if i = skipValue(raw, start); i < 0 {
			return nil
		}
		if err := names.checkValue(key, raw[start:i], checkObject); err != nil {
			return err
		}
		if i = skipSpace(raw, i); i >= len(raw) || raw[i] != ',' {
			break // '}' (done) or not an object: decoding judged it
		}
	}
	return names.checkPresent(func(name string) bool {
		for _, k := range seen[:n] {
			if string(k) == name {
				return true
			}
		}
		return false
	})
}

// checkFieldNamesSlow is CheckFieldNames through a json.Decoder, which
// unescapes keys.
func checkFieldNamesSlow(raw []byte, names *fieldNames) error {
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
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil
		}
		if err := names.checkValue([]byte(key), value, checkFieldNamesSlow); err != nil {
			return err
		}
	}
	return names.checkPresent(func(name string) bool { return seen[name] })
}

// fieldNames are a struct type's JSON field names, exactly: each exported
// field's tag name, or its Go name when untagged (as encoding/json names
// it); which of them are required; and the fields to look into.
type fieldNames struct {
	names map[string]bool
	// required: the fields tagged `wire:"required"`, in field order.
	required []requiredField
	// nested: the fields whose struct type (or pointer to one) has
	// required fields, by name.
	nested map[string]*fieldNames
}

// requiredField is a field that must be given; null too, if nullable.
type requiredField struct {
	name     string
	nullable bool         // a pointer: null is a value of its own
	kind     reflect.Kind // what a null is refused as
}

// checkValue refuses a null for a required field that is not nullable and
// checks a nested object with check (the fast scan or the Decoder's).
func (f *fieldNames) checkValue(key, value []byte, check func([]byte, *fieldNames) error) error {
	if len(f.required) == 0 && len(f.nested) == 0 {
		return nil
	}
	value = bytes.TrimSpace(value)
	if string(value) == "null" {
		for _, r := range f.required {
			if r.name == string(key) && !r.nullable {
				return &fieldError{path: r.name, problem: "must be " + jsonKind(r.kind) + ", not null"}
			}
		}
		return nil
	}
	inner := f.nested[string(key)]
	if inner == nil || len(value) == 0 || value[0] != '{' {
		return nil
	}
	err := check(value, inner)
	var fe *fieldError
	if errors.As(err, &fe) {
		return &fieldError{path: string(key) + "." + fe.path, problem: fe.problem}
	}
	if err != nil {
		return fmt.Errorf("in field %q: %w", key, err)
	}
	return nil
}

// checkPresent refuses an object without one of the required fields
// (given reports whether a key was in it).
func (f *fieldNames) checkPresent(given func(name string) bool) error {
	for _, r := range f.required {
		if !given(r.name) {
			return &fieldError{path: r.name, problem: "is required"}
		}
	}
	return nil
}

// fieldError: a required field is absent or null; path names it from the
// object checked ("candidate.candidate": the candidate's own field).
type fieldError struct{ path, problem string }

func (e *fieldError) Error() string { return fmt.Sprintf("field %q %s", e.path, e.problem) }

// check refuses key unless it is a field's name exactly. Decoding with
// unknown fields refused took the key, so it matched a field as
// encoding/json matches them: ignoring case, with its Unicode folds too
// (the Kelvin sign for k, the long s for s).
func (f *fieldNames) check(key []byte) error {
	if f.names[string(key)] {
		return nil // (the conversion in an index allocates nothing)
	}
	for name := range f.names {
		if strings.EqualFold(name, string(key)) {
			return fmt.Errorf("field %q: names are case-sensitive; it is %q", key, name)
		}
	}
	return fmt.Errorf("field %q: names are case-sensitive, and no field is named so exactly", key)
}

var fieldNamesCache sync.Map // reflect.Type -> *fieldNames

func fieldNamesOf(t reflect.Type) *fieldNames {
	if f, ok := fieldNamesCache.Load(t); ok {
		return f.(*fieldNames)
	}
	f := buildFieldNames(t, map[reflect.Type]*fieldNames{})
	fieldNamesCache.Store(t, f)
	return f
}

// buildFieldNames describes struct type t; building holds the types being
// described further up (a type that contains itself refers to its own).
func buildFieldNames(t reflect.Type, building map[reflect.Type]*fieldNames) *fieldNames {
	if f := building[t]; f != nil {
		return f
	}
	f := &fieldNames{names: map[string]bool{}}
	building[t] = f
	addFieldNames(f, t, building)
	return f
}

func addFieldNames(f *fieldNames, t reflect.Type, building map[reflect.Type]*fieldNames) {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			addFieldNames(f, ft, building)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f.names[name] = true
		if sf.Tag.Get("wire") == "required" {
			f.required = append(f.required, requiredField{name: name, nullable: sf.Type.Kind() == reflect.Pointer, kind: ft.Kind()})
		}
		if ft.Kind() == reflect.Struct {
			if inner := buildFieldNames(ft, building); len(inner.required) > 0 || len(inner.nested) > 0 {
				if f.nested == nil {
					f.nested = map[string]*fieldNames{}
				}
				f.nested[name] = inner
			}
		}
	}
}
