// Package web holds everything a browser receives from the Go server: the
// server-rendered templates of the portal and back-office with their view
// models ([Envelope] and the *Page types), the message catalogue they use
// ([T]), the stylesheet, and the admin SPA (web/admin). Templates are
// parsed once by [NewRenderer]; files are embedded in the binary.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var files embed.FS

// Static is the content of web/static, to be served under /static/. Its
// URLs carry a content hash (see [Renderer.StaticURL]), so responses may be
// cached for a long time.
var Static fs.FS = mustSub(files, "static")

// templatesFS is the content of web/templates.
var templatesFS fs.FS = mustSub(files, "templates")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // only on an invalid literal dir
	}
	return sub
}
