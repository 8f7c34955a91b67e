package bench

import (
	"context"
	"fmt"
	"os"

	"github.com/switchboard-rtc/switchboard/server"
	"gopkg.in/yaml.v3"
)

// runSwitchboard runs server.Start from a config file the bench wrote, until
// ctx ends: the switchboard child of this test binary (`switchboard bench`
// runs `switchboard serve`; the bench itself never links the server).
func runSwitchboard(ctx context.Context, configPath string) error {
	raw, err := os.ReadFile(configPath)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrChild, err)
	}
	var file struct {
		server.Config `yaml:",inline"`
		Log           map[string]string `yaml:"log"`
	}
	file.Config = server.DefaultConfig()
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrChild, configPath, err)
	}
	app, err := server.Start(ctx, file.Config)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return app.Close() // the bench has ended its calls: no drain
}
