package adminapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/apptest"
)

// TestContract checks that openapi.json documents exactly the routes
// served under /api/admin, this package's and package integrations'
// (/api/admin/integrations), and that its references resolve.
func TestContract(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var documented []string
	for p, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented = append(documented, strings.ToUpper(method)+" /api/admin"+p)
			}
		}
	}
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	param := regexp.MustCompile(`:(\w+)`)
	var served []string
	for _, r := range a.HTTP.GetRoutes(true) {
		if strings.HasPrefix(r.Path, "/api/admin/") && r.Method != http.MethodHead && r.Method != "USE" {
			// A group's "/" route is served with and without its slash
			// (routing is not strict): documented without.
			served = append(served, r.Method+" "+param.ReplaceAllString(strings.TrimSuffix(r.Path, "/"), "{$1}"))
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, slices.Compact(served)) {
		t.Errorf("documented:\n%s\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}

	var tree any
	_ = json.Unmarshal(raw, &tree)
	for _, ref := range regexp.MustCompile(`"\$ref": "#/([^"]+)"`).FindAllStringSubmatch(string(raw), -1) {
		node := tree
		for _, tok := range strings.Split(ref[1], "/") {
			m, _ := node.(map[string]any)
			node = m[tok]
		}
		if node == nil {
			t.Errorf("unresolved $ref #/%s", ref[1])
		}
	}

	resp, body := apptest.Do(t, a, apptest.JSON(http.MethodGet, "/api/admin/openapi.json", ""))
	if resp.StatusCode != 200 || body != string(raw) {
		t.Errorf("GET openapi.json: %d, %d bytes (want the committed file)", resp.StatusCode, len(body))
	}
}
