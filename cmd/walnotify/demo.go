package main

import "context"

func cmdDemo(ctx context.Context, env *cmdEnv, args []string) error {
	return usagef("demo is not yet available")
}
