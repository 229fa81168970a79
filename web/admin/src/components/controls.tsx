// Labelled form controls. Every control has a visible label tied to it, an
// optional help text (aria-describedby), and a data-path naming the place
// of the procedure document it edits, so a problem's path can focus it.

import { memo, useEffect, useId, useRef, useState, type ReactNode } from 'react'

interface Base {
  label: ReactNode
  help?: ReactNode
  path?: string
  error?: string
  className?: string
}

function Described({ id, help, error }: { id: string; help?: ReactNode; error?: string }) {
  return (
    <>
      {help ? (
        <div className="help" id={id + '-help'}>
          {help}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={id + '-error'} role="alert">
          {error}
        </div>
      ) : null}
    </>
  )
}

function describedBy(id: string, help?: ReactNode, error?: string) {
  return [help ? id + '-help' : '', error ? id + '-error' : ''].filter(Boolean).join(' ') || undefined
}

export interface TextProps extends Base {
  value: string
  onChange: (v: string) => void
  type?: 'text' | 'url' | 'email'
  placeholder?: string
  multiline?: boolean
  rows?: number
  mono?: boolean
  required?: boolean
  spellCheck?: boolean
  inputRef?: React.Ref<HTMLInputElement & HTMLTextAreaElement>
  onBlur?: () => void
}

export const TextInput = memo(function TextInput(p: TextProps) {
  const id = useId()
  const common = {
    id,
    value: p.value,
    placeholder: p.placeholder,
    'data-path': p.path,
    'aria-describedby': describedBy(id, p.help, p.error),
    'aria-invalid': p.error ? true : undefined,
    required: p.required,
    spellCheck: p.spellCheck,
    className: p.mono ? 'mono' : undefined,
    onBlur: p.onBlur,
  }
  return (
    <div className={'control ' + (p.className ?? '')}>
      <label htmlFor={id}>{p.label}</label>
      {p.multiline ? (
        <textarea {...common} ref={p.inputRef} rows={p.rows ?? 4} onChange={(e) => p.onChange(e.target.value)} />
      ) : (
        <input {...common} ref={p.inputRef} type={p.type ?? 'text'} onChange={(e) => p.onChange(e.target.value)} />
      )}
      <Described id={id} help={p.help} error={p.error} />
    </div>
  )
})

export interface NumberProps extends Base {
  value: number | undefined
  onChange: (v: number | undefined) => void
  min?: number
  step?: number
  integer?: boolean
}

/** NumberInput keeps what is typed while it is not a number yet; empty means "no value". */
export const NumberInput = memo(function NumberInput(p: NumberProps) {
  const id = useId()
  const [text, setText] = useState(p.value === undefined ? '' : String(p.value))
  const last = useRef(p.value)
  useEffect(() => {
    if (p.value !== last.current) {
      last.current = p.value
      setText(p.value === undefined ? '' : String(p.value))
    }
  }, [p.value])
  return (
    <div className={'control control--narrow ' + (p.className ?? '')}>
      <label htmlFor={id}>{p.label}</label>
      <input
        id={id}
        type="number"
        inputMode={p.integer ? 'numeric' : 'decimal'}
        value={text}
        min={p.min}
        step={p.step ?? (p.integer ? 1 : 'any')}
        data-path={p.path}
        aria-describedby={describedBy(id, p.help, p.error)}
        onChange={(e) => {
          setText(e.target.value)
          const v = e.target.value.trim()
          const n = v === '' ? undefined : Number(v)
          if (n === undefined || Number.isFinite(n)) {
            last.current = n
            p.onChange(n)
          }
        }}
      />
      <Described id={id} help={p.help} error={p.error} />
    </div>
  )
})

export interface CheckProps extends Base {
  checked: boolean
  onChange: (v: boolean) => void
}

export const Checkbox = memo(function Checkbox(p: CheckProps) {
  const id = useId()
  return (
    <div className={'control control--check ' + (p.className ?? '')}>
      <input id={id} type="checkbox" checked={p.checked} data-path={p.path} aria-describedby={describedBy(id, p.help)} onChange={(e) => p.onChange(e.target.checked)} />
      <label htmlFor={id}>{p.label}</label>
      <Described id={id} help={p.help} />
    </div>
  )
})

export interface SelectProps extends Base {
  value: string
  onChange: (v: string) => void
  options: { value: string; label: string }[]
}

export const Select = memo(function Select(p: SelectProps) {
  const id = useId()
  return (
    <div className={'control ' + (p.className ?? '')}>
      <label htmlFor={id}>{p.label}</label>
      <select id={id} value={p.value} data-path={p.path} aria-describedby={describedBy(id, p.help, p.error)} onChange={(e) => p.onChange(e.target.value)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Described id={id} help={p.help} error={p.error} />
    </div>
  )
})

export interface ChecklistProps extends Base {
  values: string[]
  onChange: (v: string[]) => void
  options: { value: string; label: string }[]
  empty?: string
}

/** Checklist picks several values (roles, states) with one checkbox each, in a fieldset. */
export const Checklist = memo(function Checklist(p: ChecklistProps) {
  const id = useId()
  return (
    <fieldset className={'control checklist ' + (p.className ?? '')} data-path={p.path} aria-describedby={describedBy(id, p.help)}>
      <legend>{p.label}</legend>
      {p.options.length === 0 && p.empty ? <p className="muted">{p.empty}</p> : null}
      {p.options.map((o, i) => (
        <label key={o.value} className="checklist__item" htmlFor={`${id}-${i}`}>
          <input
            id={`${id}-${i}`}
            type="checkbox"
            checked={p.values.includes(o.value)}
            onChange={(e) => p.onChange(e.target.checked ? [...p.values, o.value] : p.values.filter((v) => v !== o.value))}
          />{' '}
          {o.label}
        </label>
      ))}
      <Described id={id} help={p.help} />
    </fieldset>
  )
})

/** Status is a polite live region for results of actions. */
export function Status({ children, tone }: { children: ReactNode; tone?: 'ok' | 'error' | 'info' }) {
  return (
    <div className={'status status--' + (tone ?? 'info')} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}

/** IconButton is a small button whose visible text may be a symbol; label says what it does. */
export function IconButton({ label, onClick, children, disabled, className }: { label: string; onClick: () => void; children: ReactNode; disabled?: boolean; className?: string }) {
  return (
    <button type="button" className={'icon-button ' + (className ?? '')} aria-label={label} title={label} onClick={onClick} disabled={disabled}>
      <span aria-hidden="true">{children}</span>
    </button>
  )
}

/**
 * LiveMessage is a polite live region that stays mounted (empty when there
 * is nothing to say): text put into a region that already exists is
 * announced, whereas a region mounted together with its text often is not.
 */
export function LiveMessage({ text, tone, className }: { text?: string; tone?: 'ok' | 'error' | 'info'; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={'live ' + (className ?? '')}>
      {text ? <div className={'status status--' + (tone ?? 'info')}>{text}</div> : null}
    </div>
  )
}
