package forms

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// count writes "1 élément", "3 éléments", "2 items".
func (m msgCtx) count(n, fr, en string) string {
	word := m.pick(fr, en)
	if n != "1" && n != "0" || (m.en && n == "0") {
		word += "s"
	}
	return n + " " + word
}

func (m msgCtx) chars(n string) string { return m.count(n, "caractère", "character") }

// fileTypes names accepted media types as people know them: "PDF, JPG ou PNG".
func (m msgCtx) fileTypes(args []any) string {
	names := make([]string, 0, len(args))
	for _, a := range args {
		mt, _ := a.(string)
		var name string
		switch {
		case mt == "application/pdf":
			name = "PDF"
		case mt == "image/jpeg":
			name = "JPG"
		case strings.HasSuffix(mt, "/*"):
			name = mt[:len(mt)-2]
			if fr, ok := frenchKinds[name]; ok && !m.en {
				name = fr
			}
		case strings.Contains(mt, "wordprocessingml") || mt == "application/msword":
			name = "Word"
		case strings.Contains(mt, "spreadsheetml") || mt == "application/vnd.ms-excel":
			name = "Excel"
		default:
			_, sub, _ := strings.Cut(mt, "/")
			name = strings.ToUpper(strings.TrimPrefix(sub, "x-"))
		}
		if name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	last := m.pick(" ou ", " or ")
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}

// bytes writes a size limit: "5 Mo", "500 ko" / "5MB", "500KB".
func (m msgCtx) bytes(args []any) string {
	var n float64
	if len(args) > 0 {
		switch x := args[0].(type) {
		case int64:
			n = float64(x)
		case int:
			n = float64(x)
		case float64:
			n = x
		}
	}
	unit, size := m.pick("octets", "bytes"), n
	switch {
	case n >= 1<<20:
		unit, size = m.pick("Mo", "MB"), n/(1<<20)
	case n >= 1<<10:
		unit, size = m.pick("ko", "KB"), n/(1<<10)
	}
	num := strconv.FormatFloat(size, 'f', -1, 64)
	if size != float64(int64(size)) {
		num = strconv.FormatFloat(size, 'f', 1, 64)
	}
	if m.en {
		if unit == "bytes" {
			return num + " bytes"
		}
		return num + unit
	}
	return strings.Replace(num, ".", ",", 1) + "\u00a0" + unit
}

func argText(args []any, i int) string {
	if i >= len(args) {
		return ""
	}
	return formatValue(args[i])
}

func joinArgs(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = formatValue(a)
	}
	return strings.Join(parts, ", ")
}

// frenchKinds names the top-level media types in French.
var frenchKinds = map[string]string{"text": "texte", "video": "vidéo"}

// lowerFirst lower-cases a label's first letter after a verb ("Enter last
// name") unless it looks like an acronym ("AVS number").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
