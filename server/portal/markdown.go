package portal

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md        = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Typographer))
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
	mdCache sync.Map // source → template.HTML; definitions are immutable
)

// Markdown renders admin-written Markdown to sanitised HTML: goldmark
// turns it into HTML (raw HTML in the source is dropped by goldmark's
// default, unsafe mode off) and bluemonday's UGC policy strips anything
// that could run script or restyle the page.
func Markdown(src string) template.HTML {
	if src == "" {
		return ""
	}
	if v, ok := mdCache.Load(src); ok {
		return v.(template.HTML)
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	out := template.HTML(sanitizer.SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitised above
	mdCache.Store(src, out)
	return out
}
