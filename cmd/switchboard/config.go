package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/spf13/pflag"
	"github.com/switchboard-rtc/switchboard/server"
	"gopkg.in/yaml.v3"
)

// Config is the whole configuration file: the log section plus everything
// server.Start takes. Layering: defaults -> YAML file -> SWITCHBOARD_* env -> flags.
type Config struct {
	Log           LogConfig     `yaml:"log"`
	Runtime       RuntimeConfig `yaml:"runtime"`
	server.Config `yaml:",inline"`
}

// LogConfig selects the log level and format.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text or json.
	Format string `yaml:"format"`
}

// envPrefix starts every environment variable switchboard reads.
const envPrefix = "SWITCHBOARD_"

// ErrConfig wraps every configuration error.
var ErrConfig = errors.New("config")

// defaultConfig is every package's documented defaults.
func defaultConfig() Config {
	return Config{
		Log:     LogConfig{Level: "info", Format: "text"},
		Runtime: RuntimeConfig{KeepMonitorAwake: true},
		Config:  server.DefaultConfig(),
	}
}

// loaded is a layered configuration and which keys the user set (by any
// layer), so that --dev only changes what the user left alone.
type loaded struct {
	Config
	set map[string]bool
	// path is the YAML file, lines the line of each key it set (keys an
	// env variable or flag set afterwards are dropped): validation errors
	// name them as decoding errors do.
	path  string
	lines map[string]int
	// from is the env variable (SWITCHBOARD_LOG_LEVEL) or flag
	// (--log-level) that set each key last: validation errors name it.
	from map[string]string
}

// loadConfig layers the defaults, the YAML file at path (if any), the
// SWITCHBOARD_* variables of environ and the changed flags of fs that
// flagKeys maps to config keys. It does not validate.
func loadConfig(path string, environ []string, fs *pflag.FlagSet, flagKeys map[string]string) (loaded, error) {
	l := loaded{Config: defaultConfig(), set: map[string]bool{}, path: path, lines: map[string]int{}, from: map[string]string{}}
	fields := configFields()
	if path != "" {
		if err := l.applyFile(path); err != nil {
			return l, err
		}
	}
	if err := l.applyEnv(environ, fields); err != nil {
		return l, err
	}
	if fs != nil {
		if err := l.applyFlags(fs, flagKeys, fields); err != nil {
			return l, err
		}
	}
	return l, nil
}

func (l *loaded) applyFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return syntaxError(path, data, err)
	}
	if len(doc.Content) == 0 { // an empty file
		return nil
	}
	d := decoder{set: l.set, lines: l.lines}
	if err := d.decode(doc.Content[0], reflect.ValueOf(&l.Config).Elem(), ""); err != nil {
		return fmt.Errorf("%w: %s:%v", ErrConfig, path, err)
	}
	return nil
}

func (l *loaded) applyEnv(environ []string, fields map[string]field) error {
	byEnv := map[string]field{}
	for _, f := range fields {
		byEnv[f.env] = f
	}
	var errs []error
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) {
			continue
		}
		f, ok := byEnv[name]
		if !ok {
			errs = append(errs, fmt.Errorf("%w: unknown environment variable %s (see configs/switchboard.yaml for the keys; SWITCHBOARD_MEDIA_UDP_PORT sets media.udp_port)", ErrConfig, name))
			continue
		}
		if err := l.setString(f, value, name); err != nil {
			errs = append(errs, fmt.Errorf("%w: %s: %v", ErrConfig, name, err))
		}
	}
	return errors.Join(errs...)
}

func (l *loaded) applyFlags(fs *pflag.FlagSet, flagKeys map[string]string, fields map[string]field) error {
	var errs []error
	fs.Visit(func(fl *pflag.Flag) {
		key, ok := flagKeys[fl.Name]
		if !ok {
			return
		}
		if err := l.setString(fields[key], flagString(fl), "--"+fl.Name); err != nil {
			errs = append(errs, fmt.Errorf("%w: --%s: %v", ErrConfig, fl.Name, err))
		}
	})
	return errors.Join(errs...)
}

// flagString is a flag's value as a config string (slices comma-joined).
func flagString(fl *pflag.Flag) string {
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		return strings.Join(sv.GetSlice(), ",")
	}
	return fl.Value.String()
}

// setString sets one key from an env or flag string; source is the env
// variable or flag.
func (l *loaded) setString(f field, value, source string) error {
	v := reflect.ValueOf(&l.Config).Elem().FieldByIndex(f.index)
	if err := setFromString(v, f.key, value); err != nil {
		return err
	}
	l.set[f.key] = true
	l.forgetLines(f.key)
	l.from[f.key] = source
	return nil
}
