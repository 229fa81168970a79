// Scenarios: add, order, remove; edit one (content, redirect URL,
// attachments, next steps).

import { useState } from 'react'
import { useT } from '../i18n/i18n'
import { href, navigate } from '../app/router'
import { moveItem, omitEmpty, replaceAt, useDraft, type DraftStore } from '../state/draft'
import type { Link, Scenario, ScenarioKind } from '../api/types'
import { IconButton, Select, TextInput } from '../components/controls'
import { MarkdownEditor } from '../components/MarkdownEditor'
import { ProblemsHere } from './Problems'

const KINDS: ScenarioKind[] = ['information', 'redirect', 'online', 'api']

/** newScenario returns a scenario of a kind with an ID not used yet. */
export function newScenario(kind: ScenarioKind, taken: string[], title: string): Scenario {
  let id: string = kind === 'information' ? 'information' : kind === 'redirect' ? 'lien' : kind === 'online' ? 'en-ligne' : 'api'
  for (let n = 2; taken.includes(id); n++) id = id.replace(/-\d+$/, '') + '-' + n
  const s: Scenario = { id, kind, title }
  if (kind === 'information') s.body = ''
  if (kind === 'redirect') s.url = 'https://'
  if (kind === 'online' || kind === 'api') s.form = { schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} } }
  return s
}

export function ScenarioList({ store }: { store: DraftStore }) {
  const t = useT()
  const scenarios = useDraft(store, (d) => d.scenarios)
  const [kind, setKind] = useState<ScenarioKind>('information')
  const [announce, setAnnounce] = useState('')
  const setAll = (fn: (s: Scenario[]) => Scenario[]) => store.update((d) => ({ ...d, scenarios: fn(d.scenarios) }))

  const move = (i: number, j: number) => {
    setAll((s) => moveItem(s, i, j))
    setAnnounce(t('scenarios.moved', { title: scenarios[i].title || scenarios[i].id, n: j + 1 }))
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-scenario-row="${j}"] .row-title`)?.focus())
  }

  return (
    <section aria-labelledby="scen-h">
      <h1 id="scen-h">{t('editor.scenarios')}</h1>
      <p className="help">{t('scenarios.help')}</p>
      <ProblemsHere store={store} prefix={['$.scenarios']} />
      <ol className="rows" data-path="$.scenarios">
        {scenarios.map((s, i) => (
          <li key={i} className="row" data-scenario-row={i} data-path={`$.scenarios[${i}]`}>
            <a className="row-title" href={href(`/p/${store.slug}/scenarios/${i}`)}>
              {s.title || s.id}
            </a>
            <span className={'badge badge--kind'}>{t('kind.' + s.kind)}</span>
            <span className="row-tools">
              <IconButton label={t('action.moveUp', { name: s.title || s.id })} disabled={i === 0} onClick={() => move(i, i - 1)}>
                ↑
              </IconButton>
              <IconButton label={t('action.moveDown', { name: s.title || s.id })} disabled={i === scenarios.length - 1} onClick={() => move(i, i + 1)}>
                ↓
              </IconButton>
              <IconButton
                label={t('action.remove', { name: s.title || s.id })}
                className="danger"
                onClick={() => {
                  if (window.confirm(t('scenarios.confirmRemove', { title: s.title || s.id }))) setAll((list) => list.filter((_, j) => j !== i))
                }}
              >
                ✕
              </IconButton>
            </span>
          </li>
        ))}
      </ol>
      <div role="status" className="visually-hidden">
        {announce}
      </div>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          const s = newScenario(kind, scenarios.map((x) => x.id), t('kind.' + kind))
          setAll((list) => [...list, s])
          navigate(`/p/${store.slug}/scenarios/${scenarios.length}`)
        }}
      >
        <Select label={t('scenarios.kind')} value={kind} onChange={(v) => setKind(v as ScenarioKind)} options={KINDS.map((k) => ({ value: k, label: t('kind.' + k) + ' — ' + t('kind.' + k + '.help') }))} />
        <button className="button button--primary" type="submit">
          {t('scenarios.add')}
        </button>
      </form>
    </section>
  )
}

export function ScenarioEditor({ store, index }: { store: DraftStore; index: number }) {
  const t = useT()
  const s = useDraft(store, (d) => d.scenarios[index])
  const p = `$.scenarios[${index}]`
  const set = (fn: (s: Scenario) => Scenario) => store.update((d) => ({ ...d, scenarios: replaceAt(d.scenarios, index, (x) => omitEmpty(fn(x))) }))
  const field = <K extends keyof Scenario>(k: K) => (v: Scenario[K]) => set((x) => ({ ...x, [k]: v }))
  const base = `/p/${store.slug}/scenarios/${index}`
  if (!s) return null

  return (
    <section aria-labelledby="scenario-h">
      <h1 id="scenario-h">
        {s.title || s.id} <span className="badge badge--kind">{t('kind.' + s.kind)}</span>
      </h1>
      <ProblemsHere store={store} prefix={[p]} />
      <div className="grid-2">
        <TextInput label={t('scenario.title')} value={s.title ?? ''} onChange={field('title')} path={p + '.title'} />
        <TextInput label={t('scenario.id')} help={t('scenario.id.help')} value={s.id} onChange={(v) => field('id')(v.toLowerCase())} mono path={p + '.id'} />
      </div>
      <Select
        label={t('scenario.kind')}
        value={s.kind}
        path={p + '.kind'}
        onChange={(v) => {
          const kind = v as ScenarioKind
          set((x) => {
            const fresh = newScenario(kind, [], x.title ?? '')
            // Keep what still applies to the new kind.
            return {
              ...x,
              kind,
              url: kind === 'redirect' ? x.url ?? fresh.url : undefined,
              form: kind === 'online' || kind === 'api' ? x.form ?? fresh.form : undefined,
              pipeline: kind === 'online' || kind === 'api' ? x.pipeline : undefined,
              nextSteps: kind === 'online' || kind === 'api' ? x.nextSteps : undefined,
              attachments: kind === 'information' ? x.attachments : undefined,
              integration: kind === 'api' ? x.integration : undefined,
            }
          })
        }}
        options={KINDS.map((k) => ({ value: k, label: t('kind.' + k) }))}
        help={t('kind.' + s.kind + '.help')}
      />
      {s.kind === 'redirect' ? <TextInput label={t('scenario.url')} help={t('scenario.url.help')} type="url" value={s.url ?? ''} onChange={field('url')} path={p + '.url'} /> : null}
      <MarkdownEditor
        label={s.kind === 'information' ? t('scenario.body') : t('scenario.intro')}
        help={t('scenario.body.help')}
        value={s.body ?? ''}
        onChange={field('body')}
        path={p + '.body'}
        rows={s.kind === 'information' ? 14 : 5}
      />
      {s.kind === 'information' ? <Attachments list={s.attachments ?? []} onChange={field('attachments')} path={p + '.attachments'} /> : null}
      {s.kind === 'online' || s.kind === 'api' ? (
        <>
          <MarkdownEditor label={t('scenario.nextSteps')} help={t('scenario.nextSteps.help')} value={s.nextSteps ?? ''} onChange={field('nextSteps')} path={p + '.nextSteps'} rows={5} />
          <p className="toolbar">
            <a className="button" href={href(base + '/form')}>
              {t('scenario.editForm')}
            </a>
            <a className="button" href={href(base + '/pipeline')}>
              {t('scenario.editPipeline')}
            </a>
            {s.kind === 'api' ? (
              <a className="button" href={href(base + '/integration')}>
                {t('editor.integration')}
              </a>
            ) : null}
          </p>
        </>
      ) : null}
    </section>
  )
}

function Attachments({ list, onChange, path }: { list: Link[]; onChange: (l: Link[]) => void; path: string }) {
  const t = useT()
  return (
    <fieldset className="control" data-path={path}>
      <legend>{t('scenario.attachments')}</legend>
      <ol className="rows">
        {list.map((a, i) => (
          <li key={i} className="row row--form" data-path={`${path}[${i}]`}>
            <TextInput label={t('attachment.title')} value={a.title} onChange={(v) => onChange(replaceAt(list, i, (x) => ({ ...x, title: v })))} path={`${path}[${i}].title`} />
            <TextInput label={t('attachment.url')} value={a.url} onChange={(v) => onChange(replaceAt(list, i, (x) => ({ ...x, url: v })))} path={`${path}[${i}].url`} />
            <span className="row-tools">
              <IconButton label={t('action.moveUp', { name: a.title })} disabled={i === 0} onClick={() => onChange(moveItem(list, i, i - 1))}>
                ↑
              </IconButton>
              <IconButton label={t('action.moveDown', { name: a.title })} disabled={i === list.length - 1} onClick={() => onChange(moveItem(list, i, i + 1))}>
                ↓
              </IconButton>
              <IconButton label={t('action.remove', { name: a.title })} className="danger" onClick={() => onChange(list.filter((_, j) => j !== i))}>
                ✕
              </IconButton>
            </span>
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => onChange([...list, { title: '', url: '' }])}>
        {t('attachment.add')}
      </button>
    </fieldset>
  )
}
