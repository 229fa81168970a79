package main

import "errors"

// runLoad is the load generator (see docs/PERFORMANCE.md).
func runLoad(args []string) error {
	return errors.New("load: not built yet")
}
