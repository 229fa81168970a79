// Check and publish: every problem (each a link to its place), publish a
// new version, archive, export.

import { useEffect, useState } from 'react'
import { api, ApiError, problemText } from '../api/client'
import type { CheckResult } from '../api/types'
import { useLang, useT } from '../i18n/i18n'
import { href } from '../app/router'
import { useDraftMeta, type DraftStore } from '../state/draft'
import { Status } from '../components/controls'
import { ProblemList, useProblemsLanguage } from './Problems'

export function PublishPage({ store }: { store: DraftStore }) {
  const t = useT()
  const { lang } = useLang()
  const meta = useDraftMeta(store)
  useProblemsLanguage(store)
  const [check, setCheck] = useState<CheckResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [msg, setMsg] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)

  const runCheck = async () => {
    setBusy(true)
    try {
      await store.save()
      setCheck(await api.check(store.slug))
    } catch (e) {
      setMsg({ tone: 'error', text: problemText(e) })
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => {
    void runCheck()
    // Re-check after every confirmed save, and in the new language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meta.savedAt, lang])

  const act = async (what: 'publish' | 'archive' | 'unarchive') => {
    setBusy(true)
    setMsg(null)
    try {
      if (!(await store.save())) throw new Error(t('publish.unsaved'))
      if (what === 'publish') {
        const v = await api.publish(store.slug)
        setMsg({ tone: 'ok', text: t('publish.done', { n: v.version }) })
      } else {
        await (what === 'archive' ? api.archive(store.slug) : api.unarchive(store.slug))
        setMsg({ tone: 'ok', text: t('publish.' + what + '.done') })
      }
      await store.refreshMeta()
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.errors.length) {
        setCheck({ ok: false, problems: e.errors })
        setMsg({ tone: 'error', text: t('publish.blocked') })
      } else setMsg({ tone: 'error', text: problemText(e) })
    } finally {
      setBusy(false)
    }
  }

  const problems = check?.problems ?? meta.problems
  return (
    <section aria-labelledby="pub-h">
      <h1 id="pub-h">{t('editor.publish')}</h1>
      <p>
        {t('publish.status')} <strong>{t('status.' + meta.status)}</strong>
        {meta.currentVersion ? ' — ' + t('publish.current', { n: meta.currentVersion }) : ''}
        {meta.unpublished && meta.currentVersion ? ' — ' + t('list.changes') : ''}
      </p>
      <h2>{t('publish.problems')}</h2>
      <div aria-busy={busy}>
        {check?.ok ? <Status tone="ok">{t('publish.ok')}</Status> : <ProblemList slug={store.slug} problems={problems} />}
      </div>
      <div className="toolbar">
        <button type="button" className="button" onClick={() => void runCheck()} disabled={busy}>
          {t('publish.recheck')}
        </button>
        <button type="button" className="button button--primary" onClick={() => void act('publish')} disabled={busy || (check !== null && !check.ok)}>
          {meta.currentVersion ? t('publish.publishNew', { n: meta.currentVersion + 1 }) : t('publish.publish')}
        </button>
        {meta.status === 'archived' ? (
          <button type="button" className="button" onClick={() => void act('unarchive')} disabled={busy}>
            {t('publish.unarchive')}
          </button>
        ) : (
          <button
            type="button"
            className="button button--danger"
            disabled={busy}
            onClick={() => {
              if (window.confirm(t('publish.archive.confirm'))) void act('archive')
            }}
          >
            {t('publish.archive')}
          </button>
        )}
      </div>
      {msg ? <Status tone={msg.tone}>{msg.text}</Status> : null}
      <h2>{t('publish.export')}</h2>
      <p className="help">{t('publish.export.help')}</p>
      <p className="toolbar">
        <a className="button" href={api.exportURL(store.slug)} download>
          {t('publish.exportDraft')}
        </a>
        <a className="button" href={href(`/p/${store.slug}/versions`)}>
          {t('editor.versions')}
        </a>
      </p>
    </section>
  )
}
