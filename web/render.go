package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/guichet/guichet/forms"
)

// pageDefs lists every page: its template file under web/templates and the
// zero value of the Data it expects, with which each page is rendered once
// at start-up so that a broken template stops the server before it serves.
var pageDefs = map[string]struct {
	file string
	data any
}{
	"catalogue":    {"portal/catalogue.html", CataloguePage{}},
	"procedure":    {"portal/procedure.html", ProcedurePage{}},
	"form":         {"portal/form.html", FormPage{}},
	"check":        {"portal/check.html", CheckAnswersPage{}},
	"confirmation": {"portal/confirmation.html", ConfirmationPage{}},
	"tracking":     {"portal/tracking.html", TrackingPage{}},
	"error":        {"portal/error.html", ErrorPage{}},
	"login":        {"backoffice/login.html", LoginPage{}},
	"mailbox":      {"backoffice/mailbox.html", MailboxPage{}},
	"staff_home":   {"backoffice/staff_home.html", StaffHomePage{}},
	"inbox":        {"backoffice/inbox.html", InboxPage{}},
	"dossier":      {"backoffice/dossier.html", DossierPage{}},
	"intake":       {"backoffice/intake.html", IntakeListPage{}},
	"intake_form":  {"backoffice/intake_form.html", IntakeFormPage{}},
	"admin_users":  {"backoffice/admin_users.html", UsersPage{}},
	"admin_user":   {"backoffice/admin_user.html", UserPage{}},
	"admin_groups": {"backoffice/admin_groups.html", GroupsPage{}},
	"admin_roles":  {"backoffice/admin_roles.html", RolesPage{}},
}

// Renderer renders the server-side pages. It parses every template once,
// when it is made (after miniflux's template engine: the files of
// templates/layout are shared, each page file is parsed on a clone of them
// and defines "content"), and keeps one copy of each page per language with
// the i18n functions bound to it. It is safe for concurrent use.
type Renderer struct {
	pages  map[string]map[string]*template.Template // page → lang → templates
	fields map[string]*template.Template            // lang → shared templates, for RenderFields
	static map[string]string                        // file under static/ → URL with content hash
	loc    *time.Location
}

// Option configures a [Renderer].
type Option func(*Renderer)

// WithLocation sets the time zone dates are shown in (default
// Europe/Zurich when the system knows it, else the local zone).
func WithLocation(loc *time.Location) Option {
	return func(r *Renderer) { r.loc = loc }
}

// NewRenderer parses every template and hashes every static file. It fails
// on a template that does not parse or does not render with an empty page,
// so that a broken template is found at start-up.
func NewRenderer(opts ...Option) (*Renderer, error) {
	return newRenderer(templatesFS, Static, opts...)
}

func newRenderer(templates, static fs.FS, opts ...Option) (*Renderer, error) {
	r := &Renderer{
		pages:  make(map[string]map[string]*template.Template, len(pageDefs)),
		fields: make(map[string]*template.Template, len(Langs)),
		loc:    defaultLocation(),
	}
	for _, o := range opts {
		o(r)
	}
	var err error
	if r.static, err = hashStatic(static); err != nil {
		return nil, err
	}
	common, err := template.New("").Funcs(r.funcs(DefaultLang)).ParseFS(templates, "layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout templates: %w", err)
	}
	for name, def := range pageDefs {
		base, err := common.Clone()
		if err != nil {
			return nil, err
		}
		t, err := base.ParseFS(templates, def.file)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("page %s: %s defines no \"content\" template", name, def.file)
		}
		r.pages[name] = make(map[string]*template.Template, len(Langs))
		for _, lang := range Langs {
			tl, err := r.bind(t, lang)
			if err != nil {
				return nil, err
			}
			if err := tl.ExecuteTemplate(io.Discard, "layout", Envelope{Lang: lang, Data: def.data}); err != nil {
				return nil, fmt.Errorf("check page %s (%s): %w", name, lang, err)
			}
			r.pages[name][lang] = tl
		}
	}
	for _, lang := range Langs {
		tl, err := r.bind(common, lang)
		if err != nil {
			return nil, err
		}
		if err := tl.ExecuteTemplate(io.Discard, "page-fields", forms.Page{}); err != nil {
			return nil, fmt.Errorf("check field templates (%s): %w", lang, err)
		}
		r.fields[lang] = tl
	}
	return r, nil
}

// bind returns a copy of t whose functions speak lang.
func (r *Renderer) bind(t *template.Template, lang string) (*template.Template, error) {
	tl, err := t.Clone()
	if err != nil {
		return nil, err
	}
	return tl.Funcs(r.funcs(lang)), nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes the page named page (a key of pageDefs: "catalogue",
// "procedure", "form", "check", "confirmation", "tracking", "error", and
// the back-office's "login", "mailbox", "staff_home", "inbox", "dossier",
// "intake", "intake_form", "admin_users", "admin_user", "admin_groups",
// "admin_roles") in env.Lang. env.Data must be the page's view model (see
// views.go), as a value or a pointer. Nothing is written when rendering
// fails, so the caller can still send an error page.
func (r *Renderer) Render(w io.Writer, page string, env Envelope) error {
	env.Lang = Lang(env.Lang)
	t := r.pages[page][env.Lang]
	if t == nil {
		return fmt.Errorf("render: unknown page %q", page)
	}
	return execute(w, t, "layout", env)
}

// RenderFields writes the fields of one form page, without the form
// element, buttons or page chrome, in lang. The portal's form page, the
// back-office and the builder's live preview share it.
func (r *Renderer) RenderFields(w io.Writer, lang string, p forms.Page) error {
	return execute(w, r.fields[Lang(lang)], "page-fields", p)
}

// StaticURL returns the URL of a file of web/static with its content hash,
// "/static/guichet.css?v=1a2b3c4d5e6f", or "" when there is no such file.
func (r *Renderer) StaticURL(name string) string {
	return r.static[name]
}

// Pages returns the names [Renderer.Render] accepts.
func (r *Renderer) Pages() []string {
	return slices.Sorted(maps.Keys(r.pages))
}

func execute(w io.Writer, t *template.Template, name string, data any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// errUnknownStatic is returned by the static template function.
var errUnknownStatic = errors.New("no such static file")

func defaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Europe/Zurich"); err == nil {
		return loc
	}
	return time.Local
}
