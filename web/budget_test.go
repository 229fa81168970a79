package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"testing"
)

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// TestPageWeight keeps a portal page (HTML + CSS, gzipped) within 30 KB and
// the stylesheet within 8 KB, with a catalogue of 60 procedures.
func TestPageWeight(t *testing.T) {
	r := newTestRenderer(t)
	css, err := fs.ReadFile(Static, "guichet.css")
	if err != nil {
		t.Fatal(err)
	}
	cssSize := gzipSize(t, css)
	if cssSize > 8<<10 {
		t.Errorf("guichet.css is %d bytes gzipped, budget 8 KB", cssSize)
	}
	page := CataloguePage{Categories: []string{"Construction", "Loisirs", "Déchets", "État civil", "Écoles"}}
	for i := range 60 {
		page.Items = append(page.Items, CatalogueItem{
			Slug:     fmt.Sprintf("demarche-%d", i),
			Title:    fmt.Sprintf("Démarche numéro %d de la commune", i),
			Summary:  "Une description courte de la démarche, d’une ou deux lignes, pour aider à choisir.",
			Category: page.Categories[i%len(page.Categories)],
		})
	}
	for _, p := range []struct {
		name string
		data any
	}{{"catalogue", page}, {"form", sampleFormPage()}} {
		html := render(t, r, "fr", p.name, p.data)
		size := gzipSize(t, []byte(html)) + cssSize
		t.Logf("%s: %d bytes HTML (%d gzipped) + CSS %d gzipped = %d", p.name, len(html), size-cssSize, cssSize, size)
		if size > 30<<10 {
			t.Errorf("%s page weighs %d bytes gzipped with its CSS, budget 30 KB", p.name, size)
		}
	}
}
