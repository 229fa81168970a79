// Controls of the integrations editor bound to a member of the integration:
// each reads its value, writes it back through the draft, carries the
// member's JSONPath (data-path) and shows the problems found there.

import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { problemText } from '../api/client'
import { useT } from '../i18n/i18n'
import { useDraftMeta } from '../state/draft'
import { IconButton, LiveMessage, NumberInput, Select, TextInput, type TextProps } from '../components/controls'
import type { Json } from '../model/json'
import { useIntegration, useProblems, type Option } from './context'
import { addItem, CONTEXT_NAMES, getIn, moveItem, removeItem, setHeaders, viewUpdate, type MappingContext, type Path } from './model'
import { integrationsApi } from './api'

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '')

/**
 * useFocusAfter moves focus once the component has rendered what an action
 * changed (a row removed, moved or added, a form closed), so that focus is
 * never left on an element that went away.
 */
export function useFocusAfter(): (f: () => void) => void {
  const pending = useRef<(() => void) | null>(null)
  // The tick is set with the action's own updates (batched), so the focus
  // moves after the render that shows them, not after an earlier one.
  const [tick, setTick] = useState(0)
  // A layout effect: focus moves in the commit that shows the change, not
  // in a passive effect that may run later (a screen reader or a test
  // could see the change with the focus still on <body>).
  useLayoutEffect(() => {
    const f = pending.current
    pending.current = null
    f?.()
  }, [tick])
  return useCallback((f: () => void) => {
    pending.current = f
    setTick((n) => n + 1)
  }, [])
}

const usable = (el: HTMLElement | null | undefined): el is HTMLElement => !!el && !(el as HTMLButtonElement).disabled

/** focusRow focuses the first control of row i of list, or else the first usable fallback. */
export function focusRow(list: HTMLElement | null, i: number, ...fallbacks: (HTMLElement | null)[]) {
  const row = i >= 0 ? list?.children[i] : undefined
  const first = row?.querySelector<HTMLElement>('input, select, textarea, button:not([disabled])')
  ;(first ?? fallbacks.find(usable))?.focus()
}

/** focusMoved focuses, in row i of list, the arrow that was pressed (or the other one when it is now disabled). */
export function focusMoved(list: HTMLElement | null, i: number, dir: 'up' | 'down') {
  const [up, down] = [...(list?.children[i]?.querySelectorAll<HTMLButtonElement>('.row-tools button') ?? [])]
  const [want, other] = dir === 'up' ? [up, down] : [down, up]
  ;(usable(want) ? want : other)?.focus()
}

type TextFieldProps = { at: Path } & Omit<TextProps, 'path' | 'error' | 'value' | 'onChange'>

/** Text edits a string member. */
export function Text({ at, ...rest }: TextFieldProps) {
  const c = useIntegration()
  const error = useProblems(c.path(at))
  return <TextInput {...rest} value={str(getIn(c.json, at))} onChange={(v) => c.set(at, v)} path={c.path(at)} error={error} />
}

/** Num edits a number member; empty removes it (the default applies). */
export function Num({ at, label, help, integer, min, step }: { at: Path; label: string; help?: string; integer?: boolean; min?: number; step?: number }) {
  const c = useIntegration()
  const error = useProblems(c.path(at))
  const v = getIn(c.json, at)
  return (
    <NumberInput
      label={label}
      help={help}
      value={typeof v === 'number' ? v : undefined}
      onChange={(n) => c.set(at, n)}
      integer={integer}
      min={min}
      step={step}
      path={c.path(at)}
      error={error}
    />
  )
}

/** Choice edits a member among options; a value not among them is kept and shown as unknown. */
export function Choice({ at, label, help, options, onChange, value: shown }: { at: Path; label: string; help?: string; options: Option[]; onChange?: (v: string) => void; value?: string }) {
  const t = useT()
  const c = useIntegration()
  const error = useProblems(c.path(at))
  const value = shown ?? str(getIn(c.json, at))
  const opts = value && !options.some((o) => o.value === value) ? [...options, { value, label: t('integration.unknown', { id: value }) }] : options
  return <Select label={label} help={help} value={value} options={opts} onChange={onChange ?? ((v) => c.set(at, v))} path={c.path(at)} error={error} />
}

/**
 * Expr is a mapping expression. The expressions endpoint checks rule
 * expressions only (it does not know payload, response…), so what is wrong
 * here comes from the procedure check, run on every autosave.
 */
export function Expr({ at, label, ctx, multiline, condition, help }: { at: Path; label: string; ctx: MappingContext; multiline?: boolean; condition?: boolean; help?: string }) {
  const t = useT()
  const id = useId()
  const c = useIntegration()
  const meta = useDraftMeta(c.store)
  const path = c.path(at)
  const error = useProblems(path)
  const value = str(getIn(c.json, at))
  // The value the last check saw: only a field changed since then is
  // "being checked" (the others keep their verdict while the draft saves).
  const [checked, setChecked] = useState(value)
  if (meta.saveState === 'saved' && checked !== value) setChecked(value)
  const [focused, setFocused] = useState(false)
  const stale = value !== checked
  const pending = stale && (meta.saveState === 'dirty' || meta.saveState === 'saving')
  const shownError = stale ? undefined : error
  const verdict = stale ? (pending && value.trim() ? t('expr.checking') : '') : shownError ? shownError : value.trim() ? t('integration.expr.ok') : ''
  const common = {
    id,
    value,
    spellCheck: false,
    className: 'mono' + (shownError ? ' invalid' : ''),
    'data-path': path,
    'aria-invalid': shownError ? true : undefined,
    'aria-describedby': `${id}-help ${id}-verdict`,
    onFocus: () => setFocused(true),
    onBlur: () => setFocused(false),
  }
  return (
    <div className="control expr">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...common} rows={5} onChange={(e) => c.set(at, e.target.value)} /> : <input {...common} onChange={(e) => c.set(at, e.target.value)} />}
      <div className="help" id={id + '-help'}>
        {help ? help + ' ' : ''}
        {t(condition ? 'integration.expr.condition' : 'integration.expr.names', { names: CONTEXT_NAMES[ctx].join(', ') })}
      </div>
      {/* Only the field being edited speaks: every verdict changes with each autosave. */}
      <div id={id + '-verdict'} className={'expr__verdict ' + (shownError ? 'field-error' : 'ok')} aria-live={focused ? 'polite' : undefined}>
        {verdict}
      </div>
    </div>
  )
}

/** Headers edits the headers as rows of name and value. */
export function Headers() {
  const t = useT()
  const c = useIntegration()
  const h = getIn(c.json, ['headers'])
  const fromDraft = (): [string, string][] => (h && typeof h === 'object' && !Array.isArray(h) ? Object.entries(h).map(([k, v]) => [k, str(v)]) : [])
  const [rows, setRows] = useState(fromDraft)
  const key = JSON.stringify(h ?? {})
  // The draft changed elsewhere (JSON tab, reload): take it, unless it is what the rows write.
  useEffect(() => {
    setRows((cur) => {
      const mine: Record<string, string> = {}
      for (const [k, v] of cur) if (k.trim()) mine[k.trim()] = v
      return JSON.stringify(mine) === key ? cur : fromDraft()
    })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  const write = (next: [string, string][]) => {
    setRows(next)
    c.edit((j) => setHeaders(j, next))
  }
  const error = useProblems(c.path(['headers']))
  const list = useRef<HTMLDivElement>(null)
  const add = useRef<HTMLButtonElement>(null)
  const focusAfter = useFocusAfter()
  return (
    <fieldset className="control int-list" data-path={c.path(['headers'])}>
      <legend>{t('integration.headers')}</legend>
      <p className="help">{t('integration.headers.help')}</p>
      {error ? <p className="field-error">{error}</p> : null}
      <div ref={list}>
        {rows.map(([k, v], i) => (
          <HeaderRow
            key={i}
            i={i}
            name={k}
            value={v}
            onChange={(nk, nv) => write(rows.map((r, j) => (j === i ? [nk, nv] : r)))}
            onRemove={() => {
              write(rows.filter((_, j) => j !== i))
              focusAfter(() => focusRow(list.current, i, add.current))
            }}
          />
        ))}
      </div>
      <button
        ref={add}
        type="button"
        className="button button--small"
        onClick={() => {
          setRows([...rows, ['', '']])
          focusAfter(() => focusRow(list.current, rows.length))
        }}
      >
        {t('integration.headers.add')}
      </button>
    </fieldset>
  )
}

function HeaderRow({ i, name, value, onChange, onRemove }: { i: number; name: string; value: string; onChange: (k: string, v: string) => void; onRemove: () => void }) {
  const t = useT()
  const c = useIntegration()
  const error = useProblems(c.path(['headers', name]))
  return (
    <div className="row row--form">
      <TextInput label={t('integration.header.name', { n: i + 1 })} value={name} onChange={(k) => onChange(k, value)} mono path={name ? c.path(['headers', name]) : undefined} error={error} />
      <TextInput label={t('integration.header.value', { n: i + 1 })} value={value} onChange={(v) => onChange(name, v)} mono />
      <span className="row-tools">
        <IconButton label={t('integration.header.remove', { n: i + 1 })} onClick={onRemove}>
          ✕
        </IconButton>
      </span>
    </div>
  )
}

const NEW = '\u0000new'

/** SecretPicker names a stored secret (or a new one) and sets or rotates its value, never showing it. */
export function SecretPicker({ at, label, help }: { at: Path; label: string; help?: string }) {
  const t = useT()
  const c = useIntegration()
  const name = str(getIn(c.json, at))
  const stored = c.secrets.list
  const [creating, setCreating] = useState(false)
  const error = useProblems(c.path(at))
  const known = stored.some((s) => s.name === name)
  const options: Option[] = [
    { value: '', label: t('integration.secret.choose') },
    ...stored.map((s) => ({ value: s.name, label: `${s.name} (${s.readable ? s.masked : t('integration.secret.unreadable')})` })),
    ...(name && !known ? [{ value: name, label: t('integration.secret.notSet', { name }) }] : []),
    { value: NEW, label: t('integration.secret.new') },
  ]
  return (
    <div className="int-secret">
      <Select
        label={label}
        help={help}
        value={creating ? NEW : name}
        options={options}
        path={creating ? undefined : c.path(at)}
        error={creating ? undefined : error}
        onChange={(v) => {
          if (v === NEW) {
            setCreating(true)
            c.set(at, '')
          } else {
            setCreating(false)
            c.set(at, v)
          }
        }}
      />
      {creating ? (
        <TextInput label={t('integration.secret.name')} help={t('integration.secret.name.help')} value={name} onChange={(v) => c.set(at, v)} mono path={c.path(at)} error={error} spellCheck={false} />
      ) : null}
      {c.secrets.error ? <p className="field-error">{c.secrets.error}</p> : null}
      <SecretValue name={name} stored={known} />
    </div>
  )
}

function SecretValue({ name, stored }: { name: string; stored: boolean }) {
  const t = useT()
  const c = useIntegration()
  const id = useId()
  const [open, setOpen] = useState(false)
  const [value, setValue] = useState('')
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const focusAfter = useFocusAfter()
  const close = () => {
    setOpen(false)
    setValue('')
    focusAfter(() => toggle.current?.focus())
  }
  const save = async () => {
    if (!value || busy) return
    setBusy(true)
    setStatus(null)
    try {
      await integrationsApi.setSecret(name, value)
      close()
      setStatus({ tone: 'ok', text: t('integration.secret.saved', { name }) })
      c.secrets.reload()
    } catch (e) {
      setStatus({ tone: 'error', text: problemText(e) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="int-secret__value">
      {!open ? (
        <button
          ref={toggle}
          type="button"
          className="button button--small"
          disabled={!name}
          onClick={() => {
            setOpen(true)
            setStatus(null)
            focusAfter(() => input.current?.focus())
          }}
        >
          {stored ? t('integration.secret.rotate') : t('integration.secret.set')}
        </button>
      ) : (
        <div className="row row--form">
          <div className="control">
            <label htmlFor={id}>{t('integration.secret.value', { name })}</label>
            <input
              ref={input}
              id={id}
              type="password"
              autoComplete="new-password"
              value={value}
              aria-describedby={id + '-help'}
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault()
                  void save()
                }
              }}
            />
            <div className="help" id={id + '-help'}>
              {t('integration.secret.value.help')}
            </div>
          </div>
          <button type="button" className="button button--primary" aria-disabled={busy || !value || undefined} onClick={() => void save()}>
            {t('integration.secret.save')}
          </button>
          <button type="button" className="button" onClick={close}>
            {t('integration.cancel')}
          </button>
        </div>
      )}
      <LiveMessage text={status?.text} tone={status?.tone} />
    </div>
  )
}

/** UpdateMapping edits push.response, webhook.update or poll.update. */
export function UpdateMapping({ at, ctx, legend, help }: { at: Path; ctx: MappingContext; legend: string; help?: string }) {
  const t = useT()
  const c = useIntegration()
  const m = viewUpdate(getIn(c.json, at))
  const trs = [...at, 'transitions']
  const set = [...at, 'set']
  const nothing = useProblems(c.path(at))
  const trList = useRef<HTMLOListElement>(null)
  const trHeading = useRef<HTMLHeadingElement>(null)
  const trAdd = useRef<HTMLButtonElement>(null)
  const setList = useRef<HTMLUListElement>(null)
  const setAdd = useRef<HTMLButtonElement>(null)
  const focusAfter = useFocusAfter()
  const move = (i: number, dir: 'up' | 'down') => {
    const j = dir === 'up' ? i - 1 : i + 1
    c.edit((x) => moveItem(x, trs, i, j))
    focusAfter(() => focusMoved(trList.current, j, dir))
  }
  return (
    <fieldset className="control int-mapping" data-path={c.path(at)}>
      <legend>{legend}</legend>
      {help ? <p className="help">{help}</p> : null}
      {nothing ? <p className="field-error">{nothing}</p> : null}
      <Expr at={[...at, 'externalId']} label={t('integration.map.externalId')} help={t('integration.map.externalId.help')} ctx={ctx} />

      <h4 id={c.path(trs)} ref={trHeading} tabIndex={-1}>
        {t('integration.map.transitions')}
      </h4>
      <p className="help">{t('integration.map.transitions.help')}</p>
      <ProblemLine path={c.path(trs)} />
      {c.transitions.length === 0 ? <p className="muted">{t('integration.map.noTransitions')}</p> : null}
      <ol className="int-rows" ref={trList}>
        {m.transitions.map((_, i) => (
          <li key={i} className="row row--form">
            <Expr at={[...trs, i, 'if']} label={t('integration.map.if', { n: i + 1 })} help={t('integration.map.if.help')} ctx={ctx} condition />
            <Choice at={[...trs, i, 'transition']} label={t('integration.map.transition', { n: i + 1 })} options={[{ value: '', label: t('integration.choose') }, ...c.transitions]} />
            <span className="row-tools">
              <IconButton label={t('integration.up', { n: i + 1 })} disabled={i === 0} onClick={() => move(i, 'up')}>
                ↑
              </IconButton>
              <IconButton label={t('integration.down', { n: i + 1 })} disabled={i === m.transitions.length - 1} onClick={() => move(i, 'down')}>
                ↓
              </IconButton>
              <IconButton
                label={t('integration.map.transition.remove', { n: i + 1 })}
                onClick={() => {
                  c.edit((j) => removeItem(j, trs, i))
                  focusAfter(() => focusRow(trList.current, i, trAdd.current, trList.current?.children[i - 1]?.querySelector<HTMLElement>('input, select, textarea') ?? null, trHeading.current))
                }}
              >
                ✕
              </IconButton>
            </span>
          </li>
        ))}
      </ol>
      <button
        ref={trAdd}
        type="button"
        className="button button--small"
        disabled={c.transitions.length === 0}
        onClick={() => {
          c.edit((j) => addItem(j, trs, { transition: c.transitions[0]?.value ?? '' }))
          focusAfter(() => focusRow(trList.current, m.transitions.length))
        }}
      >
        {t('integration.map.transition.add')}
      </button>

      <h4>{t('integration.map.set')}</h4>
      <ProblemLine path={c.path(set)} />
      <ul className="int-rows" ref={setList}>
        {m.set.map((_, i) => (
          <li key={i} className="row row--form">
            <Choice at={[...set, i, 'field']} label={t('integration.map.field', { n: i + 1 })} options={[{ value: '', label: t('integration.choose') }, ...c.fields]} />
            <Expr at={[...set, i, 'value']} label={t('integration.map.value', { n: i + 1 })} ctx={ctx} />
            <span className="row-tools">
              <IconButton
                label={t('integration.map.set.remove', { n: i + 1 })}
                onClick={() => {
                  c.edit((j) => removeItem(j, set, i))
                  focusAfter(() => focusRow(setList.current, i, setAdd.current))
                }}
              >
                ✕
              </IconButton>
            </span>
          </li>
        ))}
      </ul>
      <button
        ref={setAdd}
        type="button"
        className="button button--small"
        onClick={() => {
          c.edit((j) => addItem(j, set, { field: '', value: '' }))
          focusAfter(() => focusRow(setList.current, m.set.length))
        }}
      >
        {t('integration.map.set.add')}
      </button>

      <Expr at={[...at, 'message']} label={t('integration.map.message')} help={t('integration.map.message.help')} ctx={ctx} />
    </fieldset>
  )
}

/** ProblemLine shows the problems of a member that has no control of its own (a list). */
export function ProblemLine({ path }: { path: string }) {
  const error = useProblems(path)
  return error ? <p className="field-error">{error}</p> : null
}
