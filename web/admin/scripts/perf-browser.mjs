// Responsiveness of the form builder with 100 fields, in a real browser on
// the production build: each interaction's Event Timing duration (input to
// next paint, what INP measures). Not part of `npm test` (it needs a
// running server and Chromium):
//
//   go run ./server &                         # GUICHET_ADMIN_PASSWORD=… set
//   GUICHET_URL=http://127.0.0.1:8080 npx vite preview --port 4173 &
//   npm i --no-save puppeteer-core
//   ADMIN_PASSWORD=… node scripts/perf-browser.mjs
//
// Env: BASE (default http://127.0.0.1:4173), ADMIN_EMAIL, ADMIN_PASSWORD,
// CHROME (default /usr/lib/chromium/chromium).

import puppeteer from 'puppeteer-core'

const base = process.env.BASE ?? 'http://127.0.0.1:4173'
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME ?? '/usr/lib/chromium/chromium',
  args: ['--no-sandbox'],
  defaultViewport: { width: 1500, height: 1000 },
})
const page = await browser.newPage()
await page.goto(base + '/login?next=/admin/')
await page.type('input[name=email]', process.env.ADMIN_EMAIL ?? 'admin@guichet.local')
await page.type('input[name=password]', process.env.ADMIN_PASSWORD ?? '')
await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])

// A draft procedure with a 100-field online form, through the admin API.
const slug = 'perf-' + Date.now()
await page.evaluate(async (slug) => {
  const s = await (await fetch('/api/admin/session')).json()
  const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }
  const p = await (await fetch('/api/admin/procedures', { method: 'POST', headers: h, body: JSON.stringify({ slug, title: 'Perf' }) })).json()
  const kinds = [
    { type: 'string', maxLength: 100 },
    { type: 'string', format: 'email' },
    { type: 'integer', minimum: 0 },
    { type: 'string', format: 'date' },
    { type: 'string', oneOf: [{ const: 'a', title: 'A' }, { const: 'b', title: 'B' }] },
    { type: 'boolean' },
  ]
  const properties = {}
  for (let i = 0; i < 100; i++) properties['champ_' + i] = { ...kinds[i % kinds.length], title: 'Champ ' + i }
  const draft = { ...p.draft, referencePrefix: 'PF', scenarios: [...p.draft.scenarios, { id: 'en-ligne', kind: 'online', title: 'En ligne', form: { schema: { type: 'object', properties } } }] }
  const r = await fetch(`/api/admin/procedures/${slug}/draft`, { method: 'PUT', headers: { ...h, 'If-Match': p.revision }, body: JSON.stringify(draft) })
  if (!r.ok) throw new Error(await r.text())
}, slug)

await page.goto(base + `/admin/#/p/${slug}/scenarios/1/form`)
await page.waitForSelector('[data-field-id]')
await new Promise((r) => setTimeout(r, 2000))
await page.evaluate(() => {
  window.__ev = []
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.interactionId) window.__ev.push({ d: e.duration, label: window.__label })
  }).observe({ type: 'event', durationThreshold: 0 })
})
const label = (l) => page.evaluate((l) => (window.__label = l), l)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
for (let i = 0; i < 8; i++) {
  const n = i * 11
  await label('select a field')
  await page.click(`[data-field-id]:nth-child(${n + 1}) .fb-row__select`)
  await sleep(400)
  await label('type in the label')
  await page.focus('.fb__props input')
  await page.keyboard.type('abc', { delay: 120 })
  await sleep(400)
  await label('move down (button)')
  await page.click(`[data-field-id]:nth-child(${n + 1}) [aria-label^="Descendre"]`)
  await sleep(400)
  await label('add from the palette')
  await page.click('.palette-item')
  await sleep(400)
  await label('remove')
  await page.click('.fb-row__main--selected [aria-label^="Supprimer"]')
  await sleep(400)
  await label('keyboard drag (Space, ↓, Space)')
  await page.focus(`[data-field-id]:nth-child(${n + 2}) .fb-row__handle`)
  await page.keyboard.press('Space')
  await sleep(150)
  await page.keyboard.press('ArrowDown')
  await sleep(150)
  await page.keyboard.press('Space')
  await sleep(500)
}
const by = {}
for (const e of await page.evaluate(() => window.__ev)) (by[e.label] ??= []).push(e.d)
const table = {}
for (const [k, v] of Object.entries(by)) {
  v.sort((a, b) => a - b)
  table[k] = { events: v.length, median: v[Math.floor(v.length / 2)], p90: v[Math.floor(v.length * 0.9)], max: v[v.length - 1] }
}
console.table(table)
await browser.close()
