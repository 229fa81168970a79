package web

import (
	"embed"
	"io/fs"
)

// adminFiles is the built admin SPA (web/admin, React + Vite). Its dist/ is
// committed so that `go run ./server` needs no Node.js; rebuild it with
// `make web` (cd web/admin && npm ci && npm run build), which is
// reproducible: CI checks that a rebuild gives the same files.
//
//go:embed all:admin/dist
var adminFiles embed.FS

// Admin is the content of web/admin/dist, to be served under /admin/:
// index.html (which must not be cached, and is the fallback for every path
// that is not a file) and assets/ whose names carry a content hash (cache
// for a long time).
var Admin fs.FS = mustSub(adminFiles, "admin/dist")
