// Megatest dashboard: a small vanilla app. Pages load once from the JSON API, then follow the
// server-sent events of the db writer's change stream (no polling).
'use strict';

const S = {
  info: null,
  filters: { target: '', runname: '', testpatt: '', states: '', statuses: '', sort: 'name', cols: 8, page: 0, size: 100 },
  runs: [],
  expanded: new Set(),
  cells: new Map(),      // "run|test|item" -> td
  events: null,
  eventsKey: null,
  refreshTimer: null,
  onTest: null,          // test view: hook for events of its test
  view: '',
  ready: Promise.resolve()
};

const $ = (sel, root) => (root || document).querySelector(sel);
const esc = s => String(s == null ? '' : s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const time = t => t > 0 ? new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 19) : '';
const dur = d => d > 0 ? (d < 60 ? d.toFixed(1) + ' s' : (d / 60).toFixed(1) + ' min') : '';
const qs = o => Object.entries(o).filter(([, v]) => v !== '' && v != null).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');

async function api(path) {
  const r = await fetch(path, { credentials: 'same-origin' });
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

async function post(path, data) {
  const r = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-Megatest': '1' }, body: JSON.stringify(data) });
  return r.json().catch(() => ({ accepted: false, ok: false, reason: r.statusText, error: r.statusText }));
}

// ---- live events ------------------------------------------------------------------------------

function follow(runIds) {
  const key = (runIds || []).join(',');
  if (S.events && S.eventsKey === key) return S.ready;
  if (S.events) S.events.close();
  S.eventsKey = key;
  const es = new EventSource('/api/events' + (key ? '?runs=' + key : ''));
  S.events = es;
  const live = $('#live');
  let hello;
  // Pages are read after the stream is connected, so no change can fall between the read and the stream.
  S.ready = new Promise(resolve => { hello = resolve; setTimeout(resolve, 5000); });
  es.addEventListener('hello', e => {
    const d = JSON.parse(e.data);
    live.textContent = d.live ? 'live' : 'not live';
    live.className = d.live ? 'on' : 'off';
    hello();
  });
  es.onerror = () => { live.textContent = 'reconnecting'; live.className = 'off'; };
  es.addEventListener('test', e => onTestEvent(JSON.parse(e.data)));
  es.addEventListener('run', e => onRunEvent(JSON.parse(e.data)));
  es.addEventListener('resync', () => { if (S.view === 'runs') scheduleRefresh(); else if (S.onTest) S.onTest(null); });
  return S.ready;
}

function onTestEvent(c) {
  if (S.onTest) S.onTest(c);
  if (S.view !== 'runs') return;
  const td = S.cells.get(c.run + '|' + c.test + '|' + c.item);
  if (td) { paintCell(td, c); return; }
  if (S.runs.some(r => r.id === c.run) && (c.item === '' || S.expanded.has(c.test))) scheduleRefresh();
}

function onRunEvent(r) {
  if (S.view === 'runs' && !S.runs.some(x => x.id === r.id)) scheduleRefresh();
}

function scheduleRefresh() {
  if (S.refreshTimer || S.view !== 'runs') return;
  S.refreshTimer = setTimeout(() => { S.refreshTimer = null; if (S.view === 'runs') loadMatrix(); }, 700);
}

function paintCell(td, c) {
  td.className = 'cell ' + c.cls;
  td.dataset.id = c.id;
  td.dataset.state = c.state;
  td.dataset.status = c.status;
  td.title = c.state + '/' + c.status + (c.comment ? ': ' + c.comment : '') + (c.host ? ' on ' + c.host : '');
  td.innerHTML = '<a href="#/test/' + c.id + '">' + esc(c.label) + '</a>';
}

// ---- runs view --------------------------------------------------------------------------------

function runsView() {
  const f = S.filters;
  $('#view').innerHTML = `
  <form class="filters" id="filters">
    <label>target<input name="target" value="${esc(f.target)}" placeholder="${esc(S.info && S.info.keys.length ? S.info.keys.map(() => '%').join('/') : '%')}" title="${esc(S.info ? S.info.keys.join('/') : '')}"></label>
    <label>run name<input name="runname" value="${esc(f.runname)}" placeholder="%"></label>
    <label>test pattern<input name="testpatt" value="${esc(f.testpatt)}" placeholder="%"></label>
    <label>states<input name="states" value="${esc(f.states)}" placeholder="RUNNING,COMPLETED"></label>
    <label>statuses<input name="statuses" value="${esc(f.statuses)}" placeholder="FAIL,ABORT"></label>
    <label>sort<select name="sort">${['name', '-name', 'status', 'time', 'duration'].map(s => `<option${s === f.sort ? ' selected' : ''}>${s}</option>`).join('')}</select></label>
    <label>runs<input name="cols" type="number" min="1" max="50" value="${f.cols}" style="width:4em"></label>
    <button type="submit" id="apply">Apply</button>
  </form>
  <div class="controls" id="run-controls">
    <label>run<select id="ctl-run"></select></label>
    <label>test/item pattern<input id="ctl-patt" value="%"></label>
    <button data-action="rerun" id="run-rerun">Rerun</button>
    <button data-action="rerun" data-failed="1" id="run-rerun-failed">Rerun failed</button>
    <button data-action="kill" id="run-kill">Kill</button>
    <button data-action="clean" id="run-clean">Clean</button>
    <label>archive mode<select id="run-mode"><option>save</option><option>save-remove</option><option>keep-html</option><option>restore</option></select></label>
    <button data-action="archive" id="run-archive">Archive</button>
    <a id="run-junit" href="#" target="_blank">JUnit XML</a>
    <span id="run-ack"></span>
  </div>
  <div class="pager" id="pager"></div>
  <div id="matrix-box"><p>Loading…</p></div>`;
  $('#filters').addEventListener('submit', e => {
    e.preventDefault();
    const d = new FormData(e.target);
    for (const k of ['target', 'runname', 'testpatt', 'states', 'statuses', 'sort']) f[k] = (d.get(k) || '').trim();
    f.cols = Math.max(1, parseInt(d.get('cols'), 10) || 8);
    f.page = 0;
    loadMatrix();
  });
  $('#run-controls').addEventListener('click', e => {
    const b = e.target.closest('button');
    if (!b) return;
    const run = S.runs.find(r => String(r.id) === $('#ctl-run').value);
    if (!run) return;
    const form = { action: b.dataset.action, target: run.target, runName: run.runName, testPatt: $('#ctl-patt').value, mode: $('#run-mode').value };
    if (b.dataset.failed) form.rerunStatuses = ['FAIL', 'ABORT', 'CHECK', 'DEAD', 'INCOMPLETE', 'KILLED'];
    control(form, $('#run-ack'));
  });
  loadMatrix();
}

async function loadMatrix() {
  const f = S.filters;
  const box = $('#matrix-box');
  if (!box) return;
  try {
    const runs = await api('/api/runs?' + qs({ target: f.target, runname: f.runname, limit: f.cols }));
    runs.reverse(); // oldest of the shown runs on the left
    S.runs = runs;
    await follow(runs.map(r => r.id));
    const sel = $('#ctl-run');
    const keep = sel.value;
    sel.innerHTML = runs.map(r => `<option value="${r.id}">${esc(r.target)} / ${esc(r.runName)}</option>`).join('');
    if (keep && runs.some(r => String(r.id) === keep)) sel.value = keep; else if (runs.length) sel.value = runs[runs.length - 1].id;
    const junit = () => { $('#run-junit').href = '/api/junit?run=' + sel.value; };
    sel.onchange = junit;
    junit();
    if (!runs.length) { box.innerHTML = '<p>No runs match.</p>'; $('#pager').innerHTML = ''; return; }
    const ids = runs.map(r => r.id).join(',');
    const base = { runs: ids, testpatt: f.testpatt, states: f.states, statuses: f.statuses, sort: f.sort };
    // The page first; the total (a pass over every row of the shown runs) follows and fills in the pager.
    const page = await api('/api/matrix?' + qs(Object.assign({ offset: f.page * f.size, limit: f.size, total: 0 }, base)));
    const itemPages = await Promise.all(page.rows.filter(r => r.items > 0 && S.expanded.has(r.test))
      .map(r => api('/api/matrix?' + qs(Object.assign({ itemsof: r.test, limit: 1000, total: 0 }, base))).then(p => [r.test, p])));
    renderMatrix(runs, page, new Map(itemPages));
    const pager = total => {
      const pages = total < 0 ? 0 : Math.max(1, Math.ceil(total / f.size));
      const more = total < 0 ? page.rows.length === f.size : f.page + 1 < pages;
      $('#pager').innerHTML = `<button id="prev"${f.page === 0 ? ' disabled' : ''}>◀</button> page ${f.page + 1} of <span id="pages">${total < 0 ? '…' : pages}</span>
        (<span id="total">${total < 0 ? 'counting' : total}</span> tests) <button id="next"${more ? '' : ' disabled'}>▶</button>`;
      $('#prev').onclick = () => { f.page--; loadMatrix(); };
      $('#next').onclick = () => { f.page++; loadMatrix(); };
    };
    pager(-1);
    const counted = await api('/api/matrix/total?' + qs(base));
    if ($('#pager')) pager(counted.total);
  } catch (e) {
    box.innerHTML = '<p class="err">' + esc(e.message) + '</p>';
  }
}

function renderMatrix(runs, page, items) {
  S.cells = new Map();
  const table = document.createElement('table');
  table.className = 'matrix';
  table.id = 'matrix';
  const head = document.createElement('thead');
  head.innerHTML = '<tr><th>target</th>' + runs.map(r => `<th class="run" title="${esc(r.target)}">${esc(r.target)}</th>`).join('') + '</tr>' +
    '<tr><th>run</th>' + runs.map(r => `<th class="run" title="${esc(r.runName)} ${esc(time(r.start))}">${esc(r.runName)}</th>`).join('') + '</tr>';
  table.appendChild(head);
  const body = document.createElement('tbody');
  const byKey = new Map();
  const addCells = cells => cells.forEach(c => byKey.set(c.run + '|' + c.test + '|' + c.item, c));
  addCells(page.cells);
  items.forEach(p => addCells(p.cells));
  const addRow = (test, item, count) => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.className = 'name' + (item ? ' item' : '');
    if (item) name.textContent = item;
    else name.innerHTML = (count > 0 ? `<span class="toggle" data-test="${esc(test)}">${S.expanded.has(test) ? '▾' : '▸'}</span>` : '<span class="toggle"></span>') +
      esc(test) + (count > 0 ? ` <small>(${count})</small>` : '');
    tr.appendChild(name);
    for (const r of runs) {
      const td = document.createElement('td');
      td.className = 'cell';
      td.dataset.run = r.id;
      td.dataset.test = test;
      td.dataset.item = item;
      const key = r.id + '|' + test + '|' + item;
      S.cells.set(key, td);
      const c = byKey.get(key);
      if (c) paintCell(td, c);
      tr.appendChild(td);
    }
    body.appendChild(tr);
  };
  for (const row of page.rows) {
    addRow(row.test, '', row.items);
    const ip = items.get(row.test);
    if (ip) ip.rows.forEach(x => addRow(x.test, x.item, 0));
  }
  table.appendChild(body);
  table.addEventListener('click', e => {
    const t = e.target.closest('.toggle[data-test]');
    if (t) {
      const test = t.dataset.test;
      if (S.expanded.has(test)) S.expanded.delete(test); else S.expanded.add(test);
      loadMatrix();
      return;
    }
    const td = e.target.closest('td.cell');
    if (td && td.dataset.id && e.target.tagName !== 'A') location.hash = '#/test/' + td.dataset.id;
  });
  const box = $('#matrix-box');
  box.innerHTML = '';
  box.appendChild(table);
}

async function control(form, out) {
  out.className = 'ack wait';
  out.textContent = form.action + ' sent…';
  const ack = await post('/api/control', form);
  out.className = 'ack ' + (ack.accepted ? 'ok' : 'no');
  out.dataset.accepted = ack.accepted ? 'true' : 'false';
  out.textContent = (ack.accepted ? 'accepted: ' : 'refused: ') + (ack.reason || '') + (ack.packet ? ' [' + ack.packet + ']' : '');
}

// ---- test view --------------------------------------------------------------------------------

async function testView(id) {
  $('#view').innerHTML = '<p>Loading…</p>';
  let d;
  try { d = await api('/api/tests/' + id); await follow([d.test.run]); d = await api('/api/tests/' + id); } catch (e) { $('#view').innerHTML = '<p class="err">' + esc(e.message) + '</p>'; return; }
  const t = d.test, run = d.run || { target: '', runName: '' };
  const path = t.test + (t.item ? '/' + t.item : '');
  $('#view').innerHTML = `
  <h2>${esc(run.target)} / ${esc(run.runName)} / ${esc(path)} <span id="test-badge" class="badge ${t.cls}">${esc(t.label)}</span></h2>
  <div class="fields">
    <div>state</div><div id="test-state">${esc(t.state)}</div>
    <div>status</div><div id="test-status">${esc(t.status)}</div>
    <div>comment</div><div id="test-comment">${esc(t.comment)}</div>
    <div>host</div><div>${esc(t.host)}${t.uname && t.uname !== 'n/a' ? ' <small>(' + esc(t.uname) + ')</small>' : ''}</div>
    <div>last update</div><div>${esc(time(t.lastUpdate))}</div>
    <div>started</div><div>${esc(time(t.start))}</div>
    <div>duration</div><div>${esc(dur(t.dur))}</div>
    <div>run dir</div><div>${esc(t.runDir)}</div>
    <div>final log</div><div><a href="/api/tests/${t.id}/file?path=${encodeURIComponent(t.finalLog)}" target="_blank">${esc(t.finalLog)}</a></div>
    <div>cpu load / disk free</div><div>${esc(t.cpuLoad)} / ${esc(t.diskFree)}</div>
    ${d.meta ? `<div>meta</div><div>${esc([d.meta.description, d.meta.author && 'author ' + d.meta.author, d.meta.owner && 'owner ' + d.meta.owner, d.meta.tags && 'tags ' + d.meta.tags, d.meta.reviewed && 'reviewed ' + d.meta.reviewed].filter(Boolean).join('; '))}</div>` : ''}
  </div>
  <div class="controls" id="test-controls">
    <label>test/item pattern<input id="ctl-item" value="${esc(path)}" size="24" title="this test; e.g. ${esc(t.test)}/% for its items"></label>
    <button data-action="rerun" id="btn-rerun">Rerun</button>
    <button data-action="kill" id="btn-kill">Kill</button>
    <button data-action="clean" id="btn-clean">Clean</button>
    <label>archive mode<select id="ctl-mode"><option>save</option><option>save-remove</option><option>keep-html</option><option>restore</option></select></label>
    <button data-action="archive" id="btn-archive">Archive</button>
    <span id="ack"></span>
  </div>
  <div class="controls" id="waive-controls">
    <label>waiver comment<input id="waive-comment" size="40" placeholder="${esc(S.info && S.info.waiverPattern ? 'must match ' + S.info.waiverPattern : 'why this is acceptable')}"></label>
    <button id="btn-waive">Set WAIVED</button>
    <span id="waive-ack"></span>
  </div>
  <h3>Steps</h3>
  <table class="grid" id="steps"><tr><th>step</th><th>start</th><th>end</th><th>status</th><th>duration</th><th>comment</th><th>log</th></tr>
  ${d.steps.map((s, i) => `<tr class="step" data-log="${esc(s.log)}" data-index="${i}"><td>${esc(s.name)}</td><td>${esc(time(s.start))}</td><td>${esc(time(s.end))}</td>
    <td class="${s.result === 'pass' ? 'c-pass' : s.result === 'fail' ? 'c-fail' : 'c-running'}">${esc(s.status)}</td><td>${s.end && s.start ? (s.end - s.start) + ' s' : ''}</td><td>${esc(s.comment)}</td><td>${esc(s.log)}</td></tr>`).join('')}
  </table>
  <div id="step-log-box"></div>
  <h3>Test data</h3>
  <table class="grid" id="test-data"><tr><th>category</th><th>variable</th><th>value</th><th>expected</th><th>tol</th><th>status</th><th>units</th><th>type</th><th>comment</th></tr>
  ${d.data.map(x => `<tr><td>${esc(x.category)}</td><td>${esc(x.variable)}</td><td>${esc(x.value)}</td><td>${esc(x.expected)}</td><td>${esc(x.tol)}</td>
    <td class="${x.status === 'pass' ? 'c-pass' : x.status === 'fail' ? 'c-fail' : ''}">${esc(x.status)}</td><td>${esc(x.units)}</td><td>${esc(x.type)}</td><td>${esc(x.comment)}</td></tr>`).join('')}
  </table>
  <h3>Environment (megatest.sh)</h3>
  <pre id="environment">${esc(d.environment || '(no megatest.sh in the run directory)')}</pre>
  <h3>Run directory</h3>
  <div id="files"></div>`;
  const rerunForm = pattern => ({ action: 'rerun', target: run.target, runName: run.runName, testPatt: pattern });
  $('#test-controls').addEventListener('click', e => {
    const b = e.target.closest('button');
    if (!b) return;
    control(Object.assign(rerunForm($('#ctl-item').value || path), { action: b.dataset.action, mode: $('#ctl-mode').value }), $('#ack'));
  });
  $('#btn-waive').onclick = async () => {
    const out = $('#waive-ack');
    out.className = 'ack wait';
    out.textContent = 'sent…';
    const r = await post('/api/waive', { testId: t.id, comment: $('#waive-comment').value });
    out.className = 'ack ' + (r.ok ? 'ok' : 'no');
    out.textContent = r.ok ? 'WAIVED' : 'refused: ' + r.error;
  };
  $('#steps').addEventListener('click', e => {
    const tr = e.target.closest('tr.step');
    if (tr) showLog(t.id, tr);
  });
  const firstFailed = document.querySelector('#steps tr.step td.c-fail');
  const pick = firstFailed ? firstFailed.closest('tr') : document.querySelector('#steps tr.step:last-child');
  if (pick) showLog(t.id, pick);
  listFiles(t.id, '');
  let reload = null;
  S.onTest = c => {
    if (c === null) { refreshSteps(t.id); return; }
    if (c.id !== t.id) return;
    $('#test-state').textContent = c.state;
    $('#test-status').textContent = c.status;
    $('#test-comment').textContent = c.comment;
    const badge = $('#test-badge');
    badge.className = 'badge ' + c.cls;
    badge.textContent = c.label;
    if (!reload) reload = setTimeout(() => { reload = null; refreshSteps(t.id); }, 800);
  };
}

async function refreshSteps(id) {
  if (S.view !== 'test') return;
  const d = await api('/api/tests/' + id).catch(() => null);
  if (!d || !$('#steps')) return;
  const rows = d.steps.map((s, i) => `<tr class="step" data-log="${esc(s.log)}" data-index="${i}"><td>${esc(s.name)}</td><td>${esc(time(s.start))}</td><td>${esc(time(s.end))}</td>
    <td class="${s.result === 'pass' ? 'c-pass' : s.result === 'fail' ? 'c-fail' : 'c-running'}">${esc(s.status)}</td><td>${s.end && s.start ? (s.end - s.start) + ' s' : ''}</td><td>${esc(s.comment)}</td><td>${esc(s.log)}</td></tr>`).join('');
  $('#steps').innerHTML = '<tr><th>step</th><th>start</th><th>end</th><th>status</th><th>duration</th><th>comment</th><th>log</th></tr>' + rows;
}

async function showLog(id, tr) {
  document.querySelectorAll('#steps tr.sel').forEach(x => x.classList.remove('sel'));
  tr.classList.add('sel');
  const log = tr.dataset.log;
  const box = $('#step-log-box');
  if (!log) { box.innerHTML = '<p>No log recorded for this step.</p>'; return; }
  const url = '/api/tests/' + id + '/file?path=' + encodeURIComponent(log);
  const name = esc(tr.cells[0].textContent);
  if (/\.html?$/.test(log)) {
    box.innerHTML = `<h3>Log of step ${name} (log checker)</h3><iframe class="log" id="step-log-frame" src="${url}"></iframe><pre id="step-log"></pre>`;
    const plain = log.replace(/\.html?$/, '.log');
    const r = await fetch('/api/tests/' + id + '/file?path=' + encodeURIComponent(plain));
    $('#step-log').textContent = r.ok ? await r.text() : '';
  } else {
    box.innerHTML = `<h3>Log of step ${name}</h3><pre id="step-log">Loading…</pre>`;
    const r = await fetch(url);
    $('#step-log').textContent = r.ok ? await r.text() : '(log not found: ' + log + ')';
  }
}

async function listFiles(id, path) {
  const box = $('#files');
  try {
    const d = await api('/api/tests/' + id + '/files?path=' + encodeURIComponent(path));
    box.innerHTML = (path ? `<p><a href="#" data-dir="${esc(path.split('/').slice(0, -1).join('/'))}">..</a> ${esc(path)}</p>` : '') +
      '<table class="grid"><tr><th>name</th><th>size</th><th>modified</th></tr>' +
      d.entries.map(e => `<tr><td>${e.dir ? `<a href="#" data-dir="${esc(e.path)}">${esc(e.name)}/</a>` : `<a href="/api/tests/${id}/file?path=${encodeURIComponent(e.path)}" target="_blank">${esc(e.name)}</a>`}</td>
        <td>${e.dir ? '' : e.size}</td><td>${esc(time(e.modified))}</td></tr>`).join('') + '</table>';
    box.onclick = e => {
      const a = e.target.closest('a[data-dir]');
      if (a) { e.preventDefault(); listFiles(id, a.dataset.dir); }
    };
  } catch (e) {
    box.innerHTML = '<p>' + esc(e.message) + '</p>';
  }
}

// ---- comparison -------------------------------------------------------------------------------

async function compareView(params) {
  const runs = await api('/api/runs?limit=200');
  const a = params.get('a') || (runs[1] || runs[0] || {}).id || '';
  const b = params.get('b') || (runs[0] || {}).id || '';
  const verdict = params.get('verdict') || '';
  const opts = sel => runs.map(r => `<option value="${r.id}"${String(r.id) === String(sel) ? ' selected' : ''}>${esc(r.target)} / ${esc(r.runName)}</option>`).join('');
  $('#view').innerHTML = `<form class="filters" id="cmp-form">
    <label>run A<select name="a">${opts(a)}</select></label>
    <label>run B<select name="b">${opts(b)}</select></label>
    <label>show<select name="verdict">${['', 'worse', 'better', 'changed', 'same', 'added', 'removed'].map(v => `<option value="${v}"${v === verdict ? ' selected' : ''}>${v || 'all'}</option>`).join('')}</select></label>
    <button type="submit">Compare</button></form><div id="cmp-box"></div>`;
  $('#cmp-form').addEventListener('submit', e => {
    e.preventDefault();
    const d = new FormData(e.target);
    location.hash = '#/compare?' + qs({ a: d.get('a'), b: d.get('b'), verdict: d.get('verdict') });
  });
  if (!a || !b) { $('#cmp-box').innerHTML = '<p>Two runs are needed.</p>'; return; }
  const d = await api('/api/compare?' + qs({ a, b, verdict, limit: 2000 }));
  const cell = c => c ? `<td class="cell ${c.cls}"><a href="#/test/${c.id}">${esc(c.label)}</a></td>` : '<td></td>';
  $('#cmp-box').innerHTML = `<p id="cmp-summary">${['worse', 'better', 'changed', 'same', 'added', 'removed'].map(v => `${v}: <b data-verdict="${v}">${d.counts[v] || 0}</b>`).join(' · ')}</p>
    <table class="matrix" id="compare"><tr><th>test</th><th>item</th><th>A</th><th>B</th><th>verdict</th></tr>
    ${d.rows.map(r => `<tr class="verdict-${r.verdict}"><td class="name">${esc(r.test)}</td><td class="name">${esc(r.item)}</td>${cell(r.a)}${cell(r.b)}<td>${esc(r.verdict)}</td></tr>`).join('')}</table>`;
}

// ---- timeline ---------------------------------------------------------------------------------

async function timelineView(runId) {
  const runs = await api('/api/runs?limit=200');
  const id = runId || (runs[0] || {}).id;
  $('#view').innerHTML = `<form class="filters" id="tl-form"><label>run<select name="run">${runs.map(r => `<option value="${r.id}"${r.id === Number(id) ? ' selected' : ''}>${esc(r.target)} / ${esc(r.runName)}</option>`).join('')}</select></label></form><div id="tl-box"></div>`;
  $('#tl-form').addEventListener('change', e => { location.hash = '#/timeline/' + e.target.value; });
  if (!id) { $('#tl-box').innerHTML = '<p>No runs.</p>'; return; }
  const rows = await api('/api/timeline?run=' + id);
  if (!rows.length) { $('#tl-box').innerHTML = '<p>Nothing started in this run yet.</p>'; return; }
  const t0 = Math.min(...rows.map(r => r.start));
  const t1 = Math.max(...rows.map(r => r.start + Math.max(r.dur, 1)));
  const span = Math.max(1, t1 - t0);
  const width = 1000;
  const px = s => Math.round((s - t0) / span * width);
  let html = `<div class="timeline" id="timeline" style="width:${width + 220}px;height:${rows.length * 20 + 24}px">`;
  for (let i = 0; i <= 10; i++) {
    const s = t0 + span * i / 10;
    html += `<div class="axis" style="left:${220 + px(s)}px">${span < 20 ? (s - t0).toFixed(1) : Math.round(s - t0)} s</div>`;
  }
  rows.forEach((r, i) => {
    const left = 220 + px(r.start);
    const w = Math.max(3, px(r.start + Math.max(r.dur, 1)) - px(r.start));
    html += `<div style="position:absolute;left:4px;top:${18 + i * 20}px;width:210px;overflow:hidden;white-space:nowrap;font-size:11px">${esc(r.test + (r.item ? '/' + r.item : ''))}</div>`;
    html += `<a href="#/test/${r.id}" class="bar ${r.cls}" style="left:${left}px;top:${18 + i * 20}px;width:${w}px" title="${esc(r.state + '/' + r.status + ' ' + time(r.start) + ' ' + dur(r.dur))}">${esc(dur(r.dur))}</a>`;
  });
  $('#tl-box').innerHTML = html + '</div>';
}

// ---- routing ----------------------------------------------------------------------------------

async function route() {
  const hash = location.hash || '#/runs';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean);
  S.onTest = null;
  S.view = parts[0] || 'runs';
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.id === 'nav-' + S.view));
  try {
    if (S.view === 'test') await testView(Number(parts[1]));
    else if (S.view === 'compare') await compareView(params);
    else if (S.view === 'timeline') await timelineView(parts[1]);
    else { S.view = 'runs'; runsView(); }
  } catch (e) {
    $('#view').innerHTML = '<p class="err">' + esc(e.message) + '</p>';
  }
}

async function start() {
  try {
    S.info = await api('/api/info');
    $('#area').textContent = S.info.area + ' (' + S.info.keys.join('/') + ')';
  } catch (e) {
    $('#area').textContent = e.message;
  }
  window.addEventListener('hashchange', route);
  follow([]);
  route();
}

start();
