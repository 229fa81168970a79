package builder

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "empty document"},
		{"syntax", "{\n  \"slug\": \"a\",\n  \"title\": x\n}", "line 3, column 12: invalid character 'x'"},
		{"trailing comma", "{\n  \"slug\": \"a\",\n}", "line 3, column 1: invalid character '}'"},
		{"unexpected end", "{\"slug\": \"a\"", "line 1, column 13: unexpected end of document"},
		{"data after", "{\"slug\": \"a\"}\n{}", "line 2, column 1: unexpected data after the procedure"},
		{"wrong type", "{\"slug\": 3}", "line 1, column 10: $.slug must be a string, not number"},
		{"wrong type in array", `{"scenarios": [{"id": "a"}, {"attachments": {}}]}`, "$.scenarios[1].attachments must be an array, not object"},
		{"unknown field", "{\n  \"slug\": \"a\",\n  \"titel\": \"Salle\"\n}", "line 3, column 3: unknown field $.titel"},
		{"unknown nested field", `{"scenarios": [{"form": {"schema": {"titel": 1}}, "titel": 1}]}`, "unknown field $.scenarios[0].titel"},
		{"column in characters", "{\"title\": \"Réservation\", \"x\": 1}", "line 1, column 26: unknown field $.x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseNormalizes(t *testing.T) {
	p, err := Parse([]byte(`{"slug": "s", "keywords": [], "scenarios": [
		{"id": "a", "kind": "online", "attachments": [], "form": {"schema": { "type" : "object" }}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Keywords != nil || p.Scenarios[0].Attachments != nil {
		t.Error("empty lists are not normalized to nil")
	}
	if got := string(p.Scenarios[0].Form.Schema); got != `{"type":"object"}` {
		t.Errorf("schema = %s, want it compacted", got)
	}
}

func TestJSONKeepsMarkdown(t *testing.T) {
	p := &Procedure{Slug: "a-b", Scenarios: []Scenario{{ID: "i", Kind: ScenarioInformation, Body: "Tarifs <b>& horaires</b>"}}}
	data, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"body": "Tarifs <b>& horaires</b>"`) || !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("JSON() =\n%s", data)
	}
}
