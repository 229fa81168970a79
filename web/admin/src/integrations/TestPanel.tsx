// The test call: the current draft integration, sent once through
// POST /api/admin/integrations/test, and what came of it in words. The
// draft is saved first: the server builds the sample dossier from the
// saved draft's form. A one-line summary is announced; the details are
// shown outside the live region.

import { useState } from 'react'
import { ApiError, problemText } from '../api/client'
import { useT, type T } from '../i18n/i18n'
import { useIntegration } from './context'
import { integrationsApi, type TestCall, type TestResult } from './api'
import { pointerPath, tabFor } from './model'

export interface TestProblem {
  path: string | null
  detail: string
  pointer?: string
}

export function TestPanel({ onProblems, onGoTo }: { onProblems: (p: TestProblem[]) => void; onGoTo: (path: string) => void }) {
  const t = useT()
  const c = useIntegration()
  const [busy, setBusy] = useState<TestCall | null>(null)
  const [externalId, setExternalId] = useState('')
  const [result, setResult] = useState<TestResult | null>(null)
  const [error, setError] = useState('')
  const [problems, setProblems] = useState<TestProblem[]>([])

  const extError = problems.find((p) => p.pointer === '/dossier/externalId')?.detail
  const run = async (call: TestCall) => {
    if (busy) return
    setBusy(call)
    setResult(null)
    setError('')
    setProblems([])
    onProblems([])
    try {
      const dossier = call === 'poll' && externalId.trim() ? { externalId: externalId.trim() } : undefined
      // The sample dossier comes from the saved draft: save what is pending.
      if (!(await c.store.save())) {
        setError(t('integration.test.saveFailed') + (c.store.meta.error ? ' ' + c.store.meta.error : ''))
        return
      }
      setResult(await integrationsApi.test(c.store.slug, c.json, call, dossier))
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.errors.length) {
        const base = c.path([])
        const ps = e.errors.map((x) => ({ path: x.path?.startsWith(base) ? x.path : pointerPath(x.pointer, base), detail: x.detail, pointer: x.pointer }))
        setProblems(ps)
        onProblems(ps)
        setError(e.detail || e.title)
      } else {
        setError(problemText(e))
      }
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="int-section int-test">
      <p className="help">{t('integration.test.help')}</p>
      <div className="int-test__calls">
        <div>
          <button type="button" className="button" aria-disabled={busy ? true : undefined} onClick={() => void run('ping')}>
            {t('integration.test.ping')}
          </button>
          <p className="help">{t('integration.test.ping.help')}</p>
        </div>
        <div>
          <button type="button" className="button" aria-disabled={busy ? true : undefined} onClick={() => void run('push')} aria-describedby="int-test-push-warn">
            {t('integration.test.push')}
          </button>
          <p className="notice notice--warning small" id="int-test-push-warn">
            {t('integration.test.push.warning')}
          </p>
        </div>
        <div>
          <div className="control">
            <label htmlFor="int-test-ext">{t('integration.test.externalId')}</label>
            <input
              id="int-test-ext"
              className="mono"
              value={externalId}
              onChange={(e) => setExternalId(e.target.value)}
              aria-invalid={extError ? true : undefined}
              aria-describedby={'int-test-ext-help' + (extError ? ' int-test-ext-error' : '')}
            />
            <div className="help" id="int-test-ext-help">
              {t('integration.test.externalId.help')}
            </div>
            {extError ? (
              <div className="field-error" id="int-test-ext-error">
                {extError}
              </div>
            ) : null}
          </div>
          <button type="button" className="button" aria-disabled={busy ? true : undefined} onClick={() => void run('poll')}>
            {t('integration.test.poll')}
          </button>
        </div>
      </div>

      {/* Kept mounted, so that what it says is announced: one line, the details follow outside it. */}
      <div className={result ? 'int-test__summary int-test__summary--' + (result.outcome === 'ok' ? 'ok' : 'error') : undefined}>
        <div className="int-test__live" role="status" aria-live="polite">
          {busy ? (
            <p>{t('integration.test.running')}</p>
          ) : result ? (
            <p>
              <strong>{t('integration.test.outcome')}</strong> {summaryText(t, result)}
            </p>
          ) : error ? (
            <p className="field-error">{error}</p>
          ) : null}
        </div>
        {result ? <Summary result={result} onGoTo={onGoTo} /> : null}
      </div>
      {error && problems.length ? (
        <ul className="field-error">
          {problems.map((p, i) => (
            <li key={i}>
              {p.detail}{' '}
              {p.path ? (
                <button type="button" className="button button--small" onClick={() => onGoTo(p.path!)}>
                  {t('integration.test.goTo')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {result ? <Details result={result} /> : null}
    </div>
  )
}

function outcomeText(t: T, r: TestResult): string {
  const s = t('integration.test.outcome.' + r.outcome)
  return r.error ? `${s} — ${r.error}` : s
}

/** summaryText is what is announced of a result (after "Outcome:"): the outcome and the HTTP status. */
function summaryText(t: T, r: TestResult): string {
  const s = outcomeText(t, r)
  return r.response ? `${s} ${t('integration.test.status', { status: r.response.status, ms: r.response.durationMs })}.` : s
}

function Summary({ result: r, onGoTo }: { result: TestResult; onGoTo: (path: string) => void }) {
  const t = useT()
  const c = useIntegration()
  const label = (id: string) => c.transitions.find((x) => x.value === id)?.label ?? id
  const parts: string[] = []
  const u = r.update
  const q = (s: string) => t('integration.test.quote', { s })
  if (u?.externalId) parts.push(t('integration.test.update.externalId', { id: u.externalId }))
  if (u?.transition) parts.push(t('integration.test.update.transition', { label: label(u.transition) }))
  else if (u?.transitions?.length) parts.push(t('integration.test.update.candidates', { list: u.transitions.map((x) => q(label(x))).join(', ') }))
  if (u?.message) parts.push(t('integration.test.update.message', { message: u.message }))
  for (const [field, value] of Object.entries(u?.set ?? {})) parts.push(t('integration.test.update.set', { field, value: JSON.stringify(value) }))
  return (
    <>
      {r.mappingError ? (
        <p className="field-error">
          {t('integration.test.mappingError', { path: r.mappingError.path, detail: r.mappingError.detail })}{' '}
          {tabFor(r.mappingError.path, c.path([])) ? (
            <button type="button" className="button button--small" onClick={() => onGoTo(r.mappingError!.path)}>
              {t('integration.test.goTo')}
            </button>
          ) : null}
        </p>
      ) : parts.length ? (
        <>
          <p className="int-test__update">{t('integration.test.update')}</p>
          <ul className="int-test__parts">
            {parts.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </>
      ) : r.response && r.outcome === 'ok' ? (
        <p>{t('integration.test.noUpdate')}</p>
      ) : null}
    </>
  )
}

function HeaderTable({ headers, caption }: { headers: Record<string, string>; caption: string }) {
  const entries = Object.entries(headers ?? {})
  if (!entries.length) return null
  return (
    <table className="table small int-test__headers">
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="mono">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Details({ result: r }: { result: TestResult }) {
  const t = useT()
  return (
    <div className="int-test__details">
      <section aria-labelledby="int-test-req">
        <h3 id="int-test-req">{t('integration.test.request')}</h3>
        <p className="mono">
          <strong>{r.request.method}</strong> {r.request.url}
        </p>
        <HeaderTable headers={r.request.headers} caption={t('integration.test.requestHeaders')} />
        {r.request.body ? (
          <pre className="int-pre" tabIndex={0} aria-label={t('integration.test.requestBody')}>
            {r.request.body}
          </pre>
        ) : null}
      </section>
      <section aria-labelledby="int-test-res">
        <h3 id="int-test-res">{t('integration.test.response')}</h3>
        {r.response ? (
          <>
            <p>{t('integration.test.status', { status: r.response.status, ms: r.response.durationMs })}</p>
            <HeaderTable headers={r.response.headers} caption={t('integration.test.responseHeaders')} />
            <pre className="int-pre" tabIndex={0} aria-label={t('integration.test.responseBody')}>
              {r.response.body}
            </pre>
            {r.response.truncated ? <p className="muted">{t('integration.test.truncated')}</p> : null}
          </>
        ) : (
          <p className="muted">{t('integration.test.noResponse')}</p>
        )}
      </section>
    </div>
  )
}
