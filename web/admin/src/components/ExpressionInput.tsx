// An expression (rule condition, transition guard, computed value) checked
// by the server as it is typed.

import { useId } from 'react'
import { api, problemText } from '../api/client'
import type { Pipeline } from '../api/types'
import type { JsonObject } from '../model/json'
import { useLang, useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'

interface Props {
  label: string
  help?: string
  value: string
  onChange: (v: string) => void
  kind: 'condition' | 'value'
  pipeline?: Pipeline
  schema?: JsonObject
  path?: string
}

export function ExpressionInput({ label, help, value, onChange, kind, pipeline, schema, path }: Props) {
  const t = useT()
  const { lang } = useLang() // the server writes its verdict in the API's language
  const id = useId()
  const check = useAsync(
    (signal) => (value.trim() ? api.checkExpression(value, kind, pipeline, schema, signal) : Promise.resolve(null)),
    [value, kind, JSON.stringify(pipeline?.roles?.map((r) => r.id)), JSON.stringify(pipeline?.states?.map((s) => s.id)), schema, lang],
    300,
  )
  const verdict = !value.trim() ? '' : check.loading ? t('expr.checking') : check.error ? problemText(check.error) : check.data?.ok ? t('expr.ok') : check.data?.error ?? ''
  const bad = !!value.trim() && !check.loading && (!!check.error || check.data?.ok === false)
  return (
    <div className="control expr">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={'mono' + (bad ? ' invalid' : '')}
        value={value}
        spellCheck={false}
        data-path={path}
        aria-invalid={bad || undefined}
        aria-describedby={`${id}-verdict${help ? ' ' + id + '-help' : ''}`}
        onChange={(e) => onChange(e.target.value)}
      />
      {help ? (
        <div className="help" id={id + '-help'}>
          {help}
        </div>
      ) : null}
      <div id={id + '-verdict'} className={'expr__verdict ' + (bad ? 'field-error' : 'ok')} aria-live="polite">
        {verdict}
      </div>
    </div>
  )
}
