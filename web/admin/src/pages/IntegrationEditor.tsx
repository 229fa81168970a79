// The integration of an api scenario (builder.Integration, see
// docs/INTEGRATIONS.md), edited as a form: connection, push, webhook and
// poll, a test call, the activity of the published integration, and the
// JSON itself. Every control writes into scenario.integration in the draft
// (autosaved); members the form does not know are kept. The parts live in
// src/integrations/; this page is a lazy chunk of ProcedureEditor.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, problemText } from '../api/client'
import { useT } from '../i18n/i18n'
import { useAsync } from '../lib/hooks'
import { useRoute } from '../app/router'
import { focusPath } from '../app/paths'
import { isObject, type Json, type JsonObject } from '../model/json'
import { replaceAt, useDraft, useDraftMeta, type DraftStore } from '../state/draft'
import { ProblemsHere, problemPath } from './Problems'
import { Ctx, type IntegrationCtx, type Option } from '../integrations/context'
import { integrationsApi, type SecretView } from '../integrations/api'
import { newIntegration, pathOf, tabFor, view, webhookURL, type Tab } from '../integrations/model'
import { Connection, JsonTab, Poll, Push, Webhook } from '../integrations/sections'
import { TestPanel, type TestProblem } from '../integrations/TestPanel'
import { Activity } from '../integrations/Activity'

const TABS: Tab[] = ['connection', 'push', 'webhook', 'poll', 'test', 'activity', 'json']

export default function IntegrationEditor({ store, index }: { store: DraftStore; index: number }) {
  const t = useT()
  const integration = useDraft(store, (d) => d.scenarios[index]?.integration)
  const pipeline = useDraft(store, (d) => d.scenarios[index]?.pipeline)
  const schema = useDraft(store, (d) => d.scenarios[index]?.form?.schema)
  const meta = useDraftMeta(store)
  const base = pathOf(index)
  const route = useRoute()
  const focus = route.query.get('focus')
  const [tab, setTab] = useState<Tab>(() => (focus && tabFor(focus, base)) || 'connection')
  const [testErrors, setTestErrors] = useState<{ path: string; detail: string }[]>([])
  const stash = useRef<Record<string, Json>>({}).current

  // A problem link names a member: open its tab (ProcedureEditor focuses it).
  useEffect(() => {
    const tb = focus ? tabFor(focus, base) : null
    if (tb) setTab(tb)
  }, [focus, route.hash, base])

  const edit = useCallback(
    (fn: (j: JsonObject) => JsonObject) =>
      store.update((d) => {
        const cur = d.scenarios[index]?.integration ?? {}
        const next = fn(cur)
        return next === cur ? d : { ...d, scenarios: replaceAt(d.scenarios, index, (s) => ({ ...s, integration: next })) }
      }),
    [store, index],
  )
  const replace = (v: JsonObject | undefined) => store.update((d) => ({ ...d, scenarios: replaceAt(d.scenarios, index, (s) => ({ ...s, integration: v })) }))

  const [secrets, setSecrets] = useState<{ list: SecretView[]; error: string }>({ list: [], error: '' })
  const reloadSecrets = useCallback(() => {
    integrationsApi.secrets().then(
      (list) => setSecrets({ list, error: '' }),
      (e) => setSecrets({ list: [], error: problemText(e) }),
    )
  }, [])
  useEffect(reloadSecrets, [reloadSecrets])

  const id = view(integration).id
  const key = `${store.slug}.${id}`
  const [refresh, setRefresh] = useState(0)
  const published = meta.status === 'published' && !!id
  const shown = useAsync(
    (signal) =>
      published
        ? integrationsApi.show(key, signal).catch((e) => {
            if (e instanceof ApiError && e.status === 404) return null
            throw e
          })
        : Promise.resolve(null),
    [key, published, meta.currentVersion, refresh],
    300,
  )
  const status = shown.data?.integration ?? null

  const states = useMemo<Option[]>(() => (pipeline?.states ?? []).map((s) => ({ value: s.id, label: s.label || s.id })), [pipeline])
  const transitions = useMemo<Option[]>(() => (pipeline?.transitions ?? []).map((x) => ({ value: x.id, label: x.label || x.id })), [pipeline])
  const fields = useMemo<Option[]>(() => {
    const props = schema && isObject(schema.properties) ? schema.properties : {}
    return Object.entries(props).map(([name, p]) => ({ value: name, label: isObject(p) && typeof p.title === 'string' && p.title ? `${p.title} (${name})` : name }))
  }, [schema])

  const ctx: IntegrationCtx | null = integration
    ? {
        store,
        index,
        json: integration,
        edit,
        states,
        transitions,
        fields,
        secrets: { ...secrets, reload: reloadSecrets },
        testErrors,
        webhookUrl: status?.webhook_url || webhookURL(location.origin, store.slug, id || '{id}'),
        stash,
      }
    : null

  const counts: Partial<Record<Tab, number>> = {}
  for (const p of meta.problems) {
    const tb = tabFor(problemPath(p), base)
    if (tb) counts[tb] = (counts[tb] ?? 0) + 1
  }
  for (const e of testErrors) {
    const tb = tabFor(e.path, base)
    if (tb) counts[tb] = (counts[tb] ?? 0) + 1
  }

  const goTo = (path: string) => {
    setTab(tabFor(path, base) ?? 'connection')
    let tries = 0
    const tick = () => {
      if (!focusPath(path) && ++tries < 10) setTimeout(tick, 50)
    }
    setTimeout(tick, 0)
  }

  const onProblems = (ps: TestProblem[]) => setTestErrors(ps.filter((p): p is { path: string; detail: string } => !!p.path))

  const tabs = TABS.filter((x) => x !== 'activity' || status)
  const current = tabs.includes(tab) ? tab : 'connection'
  const tabId = (x: Tab) => 'int-tab-' + x

  // Tabs (WAI-ARIA): only the selected tab is in the tab order; the arrow
  // keys, Home and End select another one and move focus to it.
  const onTabKey = (e: React.KeyboardEvent) => {
    const i = tabs.indexOf(current)
    const next =
      e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs[tabs.length - 1] : null
    if (!next) return
    e.preventDefault()
    setTab(next)
    document.getElementById(tabId(next))?.focus()
  }

  return (
    <section aria-labelledby="int-h" className="int">
      <h1 id="int-h">{t('editor.integration')}</h1>
      <p className="help int__intro">{t('integration.intro')}</p>
      <ProblemsHere store={store} prefix={[base]} />
      {!ctx ? (
        <p>
          <button type="button" className="button button--primary" onClick={() => replace(newIntegration())}>
            {t('integration.add')}
          </button>
        </p>
      ) : (
        <Ctx.Provider value={ctx}>
          <div className="tabs" role="tablist" aria-label={t('integration.tabs')} onKeyDown={onTabKey}>
            {tabs.map((x) => (
              <button
                key={x}
                id={tabId(x)}
                type="button"
                role="tab"
                aria-selected={current === x}
                aria-controls="int-panel"
                tabIndex={current === x ? 0 : -1}
                onClick={() => setTab(x)}
              >
                {t('integration.tab.' + x)}
                {counts[x] ? (
                  <>
                    <span className="count" aria-hidden="true">
                      {counts[x]}
                    </span>
                    {' '}
                    <span className="visually-hidden">({t('editor.problems', { n: counts[x]! })})</span>
                  </>
                ) : null}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="int-panel" aria-labelledby={tabId(current)} tabIndex={0} className="int__panel">
            <h2 id="int-tab-h">{t('integration.tab.' + current)}</h2>
            {current === 'connection' ? (
              <Connection
                onRemove={() => {
                  if (window.confirm(t('integration.remove.confirm'))) replace(undefined)
                }}
              />
            ) : current === 'push' ? (
              <Push />
            ) : current === 'webhook' ? (
              <Webhook />
            ) : current === 'poll' ? (
              <Poll />
            ) : current === 'test' ? null : current === 'activity' && status ? (
              <Activity status={status} onRefresh={() => setRefresh((n) => n + 1)} />
            ) : (
              <JsonTab onChange={replace} />
            )}
            {/* Kept mounted, so its result survives going to a field and back. */}
            <div hidden={current !== 'test'}>
              <TestPanel onProblems={onProblems} onGoTo={goTo} />
            </div>
          </div>
          {shown.error ? <p className="muted">{problemText(shown.error)}</p> : null}
        </Ctx.Provider>
      )}
    </section>
  )
}
