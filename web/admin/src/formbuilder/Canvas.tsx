// The form's fields as nested sortable lists (pages, fieldsets, repeat
// groups), with the palette. Pointer: drag from the palette or by a field's
// handle. Keyboard: the handle picks a field up with Space, arrows move it,
// Space drops it (dnd-kit's KeyboardSensor); every row also has buttons to
// move it up and down, and the properties panel can move it into any
// group or page.

import { memo, useCallback, useMemo, useState, type ReactNode } from 'react'
import {
  closestCenter,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type Over,
} from '@dnd-kit/core'
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useT, type T } from '../i18n/i18n'
import { ROOT, pageOf, type FormModel } from '../model/form'
import { addField, addPage, canMove, moveBy, movePage, moveField, removeField, removePage, setPageTitle, type Target } from '../model/formOps'
import { kindOf, PALETTE, type PaletteKind } from '../model/kinds'
import { FormStore, useChildren, useEdge, useIsSelected, useNode, usePageTitles } from './store'
import { IconButton } from '../components/controls'

/** announce speaks a short text in the builder's live region. */
export function announce(text: string) {
  const el = document.getElementById('fb-live')
  if (el) {
    el.textContent = ''
    requestAnimationFrame(() => (el.textContent = text))
  }
}

/** focusRow puts the focus back on a field's row after it moved or appeared. */
export function focusRow(id: string) {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-field-id="${id}"] > .fb-row__main .fb-row__select`)?.focus())
}

export function labelOf(m: FormModel, id: string, t: T): string {
  const n = m.nodes[id]
  if (!n) return id
  return String(n.schema.title ?? '') || n.name || t('kind.field.' + kindOf(n))
}

const collision: CollisionDetection = (args) => {
  const within = pointerWithin(args)
  if (within.length) {
    const area = (id: string | number) => {
      const r = args.droppableRects.get(id)
      return r ? r.width * r.height : Infinity
    }
    return within.sort((a, b) => area(a.id) - area(b.id))
  }
  return closestCenter(args)
}

/** targetOf turns what a drag ended over into a place in the form. */
function targetOf(fs: FormStore, over: Over): Target | null {
  const d = over.data.current as { parent?: string; page?: number; zone?: boolean; sortable?: { index: number } } | undefined
  if (!d?.parent) return null
  if (d.zone) return { parent: d.parent, page: d.page, index: fs.children(d.parent, d.page).length }
  return { parent: d.parent, page: d.page, index: d.sortable?.index ?? 0 }
}

export const Canvas = memo(function Canvas({ fs, insertTarget }: { fs: FormStore; insertTarget: () => Target }) {
  const t = useT()
  const [active, setActive] = useState<string | null>(null)
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }))
  const titles = usePageTitles(fs)
  const pages: string[] | null = titles ? JSON.parse(titles) : null

  const nameOf = (id: string | number) => {
    const s = String(id)
    if (s.startsWith('new:')) return t('palette.new', { kind: t('kind.field.' + s.slice(4)) })
    return labelOf(fs.model, s, t)
  }
  const overName = (over: Over | null) => {
    if (!over) return ''
    const d = over.data.current as { parent?: string; zone?: boolean } | undefined
    if (d?.zone) return d.parent === ROOT ? t('dnd.zone.root') : t('dnd.zone.group', { name: nameOf(d.parent!) })
    return nameOf(over.id)
  }
  const announcements: Announcements = useMemo(
    () => ({
      onDragStart: ({ active }) => t('dnd.start', { name: nameOf(active.id) }),
      onDragOver: ({ active, over }) => (over ? t('dnd.over', { name: nameOf(active.id), over: overName(over) }) : t('dnd.outside', { name: nameOf(active.id) })),
      onDragEnd: ({ active, over }) => (over ? t('dnd.end', { name: nameOf(active.id), over: overName(over) }) : t('dnd.cancel', { name: nameOf(active.id) })),
      onDragCancel: ({ active }) => t('dnd.cancel', { name: nameOf(active.id) }),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t],
  )

  const onDragStart = (e: DragStartEvent) => setActive(String(e.active.id))
  const onDragEnd = (e: DragEndEvent) => {
    setActive(null)
    if (!e.over) return
    const target = targetOf(fs, e.over)
    if (!target) return
    const id = String(e.active.id)
    if (id.startsWith('new:')) {
      const kind = id.slice(4) as PaletteKind
      let created = ''
      fs.apply((m) => {
        const [n, nid] = addField(m, kind, target, t('kind.field.' + kind))
        created = nid
        return n
      })
      fs.select(created)
      focusRow(created)
      return
    }
    if (e.over.id === id || !canMove(fs.model, id, target.parent)) return
    fs.apply((m) => moveField(m, id, target))
    focusRow(id)
  }

  const addKind = useCallback(
    (kind: PaletteKind) => {
      let created = ''
      fs.apply((m) => {
        const [n, id] = addField(m, kind, insertTarget(), t('kind.field.' + kind))
        created = id
        return n
      })
      fs.select(created)
      announce(t('palette.added', { kind: t('kind.field.' + kind) }))
      focusRow(created)
    },
    [fs, insertTarget, t],
  )

  return (
    <DndContext sensors={sensors} collisionDetection={collision} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setActive(null)} accessibility={{ announcements, screenReaderInstructions: { draggable: t('dnd.instructions') } }}>
      <Palette onAdd={addKind} />
      <div className="fb__canvas" role="region" aria-label={t('fb.canvas')}>
        {pages ? (
          <>
            {pages.map((title, i) => (
              <PageSection key={i} fs={fs} index={i} title={title} count={pages.length}>
                <FieldList fs={fs} parent={ROOT} page={i} depth={0} />
              </PageSection>
            ))}
            <button type="button" className="button" onClick={() => fs.apply((m) => addPage(m, t('fb.page.default', { n: pages.length + 1 })))}>
              {t('fb.page.add')}
            </button>
          </>
        ) : (
          <FieldList fs={fs} parent={ROOT} depth={0} />
        )}
      </div>
      <DragOverlay dropAnimation={null}>{active ? <div className="fb-overlay">{nameOf(active)}</div> : null}</DragOverlay>
    </DndContext>
  )
})

function PageSection({ fs, index, title, count, children }: { fs: FormStore; index: number; title: string; count: number; children: ReactNode }) {
  const t = useT()
  const n = index + 1
  return (
    <section className="fb-page" aria-label={t('fb.page', { n, title })}>
      <div className="fb-page__head">
        <label className="fb-page__title">
          <span>{t('fb.page.title', { n })}</span>
          <input value={title} onChange={(e) => fs.apply((m) => setPageTitle(m, index, e.target.value))} />
        </label>
        <span className="row-tools">
          <IconButton label={t('fb.page.up', { n })} disabled={index === 0} onClick={() => fs.apply((m) => movePage(m, index, -1))}>
            ↑
          </IconButton>
          <IconButton label={t('fb.page.down', { n })} disabled={index === count - 1} onClick={() => fs.apply((m) => movePage(m, index, 1))}>
            ↓
          </IconButton>
          <IconButton label={t('fb.page.remove', { n })} className="danger" disabled={count < 2} onClick={() => fs.apply((m) => removePage(m, index))}>
            ✕
          </IconButton>
        </span>
      </div>
      {children}
    </section>
  )
}

const FieldList = memo(function FieldList({ fs, parent, page, depth }: { fs: FormStore; parent: string; page?: number; depth: number }) {
  const t = useT()
  const ids = useChildren(fs, parent, page)
  const zone = useDroppable({ id: `zone:${parent}:${page ?? ''}`, data: { parent, page, zone: true } })
  return (
    <SortableContext items={ids} strategy={verticalListSortingStrategy}>
      <ol className={'fb-list' + (depth ? ' fb-list--nested' : '')}>
        {ids.map((id, i) => (
          <FieldRow key={id} fs={fs} id={id} page={page} index={i} count={ids.length} depth={depth} />
        ))}
      </ol>
      <div ref={zone.setNodeRef} className={'fb-zone' + (zone.isOver ? ' fb-zone--over' : '')}>
        {ids.length === 0 ? t(parent === ROOT ? 'fb.empty' : 'fb.emptyGroup') : t('fb.dropEnd')}
      </div>
    </SortableContext>
  )
})

/** renders counts renders of field rows' content (count), of their sortable shells (shell) and of the properties panel (props), for the performance test. */
export const renders = { count: 0, shell: 0, props: 0 }

interface RowProps {
  fs: FormStore
  id: string
  page?: number
  index: number
  count: number
  depth: number
}

/**
 * FieldRow is the sortable shell of a row: dnd-kit re-renders every
 * sortable of a list when the list changes, so the shell stays small and
 * the row's content (RowBody) is memoised on its own props.
 */
const FieldRow = memo(function FieldRow(p: RowProps) {
  const t = useT()
  const node = useNode(p.fs, p.id)
  // No resize observers: rows keep their size during a drag (the dragged one
  // stays in place under the overlay), and dnd-kit would otherwise create one
  // per row at every pick-up.
  const sortable = useSortable({ id: p.id, data: { parent: node?.parent, page: p.page }, resizeObserverConfig: NO_RESIZE_OBSERVER })
  renders.shell++
  if (!node) return null
  const label = String(node.schema.title ?? '') || node.name
  // While a field is dragged dnd-kit gives every row of the list a transform,
  // most of them 0, 0: written as translate3d it would put each of the 100
  // rows on its own compositing layer at pick-up (and again at the drop).
  // Likewise the transition: dnd-kit sets it on every row at pick-up; only
  // a row that moves needs it.
  const tr = sortable.transform
  const moved = !!tr && (tr.x !== 0 || tr.y !== 0)
  const style = moved ? { transform: CSS.Translate.toString(tr), transition: sortable.transition } : undefined
  return (
    <li ref={sortable.setNodeRef} style={style} className={'fb-row' + (sortable.isDragging ? ' fb-row--dragging' : '') + (node.box ? ' fb-row--group' : '')} data-field-id={p.id}>
      <RowBody {...p} handle={<RowHandle label={t('fb.handle', { name: label })} attributes={sortable.attributes} listeners={sortable.listeners} />} />
    </li>
  )
})

const NO_RESIZE_OBSERVER = { disabled: true }

type Sortable = ReturnType<typeof useSortable>

/** RowHandle is the drag handle; dnd-kit's attributes and listeners keep the same identity between renders. */
const RowHandle = memo(function RowHandle({ label, attributes, listeners }: { label: string; attributes: Sortable['attributes']; listeners: Sortable['listeners'] }) {
  return (
    <button type="button" className="fb-row__handle" {...attributes} {...listeners} aria-label={label}>
      <span aria-hidden="true">⠿</span>
    </button>
  )
})

const RowBody = memo(
  function RowBody({ fs, id, page, depth, handle }: RowProps & { handle: ReactNode }) {
    renders.count++
    const t = useT()
    const node = useNode(fs, id)
    const selected = useIsSelected(fs, id)
    const edge = useEdge(fs, id)
    if (!node) return null
    const kind = kindOf(node)
    const label = String(node.schema.title ?? '') || node.name
    const first = edge === 'first' || edge === 'only'
    const last = edge === 'last' || edge === 'only'
    const move = (delta: number) => {
      fs.apply((m) => moveBy(m, id, delta))
      focusRow(id)
      const m = fs.model
      const list = fs.children(m.nodes[id].parent, m.nodes[id].parent === ROOT && m.pages ? pageOf(m, id) : undefined)
      announce(t('fb.moved', { name: label, n: list.indexOf(id) + 1, of: list.length }))
    }
    return (
      <>
        <div className={'fb-row__main' + (selected ? ' fb-row__main--selected' : '')}>
          {handle}
          <button type="button" className="fb-row__select" aria-pressed={selected} onClick={() => fs.select(selected ? null : id)}>
            <span className="fb-row__label">
              {label}
              {node.required || node.cond?.required || kind === 'consent' ? (
                <span className="req" aria-label={t('fb.required')}>
                  {' '}
                  *
                </span>
              ) : null}
            </span>
            <span className="fb-row__meta">
              <span className="badge badge--kind">{t('kind.field.' + kind)}</span>
              {node.cond ? <span className="badge badge--cond">{t('fb.conditional')}</span> : null} <span className="mono small">{node.name}</span>
            </span>
          </button>
          <span className="row-tools">
            <IconButton label={t('action.moveUp', { name: label })} disabled={first} onClick={() => move(-1)}>
              ↑
            </IconButton>
            <IconButton label={t('action.moveDown', { name: label })} disabled={last} onClick={() => move(1)}>
              ↓
            </IconButton>
            <IconButton
              label={t('action.remove', { name: label })}
              className="danger"
              onClick={() => {
                if (node.box && node.box.children.length && !window.confirm(t('fb.confirmRemoveGroup', { name: label }))) return
                const list = fs.children(node.parent, page)
                const at = list.indexOf(id)
                const next = list[at + 1] ?? list[at - 1]
                fs.apply((m) => removeField(m, id))
                announce(t('fb.removed', { name: label }))
                if (next) focusRow(next)
              }}
            >
              ✕
            </IconButton>
          </span>
        </div>
        {node.box ? (
          <div className="fb-row__children" aria-label={t('fb.groupFields', { name: label })} role="group">
            <FieldList fs={fs} parent={id} depth={depth + 1} />
          </div>
        ) : null}
      </>
    )
  },
  // The handle element is new on every shell render but renders the same thing.
  // Index and count are left out: a row's place (first, last) comes from useEdge.
  (a, b) => a.fs === b.fs && a.id === b.id && a.page === b.page && a.depth === b.depth,
)

const Palette = memo(function Palette({ onAdd }: { onAdd: (k: PaletteKind) => void }) {
  const t = useT()
  return (
    <div className="fb__palette" role="region" aria-label={t('palette.title')}>
      <h2 className="h3">{t('palette.title')}</h2>
      <p className="help small">{t('palette.help')}</p>
      <ul>
        {PALETTE.map((k) => (
          <PaletteItem key={k} kind={k} onAdd={onAdd} />
        ))}
      </ul>
    </div>
  )
})

function PaletteItem({ kind, onAdd }: { kind: PaletteKind; onAdd: (k: PaletteKind) => void }) {
  const t = useT()
  const drag = useDraggable({ id: 'new:' + kind, data: { kind } })
  return (
    <li>
      <button
        type="button"
        ref={drag.setNodeRef}
        className="palette-item"
        // Pointer only: Enter and Space add the field where the selection is.
        onPointerDown={drag.listeners?.onPointerDown as React.PointerEventHandler<HTMLButtonElement> | undefined}
        onClick={() => onAdd(kind)}
        aria-label={t('palette.add', { kind: t('kind.field.' + kind) })}
      >
        {/* The icon is drawn by CSS from data-icon: as text it would be part of
            the button's visible text but not of its name (WCAG 2.5.3). */}
        <span aria-hidden="true" className="palette-item__icon" data-icon={ICONS[kind]} />
        {t('kind.field.' + kind)}
      </button>
    </li>
  )
}

const ICONS: Record<PaletteKind, string> = {
  text: 'Aa',
  textarea: '¶',
  email: '@',
  tel: '☎',
  number: '1.5',
  integer: '123',
  date: '31',
  select: '▾',
  radio: '◉',
  checkboxes: '☑☑',
  checkbox: '☑',
  consent: '✔',
  fieldset: '{ }',
  repeat: '[+]',
  file: '⇧',
}
