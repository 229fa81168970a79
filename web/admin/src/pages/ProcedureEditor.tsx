// One procedure: its sections in a side navigation, the save state, and
// the guard that keeps unsaved changes from being lost on leaving.

import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react'
import { problemText } from '../api/client'
import { useT } from '../i18n/i18n'
import { addGuard, href, useRoute } from '../app/router'
import { focusPath } from '../app/paths'
import { openDraft, useDraft, useDraftHistory, useDraftMeta, type DraftStore } from '../state/draft'
import { Status } from '../components/controls'
import { StatusBadge } from './ProcedureList'
import { GeneralSettings } from './GeneralSettings'
import { ScenarioList, ScenarioEditor } from './Scenarios'
import { MessagesPage } from './MessagesPage'
import { PublishPage } from './PublishPage'
import { VersionsPage } from './VersionsPage'

const FormBuilderPage = lazy(() => import('../formbuilder/FormBuilderPage'))
const PipelinePage = lazy(() => import('../pipeline/PipelinePage'))
const IntegrationEditor = lazy(() => import('./IntegrationEditor'))

export function ProcedureEditor({ slug }: { slug: string }) {
  const t = useT()
  const [store, setStore] = useState<DraftStore | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    openDraft(slug).then(setStore, (e) => setError(problemText(e)))
  }, [slug])

  useEffect(() => {
    if (!store) return
    return addGuard(async (from, to) => {
      const leaving = from.parts[0] === 'p' && (to.parts[0] !== 'p' || to.parts[1] !== from.parts[1])
      if (!leaving || store.clean) return true
      if (await store.save()) return true
      return window.confirm(t('unsaved.confirm'))
    })
  }, [store, t])

  if (error) return <Status tone="error">{error}</Status>
  if (!store) return <p role="status">{t('app.loading')}</p>
  return <Editor store={store} />
}

function Editor({ store }: { store: DraftStore }) {
  const t = useT()
  const route = useRoute()
  const [, , section = 'general', sub, tab] = route.parts
  const title = useDraft(store, (d) => d.title)
  // A string, so typing in a form does not re-render the whole editor.
  const navKey = useDraft(store, (d) => JSON.stringify(d.scenarios.map((s) => ({ kind: s.kind, name: s.title || s.id }))))
  const scenarios = useMemo(() => JSON.parse(navKey) as { kind: string; name: string }[], [navKey])
  const meta = useDraftMeta(store)
  const focus = route.query.get('focus')

  useEffect(() => {
    if (!focus) return
    let tries = 0
    const tick = () => {
      if (focusPath(focus) || ++tries > 20) return
      setTimeout(tick, 100)
    }
    const id = setTimeout(tick, 50)
    return () => clearTimeout(id)
  }, [focus, route.hash])

  const base = `/p/${store.slug}`
  const cur = (s: string) => (section === s && !sub ? 'page' : undefined)

  let content
  switch (section) {
    case 'scenarios':
      if (sub === undefined) content = <ScenarioList store={store} />
      else {
        const i = Number(sub)
        if (!scenarios[i]) content = <Status tone="error">{t('scenario.missing')}</Status>
        else if (tab === 'form') content = <FormBuilderPage store={store} index={i} field={route.query.get('field') ?? undefined} />
        else if (tab === 'pipeline') content = <PipelinePage store={store} index={i} />
        else if (tab === 'integration') content = <IntegrationEditor store={store} index={i} />
        else content = <ScenarioEditor store={store} index={i} />
      }
      break
    case 'messages':
      content = <MessagesPage store={store} />
      break
    case 'publish':
      content = <PublishPage store={store} />
      break
    case 'versions':
      content = <VersionsPage store={store} />
      break
    default:
      content = <GeneralSettings store={store} />
  }

  return (
    <div className="editor">
      <nav className="editor__nav" aria-label={t('editor.nav')}>
        <ul>
          <li>
            <a href={href(base + '/general')} aria-current={cur('general')}>
              {t('editor.general')}
            </a>
          </li>
          <li>
            <a href={href(base + '/scenarios')} aria-current={cur('scenarios')}>
              {t('editor.scenarios')}
            </a>
            <ul>
              {scenarios.map((s, i) => (
                <li key={i}>
                  <a href={href(`${base}/scenarios/${i}`)} aria-current={section === 'scenarios' && sub === String(i) && !tab ? 'page' : undefined}>
                    {s.name || t('kind.' + s.kind)}
                  </a>
                  {s.kind === 'online' || s.kind === 'api' ? (
                    <ul>
                      <li>
                        <a href={href(`${base}/scenarios/${i}/form`)} aria-current={sub === String(i) && tab === 'form' ? 'page' : undefined}>
                          {t('editor.form')}
                        </a>
                      </li>
                      <li>
                        <a href={href(`${base}/scenarios/${i}/pipeline`)} aria-current={sub === String(i) && tab === 'pipeline' ? 'page' : undefined}>
                          {t('editor.pipeline')}
                        </a>
                      </li>
                      {s.kind === 'api' ? (
                        <li>
                          <a href={href(`${base}/scenarios/${i}/integration`)} aria-current={sub === String(i) && tab === 'integration' ? 'page' : undefined}>
                            {t('editor.integration')}
                          </a>
                        </li>
                      ) : null}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
          <li>
            <a href={href(base + '/messages')} aria-current={cur('messages')}>
              {t('editor.messages')}
            </a>
          </li>
          <li>
            <a href={href(base + '/publish')} aria-current={cur('publish')}>
              {t('editor.publish')}
              {meta.problems.length ? <span className="count" aria-label={t('editor.problems', { n: meta.problems.length })}>{meta.problems.length}</span> : null}
            </a>
          </li>
          <li>
            <a href={href(base + '/versions')} aria-current={cur('versions')}>
              {t('editor.versions')}
            </a>
          </li>
        </ul>
      </nav>
      <div className="editor__body">
        <div className="editor__head">
          <p className="editor__title">
            <span>{title || store.slug}</span> <StatusBadge status={meta.status} />
            {meta.currentVersion > 0 ? <span className="muted"> {t('list.version', { n: meta.currentVersion })}</span> : null}
          </p>
          <div className="editor__tools">
            <UndoControls store={store} />
            <SaveIndicator store={store} />
          </div>
        </div>
        <Suspense fallback={<p role="status">{t('app.loading')}</p>}>{content}</Suspense>
      </div>
    </div>
  )
}

function SaveIndicator({ store }: { store: DraftStore }) {
  const t = useT()
  const meta = useDraftMeta(store)
  return (
    <div className={'save save--' + meta.saveState}>
      <span role="status">{t('save.' + meta.saveState)}</span>
      {meta.saveState === 'error' ? (
        <>
          <span className="save__error">{meta.error}</span>
          <button type="button" className="button button--small" onClick={() => void store.save()}>
            {t('save.retry')}
          </button>
        </>
      ) : null}
      {meta.saveState === 'conflict' ? (
        <>
          <button type="button" className="button button--small" onClick={() => void store.reload()}>
            {t('save.reload')}
          </button>
          <button type="button" className="button button--small" onClick={() => void store.save(true)}>
            {t('save.overwrite')}
          </button>
        </>
      ) : null}
    </div>
  )
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)

/** undoShortcut tells what a key press asks: "undo", "redo" or nothing. */
export function undoShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (e.altKey || !(e.ctrlKey || e.metaKey)) return null
  const k = e.key.toLowerCase()
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (k === 'y' && e.ctrlKey && !e.metaKey && !e.shiftKey) return 'redo'
  return null
}

/**
 * UndoControls: the "Annuler" / "Rétablir" buttons, Ctrl+Z / Cmd+Z and
 * Ctrl+Shift+Z / Ctrl+Y / Cmd+Shift+Z anywhere in the editor, and a polite
 * announcement of what happened.
 *
 * In a text field too, the shortcut undoes the draft's last step rather
 * than leaving it to the browser: the fields are controlled by React, which
 * rewrites their value on every keystroke, and the browser's own undo
 * does not work reliably on such fields (it may do nothing, or restore a
 * value React then overwrites, out of step with the draft). The draft's
 * step includes that field's typing (rapid keystrokes are one step), so
 * Ctrl+Z in a field still takes back what was just typed, and the result
 * is the same in every field, list and graph. A part of the page that has
 * its own undo (a code editor, say) opts out with data-native-undo.
 *
 * The buttons stay focusable when there is nothing to undo (aria-disabled,
 * and a click does nothing), so focus is not lost after the last undo.
 */
function UndoControls({ store }: { store: DraftStore }) {
  const t = useT()
  const { canUndo, canRedo } = useDraftHistory(store)
  // A counter, so that the same message twice in a row is announced again.
  const [said, setSaid] = useState({ text: '', n: 0 })
  const say = useCallback((text: string) => setSaid((s) => ({ text, n: s.n + 1 })), [])

  const run = useCallback(
    (what: 'undo' | 'redo') => {
      if (what === 'undo') say(store.undo() ? t('undo.done') : t('undo.none'))
      else say(store.redo() ? t('undo.redone') : t('undo.redo.none'))
    },
    [store, say, t],
  )

  // Listening from the commit on (a layout effect): a shortcut pressed as
  // soon as the editor shows is not lost.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return
      const what = undoShortcut(e)
      if (!what) return
      if (e.target instanceof Element && e.target.closest('[data-native-undo]')) return
      e.preventDefault()
      run(what)
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [run])

  const undoKeys = isMac ? '⌘Z' : 'Ctrl+Z'
  const redoKeys = isMac ? '⇧⌘Z' : 'Ctrl+Y'
  return (
    <div className="undo" role="group" aria-label={t('undo.group')}>
      <button
        type="button"
        className="button button--small"
        aria-label={t('undo.undo.label')}
        aria-keyshortcuts="Control+Z Meta+Z"
        aria-disabled={!canUndo}
        title={`${t('undo.undo.label')} (${undoKeys})`}
        onClick={() => canUndo && run('undo')}
      >
        <span aria-hidden="true">↶ </span>
        {t('undo.undo')}
      </button>
      <button
        type="button"
        className="button button--small"
        aria-label={t('undo.redo.label')}
        aria-keyshortcuts="Control+Shift+Z Control+Y Meta+Shift+Z"
        aria-disabled={!canRedo}
        title={`${t('undo.redo.label')} (${redoKeys})`}
        onClick={() => canRedo && run('redo')}
      >
        <span aria-hidden="true">↷ </span>
        {t('undo.redo')}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {said.text}
        {said.n % 2 ? '\u00a0' : ''}
      </span>
    </div>
  )
}
