package builder

import (
	"strconv"
	"strings"
)

// Paths name a place in a procedure document the way JSONPath does:
// "$" is the document, ".key" an object member, "[i]" an array element and
// ["key"] a member whose name is not a plain identifier (such as "ui:pages").

// keyPath returns the path of member key of the object at base.
func keyPath(base, key string) string {
	if isIdent(key) {
		return base + "." + key
	}
	return base + "[" + strconv.Quote(key) + "]"
}

// indexPath returns the path of element i of the array at base.
func indexPath(base string, i int) string {
	return base + "[" + strconv.Itoa(i) + "]"
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// comparePaths orders paths as a reader expects: character by character,
// except that runs of digits compare as numbers, so $.scenarios[2] comes
// before $.scenarios[10].
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			na, ra := splitDigits(a)
			nb, rb := splitDigits(b)
			if c := compareNumerals(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// splitDigits splits s after its leading run of digits.
func splitDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// compareNumerals compares two runs of decimal digits by value.
func compareNumerals(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
