package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/forms"
)

// funcs returns the template functions, with those that speak bound to
// lang:
//
//	t "key" args…        message of the catalogue (see [T])
//	tn "key" n args…     plural message (see [TN])
//	lang, otherLang      "fr"/"en", and the one the switch link offers
//	date, datetime       23.11.2026 (à 14:05) / 23 November 2026 (at 2:05pm)
//	isotime              RFC 3339, for <time datetime>
//	static "file"        /static/file?v=<hash>
//	accent "#rrggbb"     the site colour as CSS, or the default one
//	fileHint field       accepted types and size limit of a file field
//	dict k v …, add, host, bytes, join: small helpers
//
// plus the field helpers of fields.go.
func (r *Renderer) funcs(lang string) template.FuncMap {
	fm := template.FuncMap{
		"t":         func(key string, args ...any) string { return T(lang, key, args...) },
		"tn":        func(key string, n int, args ...any) string { return TN(lang, key, n, args...) },
		"lang":      func() string { return lang },
		"otherLang": func() string { return otherLang(lang) },
		"date":      func(t time.Time) string { return formatTime(lang, t, r.loc, false) },
		"datetime":  func(t time.Time) string { return formatTime(lang, t, r.loc, true) },
		"isotime":   func(t time.Time) string { return t.In(r.loc).Format(time.RFC3339) },
		"static":    r.staticFunc,
		"accent":    accentCSS,
		"dict":      dict,
		"add":       func(a, b int) int { return a + b },
		"host":      hostOf,
		"bytes":     func(n int64) string { return formatBytes(lang, n) },
		"fileHint":  func(f forms.Field) string { return fileHint(lang, f) },
		"join":      strings.Join,

		"statusTitle":   func(status int) string { return StatusTitle(lang, status) },
		"statusMessage": func(status int) string { return T(lang, StatusMessageKey(status)) },
	}
	for k, v := range fieldFuncs {
		fm[k] = v
	}
	return fm
}

func (r *Renderer) staticFunc(name string) (string, error) {
	if u, ok := r.static[name]; ok {
		return u, nil
	}
	return "", fmt.Errorf("static %q: %w", name, errUnknownStatic)
}

// formatTime formats t in loc: "23.11.2026 à 14:05" in French (the Swiss
// usage), "23 November 2026 at 2:05pm" in English (GOV.UK style).
func formatTime(lang string, t time.Time, loc *time.Location, withTime bool) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	switch {
	case lang == "en" && withTime:
		return t.Format("2 January 2006 at 3:04pm")
	case lang == "en":
		return t.Format("2 January 2006")
	case withTime:
		return t.Format("02.01.2006 à 15:04")
	default:
		return t.Format("02.01.2006")
	}
}

// formatBytes gives a size in the largest binary unit that keeps it ≥ 1,
// with one decimal at most: "5 Mo", "1,5 Mo" / "5 MB", "1.5 MB".
func formatBytes(lang string, n int64) string {
	units := []string{"unit.b", "unit.kb", "unit.mb", "unit.gb"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	if lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return T(lang, units[i], s)
}

// mediaNames are the short names of the media types most forms accept.
var mediaNames = map[string]string{
	"application/pdf":    "PDF",
	"image/jpeg":         "JPEG",
	"image/png":          "PNG",
	"image/gif":          "GIF",
	"image/webp":         "WebP",
	"image/heic":         "HEIC",
	"image/tiff":         "TIFF",
	"text/plain":         "TXT",
	"text/csv":           "CSV",
	"application/zip":    "ZIP",
	"application/msword": "Word (DOC)",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
	"application/vnd.ms-excel": "Excel (XLS)",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
	"application/vnd.oasis.opendocument.text":                           "OpenDocument (ODT)",
	"application/vnd.oasis.opendocument.spreadsheet":                    "OpenDocument (ODS)",
}

// fileHint tells the accepted types and size limit of a file field, "" for
// other fields.
func fileHint(lang string, f forms.Field) string {
	if f.Widget != forms.WidgetFile {
		return ""
	}
	var parts []string
	if len(f.Accept) > 0 {
		parts = append(parts, T(lang, "form.file.accept", acceptList(lang, f.Accept)))
	}
	if f.MaxBytes > 0 {
		parts = append(parts, T(lang, "form.file.max", formatBytes(lang, f.MaxBytes)))
	}
	return strings.Join(parts, " ")
}

// acceptList names accepted file types for people: "PDF, JPEG, toute image".
func acceptList(lang string, types []string) string {
	names := make([]string, 0, len(types))
	for _, t := range types {
		t = strings.ToLower(strings.TrimSpace(t))
		switch name, ok := mediaNames[t]; {
		case ok:
			names = append(names, name)
		case t == "image/*":
			names = append(names, T(lang, "form.file.any_image"))
		case strings.HasPrefix(t, "."):
			names = append(names, strings.ToUpper(t[1:]))
		default:
			_, sub, _ := strings.Cut(t, "/")
			names = append(names, strings.ToUpper(sub))
		}
	}
	return strings.Join(names, ", ")
}

// hostOf returns the host of an absolute URL, or the URL itself.
func hostOf(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return s
}

// dict builds a map from key, value pairs, to pass several values to a
// sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// DefaultAccent is the accent colour when the site sets none or one that
// is unreadable on white.
const DefaultAccent = "#0b4f8a"

var hexColour = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// accentCSS returns the site's accent colour when it is a hex colour with
// at least 4.5:1 contrast against white (it is used for text and links on
// white, and behind white text), else [DefaultAccent].
func accentCSS(c string) template.CSS {
	c = strings.TrimSpace(c)
	if !hexColour.MatchString(c) || ContrastOnWhite(c) < 4.5 {
		c = DefaultAccent
	}
	return template.CSS(c)
}

// ContrastOnWhite returns the WCAG contrast ratio of a #rgb or #rrggbb
// colour against white, or 0 when c is not such a colour. Admin screens can
// use it to refuse an accent colour that [Site] would not show.
func ContrastOnWhite(c string) float64 {
	if !hexColour.MatchString(c) {
		return 0
	}
	h := c[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	v, _ := strconv.ParseUint(h, 16, 32)
	lin := func(b uint64) float64 {
		s := float64(b) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	return 1.05 / (l + 0.05)
}
