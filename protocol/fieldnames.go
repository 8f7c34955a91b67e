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
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var seen []string // a few keys: a slice beats a map
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		if exact, tagged := names.lookup(key); tagged && exact != key {
			return fmt.Errorf("field %q: names are case-sensitive; it is %q", key, exact)
		}
		for _, k := range seen {
			if k == key {
				return fmt.Errorf("field %q is given twice", key)
			}
		}
		seen = append(seen, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}

// fieldNames are a struct type's JSON field names: the exact name of each
// tagged field by its lower-case form (untagged fields are matched by
// encoding/json's own rule and not checked).
type fieldNames map[string]string

func (f fieldNames) lookup(key string) (exact string, tagged bool) {
	exact, tagged = f[strings.ToLower(key)]
	return exact, tagged
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
		if name == "-" && tag == "-" {
			continue
		}
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFieldNames(f, ft)
			}
			continue
		}
		if name != "" && sf.IsExported() {
			f[strings.ToLower(name)] = name
		}
	}
}
