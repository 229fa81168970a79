package forms

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// formatValue renders a JSON value as the text of an input: numbers never
// use an exponent, booleans are "true"/"false", nil is "".
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return string(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// numberCleaner drops what people type between digits: spaces (also
// non-breaking and thin ones) and Swiss thousands apostrophes.
var numberCleaner = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "'", "", "\u2019", "")

// parseNumber reads a number as typed in a form: "1 250", "1'250", "3,5"
// (decimal comma) and "3.5" are accepted; NaN, infinities, hexadecimal
// and "1,000.5" are not.
func parseNumber(s string) (float64, bool) {
	s = numberCleaner.Replace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// isDecimal checks s against [+-]? digits [. digits] [e [+-] digits],
// with at least one digit in the mantissa.
func isDecimal(s string) bool {
	i, n := 0, len(s)
	if i < n && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < n && isDigit(s[i]); i++ {
		digits++
	}
	if i < n && s[i] == '.' {
		for i++; i < n && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for ; i < n && isDigit(s[i]); i++ {
		}
		if i == start {
			return false
		}
	}
	return i == n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// normalizeDate turns "2025-03-14", "14.03.2025", "14/3/2025" or
// "14-03-2025" into ISO "2025-03-14". It returns false for anything else,
// including impossible dates such as 31.02.2025.
func normalizeDate(s string) (string, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(time.DateOnly), true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' || r == '-' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return "", false
	}
	d, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	y, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m || t.Year() != y {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// displayDate shows an ISO date as dd.mm.yyyy; other text is unchanged.
func displayDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("02.01.2006")
}
