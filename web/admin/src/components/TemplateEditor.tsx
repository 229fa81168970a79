// A message template (subject + body, Go text/template) with the variables
// it may use and a preview rendered by the server on a sample dossier.

import { useId, useRef, useState } from 'react'
import { api, ApiError, problemText } from '../api/client'
import type { JsonObject } from '../model/json'
import { useLang, useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { TextInput } from './controls'

interface Props {
  subject: string
  body: string
  onChange: (subject: string, body: string) => void
  path: string
  /** The form schema the sample data is made from (the online scenario's). */
  schema?: JsonObject
  /** Extra overrides of the sample dossier (role, due date for role messages). */
  sample?: JsonObject
  /** The procedure's slug: its title and reference prefix go into the sample. */
  procedure?: string
}

export function TemplateEditor({ subject, body, onChange, path, schema, sample, procedure }: Props) {
  const t = useT()
  const id = useId()
  const bodyRef = useRef<HTMLTextAreaElement>(null)
  const subjectRef = useRef<HTMLInputElement>(null)
  const [lastFocus, setLastFocus] = useState<'subject' | 'body'>('body')
  const { lang } = useLang() // the variables are described in the API's language
  const preview = useAsync((signal) => api.previewTemplate({ subject, body, schema, sample, procedure }, signal), [subject, body, JSON.stringify(schema), JSON.stringify(sample), lang], 400)
  const err = preview.error instanceof ApiError ? preview.error : null
  const errorOn = (where: string) => err?.errors.filter((e) => e.pointer === where).map((e) => e.detail).join(' ') || undefined

  const insert = (name: string) => {
    const target = lastFocus === 'subject' ? subjectRef.current : bodyRef.current
    const value = lastFocus === 'subject' ? subject : body
    const a = target?.selectionStart ?? value.length
    const b = target?.selectionEnd ?? value.length
    const next = value.slice(0, a) + name + value.slice(b)
    if (lastFocus === 'subject') onChange(next, body)
    else onChange(subject, next)
    requestAnimationFrame(() => {
      target?.focus()
      target?.setSelectionRange(a + name.length, a + name.length)
    })
  }

  return (
    <div className="template">
      <div className="template__edit">
        <div onFocus={() => setLastFocus('subject')}>
          <TextInput label={t('template.subject')} value={subject} onChange={(v) => onChange(v, body)} path={path + '.subject'} error={errorOn('/subject')} inputRef={subjectRef as never} />
        </div>
        <div onFocus={() => setLastFocus('body')}>
          <TextInput label={t('template.body')} value={body} onChange={(v) => onChange(subject, v)} multiline rows={9} path={path + '.body'} error={errorOn('/body')} inputRef={bodyRef as never} />
        </div>
        <details className="variables">
          <summary>{t('template.variables')}</summary>
          <p className="help">{t('template.variables.help')}</p>
          <ul>
            {(preview.data?.variables ?? []).map((v) => (
              <li key={v.name}>
                <button type="button" className="button button--small mono" onClick={() => insert(v.name)} aria-label={t('template.insert', { name: v.name })}>
                  {v.name}
                </button>{' '}
                <span className="small">{v.description}</span>
                {v.example ? <span className="small muted"> — {t('template.example', { v: v.example })}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      </div>
      <div className="template__preview">
        <h3 id={id + '-h'}>{t('template.preview')}</h3>
        {preview.error && !err?.errors.length ? <p className="field-error">{problemText(preview.error)}</p> : null}
        {preview.data ? (
          <div className="mail" aria-busy={preview.loading}>
            <p>
              <strong>{t('template.subject')} :</strong> {preview.data.subject}
            </p>
            <pre className="mail__body">{preview.data.body}</pre>
          </div>
        ) : null}
      </div>
    </div>
  )
}
