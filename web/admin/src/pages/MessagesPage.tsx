// The applicant-facing messages of the procedure: the acknowledgement and
// the form fields holding the applicant's email address and name.

import { useT } from '../i18n/i18n'
import { useDraft, type DraftStore } from '../state/draft'
import { Select } from '../components/controls'
import { TemplateEditor } from '../components/TemplateEditor'
import { isObject, type JsonObject } from '../model/json'
import type { ProcedureDoc } from '../api/types'
import { ProblemsHere } from './Problems'

/** onlineForm returns the schema of the first online or API scenario's form. */
export function onlineSchema(d: ProcedureDoc): JsonObject | undefined {
  return d.scenarios.find((s) => (s.kind === 'online' || s.kind === 'api') && s.form)?.form?.schema
}

/** leafFields lists the pointers and labels of single (not repeated) fields of a schema. */
export function leafFields(schema: JsonObject | undefined, filter: (s: JsonObject) => boolean): { pointer: string; label: string }[] {
  const out: { pointer: string; label: string }[] = []
  const walk = (s: JsonObject, ptr: string, label: string) => {
    const props = s.properties
    if (!isObject(props)) return
    for (const [name, ps] of Object.entries(props)) {
      if (!isObject(ps)) continue
      const p = `${ptr}/${name}`
      const l = (label ? label + ' › ' : '') + String(ps.title ?? name)
      if (isObject(ps.properties)) walk(ps, p, l)
      else if (filter(ps)) out.push({ pointer: p, label: l })
    }
  }
  if (schema) walk(schema, '', '')
  return out
}

export function MessagesPage({ store }: { store: DraftStore }) {
  const t = useT()
  const messages = useDraft(store, (d) => d.messages)
  const schema = useDraft(store, onlineSchema)
  const set = (m: Partial<ProcedureDoc['messages']>) => store.update((d) => ({ ...d, messages: { ...d.messages, ...m } }))
  const emails = leafFields(schema, (s) => s.format === 'email')
  const names = leafFields(schema, (s) => s.type === 'string' && s.format === undefined && !s.oneOf && !s.enum)
  const withCurrent = (list: { pointer: string; label: string }[], cur?: string) =>
    [{ value: '', label: t('messages.none') }, ...list.map((f) => ({ value: f.pointer, label: `${f.label} (${f.pointer})` })), ...(cur && !list.some((f) => f.pointer === cur) ? [{ value: cur, label: cur }] : [])]

  return (
    <section aria-labelledby="msg-h">
      <h1 id="msg-h">{t('editor.messages')}</h1>
      <ProblemsHere store={store} prefix={['$.messages']} />
      {!schema ? <p className="notice">{t('messages.noForm')}</p> : null}
      <div className="grid-2">
        <Select
          label={t('messages.email')}
          help={t('messages.email.help')}
          value={messages.applicantEmail ?? ''}
          path="$.messages.applicantEmail"
          onChange={(v) => set({ applicantEmail: v || undefined })}
          options={withCurrent(emails, messages.applicantEmail)}
        />
        <Select
          label={t('messages.name')}
          help={t('messages.name.help')}
          value={messages.applicantName ?? ''}
          path="$.messages.applicantName"
          onChange={(v) => set({ applicantName: v || undefined })}
          options={withCurrent(names, messages.applicantName)}
        />
      </div>
      <h2>{t('messages.ack')}</h2>
      <p className="help">{t('messages.ack.help')}</p>
      <div data-path="$.messages.ack">
        <TemplateEditor subject={messages.ack.subject} body={messages.ack.body} onChange={(subject, body) => set({ ack: { subject, body } })} path="$.messages.ack" schema={schema} procedure={store.slug} />
      </div>
    </section>
  )
}
