// Rollgate's dashboard: one live stream (server-sent events) from the daemon, charts per
// revision with rollout markers, and the rollout verbs behind a confirmation.

const WINDOW_SECONDS = 300;
const MARKER_REASONS = new Set(['Applied', 'RolloutStarted', 'StepCompleted', 'RolloutPaused', 'Paused', 'Resumed',
  'Promoted', 'RolloutPromoted', 'RolloutAborted', 'AnalysisFailed', 'RollbackStarted', 'ProgressDeadlineExceeded',
  'RolloutCompleted', 'Retried', 'Restarted', 'BakeStarted', 'BakeCompleted', 'BakeRolledBack', 'RollbackWindow']);
const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#0a7ea4', '#e16f24', '#57606a'];

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (sel) => document.querySelector(sel);

const state = {
  service: null,        // the selected service's name
  view: null,           // its last ServiceView
  labels: {},           // hash -> {revision, version}
  series: {},           // hash -> Map(epochSecond -> [requests, errors, p50, p99])
  events: [],           // its events, oldest first
  lastEvent: 0,
  revisions: [],        // its revisions with templates
  revisionKey: '',
  charts: {},
  source: null,
};

// What the browser tests (and a curious person in the console) can read.
window.rollgate = {
  pointCounts() {
    const out = {};
    for (const [hash, points] of Object.entries(state.series)) out[label(hash)] = points.size;
    return out;
  },
  markers() { return markers().map((m) => ({reason: m.reason, t: m.t})); },
};

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

function label(hash) {
  const l = state.labels[hash];
  if (l && l.revision > 0) return `rev ${l.revision}${l.version ? ' (' + l.version + ')' : ''}`;
  return hash.slice(0, 10);
}

function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 120) return s + 's';
  if (s < 7200) return Math.floor(s / 60) + 'm';
  return Math.floor(s / 3600) + 'h';
}

function clock(iso) {
  return new Date(Date.parse(iso)).toLocaleTimeString([], {hour12: false});
}

async function api(path, options = {}) {
  const headers = {'Accept': 'application/json', ...(options.headers || {})};
  if (options.method && options.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, {...options, headers, credentials: 'same-origin', cache: 'no-store'});
  if (r.status === 401) {
    location.href = '/ui/login';
    throw new Error('logged out');
  }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
  return body;
}

// ---- the services table -------------------------------------------------------------------------

function traffic(weights) {
  if (!weights) return 'by ready replicas';
  return Object.entries(weights).map(([h, w]) => `${label(h)} ${w}%`).join(' / ');
}

function renderServices(list) {
  const body = $('#services tbody');
  body.replaceChildren(...list.map((s) => {
    const tr = el('tr', {'data-name': s.name},
      el('td', {}, s.name),
      el('td', {}, el('span', {class: 'phase ' + s.phase}, s.phase)),
      el('td', {}, `${s.revision}${s.version ? ' (' + s.version + ')' : ''}`),
      el('td', {}, s.strategy || ''),
      el('td', {}, s.step || ''),
      el('td', {}, traffic(s.weights)),
      el('td', {}, `${s.ready}/${s.desired}`),
      el('td', {}, s.lastEvent ? `${s.lastEvent.reason}: ${s.lastEvent.message}` : ''));
    if (s.name === state.service) tr.classList.add('selected');
    tr.addEventListener('click', () => select(s.name));
    return tr;
  }));
  $('#no-services').hidden = list.length > 0;
  if (!state.service && list.length > 0) select(fromHash() || list[0].name);
}

function fromHash() {
  const m = /service=([a-z0-9-]+)/.exec(location.hash);
  return m ? m[1] : null;
}

// ---- one service ----------------------------------------------------------------------------------

async function select(name) {
  if (state.service === name) return;
  state.service = name;
  location.hash = 'service=' + name;
  state.series = {};
  state.events = [];
  state.lastEvent = 0;
  state.revisionKey = '';
  $('#service').hidden = false;
  $('#service-name').textContent = name;
  document.querySelectorAll('#services tbody tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.name === name));
  try {
    const [series, events] = await Promise.all([
      api(`/v1/services/${name}/metrics?seconds=${WINDOW_SECONDS}`),
      api(`/v1/services/${name}/events?limit=200`),
    ]);
    if (state.service !== name) return;
    mergeSeries(series);
    addEvents(events);
  } catch (e) {
    showResult(false, e.message);
  }
  connect();
}

function mergeSeries(series) {
  if (!series) return;
  Object.assign(state.labels, series.revisions);
  for (const [hash, rows] of Object.entries(series.points)) {
    const points = state.series[hash] || (state.series[hash] = new Map());
    for (const [t, requests, errors, p50, p99] of rows) points.set(t, [requests, errors, p50, p99]);
    for (const t of points.keys()) if (t < series.now - WINDOW_SECONDS) points.delete(t);
  }
}

function addEvents(events) {
  for (const e of events) {
    if (e.id <= state.lastEvent) continue;
    state.events.push(e);
    state.lastEvent = e.id;
  }
  if (state.events.length > 500) state.events.splice(0, state.events.length - 500);
}

function markers() {
  return state.events.filter((e) => MARKER_REASONS.has(e.reason))
    .map((e) => ({t: Date.parse(e.time) / 1000, reason: e.reason, type: e.type, message: e.message}));
}

function renderService(view) {
  state.view = view;
  for (const r of view.revisions) state.labels[r.hash] = {revision: r.number, version: r.version};
  const prog = view.status.progressive;
  $('#service-phase').textContent = view.phase;
  $('#service-phase').className = 'phase ' + view.phase;
  $('#service-step').textContent = [view.strategy, prog && prog.step, prog && prog.weights ? traffic(prog.weights) : null,
    view.status.abortMessage || (prog && prog.state.abortMessage)].filter(Boolean).join(' · ');
  renderActions(view);
  renderAnalysis(prog ? prog.analysis || [] : []);
  renderReplicas(view.replicas);
  renderEvents();
  renderMarkers();
  const key = view.revisions.map((r) => r.number).join(',') + '/' + view.status.revision;
  if (key !== state.revisionKey) {
    state.revisionKey = key;
    loadRevisions(view.name);
  }
  drawCharts();
}

function renderActions(view) {
  const prog = view.status.progressive;
  const phase = view.phase;
  const inProgress = prog && prog.state.canaryHash;
  const enabled = {
    'promote': !!inProgress && phase !== 'Aborted',
    'promote-full': !!inProgress && phase !== 'Aborted',
    'pause': phase !== 'Paused' && phase !== 'Aborted',
    'resume': phase === 'Paused',
    'abort': !!inProgress && phase !== 'Aborted',
    'retry': phase === 'Aborted',
  };
  document.querySelectorAll('#actions button').forEach((b) => { b.disabled = !enabled[b.dataset.action]; });
}

function renderAnalysis(runs) {
  const box = $('#analysis');
  if (runs.length === 0) {
    box.replaceChildren(el('p', {class: 'muted'}, 'No analysis run.'));
    return;
  }
  box.replaceChildren(...runs.map((run) => el('div', {class: 'run', 'data-run': run.key},
    el('strong', {}, `${run.key} `), el('span', {class: 'phase ' + run.phase}, run.phase),
    el('span', {class: 'muted'}, ` templates ${run.templates}, started ${clock(run.started)}`),
    el('table', {},
      el('thead', {}, el('tr', {}, ...['Metric', 'Phase', 'Count', 'Successful', 'Failed', 'Inconclusive', 'Error', 'Last value', 'Message']
        .map((h) => el('th', {}, h)))),
      el('tbody', {}, ...run.metrics.flatMap((m) => [
        el('tr', {'data-metric': m.name},
          el('td', {}, m.name + (m.dryRun ? ' (dry run)' : '')), el('td', {}, m.phase), el('td', {}, String(m.count)),
          el('td', {}, String(m.successful)), el('td', {}, String(m.failed)), el('td', {}, String(m.inconclusive)),
          el('td', {}, String(m.error)), el('td', {}, m.lastValue ?? ''), el('td', {}, m.lastMessage ?? '')),
        el('tr', {class: 'measurements'}, el('td', {colSpan: 9},
          (m.measurements || []).map((x) => `${clock(x.at)} ${x.phase} ${x.value ?? ''}`).join(' · '))),
      ]))))));
}

function renderReplicas(replicas) {
  $('#replicas tbody').replaceChildren(...replicas.map((r) => el('tr', {'data-replica': r.id},
    el('td', {}, r.id), el('td', {}, String(r.revision)), el('td', {}, r.state + (r.stopping ? ' (stopping)' : '')),
    el('td', {}, r.ready ? 'yes' : 'no'), el('td', {}, probeText(r)), el('td', {}, String(r.restarts)),
    el('td', {}, age(r.since)), el('td', {}, r.pid > 0 ? String(r.pid) : ''), el('td', {}, r.port > 0 ? String(r.port) : ''))));
}

function probeText(r) {
  const probes = r.probes || [];
  if (probes.length === 0) return r.reason || '';
  return probes.map((p) => `${p.probe} ${p.outcome === 'SUCCESS' ? 'ok' : p.outcome.toLowerCase()}`
    + (p.outcome === 'SUCCESS' || !p.detail ? '' : ` (${p.detail})`) + ` ${age(p.at)} ago`).join('; ');
}

function renderEvents() {
  const rows = state.events.slice(-200).reverse();
  $('#events tbody').replaceChildren(...rows.map((e) => el('tr', {class: e.type, 'data-reason': e.reason},
    el('td', {}, clock(e.time)), el('td', {}, e.type), el('td', {}, e.reason), el('td', {}, e.object), el('td', {}, e.message))));
}

function renderMarkers() {
  const now = Date.now() / 1000;
  $('#markers').replaceChildren(...markers().filter((m) => m.t > now - WINDOW_SECONDS).map((m) =>
    el('li', {class: m.type, 'data-reason': m.reason, title: m.message},
      `${new Date(m.t * 1000).toLocaleTimeString([], {hour12: false})} ${m.reason}`)));
}

async function loadRevisions(name) {
  try {
    const [revisions, stats] = await Promise.all([api(`/v1/services/${name}/revisions`), api(`/v1/stats?service=${name}&since=30d`)]);
    if (state.service !== name) return;
    state.revisions = revisions;
    renderHistory();
    renderStats(stats[0]);
  } catch (e) {
    showResult(false, e.message);
  }
}

// The DORA figures: how often, how fast, how often it fails, how fast it is restored.
function renderStats(f) {
  const d = (s) => (s == null ? '-' : seconds(typeof s === 'number' ? s : isoSeconds(s)));
  const rate = f.changeFailureRate == null ? '-' : `${Math.round(100 * f.changeFailureRate)}% (${f.failed} of ${f.failed + f.succeeded})`;
  $('#stats tbody').replaceChildren(el('tr', {},
    el('td', {}, `${f.deployments}${f.inProgress ? ` (${f.inProgress} in progress)` : ''}`), el('td', {}, f.perDay.toFixed(2)),
    el('td', {}, `${d(f.leadTimeMedian)} / ${d(f.leadTimeP90)}`), el('td', {}, rate), el('td', {}, d(f.timeToRestoreMedian))));
}

function isoSeconds(iso) {
  const m = /PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?/.exec(iso) || [];
  return (+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0);
}

function seconds(s) {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${Math.round((s % 3600) / 60)}m`;
}

function renderHistory() {
  const revs = state.revisions;
  $('#history tbody').replaceChildren(...revs.slice().reverse().map((r, i, all) => {
    const older = all[i + 1];
    const diff = older ? el('button', {}, `diff vs ${older.revision}`) : el('span', {class: 'muted'}, 'first');
    if (older) diff.addEventListener('click', () => showDiff(older, r));
    const undo = el('button', {disabled: r.current, 'data-undo': String(r.revision)}, r.current ? 'current' : `Undo to ${r.revision}`);
    undo.addEventListener('click', () => act('undo', r.revision));
    return el('tr', {'data-revision': String(r.revision)},
      el('td', {}, String(r.revision)), el('td', {}, r.version || ''), el('td', {}, r.hash.slice(0, 10)),
      el('td', {class: 'image', title: r.template.image || ''}, shortImage(r.template.image)), el('td', {class: 'sources'}, sources(r.template)),
      el('td', {}, clock(r.created)), el('td', {}, String(r.replicas)), el('td', {}, diff), el('td', {}, undo));
  }));
  const current = revs.find((r) => r.current);
  const previous = current && revs.filter((r) => r.revision < current.revision).pop();
  if (current && previous) showDiff(previous, current);
  else $('#diff').replaceChildren();
}

// The secrets and ConfigMaps a revision reads, at the versions it pinned ('secret db v3, configMap app v2'); never a value.
function sources(template) {
  const seen = new Map();
  Object.values(template.valueFrom || {}).forEach((k) => seen.set(`${k.source.kind}/${k.source.name}`, k.source));
  (template.volumes || []).forEach((v) => seen.set(`${v.source.kind}/${v.source.name}`, v.source));
  return [...seen.values()].map((s) => `${s.kind === 'SECRET' ? 'secret' : 'configMap'} ${s.name} v${s.version}`).join(', ');
}

// A container's image as name@sha256:12 hex digits (the whole reference in the title); '' for a process.
function shortImage(image) {
  if (!image) return '';
  const at = image.indexOf('@sha256:');
  return at < 0 ? image : image.slice(0, at + 8 + 12);
}

// A line diff (longest common subsequence) of two templates printed with sorted keys.
function lines(value) {
  const sort = (v) => Array.isArray(v) ? v.map(sort)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return JSON.stringify(sort(value), null, 2).split('\n');
}

function showDiff(from, to) {
  const a = lines(from.template), b = lines(to.template);
  const n = a.length, m = b.length;
  const lcs = Array.from({length: n + 1}, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push([' ', a[i]]); i++; j++; }
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) { ops.push(['-', a[i]]); i++; }
    else { ops.push(['+', b[j]]); j++; }
  }
  // Changed lines with three lines of context, as diff -u shows them.
  const near = ops.map((op, k) => ops.slice(Math.max(0, k - 3), k + 4).some((o) => o[0] !== ' '));
  const out = [el('div', {class: 'muted'}, `revision ${from.revision} -> ${to.revision}`)];
  ops.forEach(([kind, text], k) => {
    if (near[k]) out.push(el('div', {class: kind === '+' ? 'add' : kind === '-' ? 'del' : ''}, `${kind} ${text}`));
    else if (k > 0 && near[k - 1]) out.push(el('div', {class: 'muted'}, '  …'));
  });
  if (ops.every((o) => o[0] === ' ')) out.push(el('div', {class: 'muted'}, 'the templates are the same'));
  $('#diff').replaceChildren(...out);
}

// ---- charts -----------------------------------------------------------------------------------------

function markersPlugin() {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        let lastLabel = -Infinity;
        for (const m of markers()) {
          const x = u.valToPos(m.t, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.strokeStyle = ctx.fillStyle = m.type === 'Warning' ? '#cf222e' : '#6b7585';
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          // Markers close together keep their lines; only the first of them is labelled (all are listed below the charts).
          if (x - lastLabel > 90 * devicePixelRatio) {
            ctx.fillText(m.reason, x + 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
            lastLabel = x;
          }
        }
        ctx.restore();
      },
    },
  };
}

const num = (v, digits, unit) => v == null ? '' : (+v.toFixed(digits)).toString() + unit;
const CHARTS = {
  rps: {sel: '#chart-rps', value: (p) => p ? p[0] : 0, fmt: (v) => num(v, 0, ''), axis: (v) => num(v, 0, '')},
  errors: {sel: '#chart-errors', value: (p) => p && p[0] > 0 ? 100 * p[1] / p[0] : null, fmt: (v) => num(v, 2, '%'), axis: (v) => num(v, 2, '%')},
  latency: {sel: '#chart-latency', fmt: (v) => num(v, 2, ' ms'), axis: (v) => num(v, 1, ' ms')},
  split: {sel: '#chart-split', fmt: (v) => num(v, 1, '%'), axis: (v) => num(v, 0, '%')},
};

// The time axis spans the data and markers of the last five minutes, at least one minute.
function chartData() {
  const now = Math.floor(Date.now() / 1000) - 1;
  let first = now - 60;
  for (const points of Object.values(state.series)) for (const t of points.keys()) first = Math.min(first, t);
  for (const m of markers()) first = Math.min(first, Math.floor(m.t) - 5);
  first = Math.max(first, now - WINDOW_SECONDS + 1);
  const xs = [];
  for (let t = first; t <= now; t++) xs.push(t);
  const hashes = Object.keys(state.series).sort((a, b) => (state.labels[a]?.revision || 0) - (state.labels[b]?.revision || 0));
  const totals = xs.map((t) => hashes.reduce((s, h) => s + (state.series[h].get(t)?.[0] || 0), 0));
  return {
    hashes,
    rps: [xs, ...hashes.map((h) => xs.map((t) => CHARTS.rps.value(state.series[h].get(t))))],
    errors: [xs, ...hashes.map((h) => xs.map((t) => CHARTS.errors.value(state.series[h].get(t))))],
    latency: [xs, ...hashes.flatMap((h) => [2, 3].map((k) => xs.map((t) => state.series[h].get(t)?.[k] ?? null)))],
    split: [xs, ...hashes.map((h) => xs.map((t, i) => totals[i] > 0 ? 100 * (state.series[h].get(t)?.[0] || 0) / totals[i] : null))],
  };
}

function seriesFor(kind, hashes) {
  const base = [{}];
  hashes.forEach((h, i) => {
    const stroke = COLORS[Math.max(0, (state.labels[h]?.revision || i + 1) - 1) % COLORS.length];
    if (kind === 'latency') {
      base.push({label: `${label(h)} p50`, stroke, width: 1, value: (u, v) => CHARTS.latency.fmt(v)});
      base.push({label: `${label(h)} p99`, stroke, width: 2, dash: [6, 3], value: (u, v) => CHARTS.latency.fmt(v)});
    } else {
      base.push({label: label(h), stroke, width: 2, value: (u, v) => CHARTS[kind].fmt(v)});
    }
  });
  return base;
}

function drawCharts() {
  if (typeof uPlot === 'undefined') return;
  const data = chartData();
  const key = data.hashes.map(label).join('|');
  for (const kind of Object.keys(CHARTS)) {
    const box = $(CHARTS[kind].sel);
    let chart = state.charts[kind];
    if (chart && chart.key !== key) {
      chart.plot.destroy();
      chart = null;
    }
    if (!chart) {
      const plot = new uPlot({
        width: Math.max(300, box.clientWidth || 520), height: 200,
        scales: {x: {time: true}, y: kind === 'split' ? {range: [0, 100]} : {}},
        series: seriesFor(kind, data.hashes),
        axes: [{}, {size: 70, values: (u, vals) => vals.map((v) => CHARTS[kind].axis(v))}],
        plugins: [markersPlugin()],
      }, data[kind], box);
      chart = state.charts[kind] = {plot, key};
    } else {
      chart.plot.setData(data[kind]);
    }
    box.dataset.revisions = data.hashes.map(label).join(',');
  }
}

// ---- the live stream ----------------------------------------------------------------------------------

function connect() {
  if (state.source) state.source.close();
  const q = state.service ? `?service=${encodeURIComponent(state.service)}&after=${state.lastEvent}` : '';
  const source = state.source = new EventSource('/v1/stream' + q);
  source.onopen = () => { $('#connection').textContent = 'live'; };
  source.onerror = () => { $('#connection').textContent = 'reconnecting…'; };
  source.onmessage = (msg) => {
    if (source !== state.source) return;
    const s = JSON.parse(msg.data);
    renderServices(s.services);
    if (s.service && s.service.name === state.service) {
      mergeSeries(s.series);
      addEvents(s.events);
      renderService(s.service);
    }
  };
}

// ---- the verbs ------------------------------------------------------------------------------------------

const VERBS = {
  'promote': {path: 'promote', text: (n) => `Promote ${n} to its next step?`},
  'promote-full': {path: 'promote?full=true', text: (n) => `Promote ${n} all the way, skipping the remaining steps and analysis?`},
  'pause': {path: 'pause', text: (n) => `Pause the rollout of ${n}?`},
  'resume': {path: 'resume', text: (n) => `Resume the rollout of ${n}?`},
  'abort': {path: 'abort', text: (n) => `Abort the rollout of ${n}? All traffic goes back to the stable revision.`},
  'retry': {path: 'retry', text: (n) => `Retry the aborted rollout of ${n} from its first step?`},
  'undo': {path: 'undo', text: (n, rev) => `Roll ${n} back to revision ${rev}?`},
};

function confirmDialog(text) {
  const dialog = $('#confirm');
  $('#confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true});
    dialog.returnValue = '';
    dialog.showModal();
  });
}

function showResult(ok, text) {
  const r = $('#result');
  r.textContent = text;
  r.className = ok ? 'ok' : 'failed';
}

async function act(verb, revision) {
  const name = state.service;
  const v = VERBS[verb];
  if (!name || !(await confirmDialog(v.text(name, revision)))) return;
  const path = `/v1/services/${name}/${v.path}${verb === 'undo' ? '?toRevision=' + revision : ''}`;
  try {
    const body = await api(path, {method: 'POST'});
    showResult(true, `${verb}: ${body.result}`);
  } catch (e) {
    showResult(false, `${verb} refused: ${e.message}`);
  }
}

document.querySelectorAll('#actions button').forEach((b) => b.addEventListener('click', () => act(b.dataset.action)));
$('#logout-csrf').value = csrf;
window.addEventListener('resize', () => {
  for (const [kind, c] of Object.entries(state.charts)) c.plot.setSize({width: Math.max(300, $(CHARTS[kind].sel).clientWidth), height: 200});
});
setInterval(drawCharts, 1000);
connect();
