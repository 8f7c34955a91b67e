package main

import (
	"reflect"
	"slices"
	"strings"
	"time"
)

// field is one settable config key (a leaf of the Config struct).
type field struct {
	key   string // dotted YAML path, e.g. media.udp_port
	env   string // e.g. SWITCHBOARD_MEDIA_UDP_PORT
	index []int  // reflect field index from Config
	typ   reflect.Type
}

var durationType = reflect.TypeOf(time.Duration(0))

// configFields lists every leaf key of Config by walking its yaml tags, so
// fields teammates add to a package Config get a key and an env name.
func configFields() map[string]field {
	out := map[string]field{}
	walkFields(reflect.TypeOf(Config{}), "", nil, out)
	return out
}

func walkFields(t reflect.Type, prefix string, index []int, out map[string]field) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, inline, skip := yamlName(sf)
		if skip {
			continue
		}
		idx := append(append([]int(nil), index...), i)
		if inline {
			walkFields(sf.Type, prefix, idx, out)
			continue
		}
		key := prefix + name
		if sf.Type.Kind() == reflect.Struct && sf.Type != durationType {
			walkFields(sf.Type, key+".", idx, out)
			continue
		}
		out[key] = field{
			key:   key,
			env:   envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")),
			index: idx,
			typ:   sf.Type,
		}
	}
}

// yamlName reads a field's yaml tag: its key, whether it is inlined, and
// whether it is skipped (yaml:"-" or unexported).
func yamlName(sf reflect.StructField) (name string, inline, skip bool) {
	if !sf.IsExported() {
		return "", false, true
	}
	tag := sf.Tag.Get("yaml")
	if tag == "-" {
		return "", false, true
	}
	name, opts, _ := strings.Cut(tag, ",")
	inline = strings.Contains(opts, "inline")
	if name == "" {
		name = strings.ToLower(sf.Name)
	}
	return name, inline, false
}

// structField finds the field of struct type t whose YAML key is key,
// looking through inlined structs; ok is false if there is none.
func structField(t reflect.Type, key string) (index []int, ok bool) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, inline, skip := yamlName(sf)
		switch {
		case skip:
		case inline:
			if sub, ok := structField(sf.Type, key); ok {
				return append([]int{i}, sub...), true
			}
		case name == key:
			return []int{i}, true
		}
	}
	return nil, false
}

// structKeys lists the YAML keys of struct type t (for "did you mean").
func structKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		sf := t.Field(i)
		name, inline, skip := yamlName(sf)
		switch {
		case skip:
		case inline:
			keys = append(keys, structKeys(sf.Type)...)
		default:
			keys = append(keys, name)
		}
	}
	return keys
}

// sortedFields returns fields ordered by key, for stable messages.
func sortedFields(m map[string]field) []field {
	out := make([]field, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b field) int { return strings.Compare(a.key, b.key) })
	return out
}
