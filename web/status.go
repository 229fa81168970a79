package web

import (
	"net/http"
	"strconv"
)

// statusKeys are the catalogue keys explaining HTTP statuses, for error
// pages and problem details.
var statusKeys = map[int]string{
	http.StatusBadRequest:            "error.bad_request",
	http.StatusUnauthorized:          "error.unauthorized",
	http.StatusForbidden:             "error.forbidden",
	http.StatusNotFound:              "error.not_found",
	http.StatusMethodNotAllowed:      "error.method_not_allowed",
	http.StatusConflict:              "error.conflict",
	http.StatusRequestEntityTooLarge: "error.too_large",
	http.StatusUnprocessableEntity:   "error.validation",
	http.StatusTooManyRequests:       "error.rate_limited",
	http.StatusServiceUnavailable:    "error.unavailable",
}

// StatusMessageKey returns the catalogue key that explains an HTTP status
// to people ("error.not_found" for 404), "error.internal" for the others.
// The CSRF failure has its own key, "error.csrf".
func StatusMessageKey(status int) string {
	if k, ok := statusKeys[status]; ok {
		return k
	}
	return "error.internal"
}

// StatusTitle returns the heading of an error page (and the title of a
// problem detail) for an HTTP status, in lang.
func StatusTitle(lang string, status int) string {
	key := "error." + strconv.Itoa(status) + ".title"
	if _, ok := catalogue[DefaultLang][key]; ok {
		return T(lang, key)
	}
	if status >= 500 {
		return T(lang, "error.500.title")
	}
	return T(lang, "error.title")
}
