package main

import (
	"fmt"
	"strings"
)

// validate checks the layered config; an error about a key the YAML file
// set names the file and the key's line, as a decoding error does.
func (l *loaded) validate() error { return l.Config.validateAt(l.at) }

// validateTokenKeys checks what token create uses (validateTokenKeysAt),
// naming the file's lines as validate does.
func (l *loaded) validateTokenKeys() error { return l.Config.validateTokenKeysAt(l.at) }

// at is "path:line: " for a key the file set, "SWITCHBOARD_X: " or
// "--flag: " for a key (or the key above it: SWITCHBOARD_KEYS for
// keys.k1) an env variable or flag set, "" for a default. key may be
// followed by more text ("turn.tls_cert and turn.tls_key"): its leading key
// is looked up. A key inside a list item that the file left out is named by
// the item's line.
func (l *loaded) at(key string) string {
	if i := strings.IndexFunc(key, func(r rune) bool { return !isKeyRune(r) }); i >= 0 {
		key = key[:i]
	}
	for k := key; k != ""; k = parentKey(k) {
		if src, ok := l.from[k]; ok {
			return src + ": "
		}
	}
	for {
		if line, ok := l.lines[key]; ok && line > 0 {
			return fmt.Sprintf("%s:%d: ", l.path, line)
		}
		// a key the file left out of a list item (media.ice_servers[0].username): the item's line
		i := strings.LastIndex(key, "].")
		if i < 0 {
			return ""
		}
		key = key[:i+1]
	}
}

// parentKey is the key above k (media for media.udp_port,
// media.ice_servers for media.ice_servers[0]), "" at the top.
func parentKey(k string) string {
	i := strings.LastIndexAny(k, ".[")
	if i < 0 {
		return ""
	}
	return k[:i]
}

func isKeyRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_.-[]", r)
}

// forgetLines drops the file's line of key and of the keys under it: an
// env variable or flag set it since.
func (l *loaded) forgetLines(key string) {
	for k := range l.lines {
		if k == key || strings.HasPrefix(k, key+".") || strings.HasPrefix(k, key+"[") {
			delete(l.lines, k)
		}
	}
}
