package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// object is a JSON object that remembers the order of its keys, so that a
// form shows properties in the order the schema author wrote them.
type object struct {
	keys []string
	vals map[string]any // *object, []any, string, json.Number, bool or nil
}

// get returns the value of key and whether it is present.
func (o *object) get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[key]
	return v, ok
}

// str returns the string value of key, or "".
func (o *object) str(key string) string {
	v, _ := o.get(key)
	s, _ := v.(string)
	return s
}

// obj returns the object value of key, or nil.
func (o *object) obj(key string) *object {
	v, _ := o.get(key)
	m, _ := v.(*object)
	return m
}

// parseOrdered parses a JSON document keeping the key order of objects.
// Numbers are kept as json.Number; duplicate keys are an error.
func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				if _, dup := o.vals[k]; dup {
					return nil, fmt.Errorf("duplicate key %q", k)
				}
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, k)
				o.vals[k] = v
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ']'
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return tok, nil // string, json.Number, bool, nil
	}
}

// resolvePointer follows the tokens of a JSON pointer inside a parsed tree.
func resolvePointer(root any, toks []string) (any, bool) {
	cur := root
	for _, tok := range toks {
		switch c := cur.(type) {
		case *object:
			v, ok := c.get(tok)
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")
var tokenUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

// escapeToken escapes one JSON pointer reference token (RFC 6901).
func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return tokenEscaper.Replace(s)
}

// splitPointer splits a JSON pointer (RFC 6901) into its unescaped tokens.
func splitPointer(ptr string) []string {
	return splitTokens(ptr, false)
}

// splitLocation splits a location reported by jsonschema, whose tokens are
// also URL path escaped, and drops a leading "#".
func splitLocation(loc string) []string {
	return splitTokens(strings.TrimPrefix(loc, "#"), true)
}

func splitTokens(ptr string, urlEscaped bool) []string {
	if ptr == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		if urlEscaped && strings.ContainsRune(t, '%') {
			if u, err := url.PathUnescape(t); err == nil {
				t = u
			}
		}
		if strings.ContainsRune(t, '~') {
			t = tokenUnescaper.Replace(t)
		}
		toks[i] = t
	}
	return toks
}

// numberArg turns a schema number into an int when it is integral, else a
// float64, for message arguments.
func numberArg(v any) (any, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return int(i), true
	}
	f, err := n.Float64()
	if err != nil {
		return nil, false
	}
	return f, true
}
