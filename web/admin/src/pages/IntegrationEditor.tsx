// PROVISIONAL — issue 4's integration format is not final.
//
// This section edits `scenario.integration` (builder.Integration) as raw
// JSON, saved with the draft, with one structured field: the polling
// schedule (integration.poll.schedule, a cron expression or descriptor)
// and its next five runs from POST /api/admin/cron/next. A visual editor
// (push, webhook, poll mappings) can replace the JSON once the format is
// settled.

import { useEffect, useState } from 'react'
import { api, problemText } from '../api/client'
import { useLang, useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { isObject, pretty, type JsonObject } from '../model/json'
import { replaceAt, useDraft, type DraftStore } from '../state/draft'
import { TextInput } from '../components/controls'
import { ProblemsHere } from './Problems'

/** A disabled integration to start from: it keeps nothing from being published. */
const SKELETON: JsonObject = {
  id: 'application',
  enabled: false,
  url: '',
  push: { on: [{ event: 'dossier.submitted' }], path: '', body: '{"reference": reference, "data": data}' },
  poll: { schedule: '@every 15m', path: '/{external_id}', update: { message: "response.message ?? ''" } },
}

/** formatter shows times in the schedule's time zone (the browser's when the name is not an IANA zone). */
function formatter(locale: string, tz?: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: tz || undefined })
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' })
  }
}

export default function IntegrationEditor({ store, index }: { store: DraftStore; index: number }) {
  const t = useT()
  const { lang } = useLang()
  const integration = useDraft(store, (d) => d.scenarios[index]?.integration)
  const [text, setText] = useState(() => (integration ? pretty(integration) : ''))
  const [error, setError] = useState('')
  const p = `$.scenarios[${index}].integration`

  // The draft changed elsewhere (reloaded): show it, unless it is what we typed.
  useEffect(() => {
    setText((cur) => {
      try {
        if (JSON.stringify(JSON.parse(cur)) === JSON.stringify(integration)) return cur
      } catch {
        /* what is typed is not JSON yet */
      }
      return integration ? pretty(integration) : cur
    })
  }, [integration])

  const save = (v: JsonObject | undefined) =>
    store.update((d) => ({ ...d, scenarios: replaceAt(d.scenarios, index, (s) => ({ ...s, integration: v })) }))

  const write = (next: string) => {
    setText(next)
    if (next.trim() === '') {
      setError('')
      save(undefined)
      return
    }
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
    save(v)
  }

  const schedule = integration && isObject(integration.poll) && typeof integration.poll.schedule === 'string' ? integration.poll.schedule : ''
  const setSchedule = (spec: string) => {
    const base = integration ?? {}
    const poll = isObject(base.poll) ? base.poll : {}
    write(pretty({ ...base, poll: { ...poll, schedule: spec } }))
  }

  const next = useAsync((signal) => (schedule ? api.cronNext(schedule, signal) : Promise.resolve(null)), [schedule], 300)
  const fmt = formatter(lang === 'fr' ? 'fr-CH' : 'en-GB', next.data?.timezone)

  return (
    <section aria-labelledby="int-h">
      <h1 id="int-h">{t('editor.integration')}</h1>
      <div className="notice notice--warning" role="note">
        <p>
          <strong>{t('integration.provisional')}</strong>
        </p>
        <p>{t('integration.inDraft')}</p>
      </div>
      <ProblemsHere store={store} prefix={[p]} />
      {!integration && text.trim() === '' ? (
        <p>
          <button type="button" className="button button--primary" onClick={() => write(pretty(SKELETON))}>
            {t('integration.add')}
          </button>
        </p>
      ) : (
        <>
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
          <TextInput label={t('integration.json')} help={t('integration.json.help')} value={text} onChange={write} multiline rows={20} mono path={p} error={error} spellCheck={false} />
        </>
      )}
    </section>
  )
}
