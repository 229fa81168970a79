// The form builder of one scenario: palette, fields, properties, live
// preview, and the JSON tab. Loaded on demand (it brings @dnd-kit).

import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useT } from '../i18n/i18n'
import { fieldByPointer, fromForm, pageOf, ROOT, toForm, type FormModel } from '../model/form'
import { disablePages, enablePages, type Target } from '../model/formOps'
import type { Form } from '../api/types'
import { replaceAt, useDraft, type DraftStore } from '../state/draft'
import { Checkbox } from '../components/controls'
import { ProblemsHere } from '../pages/Problems'
import { Canvas, focusRow } from './Canvas'
import { PropertiesPanel } from './Properties'
import { Preview } from './Preview'
import { JsonTab } from './JsonTab'
import { FormStore, useModel } from './store'

const EMPTY_FORM: Form = { schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} } }

function FormBuilderPage({ store, index, field }: { store: DraftStore; index: number; field?: string }) {
  const t = useT()
  // Read once: later changes of the draft come through ExternalSync, so that
  // typing in the builder does not re-render this page.
  const form = store.doc.scenarios[index]?.form
  const title = useDraft(store, (d) => d.scenarios[index]?.title || d.scenarios[index]?.id)
  const written = useRef<Form | undefined>(form)
  const [tab, setTab] = useState<'build' | 'json'>('build')

  const fs = useMemo(() => {
    const f = form ?? EMPTY_FORM
    return new FormStore(fromForm(f.schema, f.uiSchema), (m: FormModel) => {
      const out = toForm(m) as Form
      written.current = out
      store.update((d) => ({ ...d, scenarios: replaceAt(d.scenarios, index, (s) => ({ ...s, form: out })) }))
    })
    // One model per scenario; outside changes are taken below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, index])

  // Opened from a problem: select the field it is about.
  useEffect(() => {
    if (!field) return
    const id = fieldByPointer(fs.model, field.replace(/^\/(schema|uiSchema)/, ''))
    if (id) {
      fs.select(id)
      focusRow(id)
    }
  }, [field, fs])

  const insertTarget = useCallback((): Target => {
    const m = fs.model
    const sel = fs.selected ? m.nodes[fs.selected] : null
    if (sel?.box) return { parent: sel.id, index: sel.box.children.length }
    if (sel) {
      const page = sel.parent === ROOT && m.pages ? pageOf(m, sel.id) : undefined
      return { parent: sel.parent, page, index: fs.children(sel.parent, page).indexOf(sel.id) + 1 }
    }
    const page = m.pages ? m.pages.length - 1 : undefined
    return { parent: ROOT, page, index: fs.children(ROOT, page).length }
  }, [fs])

  const select = useCallback(
    (id: string) => {
      setTab('build')
      fs.select(id)
      focusRow(id)
    },
    [fs],
  )

  const path = `$.scenarios[${index}].form`
  return (
    <section aria-labelledby="fb-h" className="fb-page-wrap">
      <h1 id="fb-h">{t('fb.title', { title: title ?? '' })}</h1>
      <ProblemsHere store={store} prefix={[path]} />
      <div className="tabs" role="group" aria-label={t('fb.view')}>
        <button type="button" aria-pressed={tab === 'build'} onClick={() => setTab('build')}>
          {t('fb.tab.build')}
        </button>
        <button type="button" aria-pressed={tab === 'json'} onClick={() => setTab('json')}>
          {t('fb.tab.json')}
        </button>
      </div>
      <div id="fb-live" className="visually-hidden" role="status" aria-live="polite" />
      <ExternalSync store={store} index={index} fs={fs} written={written} />
      {tab === 'build' ? (
        <>
          <PagesToggle fs={fs} />
          <div className="fb" data-path={path}>
            <Canvas fs={fs} insertTarget={insertTarget} />
            <PropertiesPanel fs={fs} />
          </div>
          <Preview fs={fs} onSelect={select} />
        </>
      ) : (
        <JsonTab fs={fs} path={path} />
      )}
    </section>
  )
}

/** ExternalSync takes the form when the draft changed elsewhere (reloaded after a conflict). */
function ExternalSync({ store, index, fs, written }: { store: DraftStore; index: number; fs: FormStore; written: React.RefObject<Form | undefined> }) {
  const form = useDraft(store, (d) => d.scenarios[index]?.form)
  useEffect(() => {
    if (form && form !== written.current) {
      written.current = form
      fs.replace(fromForm(form.schema, form.uiSchema), false)
    }
  }, [form, fs, written])
  return null
}

const PagesToggle = memo(function PagesToggle({ fs }: { fs: FormStore }) {
  const t = useT()
  const m = useModel(fs)
  return (
    <Checkbox
      label={t('fb.pages')}
      help={t('fb.pages.help')}
      checked={m.pages !== null}
      onChange={(on) => fs.apply((mm) => (on ? enablePages(mm, t('fb.page.default', { n: 1 })) : disablePages(mm)))}
    />
  )
})

export default memo(FormBuilderPage)
