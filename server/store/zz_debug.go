package store

import (
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

// Temporary instrumentation (perf investigation), removed before the end.
var DebugTx [4]struct{ N, Items, Nanos, CommitNanos atomic.Int64 }

func init() {
	if os.Getenv("GUICHET_DEBUG_TX") == "" {
		return
	}
	go func() {
		names := []string{"submit", "batch", "x", "y"}
		for range time.Tick(time.Second) {
			s := ""
			for i := range DebugTx {
				d := &DebugTx[i]
				n, it, ns, cn := d.N.Swap(0), d.Items.Swap(0), d.Nanos.Swap(0), d.CommitNanos.Swap(0)
				if n > 0 {
					s += fmt.Sprintf(" %s: tx/s %d items/tx %.1f tx %.2fms commit %.2fms |", names[i], n, float64(it)/float64(n), float64(ns)/float64(n)/1e6, float64(cn)/float64(n)/1e6)
				}
			}
			if s != "" {
				fmt.Fprintln(os.Stderr, "DEBUG"+s)
			}
		}
	}()
}
