/**
 * @module controller/page
 * The page for people, served by every replica at `/`: the clusters-by-objects matrix coloured
 * by state, each member's revision against the branch head, each failure's message one click
 * away. Three static files and nothing from any other host (the server's policy forbids it).
 * It reads /api/v1/status, then again a few seconds after each answer, never two at once, less
 * often while the tab is hidden or the server fails: no reload storm, however many tabs.
 * Everything shown goes in through textContent, never as HTML.
 */

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gitfed</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>gitfed</h1>
  <div id="fleet" class="muted">loading…</div>
  <div class="controls">
    <input id="filter" type="search" placeholder="filter objects" aria-label="filter objects">
    <label><input id="problems" type="checkbox"> only problems</label>
    <span id="updated" class="muted"></span>
  </div>
</header>
<form id="login" hidden>
  <label>This gitfed needs its bearer token: <input id="token" type="password" autocomplete="off"></label>
  <button type="submit">Show</button>
</form>
<div id="error" role="alert" hidden></div>
<section id="legend" class="legend" aria-label="legend"></section>
<main>
  <table id="matrix" aria-label="members by objects">
    <thead></thead>
    <tbody></tbody>
  </table>
</main>
<aside id="detail" hidden>
  <button id="close" type="button" aria-label="close">×</button>
  <h2 id="detail-title"></h2>
  <dl id="detail-body"></dl>
</aside>
</body>
</html>
`;

const CSS = `
:root { --ok: #2e9e5b; --prog: #d9a21b; --drift: #8a63d2; --fail: #d64541; --unreach: #7d8590; --none: #f2f4f7; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px 24px; padding: 12px 20px; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0; }
.muted { color: var(--muted); }
.controls { margin-left: auto; display: flex; gap: 16px; align-items: center; }
input[type=search] { padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 220px; }
#error { margin: 12px 20px; padding: 8px 12px; border-radius: 6px; background: #ffebe9; color: #82071e; }
#login { margin: 12px 20px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; padding: 8px 20px; font-size: 12px; color: var(--muted); }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px; margin-right: 5px; border-radius: 2px; vertical-align: -1px; background: var(--c); }
main { padding: 0 20px 20px; overflow: auto; }
table { border-collapse: separate; border-spacing: 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #fff; vertical-align: bottom; z-index: 1; }
thead th.member { text-align: center; min-width: 92px; }
.member .name { font-weight: 600; display: block; }
.member .rev { font: 12px ui-monospace, monospace; }
.member .state { font-size: 11px; display: inline-block; padding: 0 6px; border-radius: 9px; color: #fff; background: var(--c); }
.behind { color: var(--fail); }
th.object { font-weight: normal; font: 12px ui-monospace, monospace; position: sticky; left: 0; background: #fff; }
td.cell { text-align: center; padding: 2px; }
td.cell button { width: 100%; min-width: 40px; height: 20px; border: 0; border-radius: 3px; background: var(--c); cursor: pointer; color: #fff; font-size: 11px; }
td.cell button:focus-visible { outline: 2px solid var(--fg); outline-offset: 1px; }
td.cell.none button { background: var(--none); cursor: default; }
.ok { --c: var(--ok); } .progressing { --c: var(--prog); } .drifted { --c: var(--drift); } .failed { --c: var(--fail); } .unreachable { --c: var(--unreach); } .none { --c: var(--none); }
td.cell.unreachable button { background: repeating-linear-gradient(45deg, var(--unreach), var(--unreach) 4px, #aab1ba 4px, #aab1ba 8px); }
aside { position: fixed; right: 16px; bottom: 16px; width: min(560px, calc(100vw - 32px)); max-height: 60vh; overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.15); padding: 12px 16px; }
aside h2 { font-size: 15px; margin: 0 24px 8px 0; word-break: break-all; }
aside dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
aside dt { color: var(--muted); }
aside dd { margin: 0; white-space: pre-wrap; word-break: break-word; }
#close { position: absolute; top: 6px; right: 8px; border: 0; background: none; font-size: 20px; cursor: pointer; }
`;

const JS = `'use strict';
(function () {
  var CLASS = { Synced: 'ok', Progressing: 'progressing', Drifted: 'drifted', Failed: 'failed', Unreachable: 'unreachable', Fighting: 'drifted' };
  var LEGEND = [['ok', 'in sync'], ['progressing', 'progressing'], ['drifted', 'drifted or fought over'], ['failed', 'failed'], ['unreachable', 'member unreachable'], ['none', 'not placed there']];
  var BASE_MS = 5000, MAX_MS = 60000, HIDDEN_MS = 30000;
  var delay = BASE_MS, timer = null, inFlight = false, last = null;
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function short(sha) { return sha ? sha.slice(0, 7) : '-'; }

  function cellState(member, o) {
    if (member.state === 'Unreachable') return 'unreachable';
    if (o.action === 'failed') return 'failed';
    if ((o.drift && o.drift.length) || (o.message && o.message.indexOf('drift corrected') === 0)) return 'drifted';
    if (o.health === 'Failed') return 'failed';
    if (o.health === 'Progressing' || member.state === 'Progressing') return 'progressing';
    return 'ok';
  }

  function render(report) {
    last = report;
    $('fleet').textContent = (report.fleet ? 'fleet ' + report.fleet + ' · ' : '') + report.source + (report.branchCommit ? ' · branch head ' + short(report.branchCommit) : '');
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    var members = report.members;
    var filter = $('filter').value.toLowerCase();
    var onlyProblems = $('problems').checked;
    var rows = new Map();
    members.forEach(function (m, i) {
      m.objects.forEach(function (o) {
        if (o.action === 'pruned' || o.action === 'skipped') return;
        var row = rows.get(o.key);
        // Filled, not sparse: forEach and map skip the holes of a sparse array.
        if (!row) { row = { key: o.key, object: o.object, cells: members.map(function () { return null; }) }; rows.set(o.key, row); }
        row.cells[i] = o;
      });
    });
    var keys = Array.from(rows.keys()).sort();
    var head = $('matrix').tHead, body = $('matrix').tBodies[0];
    head.replaceChildren(); body.replaceChildren();
    var hr = el('tr');
    hr.appendChild(el('th', 'object', keys.length + ' objects × ' + members.length + ' members'));
    members.forEach(function (m) {
      var th = el('th', 'member ' + (CLASS[m.state] || 'progressing'));
      th.dataset.member = m.cluster;
      th.appendChild(el('span', 'name', m.cluster));
      var st = el('span', 'state', m.state); th.appendChild(st);
      var rev = el('span', 'rev' + (report.branchCommit && m.branchCommit !== report.branchCommit ? ' behind' : ''), ' ' + short(m.branchCommit));
      rev.title = report.branchCommit && m.branchCommit !== report.branchCommit ? 'runs ' + short(m.branchCommit) + ', the branch head is ' + short(report.branchCommit) : 'at the branch head';
      th.appendChild(el('br')); th.appendChild(rev);
      th.title = m.message || m.state;
      th.addEventListener('click', function () { showMember(m); });
      hr.appendChild(th);
    });
    head.appendChild(hr);
    keys.forEach(function (k) {
      var row = rows.get(k);
      var states = row.cells.map(function (o, i) { return o ? cellState(members[i], o) : 'none'; });
      if (filter && row.object.toLowerCase().indexOf(filter) < 0) return;
      if (onlyProblems && states.every(function (s) { return s === 'ok' || s === 'none'; })) return;
      var tr = el('tr'); tr.dataset.key = k;
      tr.appendChild(el('th', 'object', row.object));
      row.cells.forEach(function (o, i) {
        var s = states[i];
        var td = el('td', 'cell ' + s);
        td.dataset.member = members[i].cluster; td.dataset.state = s;
        var b = el('button', '', s === 'failed' ? '!' : '');
        b.type = 'button';
        b.setAttribute('aria-label', row.object + ' on ' + members[i].cluster + ': ' + (o ? s : 'not placed'));
        if (o) { b.title = o.message || o.action; b.addEventListener('click', function () { showObject(members[i], o); }); } else b.disabled = true;
        td.appendChild(b); tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function detail(title, pairs) {
    $('detail-title').textContent = title;
    var dl = $('detail-body'); dl.replaceChildren();
    pairs.forEach(function (p) { if (p[1] === undefined || p[1] === '') return; dl.appendChild(el('dt', '', p[0])); dl.appendChild(el('dd', '', String(p[1]))); });
    $('detail').hidden = false;
  }
  function showObject(m, o) {
    detail(o.object + ' on ' + m.cluster, [['action', o.action], ['health', o.health], ['message', o.message], ['drift', (o.drift || []).join(', ')], ['taken from', (o.taken || []).join(', ')], ['file', o.file], ['member', m.cluster + ' (' + m.state + ')']]);
  }
  function showMember(m) {
    detail(m.cluster, [['state', m.state], ['health', m.health], ['message', m.message], ['revision', m.branchCommit], ['source commit', m.sourceCommit], ['last synced', m.lastSynced], ['last attempt', m.lastAttempt]]);
  }

  function schedule(ms) { clearTimeout(timer); timer = setTimeout(load, ms); }
  function load() {
    if (inFlight) return;
    if (document.hidden) { schedule(HIDDEN_MS); return; }
    inFlight = true;
    var headers = {};
    var token = sessionStorage.getItem('gitfed-token');
    if (token) headers.Authorization = 'Bearer ' + token;
    fetch('/api/v1/status', { headers: headers, cache: 'no-store' }).then(function (res) {
      if (res.status === 401) { $('login').hidden = false; $('error').hidden = true; return null; }
      if (!res.ok) throw new Error('the server answered ' + res.status);
      return res.json();
    }).then(function (report) {
      if (report) { $('login').hidden = true; $('error').hidden = true; render(report); delay = BASE_MS; }
    }).catch(function (err) {
      $('error').textContent = 'cannot read the status: ' + err.message + '; trying again in ' + Math.round(delay / 1000) + 's';
      $('error').hidden = false;
      delay = Math.min(MAX_MS, delay * 2);
    }).finally(function () {
      inFlight = false;
      if ($('login').hidden) schedule(delay);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var legend = $('legend');
    LEGEND.forEach(function (l) { var s = el('span', l[0], l[1]); legend.appendChild(s); });
    $('filter').addEventListener('input', function () { if (last) render(last); });
    $('problems').addEventListener('change', function () { if (last) render(last); });
    $('close').addEventListener('click', function () { $('detail').hidden = true; });
    $('login').addEventListener('submit', function (e) { e.preventDefault(); sessionStorage.setItem('gitfed-token', $('token').value.trim()); load(); });
    document.addEventListener('visibilitychange', function () { if (!document.hidden) schedule(0); });
    load();
  });
})();
`;

/** The page's files by path, as http.ts serves them. */
export const PAGE_ASSETS: ReadonlyMap<string, { contentType: string; body: string }> = new Map([
  ['/', { contentType: 'text/html; charset=utf-8', body: HTML }],
  ['/app.js', { contentType: 'text/javascript; charset=utf-8', body: JS }],
  ['/app.css', { contentType: 'text/css; charset=utf-8', body: CSS }],
]);
