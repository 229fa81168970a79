// A Markdown text area with a formatting toolbar and a live preview.

import { useId, useMemo, useRef } from 'react'
import { useT } from '../i18n/i18n'
import { renderMarkdown } from '../lib/markdown'
import { useDebounced } from '../lib/hooks'

interface Props {
  label: string
  help?: string
  value: string
  onChange: (v: string) => void
  path?: string
  rows?: number
}

export function MarkdownEditor({ label, help, value, onChange, path, rows = 10 }: Props) {
  const t = useT()
  const id = useId()
  const area = useRef<HTMLTextAreaElement>(null)
  const shown = useDebounced(value, 150)
  const html = useMemo(() => renderMarkdown(shown), [shown])

  /** wrap surrounds the selection with before/after (or prefixes each line). */
  const wrap = (before: string, after = '', linePrefix = false) => {
    const el = area.current
    if (!el) return
    const { selectionStart: a, selectionEnd: b } = el
    const sel = value.slice(a, b)
    let next: string
    let caret: number
    if (linePrefix) {
      const start = value.lastIndexOf('\n', a - 1) + 1
      const block = value.slice(start, b)
      const prefixed = block
        .split('\n')
        .map((l, i) => (before === '1. ' ? `${i + 1}. ` : before) + l)
        .join('\n')
      next = value.slice(0, start) + prefixed + value.slice(b)
      caret = start + prefixed.length
    } else {
      next = value.slice(0, a) + before + (sel || t('md.text')) + after + value.slice(b)
      caret = a + before.length + (sel || t('md.text')).length + after.length
    }
    onChange(next)
    requestAnimationFrame(() => {
      el.focus()
      el.setSelectionRange(caret, caret)
    })
  }

  return (
    <div className="md">
      <div className="md__edit control">
        <label htmlFor={id}>{label}</label>
        <div className="md__toolbar" role="toolbar" aria-label={t('md.toolbar')} aria-controls={id}>
          <button type="button" onClick={() => wrap('## ', '', true)}>
            {t('md.heading')}
          </button>
          <button type="button" onClick={() => wrap('**', '**')}>
            <strong>{t('md.bold')}</strong>
          </button>
          <button type="button" onClick={() => wrap('*', '*')}>
            <em>{t('md.italic')}</em>
          </button>
          <button type="button" onClick={() => wrap('- ', '', true)}>
            {t('md.list')}
          </button>
          <button type="button" onClick={() => wrap('1. ', '', true)}>
            {t('md.olist')}
          </button>
          <button type="button" onClick={() => wrap('[', '](https://)')}>
            {t('md.link')}
          </button>
        </div>
        <textarea ref={area} id={id} rows={rows} value={value} data-path={path} aria-describedby={help ? id + '-help' : undefined} onChange={(e) => onChange(e.target.value)} />
        {help ? (
          <div className="help" id={id + '-help'}>
            {help}
          </div>
        ) : null}
      </div>
      {/* Focusable: it scrolls, and keyboard users must be able to scroll it. */}
      <section className="md__preview" aria-label={t('md.preview', { label })} tabIndex={0}>
        <p className="md__preview-title" aria-hidden="true">
          {t('md.previewTitle')}
        </p>
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      </section>
    </div>
  )
}
