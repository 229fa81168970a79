package adminapi

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
)

// The kinds of expression.
const (
	kindCondition = "condition" // boolean: rule conditions, transition guards
	kindValue     = "value"     // any value: set actions, mappings
)

// expressionRequest is an expression being typed, with what it may name.
type expressionRequest struct {
	Expression string            `json:"expression"`
	Kind       string            `json:"kind"`
	Pipeline   *builder.Pipeline `json:"pipeline"`
	Schema     json.RawMessage   `json:"schema"`
}

func (r *expressionRequest) validate() error {
	if r.Kind != kindCondition && r.Kind != kindValue {
		return invalid("/kind", `kind must be "condition" or "value", not %q`, r.Kind)
	}
	return nil
}

// checkExpression compiles an expression as publishing would. An
// expression that does not compile is an answer, not an HTTP error.
func (h *Handler) checkExpression(c *fiber.Ctx) error {
	var in expressionRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	if msg := expressionProblem(&in, apiLang(c)); msg != "" {
		return c.JSON(fiber.Map{"ok": false, "error": msg})
	}
	return c.JSON(fiber.Map{"ok": true})
}

// expressionProblem says what is wrong with the expression in lang, or "".
func expressionProblem(in *expressionRequest, lang string) string {
	if strings.TrimSpace(in.Expression) == "" {
		return inLang(lang, "écrivez une expression", "write an expression")
	}
	var err error
	if in.Kind == kindCondition {
		_, err = builder.CompileCondition(in.Expression)
	} else {
		_, err = builder.CompileValue(in.Expression)
	}
	if err != nil {
		return builder.ExprErrorIn(err, lang)
	}
	if in.Pipeline == nil && len(in.Schema) == 0 {
		return ""
	}
	return namesProblem(in, lang)
}

// namesProblem checks the roles and fields the expression names against
// the pipeline and form, as builder.Check does: it checks a procedure
// whose pipeline has one more rule using the expression, and keeps the
// problems of that rule's expression.
func namesProblem(in *expressionRequest, lang string) string {
	var pl builder.Pipeline
	if in.Pipeline != nil {
		pl = *in.Pipeline
	}
	probe := builder.Rule{ID: "expression-probe", On: builder.EventSubmitted}
	path := ".rules[" + strconv.Itoa(len(pl.Rules)) + "]"
	if in.Kind == kindCondition {
		probe.If, probe.Do, path = in.Expression, []builder.Action{{Assign: "probe"}}, path+".if"
	} else {
		probe.Do, path = []builder.Action{{Set: "probe", Value: in.Expression}}, path+".do[0].value"
	}
	pl.Rules = append(pl.Rules[:len(pl.Rules):len(pl.Rules)], probe)
	schema := in.Schema
	if len(schema) == 0 {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	def := &builder.Procedure{Slug: "probe", Title: "probe", Audience: builder.AudiencePublic, ReferencePrefix: "PR",
		Scenarios: []builder.Scenario{{ID: "probe", Kind: builder.ScenarioOnline,
			Form: &builder.Form{Schema: schema}, Pipeline: &pl}}}
	var msgs []string
	for _, p := range builder.Check(def) {
		if p.Path != "$.scenarios[0].pipeline"+path {
			continue
		}
		if in.Pipeline == nil && strings.Contains(p.Message, "unknown role") {
			continue // no pipeline given: roles are not checked
		}
		if len(in.Schema) == 0 && strings.Contains(p.Message, "has no field") {
			continue // no schema given: fields are not checked
		}
		msgs = append(msgs, p.In(lang))
	}
	return strings.Join(msgs, "; ")
}
