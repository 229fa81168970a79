// PROVISIONAL — issue 4's integration format is not final.
//
// This section edits `scenario.integration` as raw JSON, with one
// structured field: the polling schedule (integration.poll.schedule, a cron
// expression) and its next five runs from POST /api/admin/cron/next.
//
// The admin API refuses unknown members in a procedure document today, so
// until the builder knows `integration`, the JSON is kept in this browser
// (localStorage) and NOT saved with the draft. When a draft from the server
// already carries `integration`, it is edited in the draft itself.

import { useState } from 'react'
import { api, problemText } from '../api/client'
import { useLang, useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { isObject, pretty, type JsonObject } from '../model/json'
import { replaceAt, useDraft, type DraftStore } from '../state/draft'
import { Status, TextInput } from '../components/controls'

const storageKey = (slug: string, id: string) => `guichet.admin.integration.${slug}.${id}`

function loadLocal(key: string): string {
  try {
    return localStorage.getItem(key) ?? ''
  } catch {
    return ''
  }
}

export default function IntegrationEditor({ store, index }: { store: DraftStore; index: number }) {
  const t = useT()
  const { lang } = useLang()
  const scenario = useDraft(store, (d) => d.scenarios[index])
  const inDraft = scenario.integration !== undefined
  const key = storageKey(store.slug, scenario.id)
  const [text, setText] = useState(() => (inDraft ? pretty(scenario.integration) : loadLocal(key) || pretty({ poll: { schedule: '0 * * * *' } })))
  const [error, setError] = useState('')

  let parsed: JsonObject | null = null
  try {
    const v = JSON.parse(text)
    parsed = isObject(v) ? v : null
  } catch {
    parsed = null
  }
  const schedule = parsed && isObject(parsed.poll) && typeof parsed.poll.schedule === 'string' ? parsed.poll.schedule : ''

  const write = (next: string) => {
    setText(next)
    let v: unknown
    try {
      v = JSON.parse(next)
    } catch (e) {
      setError(t('json.invalid', { error: (e as Error).message }))
      return
    }
    if (!isObject(v)) {
      setError(t('integration.object'))
      return
    }
    setError('')
    if (inDraft) store.update((d) => ({ ...d, scenarios: replaceAt(d.scenarios, index, (s) => ({ ...s, integration: v as JsonObject })) }))
    else
      try {
        localStorage.setItem(key, next)
      } catch {
        /* ignore */
      }
  }

  const setSchedule = (spec: string) => {
    const base = parsed ?? {}
    const poll = isObject(base.poll) ? base.poll : {}
    write(pretty({ ...base, poll: { ...poll, schedule: spec } }))
  }

  const next = useAsync((signal) => (schedule ? api.cronNext(schedule, signal) : Promise.resolve(null)), [schedule], 300)
  const fmt = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CH' : 'en-GB', { dateStyle: 'full', timeStyle: 'short' })
  const p = `$.scenarios[${index}].integration`

  return (
    <section aria-labelledby="int-h">
      <h1 id="int-h">{t('editor.integration')}</h1>
      <div className="notice notice--warning" role="note">
        <p>
          <strong>{t('integration.provisional')}</strong>
        </p>
        <p>{inDraft ? t('integration.inDraft') : t('integration.local')}</p>
      </div>
      <TextInput label={t('integration.cron')} help={t('integration.cron.help')} value={schedule} onChange={setSchedule} mono path={p + '.poll.schedule'} />
      <div aria-live="polite">
        {next.error ? <p className="field-error">{problemText(next.error)}</p> : null}
        {next.data ? (
          <>
            <p>{t('integration.next', { tz: next.data.timezone })}</p>
            <ol>
              {next.data.next.map((d) => (
                <li key={d}>{fmt.format(new Date(d))}</li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
      <TextInput label={t('integration.json')} value={text} onChange={write} multiline rows={16} mono path={p} error={error} spellCheck={false} />
      {!inDraft ? <Status>{t('integration.saved.local')}</Status> : null}
    </section>
  )
}
