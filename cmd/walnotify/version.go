package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// buildInfo is what the binary knows of its own build.
type buildInfo struct {
	Version, Commit, GoVersion string
	Modified                   bool
}

// readBuildInfo reads the module version and the VCS stamp Go records in the binary.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: "(devel)", Commit: "unknown", GoVersion: "unknown"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.GoVersion = info.GoVersion
	if v := info.Main.Version; v != "" {
		b.Version = v
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

func (b buildInfo) String() string {
	commit := b.Commit
	if b.Modified {
		commit += " (modified)"
	}
	return fmt.Sprintf("walnotify %s, commit %s, %s", b.Version, commit, b.GoVersion)
}

func cmdVersion(_ context.Context, env *cmdEnv, args []string) error {
	fs := newCommandFlags(env, "version")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, readBuildInfo())
	return nil
}
