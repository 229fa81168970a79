// The processing pipeline of a scenario: the graph (loaded on demand), and
// lists of states, transitions, roles, messages and rules that do
// everything the graph does with the keyboard.

import { DroppedRoles, RoleGroups, useRoleBindings } from './RoleGroups'
import { lazy, memo, Suspense, useId, useState, type ReactNode } from 'react'
import type { Action, Form, Message, Pipeline, Role, Rule, State, Transition } from '../api/types'
import { useT } from '../i18n/i18n'
import { moveItem, omitEmpty, replaceAt, useDraft, type DraftStore } from '../state/draft'
import { Checkbox, Checklist, IconButton, NumberInput, Select, TextInput } from '../components/controls'
import { ExpressionInput } from '../components/ExpressionInput'
import { TemplateEditor } from '../components/TemplateEditor'
import { ProblemsHere } from '../pages/Problems'
import { isObject, pretty, type JsonObject } from '../model/json'
import { addState, defaultPipeline, EVENTS, newRule, removeState, renameMessage, renameRole, renameState, renameTransition, uniqueID } from './model'

const Graph = lazy(() => import('./Graph'))

type SetP = (fn: (p: Pipeline) => Pipeline) => void

function PipelinePage({ store, index }: { store: DraftStore; index: number }) {
  const t = useT()
  const pipeline = useDraft(store, (d) => d.scenarios[index]?.pipeline)
  const scenario = useDraft(store, (d) => d.scenarios[index])
  const schema = scenario?.form?.schema
  const base = `$.scenarios[${index}].pipeline`
  const set: SetP = (fn) =>
    store.update((d) => ({ ...d, scenarios: replaceAt(d.scenarios, index, (s) => ({ ...s, pipeline: fn(s.pipeline ?? defaultPipeline(t)) })) }))

  if (!scenario) return null
  if (!pipeline) {
    return (
      <section aria-labelledby="pl-h">
        <h1 id="pl-h">{t('pipeline.title', { title: scenario.title || scenario.id })}</h1>
        <p>{t('pipeline.none')}</p>
        <button type="button" className="button button--primary" onClick={() => set((p) => p)}>
          {t('pipeline.create')}
        </button>
      </section>
    )
  }
  return (
    <section aria-labelledby="pl-h">
      <h1 id="pl-h">{t('pipeline.title', { title: scenario.title || scenario.id })}</h1>
      <ProblemsHere store={store} prefix={[base]} />
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <Graph pipeline={pipeline} onChange={(p) => set(() => p)} layoutKey={`guichet.admin.layout.${store.slug}.${scenario.id}`} />
      </Suspense>
      <States p={pipeline} set={set} base={base} />
      <Transitions p={pipeline} set={set} base={base} schema={schema} />
      <Roles p={pipeline} set={set} base={base} slug={store.slug} />
      <Messages p={pipeline} set={set} base={base} schema={schema} slug={store.slug} />
      <Rules p={pipeline} set={set} base={base} schema={schema} />
    </section>
  )
}

export default memo(PipelinePage)

/** keep drops empty optional members but keeps the required lists even when empty. */
function keep<T extends object>(o: T, required: (keyof T)[]): T {
  const out = omitEmpty(o)
  for (const k of required) if (o[k] !== undefined) out[k] = o[k]
  return out
}

/** IDInput edits an identifier and commits it on blur (renaming it everywhere). */
function IDInput({ value, onCommit, label, path }: { value: string; onCommit: (v: string) => void; label: string; path: string }) {
  const t = useT()
  const [v, setV] = useState(value)
  const [last, setLast] = useState(value)
  if (value !== last) {
    setLast(value)
    setV(value)
  }
  return (
    <TextInput
      label={label}
      help={t('pipeline.id.help')}
      mono
      value={v}
      path={path}
      onChange={(x) => setV(x.toLowerCase().replace(/[^a-z0-9-]/g, '-'))}
      onBlur={() => {
        if (v && v !== value) onCommit(v)
        else setV(value)
      }}
    />
  )
}

function Section({ title, children, count }: { title: string; children: ReactNode; count: number }) {
  const id = useId()
  return (
    <section className="pl-section" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="count">{count}</span>
      </h2>
      {children}
    </section>
  )
}

function RowTools({ name, i, n, onMove, onRemove }: { name: string; i: number; n: number; onMove: (j: number) => void; onRemove: () => void }) {
  const t = useT()
  return (
    <span className="row-tools">
      <IconButton label={t('action.moveUp', { name })} disabled={i === 0} onClick={() => onMove(i - 1)}>
        ↑
      </IconButton>
      <IconButton label={t('action.moveDown', { name })} disabled={i === n - 1} onClick={() => onMove(i + 1)}>
        ↓
      </IconButton>
      <IconButton label={t('action.remove', { name })} className="danger" onClick={onRemove}>
        ✕
      </IconButton>
    </span>
  )
}

function States({ p, set, base }: { p: Pipeline; set: SetP; base: string }) {
  const t = useT()
  const msgs = (p.messages ?? []).map((m) => ({ value: m.id, label: m.id }))
  const upd = (i: number, fn: (s: State) => State) => set((pp) => ({ ...pp, states: replaceAt(pp.states, i, (s) => omitEmpty(fn(s))) }))
  return (
    <Section title={t('pipeline.states')} count={p.states.length}>
      <ol className="cards">
        {p.states.map((s, i) => (
          <li key={i} className="card" data-path={`${base}.states[${i}]`}>
            <div className="card__head">
              <strong>{s.label || s.id}</strong>
              <RowTools
                name={s.label || s.id}
                i={i}
                n={p.states.length}
                onMove={(j) => set((pp) => ({ ...pp, states: moveItem(pp.states, i, j) }))}
                onRemove={() => set((pp) => removeState(pp, s.id))}
              />
            </div>
            <div className="grid-3">
              <TextInput label={t('state.label')} value={s.label} onChange={(v) => upd(i, (x) => ({ ...x, label: v }))} path={`${base}.states[${i}].label`} />
              <TextInput label={t('state.publicLabel')} help={t('state.publicLabel.help')} value={s.publicLabel} onChange={(v) => upd(i, (x) => ({ ...x, publicLabel: v }))} path={`${base}.states[${i}].publicLabel`} />
              <IDInput label={t('pipeline.id')} value={s.id} path={`${base}.states[${i}].id`} onCommit={(v) => set((pp) => renameState(pp, s.id, uniqueID(v, pp.states.map((x) => x.id))))} />
            </div>
            <Select
              label={t('state.kind')}
              value={s.kind}
              path={`${base}.states[${i}].kind`}
              onChange={(v) => upd(i, (x) => ({ ...x, kind: v as State['kind'] }))}
              options={['initial', 'intermediate', 'final'].map((k) => ({ value: k, label: t('state.kind.' + k) }))}
            />
            <Checklist label={t('state.onEnter')} help={t('state.onEnter.help')} values={s.onEnter ?? []} options={msgs} empty={t('pipeline.noMessages')} onChange={(v) => upd(i, (x) => ({ ...x, onEnter: v }))} path={`${base}.states[${i}].onEnter`} />
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => set((pp) => addState(pp, t('state.new'))[0])}>
        {t('pipeline.addState')}
      </button>
    </Section>
  )
}

function Transitions({ p, set, base, schema }: { p: Pipeline; set: SetP; base: string; schema?: JsonObject }) {
  const t = useT()
  const list = p.transitions ?? []
  const states = p.states.map((s) => ({ value: s.id, label: s.label || s.id }))
  const roles = (p.roles ?? []).map((r) => ({ value: r.id, label: r.label || r.id }))
  const upd = (i: number, fn: (x: Transition) => Transition) => set((pp) => ({ ...pp, transitions: replaceAt(pp.transitions ?? [], i, (x) => keep(fn(x), ['from', 'roles'])) }))
  return (
    <Section title={t('pipeline.transitions')} count={list.length}>
      <ol className="cards">
        {list.map((tr, i) => (
          <li key={i} className="card" data-path={`${base}.transitions[${i}]`}>
            <div className="card__head">
              <strong>{tr.label || tr.id}</strong>
              <RowTools
                name={tr.label || tr.id}
                i={i}
                n={list.length}
                onMove={(j) => set((pp) => ({ ...pp, transitions: moveItem(pp.transitions ?? [], i, j) }))}
                onRemove={() => set((pp) => ({ ...pp, transitions: (pp.transitions ?? []).filter((_, j) => j !== i) }))}
              />
            </div>
            <div className="grid-2">
              <TextInput label={t('transition.label')} value={tr.label} onChange={(v) => upd(i, (x) => ({ ...x, label: v }))} path={`${base}.transitions[${i}].label`} />
              <IDInput label={t('pipeline.id')} value={tr.id} path={`${base}.transitions[${i}].id`} onCommit={(v) => set((pp) => renameTransition(pp, tr.id, uniqueID(v, (pp.transitions ?? []).map((x) => x.id))))} />
            </div>
            <div className="grid-3">
              <Checklist label={t('transition.from')} values={tr.from} options={states} onChange={(v) => upd(i, (x) => ({ ...x, from: v }))} path={`${base}.transitions[${i}].from`} />
              <Select label={t('transition.to')} value={tr.to} options={[{ value: '', label: '—' }, ...states]} onChange={(v) => upd(i, (x) => ({ ...x, to: v }))} path={`${base}.transitions[${i}].to`} />
              <Checklist label={t('transition.roles')} values={tr.roles} options={roles} empty={t('pipeline.noRoles')} onChange={(v) => upd(i, (x) => ({ ...x, roles: v }))} path={`${base}.transitions[${i}].roles`} />
            </div>
            <ExpressionInput label={t('transition.guard')} help={t('expr.help')} kind="condition" value={tr.guard ?? ''} onChange={(v) => upd(i, (x) => ({ ...x, guard: v }))} pipeline={p} schema={schema} path={`${base}.transitions[${i}].guard`} />
            <Checkbox label={t('transition.public')} help={t('transition.public.help')} checked={!!tr.public} onChange={(v) => upd(i, (x) => ({ ...x, public: v || undefined }))} />
            <FormJSON label={t('transition.form')} help={t('transition.form.help')} form={tr.form} onChange={(f) => upd(i, (x) => ({ ...x, form: f }))} path={`${base}.transitions[${i}].form`} />
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() =>
          set((pp) => {
            const ts = pp.transitions ?? []
            const id = uniqueID('transition', ts.map((x) => x.id))
            const roles = (pp.roles ?? []).filter((r) => r.kind === 'processing').map((r) => r.id)
            return { ...pp, transitions: [...ts, { id, label: t('transition.new'), from: [], to: '', roles }] }
          })
        }
      >
        {t('pipeline.addTransition')}
      </button>
    </Section>
  )
}

/** FormJSON edits a small optional form (transition form, opinion form) as JSON. */
function FormJSON({ label, help, form, onChange, path }: { label: string; help: string; form?: Form; onChange: (f: Form | undefined) => void; path: string }) {
  const t = useT()
  const [text, setText] = useState(form ? pretty(form) : '')
  const [error, setError] = useState('')
  return (
    <details className="form-json">
      <summary>
        {label} {form ? t('pipeline.formSet') : t('pipeline.formNone')}
      </summary>
      <TextInput
        label={label}
        help={help}
        value={text}
        multiline
        rows={8}
        mono
        spellCheck={false}
        path={path}
        error={error}
        onChange={(v) => {
          setText(v)
          if (!v.trim()) {
            setError('')
            onChange(undefined)
            return
          }
          try {
            const f = JSON.parse(v)
            if (!isObject(f) || !isObject(f.schema)) throw new Error(t('pipeline.formShape'))
            setError('')
            onChange(f as unknown as Form)
          } catch (e) {
            setError(t('json.invalid', { error: (e as Error).message }))
          }
        }}
      />
    </details>
  )
}

function Roles({ p, set, base, slug }: { p: Pipeline; set: SetP; base: string; slug: string }) {
  const t = useT()
  const list = p.roles ?? []
  const bindings = useRoleBindings(slug)
  const others = [{ value: '*', label: t('role.all') }, ...list.map((r) => ({ value: r.id, label: r.label || r.id }))]
  const msgs = [{ value: '', label: t('role.noMessage') }, ...(p.messages ?? []).map((m) => ({ value: m.id, label: m.id }))]
  const upd = (i: number, fn: (x: Role) => Role) => set((pp) => ({ ...pp, roles: replaceAt(pp.roles ?? [], i, (x) => omitEmpty(fn(x))) }))
  return (
    <Section title={t('pipeline.roles')} count={list.length}>
      <p className="help">{t('pipeline.roles.help')}</p>
      <p className="help">
        {t('role.groups.where')} <a href="/backoffice/admin/groups">{t('role.groups.manage')}</a>
      </p>
      <div aria-live="polite">
        {bindings.error ? <p className="field-error">{bindings.error}</p> : null}
        {bindings.done ? <p className="status status--ok">{bindings.done}</p> : null}
      </div>
      <DroppedRoles state={bindings} />
      <ol className="cards">
        {list.map((r, i) => (
          <li key={i} className="card" data-path={`${base}.roles[${i}]`}>
            <div className="card__head">
              <strong>{r.label || r.id}</strong>
              <RowTools
                name={r.label || r.id}
                i={i}
                n={list.length}
                onMove={(j) => set((pp) => ({ ...pp, roles: moveItem(pp.roles ?? [], i, j) }))}
                onRemove={() => set((pp) => ({ ...pp, roles: (pp.roles ?? []).filter((_, j) => j !== i) }))}
              />
            </div>
            <div className="grid-3">
              <TextInput label={t('role.label')} value={r.label} onChange={(v) => upd(i, (x) => ({ ...x, label: v }))} path={`${base}.roles[${i}].label`} />
              <IDInput label={t('pipeline.id')} value={r.id} path={`${base}.roles[${i}].id`} onCommit={(v) => set((pp) => renameRole(pp, r.id, uniqueID(v, (pp.roles ?? []).map((x) => x.id))))} />
              <Select
                label={t('role.kind')}
                value={r.kind}
                path={`${base}.roles[${i}].kind`}
                onChange={(v) => upd(i, (x) => ({ ...x, kind: v as Role['kind'] }))}
                options={['processing', 'consulted'].map((k) => ({ value: k, label: t('role.kind.' + k) }))}
              />
            </div>
            {r.kind === 'consulted' ? (
              <>
                <div className="grid-3">
                  <NumberInput
                    label={t('role.delay')}
                    integer
                    min={0}
                    value={r.delay?.days}
                    path={`${base}.roles[${i}].delay`}
                    onChange={(v) => upd(i, (x) => ({ ...x, delay: v === undefined ? undefined : { ...x.delay, days: v } }))}
                  />
                  <Checkbox label={t('role.working')} checked={!!r.delay?.working} onChange={(v) => upd(i, (x) => ({ ...x, delay: { days: x.delay?.days ?? 10, ...(v ? { working: true } : {}) } }))} />
                </div>
                <div className="grid-2">
                  <Select label={t('role.invitation')} value={r.invitation ?? ''} options={msgs} onChange={(v) => upd(i, (x) => ({ ...x, invitation: v || undefined }))} path={`${base}.roles[${i}].invitation`} />
                  <Select label={t('role.reminder')} value={r.reminder ?? ''} options={msgs} onChange={(v) => upd(i, (x) => ({ ...x, reminder: v || undefined }))} path={`${base}.roles[${i}].reminder`} />
                </div>
                <FormJSON label={t('role.opinionForm')} help={t('role.opinionForm.help')} form={r.opinionForm} onChange={(f) => upd(i, (x) => ({ ...x, opinionForm: f }))} path={`${base}.roles[${i}].opinionForm`} />
              </>
            ) : null}
            <div className="grid-2">
              <Checklist label={t('role.sees')} values={r.seesOpinionsOf ?? []} options={others.filter((o) => o.value !== r.id)} onChange={(v) => upd(i, (x) => ({ ...x, seesOpinionsOf: v }))} path={`${base}.roles[${i}].seesOpinionsOf`} />
              <Checklist label={t('role.circulates')} values={r.mayCirculate ?? []} options={others.filter((o) => o.value !== r.id)} onChange={(v) => upd(i, (x) => ({ ...x, mayCirculate: v }))} path={`${base}.roles[${i}].mayCirculate`} />
            </div>
            <RoleGroups state={bindings} role={r.id} roleLabel={r.label || r.id} path={`${base}.roles[${i}]#groups`} />
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => set((pp) => ({ ...pp, roles: [...(pp.roles ?? []), { id: uniqueID('role', (pp.roles ?? []).map((x) => x.id)), label: t('role.new'), kind: 'consulted' }] }))}
      >
        {t('pipeline.addRole')}
      </button>
    </Section>
  )
}

function Messages({ p, set, base, schema, slug }: { p: Pipeline; set: SetP; base: string; schema?: JsonObject; slug: string }) {
  const t = useT()
  const list = p.messages ?? []
  const to = [{ value: 'applicant', label: t('message.applicant') }, ...(p.roles ?? []).map((r) => ({ value: r.id, label: r.label || r.id }))]
  const upd = (i: number, fn: (x: Message) => Message) => set((pp) => ({ ...pp, messages: replaceAt(pp.messages ?? [], i, fn) }))
  return (
    <Section title={t('pipeline.messages')} count={list.length}>
      <ol className="cards">
        {list.map((m, i) => {
          const role = (p.roles ?? []).find((r) => r.id === m.to)
          return (
            <li key={i} className="card" data-path={`${base}.messages[${i}]`}>
              <div className="card__head">
                <strong>{m.id}</strong>
                <RowTools
                  name={m.id}
                  i={i}
                  n={list.length}
                  onMove={(j) => set((pp) => ({ ...pp, messages: moveItem(pp.messages ?? [], i, j) }))}
                  onRemove={() => set((pp) => ({ ...pp, messages: (pp.messages ?? []).filter((_, j) => j !== i) }))}
                />
              </div>
              <div className="grid-2">
                <IDInput label={t('pipeline.id')} value={m.id} path={`${base}.messages[${i}].id`} onCommit={(v) => set((pp) => renameMessage(pp, m.id, uniqueID(v, (pp.messages ?? []).map((x) => x.id))))} />
                <Select label={t('message.to')} value={m.to} options={to} onChange={(v) => upd(i, (x) => ({ ...x, to: v }))} path={`${base}.messages[${i}].to`} />
              </div>
              <TemplateEditor
                subject={m.subject}
                body={m.body}
                onChange={(subject, body) => upd(i, (x) => ({ ...x, subject, body }))}
                path={`${base}.messages[${i}]`}
                schema={schema}
                procedure={slug}
                sample={role ? { role: role.label } : undefined}
              />
            </li>
          )
        })}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => set((pp) => ({ ...pp, messages: [...(pp.messages ?? []), { id: uniqueID('message', (pp.messages ?? []).map((x) => x.id)), to: 'applicant', subject: '', body: '' }] }))}
      >
        {t('pipeline.addMessage')}
      </button>
    </Section>
  )
}

const VERBS = ['transition', 'invite', 'activate', 'send', 'set', 'assign'] as const
type Verb = (typeof VERBS)[number]

function verbOf(a: Action): Verb {
  return VERBS.find((v) => a[v] !== undefined) ?? 'send'
}

function Rules({ p, set, base, schema }: { p: Pipeline; set: SetP; base: string; schema?: JsonObject }) {
  const t = useT()
  const list = p.rules ?? []
  const upd = (i: number, fn: (x: Rule) => Rule) => set((pp) => ({ ...pp, rules: replaceAt(pp.rules ?? [], i, (x) => keep(fn(x), ['do'])) }))
  const roles = (p.roles ?? []).map((r) => ({ value: r.id, label: r.label || r.id }))
  const states = p.states.map((s) => ({ value: s.id, label: s.label || s.id }))
  return (
    <Section title={t('pipeline.rules')} count={list.length}>
      <p className="help">{t('pipeline.rules.help')}</p>
      <ol className="cards">
        {list.map((r, i) => (
          <li key={i} className="card" data-path={`${base}.rules[${i}]`}>
            <div className="card__head">
              <strong>{r.id}</strong>
              <RowTools
                name={r.id}
                i={i}
                n={list.length}
                onMove={(j) => set((pp) => ({ ...pp, rules: moveItem(pp.rules ?? [], i, j) }))}
                onRemove={() => set((pp) => ({ ...pp, rules: (pp.rules ?? []).filter((_, j) => j !== i) }))}
              />
            </div>
            <div className="grid-3">
              <IDInput label={t('pipeline.id')} value={r.id} path={`${base}.rules[${i}].id`} onCommit={(v) => upd(i, (x) => ({ ...x, id: v }))} />
              <Select label={t('rule.on')} value={r.on} options={EVENTS.map((e) => ({ value: e, label: t('event.' + e) }))} onChange={(v) => upd(i, (x) => ({ ...x, on: v, state: undefined, role: undefined }))} path={`${base}.rules[${i}].on`} />
              {r.on === 'dossier.entered' ? (
                <Select label={t('rule.state')} value={r.state ?? ''} options={[{ value: '', label: t('rule.any') }, ...states]} onChange={(v) => upd(i, (x) => ({ ...x, state: v || undefined }))} path={`${base}.rules[${i}].state`} />
              ) : r.on.startsWith('invitation.') || r.on === 'opinion.returned' ? (
                <Select label={t('rule.role')} value={r.role ?? ''} options={[{ value: '', label: t('rule.any') }, ...roles]} onChange={(v) => upd(i, (x) => ({ ...x, role: v || undefined }))} path={`${base}.rules[${i}].role`} />
              ) : null}
            </div>
            <ExpressionInput label={t('rule.if')} help={t('expr.help')} kind="condition" value={r.if ?? ''} onChange={(v) => upd(i, (x) => ({ ...x, if: v }))} pipeline={p} schema={schema} path={`${base}.rules[${i}].if`} />
            <fieldset className="control" data-path={`${base}.rules[${i}].do`}>
              <legend>{t('rule.do')}</legend>
              <ol className="rows">
                {r.do.map((a, j) => (
                  <li key={j} className="row row--form" data-path={`${base}.rules[${i}].do[${j}]`}>
                    <ActionEditor a={a} p={p} schema={schema} onChange={(na) => upd(i, (x) => ({ ...x, do: replaceAt(x.do, j, () => na) }))} />
                    <RowTools
                      name={t('rule.action', { n: j + 1 })}
                      i={j}
                      n={r.do.length}
                      onMove={(k) => upd(i, (x) => ({ ...x, do: moveItem(x.do, j, k) }))}
                      onRemove={() => upd(i, (x) => ({ ...x, do: x.do.filter((_, k) => k !== j) }))}
                    />
                  </li>
                ))}
              </ol>
              <button type="button" className="button button--small" onClick={() => upd(i, (x) => ({ ...x, do: [...x.do, { send: '' }] }))}>
                {t('rule.addAction')}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => set((pp) => ({ ...pp, rules: [...(pp.rules ?? []), newRule(pp)] }))}>
        {t('pipeline.addRule')}
      </button>
    </Section>
  )
}

function ActionEditor({ a, p, schema, onChange }: { a: Action; p: Pipeline; schema?: JsonObject; onChange: (a: Action) => void }) {
  const t = useT()
  const verb = verbOf(a)
  const options: Record<Verb, { value: string; label: string }[]> = {
    transition: (p.transitions ?? []).map((x) => ({ value: x.id, label: x.label || x.id })),
    invite: (p.roles ?? []).filter((r) => r.kind === 'consulted').map((r) => ({ value: r.id, label: r.label || r.id })),
    activate: (p.roles ?? []).filter((r) => r.kind === 'consulted').map((r) => ({ value: r.id, label: r.label || r.id })),
    send: (p.messages ?? []).map((m) => ({ value: m.id, label: m.id })),
    set: Object.keys(isObject(schema?.properties) ? (schema!.properties as JsonObject) : {}).map((k) => ({ value: k, label: k })),
    assign: [],
  }
  const arg = String(a[verb] ?? '')
  return (
    <div className="action">
      <Select label={t('action.verb')} value={verb} options={VERBS.map((v) => ({ value: v, label: t('verb.' + v) }))} onChange={(v) => onChange({ [v]: '' } as Action)} />
      {verb === 'assign' ? (
        <TextInput label={t('verb.assign.group')} value={arg} onChange={(v) => onChange({ assign: v })} />
      ) : (
        <Select label={t('verb.' + verb + '.arg')} value={arg} options={[{ value: '', label: '—' }, ...options[verb], ...(arg && !options[verb].some((o) => o.value === arg) ? [{ value: arg, label: arg }] : [])]} onChange={(v) => onChange({ ...a, [verb]: v })} />
      )}
      {verb === 'invite' ? <TextInput label={t('verb.invite.due')} help={t('verb.invite.due.help')} value={a.due ?? ''} onChange={(v) => onChange(omitEmpty({ ...a, due: v }))} mono /> : null}
      {verb === 'set' ? <ExpressionInput label={t('verb.set.value')} kind="value" value={a.value ?? ''} onChange={(v) => onChange({ ...a, value: v })} pipeline={p} schema={schema} /> : null}
    </div>
  )
}
