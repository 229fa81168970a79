package integrations

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/robfig/cron/v3"
)

// compiled is the integration of one published version, its expressions
// compiled once.
type compiled struct {
	key         string // slug.id
	procedureID string
	versionID   string
	version     *runtime.Compiled
	def         *builder.Integration
	path        string // JSONPath of the integration in the definition

	pushBody     *vm.Program
	pushResponse *mapping
	match        *vm.Program
	webhook      *mapping
	poll         *mapping
	schedule     cron.Schedule
}

// mapping is a compiled builder.UpdateMapping.
type mapping struct {
	path        string
	externalID  *vm.Program
	transitions []mappedTransition
	set         []mappedField
	message     *vm.Program
}

type mappedTransition struct {
	cond *vm.Program
	id   string
}

type mappedField struct {
	field string
	value *vm.Program
}

// MappingError is a mapping that failed on a real payload or answer: an
// expression error, or a value of the wrong kind. Path is where the
// mapping is in the procedure definition.
type MappingError struct {
	Path string
	Err  error
}

func (e *MappingError) Error() string { return fmt.Sprintf("mapping %s: %v", e.Path, e.Err) }
func (e *MappingError) Unwrap() error { return e.Err }

// compileIntegration compiles the integration of c, or returns nil when c
// has none.
func compileIntegration(c *runtime.Compiled) (*compiled, error) {
	if c.Online == nil || c.Online.Integration == nil {
		return nil, nil
	}
	in := c.Online.Integration
	idx := slices.IndexFunc(c.Def.Scenarios, func(s builder.Scenario) bool { return s.ID == c.Online.ID })
	ci, err := compileDefinition(builder.IntegrationKey(c.Def.Slug, in.ID), fmt.Sprintf("$.scenarios[%d].integration", idx), in)
	if err != nil {
		return nil, err
	}
	ci.procedureID, ci.versionID, ci.version = c.ProcedureID, c.VersionID, c
	return ci, nil
}

// compileDefinition compiles the expressions and schedule of an
// integration found at path of its procedure's definition: a published
// one, or a draft being tested (whose ci has no version).
func compileDefinition(key, path string, in *builder.Integration) (*compiled, error) {
	ci := &compiled{key: key, def: in, path: path}
	var err error
	if p := in.Push; p != nil {
		if ci.pushBody, err = compileExpr(ci.path+".push.body", p.Body, false); err != nil {
			return nil, err
		}
		if p.Response != nil {
			if ci.pushResponse, err = compileMapping(ci.path+".push.response", p.Response); err != nil {
				return nil, err
			}
		}
	}
	if w := in.Webhook; w != nil {
		if ci.match, err = compileExpr(ci.path+".webhook.dossier.value", w.Dossier.Value, false); err != nil {
			return nil, err
		}
		if ci.webhook, err = compileMapping(ci.path+".webhook.update", &w.Update); err != nil {
			return nil, err
		}
	}
	if p := in.Poll; p != nil {
		if ci.poll, err = compileMapping(ci.path+".poll.update", &p.Update); err != nil {
			return nil, err
		}
		if ci.schedule, err = cron.ParseStandard(p.Schedule); err != nil {
			return nil, fmt.Errorf("%s.poll.schedule: %w", ci.path, err)
		}
	}
	return ci, nil
}

func compileExpr(path, src string, boolean bool) (*vm.Program, error) {
	if src == "" {
		return nil, nil
	}
	p, err := builder.CompileMapping(src, boolean)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func compileMapping(path string, m *builder.UpdateMapping) (*mapping, error) {
	cm := &mapping{path: path}
	var err error
	if cm.externalID, err = compileExpr(path+".externalId", m.ExternalID, false); err != nil {
		return nil, err
	}
	for i, t := range m.Transitions {
		mt := mappedTransition{id: t.Transition}
		if mt.cond, err = compileExpr(fmt.Sprintf("%s.transitions[%d].if", path, i), t.If, true); err != nil {
			return nil, err
		}
		cm.transitions = append(cm.transitions, mt)
	}
	for i, f := range m.Set {
		mf := mappedField{field: f.Field}
		if mf.value, err = compileExpr(fmt.Sprintf("%s.set[%d].value", path, i), f.Value, false); err != nil {
			return nil, err
		}
		cm.set = append(cm.set, mf)
	}
	if cm.message, err = compileExpr(path+".message", m.Message, false); err != nil {
		return nil, err
	}
	return cm, nil
}

// env is what the mappings see of a dossier.
func env(d *store.Dossier, data map[string]any, now time.Time) builder.IntegrationEnv {
	ext := ""
	if d.ExternalID != nil {
		ext = *d.ExternalID
	}
	return builder.IntegrationEnv{
		Dossier: builder.IntegrationDossier{ID: d.ID, Reference: d.Reference, State: d.State,
			SubmittedAt: d.SubmittedAt, Closed: d.ClosedAt != nil, ExternalID: ext},
		Data: data, Reference: d.Reference, ExternalID: ext, Now: now,
	}
}

// eval runs the mapping on env and returns the update it describes.
func (m *mapping) eval(env builder.IntegrationEnv) (runtime.IntegrationUpdate, error) {
	var upd runtime.IntegrationUpdate
	if m.externalID != nil {
		v, err := run(m.externalID, env, m.path+".externalId")
		if err != nil {
			return upd, err
		}
		if upd.ExternalID, err = text(v, m.path+".externalId", 200); err != nil {
			return upd, err
		}
	}
	for i, t := range m.transitions {
		if t.cond != nil {
			v, err := run(t.cond, env, fmt.Sprintf("%s.transitions[%d].if", m.path, i))
			if err != nil {
				return upd, err
			}
			if ok, _ := v.(bool); !ok {
				continue
			}
		}
		upd.Transitions = append(upd.Transitions, t.id)
	}
	for i, f := range m.set {
		v, err := run(f.value, env, fmt.Sprintf("%s.set[%d].value", m.path, i))
		if err != nil {
			return upd, err
		}
		if upd.Set == nil {
			upd.Set = map[string]any{}
		}
		upd.Set[f.field] = v
	}
	if m.message != nil {
		v, err := run(m.message, env, m.path+".message")
		if err != nil {
			return upd, err
		}
		if upd.Message, err = text(v, m.path+".message", 4000); err != nil {
			return upd, err
		}
	}
	return upd, nil
}

func run(p *vm.Program, env builder.IntegrationEnv, path string) (any, error) {
	v, err := expr.Run(p, env)
	if err != nil {
		return nil, &MappingError{Path: path, Err: fmt.Errorf("%s", firstLine(err.Error()))}
	}
	return v, nil
}

// text turns a mapped value into text: a string, a whole number, or nil
// for none.
func text(v any, path string, limit int) (string, error) {
	var s string
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		s = strings.TrimSpace(v)
	case float64:
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			return "", &MappingError{Path: path, Err: fmt.Errorf("gave the number %v, not text", v)}
		}
		s = strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		s = strconv.Itoa(v)
	case json.Number:
		s = v.String()
	default:
		return "", &MappingError{Path: path, Err: fmt.Errorf("gave %T, not text", v)}
	}
	if len(s) > limit {
		return "", &MappingError{Path: path, Err: fmt.Errorf("gave %d characters, more than %d", len(s), limit)}
	}
	return s, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
