// The tabs of the integrations editor that edit the integration: the
// connection, push, webhook and poll sections, and the JSON.

import { useEffect, useRef, useState } from 'react'
import { api, problemText } from '../api/client'
import { useLang, useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { pretty, type JsonObject } from '../model/json'
import { Checkbox, Checklist, IconButton, Select, TextInput } from '../components/controls'
import { useIntegration } from './context'
import { Choice, Expr, focusRow, Headers, Num, ProblemLine, SecretPicker, Text, UpdateMapping, useFocusAfter } from './fields'
import { addItem, AUTH_KINDS, DEFAULTS, getIn, MATCH_BY, METHODS, parseIntegration, PLACEHOLDERS, removeItem, setAuthKind, setSection, setTriggerEvent, TRIGGER_EVENTS, view, type Section } from './model'

export function Connection({ onRemove }: { onRemove: () => void }) {
  const t = useT()
  const c = useIntegration()
  const v = view(c.json)
  return (
    <div className="int-section">
      <div className="grid-2">
        <Text at={['id']} label={t('integration.id')} help={t('integration.id.help')} mono required spellCheck={false} />
        <Text at={['label']} label={t('integration.label')} help={t('integration.label.help')} />
      </div>
      <Checkbox label={t('integration.enabled')} help={t('integration.enabled.help')} checked={v.enabled} onChange={(b) => c.set(['enabled'], b)} path={c.path(['enabled'])} />
      <Text at={['url']} label={t('integration.url')} help={t('integration.url.help')} type="url" mono placeholder="https://application.example.ch/api" spellCheck={false} />
      <Checkbox label={t('integration.internal')} help={t('integration.internal.help')} checked={v.internal} onChange={(b) => c.set(['internal'], b)} path={c.path(['internal'])} />

      <fieldset className="control" data-path={c.path(['auth'])}>
        <legend>{t('integration.auth')}</legend>
        <Choice
          at={['auth', 'kind']}
          label={t('integration.auth.kind')}
          value={v.auth.kind}
          help={t('integration.auth.help.' + (AUTH_KINDS.includes(v.auth.kind as never) ? v.auth.kind : 'none'))}
          options={[...(v.auth.kind === '' ? [{ value: '', label: t('integration.choose') }] : []), ...AUTH_KINDS.map((k) => ({ value: k, label: t('integration.auth.' + k) }))]}
          onChange={(k) => c.edit((j) => setAuthKind(j, k))}
        />
        {v.auth.kind === 'basic' ? <Text at={['auth', 'username']} label={t('integration.auth.username')} /> : null}
        {v.auth.kind !== 'none' ? <SecretPicker at={['auth', 'secret']} label={t('integration.auth.secret.' + (v.auth.kind === 'basic' ? 'basic' : v.auth.kind === 'signature' ? 'signature' : 'bearer'))} help={t('integration.secret.help')} /> : null}
      </fieldset>

      <Headers />
      <Text at={['timeout']} label={t('integration.timeout')} help={t('integration.timeout.help', { d: DEFAULTS.timeout })} mono placeholder={DEFAULTS.timeout} />
      <fieldset className="control" data-path={c.path(['retry'])}>
        <legend>{t('integration.retry')}</legend>
        <p className="help">{t('integration.retry.help')}</p>
        <div className="grid-2">
          <Num at={['retry', 'attempts']} label={t('integration.retry.attempts')} help={t('integration.default', { d: DEFAULTS.attempts })} integer min={1} />
          <Text at={['retry', 'initial']} label={t('integration.retry.initial')} help={t('integration.default', { d: DEFAULTS.initial })} mono placeholder={DEFAULTS.initial} />
          <Text at={['retry', 'max']} label={t('integration.retry.max')} help={t('integration.default', { d: DEFAULTS.max })} mono placeholder={DEFAULTS.max} />
        </div>
      </fieldset>
      <p>
        <button type="button" className="button button--danger" onClick={onRemove}>
          {t('integration.remove')}
        </button>
      </p>
    </div>
  )
}

/** Toggle switches a section on or off, keeping what it held for this session. */
function Toggle({ s, label, help }: { s: Section; label: string; help: string }) {
  const c = useIntegration()
  const on = getIn(c.json, [s]) !== undefined
  return (
    <Checkbox
      label={label}
      help={help}
      checked={on}
      path={c.path([s])}
      onChange={(b) => {
        if (!b) c.stash[s] = getIn(c.json, [s]) ?? null
        c.edit((j) => setSection(j, s, b, c.stash[s]))
      }}
    />
  )
}

export function Push() {
  const t = useT()
  const c = useIntegration()
  const v = view(c.json).push
  const on = ['push', 'on']
  const list = useRef<HTMLUListElement>(null)
  const add = useRef<HTMLButtonElement>(null)
  const focusAfter = useFocusAfter()
  return (
    <div className="int-section">
      <Toggle s="push" label={t('integration.push.on')} help={t('integration.push.help')} />
      {v ? (
        <>
          <fieldset className="control" data-path={c.path(on)}>
            <legend>{t('integration.push.triggers')}</legend>
            <ProblemLine path={c.path(on)} />
            <ul className="int-rows" ref={list}>
              {v.on.map((tr, i) => (
                <li key={i} className="row row--form">
                  <Choice
                    at={[...on, i, 'event']}
                    label={t('integration.push.event', { n: i + 1 })}
                    options={TRIGGER_EVENTS.map((e) => ({ value: e, label: t('event.' + e) }))}
                    onChange={(e) => c.edit((j) => setTriggerEvent(j, i, e))}
                  />
                  {tr.event === 'dossier.entered' ? (
                    <Choice at={[...on, i, 'state']} label={t('integration.push.state', { n: i + 1 })} options={[{ value: '', label: t('integration.push.anyState') }, ...c.states]} />
                  ) : null}
                  <span className="row-tools">
                    <IconButton
                      label={t('integration.push.trigger.remove', { n: i + 1 })}
                      onClick={() => {
                        c.edit((j) => removeItem(j, on, i))
                        focusAfter(() => focusRow(list.current, i, add.current))
                      }}
                    >
                      ✕
                    </IconButton>
                  </span>
                </li>
              ))}
            </ul>
            <button
              ref={add}
              type="button"
              className="button button--small"
              onClick={() => {
                c.edit((j) => addItem(j, on, { event: 'dossier.entered' }))
                focusAfter(() => focusRow(list.current, v.on.length))
              }}
            >
              {t('integration.push.trigger.add')}
            </button>
          </fieldset>
          <div className="grid-2">
            <Select
              label={t('integration.push.method')}
              value={v.method || DEFAULTS.method}
              options={METHODS.map((m) => ({ value: m, label: m }))}
              onChange={(m) => c.set(['push', 'method'], m)}
              path={c.path(['push', 'method'])}
            />
            <Text at={['push', 'path']} label={t('integration.path')} help={t('integration.path.help', { list: PLACEHOLDERS.join(' ') })} mono placeholder="/dossiers" spellCheck={false} />
          </div>
          <Expr at={['push', 'body']} label={t('integration.push.body')} help={t('integration.push.body.help')} ctx="push.body" multiline />
          <UpdateMapping at={['push', 'response']} ctx="push.response" legend={t('integration.push.response')} help={t('integration.push.response.help')} />
        </>
      ) : null}
    </div>
  )
}

export function Webhook() {
  const t = useT()
  const c = useIntegration()
  const v = view(c.json).webhook
  const [copied, setCopied] = useState(false)
  return (
    <div className="int-section">
      <Toggle s="webhook" label={t('integration.webhook.on')} help={t('integration.webhook.help')} />
      {v ? (
        <>
          <div className="control">
            <p>{t('integration.webhook.url')}</p>
            <p className="int-hook">
              <code>{c.webhookUrl}</code>{' '}
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  void navigator.clipboard?.writeText(c.webhookUrl).then(() => setCopied(true))
                }}
              >
                {t('integration.copy')}
              </button>
              <span role="status" className="muted">
                {copied ? t('integration.copied') : ''}
              </span>
            </p>
            <p className="help">{t('integration.webhook.url.help')}</p>
          </div>
          <SecretPicker at={['webhook', 'secret']} label={t('integration.webhook.secret')} help={t('integration.webhook.secret.help')} />
          <fieldset className="control" data-path={c.path(['webhook', 'dossier'])}>
            <legend>{t('integration.webhook.dossier')}</legend>
            <Choice at={['webhook', 'dossier', 'by']} label={t('integration.webhook.by')} options={[{ value: '', label: t('integration.choose') }, ...MATCH_BY.map((b) => ({ value: b, label: t('integration.webhook.by.' + b) }))]} />
            <Expr at={['webhook', 'dossier', 'value']} label={t('integration.webhook.value')} help={t('integration.webhook.value.help')} ctx="webhook.dossier" />
          </fieldset>
          <UpdateMapping at={['webhook', 'update']} ctx="webhook.update" legend={t('integration.webhook.update')} help={t('integration.webhook.update.help')} />
        </>
      ) : null}
    </div>
  )
}

/** formatter shows times in the schedule's time zone (the browser's when the name is not an IANA zone). */
function formatter(locale: string, tz?: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: tz || undefined })
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' })
  }
}

function NextRuns({ schedule }: { schedule: string }) {
  const t = useT()
  const { lang } = useLang()
  const next = useAsync((signal) => (schedule.trim() ? api.cronNext(schedule, signal) : Promise.resolve(null)), [schedule], 300)
  const fmt = formatter(lang === 'fr' ? 'fr-CH' : 'en-GB', next.data?.timezone)
  return (
    <div aria-live="polite" className="int-next">
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
  )
}

export function Poll() {
  const t = useT()
  const c = useIntegration()
  const v = view(c.json).poll
  return (
    <div className="int-section">
      <Toggle s="poll" label={t('integration.poll.on')} help={t('integration.poll.help')} />
      {v ? (
        <>
          <Text at={['poll', 'schedule']} label={t('integration.cron')} help={t('integration.cron.help')} mono spellCheck={false} />
          <NextRuns schedule={v.schedule} />
          <Text at={['poll', 'path']} label={t('integration.path')} help={t('integration.poll.path.help', { list: PLACEHOLDERS.join(' ') })} mono placeholder="/dossiers/{external_id}" spellCheck={false} />
          <Checklist
            label={t('integration.poll.states')}
            help={t('integration.poll.states.help')}
            values={v.states}
            options={c.states}
            empty={t('integration.noStates')}
            onChange={(s) => c.set(['poll', 'states'], s)}
            path={c.path(['poll', 'states'])}
          />
          <ProblemLine path={c.path(['poll', 'states'])} />
          <div className="grid-2">
            <Num at={['poll', 'concurrency']} label={t('integration.poll.concurrency')} help={t('integration.default', { d: DEFAULTS.concurrency })} integer min={1} />
            <Num at={['poll', 'ratePerSecond']} label={t('integration.poll.rate')} help={t('integration.default', { d: DEFAULTS.ratePerSecond })} min={0.01} />
          </div>
          <UpdateMapping at={['poll', 'update']} ctx="poll.update" legend={t('integration.poll.update')} help={t('integration.poll.update.help')} />
        </>
      ) : null}
    </div>
  )
}

/** JsonTab shows the integration as JSON; valid JSON is written to the draft as it is typed. */
export function JsonTab({ onChange }: { onChange: (v: JsonObject | undefined) => void }) {
  const t = useT()
  const c = useIntegration()
  const [text, setText] = useState(() => pretty(c.json))
  const [error, setError] = useState('')
  // The draft changed elsewhere: show it, unless it is what is typed.
  useEffect(() => {
    setText((cur) => {
      const r = parseIntegration(cur)
      return r.value && JSON.stringify(r.value) === JSON.stringify(c.json) ? cur : pretty(c.json)
    })
  }, [c.json])
  const write = (next: string) => {
    setText(next)
    const r = parseIntegration(next)
    if (r.error) {
      setError(r.error === 'object' ? t('integration.object') : t('json.invalid', { error: r.error }))
      return
    }
    setError('')
    if (r.value) onChange(r.value)
  }
  return <TextInput label={t('integration.json')} help={t('integration.json.help')} value={text} onChange={write} multiline rows={24} mono path={c.path([])} error={error} spellCheck={false} />
}
