// The pipeline as a graph: states are nodes, transitions are edges. Drag
// from a state's bottom handle to another state to add a transition;
// select a state or an arrow and press Delete to remove it. Positions are a
// matter of display only (the definition has none): they are kept in this
// browser. The lists below the graph do everything the graph does, by
// keyboard.

import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  applyNodeChanges,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import type { Pipeline } from '../api/types'
import { useT } from '../i18n/i18n'
import { connect, disconnect, removeState } from './model'

type XY = Record<string, { x: number; y: number }>

/** layout places states in layers from the initial state (breadth first). */
export function layout(p: Pipeline): XY {
  const layer = new Map<string, number>()
  const start = p.states.find((s) => s.kind === 'initial')?.id ?? p.states[0]?.id
  if (start) layer.set(start, 0)
  const queue = start ? [start] : []
  while (queue.length) {
    const s = queue.shift()!
    for (const t of p.transitions ?? []) {
      if (t.from.includes(s) && !layer.has(t.to)) {
        layer.set(t.to, layer.get(s)! + 1)
        queue.push(t.to)
      }
    }
  }
  let extra = Math.max(0, ...layer.values()) + 1
  for (const s of p.states) if (!layer.has(s.id)) layer.set(s.id, extra++)
  const perLayer = new Map<number, number>()
  const out: XY = {}
  for (const s of p.states) {
    const l = layer.get(s.id)!
    const i = perLayer.get(l) ?? 0
    perLayer.set(l, i + 1)
    out[s.id] = { x: 40 + i * 220, y: 30 + l * 130 }
  }
  return out
}

function loadXY(key: string): XY {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '{}')
  } catch {
    return {}
  }
}

type StateNode = Node<{ label: string; kind: string; kindLabel: string }, 'state'>

const StateNodeView = memo(function StateNodeView({ data, selected }: NodeProps<StateNode>) {
  return (
    <div className={'flow-state flow-state--' + data.kind + (selected ? ' flow-state--selected' : '')}>
      <Handle type="target" position={Position.Top} />
      <div className="flow-state__label">{data.label}</div>
      <div className="flow-state__kind">{data.kindLabel}</div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  )
})

const nodeTypes = { state: StateNodeView }

export default function Graph({ pipeline, onChange, layoutKey }: { pipeline: Pipeline; onChange: (p: Pipeline) => void; layoutKey: string }) {
  const t = useT()
  const [saved, setSaved] = useState<XY>(() => loadXY(layoutKey))
  const auto = useMemo(() => layout(pipeline), [pipeline])
  const [selected, setSelected] = useState<string[]>([])

  // A state added (with the list below) may be placed outside the part of
  // the graph in view: bring every state back into view, so that it can be
  // connected with the mouse.
  const [flow, setFlow] = useState<ReactFlowInstance<StateNode, Edge> | null>(null)
  const count = pipeline.states.length
  const shown = useRef(count)
  useEffect(() => {
    if (count > shown.current) void flow?.fitView()
    shown.current = count
  }, [count, flow])

  const nodes: StateNode[] = pipeline.states.map((s) => ({
    id: s.id,
    type: 'state',
    position: saved[s.id] ?? auto[s.id],
    selected: selected.includes(s.id),
    ariaLabel: t('graph.node', { label: s.label || s.id, kind: t('state.kind.' + s.kind) }),
    data: { label: s.label || s.id, kind: s.kind, kindLabel: t('state.kind.' + s.kind) },
  }))
  const edges: Edge[] = (pipeline.transitions ?? []).flatMap((tr) =>
    tr.from.map((f) => ({
      id: `${tr.id}::${f}`,
      source: f,
      target: tr.to,
      label: tr.label || tr.id,
      selected: selected.includes(`${tr.id}::${f}`),
      markerEnd: { type: MarkerType.ArrowClosed },
      ariaLabel: t('graph.edge', { label: tr.label || tr.id, from: f, to: tr.to }),
    })),
  )

  const onNodesChange = useCallback(
    (changes: NodeChange<StateNode>[]) => {
      const moved = applyNodeChanges(changes.filter((c) => c.type === 'position'), nodes)
      const sel = changes.filter((c) => c.type === 'select')
      if (sel.length) setSelected((cur) => sel.reduce((acc, c) => (c.type === 'select' ? (c.selected ? [...acc.filter((x) => x !== c.id), c.id] : acc.filter((x) => x !== c.id)) : acc), cur))
      if (changes.some((c) => c.type === 'position')) {
        const next: XY = { ...saved }
        for (const n of moved) next[n.id] = n.position
        setSaved(next)
        try {
          localStorage.setItem(layoutKey, JSON.stringify(next))
        } catch {
          /* ignore */
        }
      }
    },
    [nodes, saved, layoutKey],
  )

  return (
    <div className="flow" role="group" aria-label={t('graph.label')}>
      <p className="help small" id="graph-help">
        {t('graph.help')}
      </p>
      <div className="flow__canvas" aria-describedby="graph-help">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={(changes) => {
            const sel = changes.filter((c) => c.type === 'select')
            if (sel.length) setSelected((cur) => sel.reduce((acc, c) => (c.type === 'select' ? (c.selected ? [...acc, c.id] : acc.filter((x) => x !== c.id)) : acc), cur))
          }}
          onConnect={(c: Connection) => {
            if (!c.source || !c.target || c.source === c.target) return
            const label = t('graph.newTransition', { to: pipeline.states.find((s) => s.id === c.target)?.label ?? c.target })
            onChange(connect(pipeline, c.source, c.target, label)[0])
          }}
          onNodesDelete={(del) => onChange(del.reduce((p, n) => removeState(p, n.id), pipeline))}
          onEdgesDelete={(del) =>
            onChange(
              del.reduce((p, e) => {
                const [tid, from] = e.id.split('::')
                return disconnect(p, tid, from)
              }, pipeline),
            )
          }
          deleteKeyCode={['Delete', 'Backspace']}
          fitView
          onInit={setFlow}
          proOptions={{ hideAttribution: true }}
          ariaLabelConfig={{}}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setSaved({})
          try {
            localStorage.removeItem(layoutKey)
          } catch {
            /* ignore */
          }
        }}
      >
        {t('graph.relayout')}
      </button>
    </div>
  )
}
