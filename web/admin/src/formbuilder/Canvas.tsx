// The form's fields as nested sortable lists (pages, fieldsets, repeat
// groups), with the palette. Pointer: drag from the palette or by a field's
// handle. Keyboard: the handle picks a field up with Space, arrows move it,
// Space drops it (dnd-kit's KeyboardSensor); every row also has buttons to
// move it up and down, and the properties panel can move it into any
// group or page.

import { createContext, memo, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import {
  closestCenter,
  DndContext,
  DragOverlay,
  getClientRect,
  KeyboardSensor,
  MeasuringStrategy,
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
  type MeasuringConfiguration,
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

/**
 * Per-task caches. A keyboard pick-up is one task in which dnd-kit renders
 * 4 times: it measures every droppable twice (when the drag initialises,
 * then again from its own effect) and runs the collision detection 3 times
 * on the same inputs. Nothing moves in between (rows keep their place and
 * size), so within a task the second measure of a node and a repeated
 * collision query reuse the first result. The caches are dropped at the
 * next task: a key press, a pointer move or a scroll starts afresh.
 */
let taskCacheArmed = false
const rectCache = new Map<Element, ReturnType<typeof getClientRect>>()
let lastCollision: { key: unknown[]; result: ReturnType<CollisionDetection> } | null = null
function armTaskCache() {
  if (taskCacheArmed) return
  taskCacheArmed = true
  setTimeout(() => {
    taskCacheArmed = false
    rectCache.clear()
    lastCollision = null
  })
}

/** measureDroppable is dnd-kit's default droppable measure (the rect without transforms), cached for the task. */
function measureDroppable(node: HTMLElement) {
  armTaskCache()
  let r = rectCache.get(node)
  if (!r) {
    r = getClientRect(node, { ignoreTransform: true })
    rectCache.set(node, r)
  }
  return r
}

const MEASURING: MeasuringConfiguration = { droppable: { measure: measureDroppable, strategy: MeasuringStrategy.WhileDragging } }

const collision: CollisionDetection = (args) => {
  armTaskCache()
  const c = args.collisionRect
  const p = args.pointerCoordinates
  const key = [args.droppableRects, args.droppableContainers, c.left, c.top, c.width, c.height, p?.x, p?.y, args.active.id]
  if (lastCollision && key.every((k, i) => k === lastCollision!.key[i])) return lastCollision.result
  const result = detect(args)
  lastCollision = { key, result }
  return result
}

const detect: CollisionDetection = (args) => {
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
    <DndContext sensors={sensors} collisionDetection={collision} measuring={MEASURING} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setActive(null)} accessibility={{ announcements, screenReaderInstructions: { draggable: t('dnd.instructions') } }}>
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
  // The data object keeps its identity between renders: dnd-kit re-renders
  // every sortable at each of the 4 renders of a pick-up, and a new object
  // would recompute useSortable's data and re-run its layout effects (in
  // useDraggable and useDroppable) on all 100 rows each time.
  const parent = node?.parent
  const data = useMemo(() => ({ parent, page: p.page }), [parent, p.page])
  const sortable = useSortable({ id: p.id, data, resizeObserverConfig: NO_RESIZE_OBSERVER })
  renders.shell++
  const label = node ? String(node.schema.title ?? '') || node.name : ''
  const handleLabel = useMemo(() => t('fb.handle', { name: label }), [t, label])
  // The handle reads its props from a context: dnd-kit gives every row new
  // listeners or attributes at a pick-up (aria-pressed for the picked-up
  // one), which re-renders the 100 handles but not the memoised bodies.
  const handle = useMemo(
    () => ({ label: handleLabel, attributes: sortable.attributes, listeners: sortable.listeners }),
    [handleLabel, sortable.attributes, sortable.listeners],
  )
  if (!node) return null
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
      <HandleContext.Provider value={handle}>
        <RowBody {...p} />
      </HandleContext.Provider>
    </li>
  )
})

const NO_RESIZE_OBSERVER = { disabled: true }

type Sortable = ReturnType<typeof useSortable>

/** HandleContext gives a row's drag handle its label and dnd-kit's attributes and listeners. */
const HandleContext = createContext<{ label: string; attributes: Sortable['attributes']; listeners: Sortable['listeners'] } | null>(null)

/** RowHandle is the drag handle of the row it is in. */
const RowHandle = memo(function RowHandle() {
  const h = useContext(HandleContext)!
  return (
    <button type="button" className="fb-row__handle" {...h.attributes} {...h.listeners} aria-label={h.label}>
      <span aria-hidden="true">⠿</span>
    </button>
  )
})

const RowBody = memo(
  function RowBody({ fs, id, page, depth }: RowProps) {
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
          <RowHandle />
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
