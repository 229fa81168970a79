// What a published integration has been doing: its status, the last poll
// runs and the dead deliveries, with "retry" and "poll now".

import { useRef, useState } from 'react'
import { problemText } from '../api/client'
import { useLang, useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { LiveMessage } from '../components/controls'
import { integrationsApi, type Delivery, type IntegrationStatus } from './api'

export function Activity({ status, onRefresh }: { status: IntegrationStatus; onRefresh: () => void }) {
  const t = useT()
  const { lang } = useLang()
  const key = status.key
  const [tick, setTick] = useState(0)
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const runs = useAsync((signal) => integrationsApi.runs(key, signal), [key, tick])
  const dead = useAsync((signal) => integrationsApi.dead(key, signal), [key, tick])
  const fmt = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CH' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' })
  const date = (s?: string) => (s ? fmt.format(new Date(s)) : '—')
  const refresh = () => {
    setTick((n) => n + 1)
    onRefresh()
  }
  const deadHeading = useRef<HTMLHeadingElement>(null)
  /** act runs an action; after a retry, its row goes away with the refresh: focus moves to the list's heading. */
  const act = async (f: () => Promise<unknown>, ok: string, retried?: boolean) => {
    setMsg(null)
    try {
      await f()
      setMsg({ tone: 'ok', text: ok })
      if (retried) deadHeading.current?.focus()
      refresh()
    } catch (e) {
      setMsg({ tone: 'error', text: problemText(e) })
    }
  }
  const jobs = Object.entries(status.jobs ?? {})
  return (
    <div className="int-section int-activity">
      <dl className="int-facts">
        <dt>{t('integration.activity.status')}</dt>
        <dd>{t('integration.status.' + (['active', 'disabled', 'no-url'].includes(status.status) ? status.status : 'active'))}</dd>
        <dt>{t('integration.activity.version')}</dt>
        <dd>{status.version}</dd>
        <dt>{t('integration.activity.jobs')}</dt>
        <dd>{jobs.length ? jobs.map(([s, n]) => t('integration.activity.count', { what: t('integration.job.' + (['available', 'running', 'dead'].includes(s) ? s : 'available')), n })).join(' · ') : t('integration.activity.noJobs')}</dd>
        {status.poll ? (
          <>
            <dt>{t('integration.activity.nextPoll')}</dt>
            <dd>{status.poll.next ? date(status.poll.next) : '—'}</dd>
          </>
        ) : null}
        <dt>{t('integration.activity.lastRun')}</dt>
        <dd>{status.last_run ? `${date(status.last_run.started_at)} — ${runStatus(t, status.last_run.status)}` : '—'}</dd>
      </dl>
      <div className="toolbar">
        <button type="button" className="button" onClick={refresh}>
          {t('integration.activity.refresh')}
        </button>
        {status.poll ? (
          <button type="button" className="button" disabled={!status.active} onClick={() => void act(() => integrationsApi.pollNow(key), t('integration.activity.polled'))}>
            {t('integration.activity.pollNow')}
          </button>
        ) : null}
      </div>
      <LiveMessage text={msg?.text} tone={msg?.tone} />

      <h3>{t('integration.activity.runs')}</h3>
      {runs.error ? <p className="field-error">{problemText(runs.error)}</p> : null}
      {runs.data && runs.data.length === 0 ? <p className="muted">{t('integration.activity.noRuns')}</p> : null}
      {runs.data && runs.data.length ? (
        <table className="table small">
          <thead>
            <tr>
              <th scope="col">{t('integration.run.started')}</th>
              <th scope="col">{t('integration.run.status')}</th>
              <th scope="col">{t('integration.run.dossiers')}</th>
              <th scope="col">{t('integration.run.changed')}</th>
              <th scope="col">{t('integration.run.errors')}</th>
              <th scope="col">{t('integration.run.lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.id}>
                <td>{date(r.started_at)}</td>
                <td>{runStatus(t, r.status)}</td>
                <td>{r.dossiers}</td>
                <td>{r.changed}</td>
                <td>{r.errors}</td>
                <td className="mono">{r.last_error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h3 ref={deadHeading} tabIndex={-1}>
        {t('integration.activity.dead')}
      </h3>
      <p className="help">{t('integration.activity.dead.help')}</p>
      {dead.error ? <p className="field-error">{problemText(dead.error)}</p> : null}
      {dead.data && dead.data.length === 0 ? <p className="muted">{t('integration.activity.noDead')}</p> : null}
      {dead.data && dead.data.length ? (
        <table className="table small">
          <thead>
            <tr>
              <th scope="col">{t('integration.dead.created')}</th>
              <th scope="col">{t('integration.dead.kind')}</th>
              <th scope="col">{t('integration.dead.dossier')}</th>
              <th scope="col">{t('integration.dead.attempts')}</th>
              <th scope="col">{t('integration.dead.error')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('integration.dead.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {dead.data.map((d) => (
              <tr key={d.id}>
                <td>{date(d.created_at)}</td>
                <td>{kind(t, d)}</td>
                <td>{d.reference ?? (d.tick ? date(d.tick) : '—')}</td>
                <td>
                  {d.attempts} / {d.max_attempts}
                </td>
                <td className="mono">{d.last_error ?? ''}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('integration.dead.retry.label', { what: d.reference ?? kind(t, d) })}
                    onClick={() => void act(() => integrationsApi.retry(d.id), t('integration.dead.retried'), true)}
                  >
                    {t('integration.dead.retry')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}

function runStatus(t: (k: string) => string, s: string): string {
  return ['running', 'done', 'failed'].includes(s) ? t('integration.run.' + s) : s
}

function kind(t: (k: string) => string, d: Delivery): string {
  if (d.kind === 'integration.push') return t('integration.dead.push') + (d.event ? ` (${t('event.' + d.event)})` : '')
  return t('integration.dead.poll')
}
