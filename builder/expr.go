package builder

import (
	"fmt"
	"regexp"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// ExprEnv is what rule conditions, guards and set values see. Unknown
// names fail at publish time because the environment is a typed struct.
//
//	dossier.reference, dossier.state, dossier.submitted_at, dossier.group
//	data.<field>                     the dossier's data
//	invitations.<role>.status        "none", "pending", "invited", "returned"
//	invitations.<role>.invited_at / due_at / returned_at / decision
//	event.name, event.state, event.role, event.actor, event.data
//	now
type ExprEnv struct {
	Dossier     ExprDossier               `expr:"dossier"`
	Data        map[string]any            `expr:"data"`
	Invitations map[string]ExprInvitation `expr:"invitations"`
	Event       ExprEvent                 `expr:"event"`
	Now         time.Time                 `expr:"now"`
}

// ExprDossier is the dossier in expressions.
type ExprDossier struct {
	Reference   string    `expr:"reference"`
	State       string    `expr:"state"`
	SubmittedAt time.Time `expr:"submitted_at"`
	Group       string    `expr:"group"`
}

// Invitation statuses, as expressions see them.
const (
	InvitationNone     = "none"
	InvitationPending  = "pending"
	InvitationInvited  = "invited"
	InvitationReturned = "returned"
)

// ExprInvitation is a role's invitation on the dossier. A role that was
// never activated has status "none".
type ExprInvitation struct {
	Status     string     `expr:"status"`
	InvitedAt  *time.Time `expr:"invited_at"`
	DueAt      *time.Time `expr:"due_at"`
	ReturnedAt *time.Time `expr:"returned_at"`
	Decision   string     `expr:"decision"`
}

// ExprEvent is the event a rule reacts to.
type ExprEvent struct {
	Name  string         `expr:"name"`
	State string         `expr:"state"`
	Role  string         `expr:"role"`
	Actor string         `expr:"actor"`
	Data  map[string]any `expr:"data"`
}

// CompileCondition compiles a boolean expression (rule condition, guard).
func CompileCondition(src string) (*vm.Program, error) {
	p, err := expr.Compile(src, expr.Env(ExprEnv{}), expr.AsBool())
	if err != nil {
		return nil, fmt.Errorf("%s", exprProblem(err))
	}
	return p, nil
}

// CompileValue compiles an expression computing a value (set actions,
// integration mappings).
func CompileValue(src string) (*vm.Program, error) {
	p, err := expr.Compile(src, expr.Env(ExprEnv{}))
	if err != nil {
		return nil, fmt.Errorf("%s", exprProblem(err))
	}
	return p, nil
}

// noFieldRE matches expr's error for a wrong name inside one of the
// environment's structs, which names the Go type.
var noFieldRE = regexp.MustCompile(`^type builder\.Expr(Dossier|Invitation|Event) has no field (\S+)(.*)$`)

// exprFields are how admins write each struct of ExprEnv, and the names
// it offers.
var exprFields = map[string][2]string{
	"Dossier":    {"dossier", "reference, state, submitted_at and group"},
	"Invitation": {"invitations.<role>", "status, invited_at, due_at, returned_at and decision"},
	"Event":      {"event", "name, state, role, actor and data"},
}

// exprProblem is the first line of a compile error, in the expression's
// own words rather than Go's.
func exprProblem(err error) string {
	msg := firstLine(err.Error())
	if m := noFieldRE.FindStringSubmatch(msg); m != nil {
		f := exprFields[m[1]]
		return fmt.Sprintf("unknown name %s.%s%s; %s has %s", f[0], m[2], m[3], f[0], f[1])
	}
	return msg
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
