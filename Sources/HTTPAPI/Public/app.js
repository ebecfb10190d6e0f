// orchestrator web page: plain JavaScript, no build step. Reads the same /api/ routes as
// orchestrator-client and hears about changes through /api/events (Server-Sent Events),
// falling back to polling when the stream drops.
"use strict";

const PREFIX = window.ORCHESTRATOR_PREFIX || "";
const main = document.getElementById("main");
const state = {
  view: null,          // the current view's refresh function
  cluster: null,       // cluster page: the cluster shown
  alias: null,         // cluster page reached by alias: re-resolved on each refresh
  collapsed: new Set(),
  expanded: new Set(),
  dragging: null,
  pendingRefresh: false,
  recoveryLog: new Map(), // uid → steps heard on the stream
  openSteps: new Set(),   // recoveries page: the recoveries whose steps the user opened
  canOperate: true,
};

// ---------- small helpers ----------
function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
/// A path segment for a cluster name or key: encoded, but `host:port` keeps its colon.
function seg(text) { return encodeURIComponent(text).replace(/%3A/gi, ":"); }
function keyText(key) { return key && key.Hostname ? `${key.Hostname}:${key.Port}` : ""; }
function keyPath(text) {
  const at = text.lastIndexOf(":");
  return `${encodeURIComponent(text.slice(0, at))}/${encodeURIComponent(text.slice(at + 1))}`;
}
async function api(path) {
  const response = await fetch(`${PREFIX}/api/${path}`, { headers: { Accept: "application/json" } });
  let json = null;
  try { json = await response.json(); } catch (_) { json = null; }
  return { ok: response.ok, status: response.status, json };
}
function envelopeMessage(result) {
  if (result.json && typeof result.json === "object" && "Message" in result.json) return result.json.Message;
  return result.ok ? "done" : `HTTP ${result.status}`;
}
function say(text, isError) {
  const box = document.getElementById("message");
  box.hidden = !text;
  box.textContent = text || "";
  box.className = "message" + (isError ? " error" : "");
}
function dcColour(dc) {
  if (!dc) return "#9aa3ad";
  let hash = 0;
  for (const c of dc) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 55%, 45%)`;
}
const FAILURE_CODES = /^(Dead|Unreachable|AllMasterReplicasNotReplicating|LockedSemiSync|MasterWithoutReplicas|FirstTierReplicaFailingToConnectToMaster|AllIntermediateMasterReplicas|BinlogServerFailing|ErrantGTID)/;
function severity(code) { return FAILURE_CODES.test(code) ? "failure" : "warning"; }
const INSTANCE_FAILURES = new Set(["last_check_invalid", "not_recently_checked", "not_replicating", "errant_gtid"]);

// ---------- routing ----------
function route() {
  const path = location.pathname.slice(PREFIX.length).replace(/\/+$/, "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent); // ["web", ...]
  const page = parts[1] || "clusters";
  document.querySelectorAll("header nav a").forEach(a => a.classList.toggle("current", a.dataset.nav === page));
  state.cluster = null; state.alias = null;
  if (page === "cluster" && parts[2] === "alias") { state.alias = parts[3]; state.view = clusterView; }
  else if (page === "cluster") { state.cluster = parts[2]; state.view = clusterView; }
  else if (page === "problems") state.view = problemsView;
  else if (page === "recoveries") state.view = recoveriesView;
  else if (page === "audit") { state.auditPage = Number(parts[2] || 0); state.view = auditView; }
  else if (page === "recovery-plan") { state.cluster = parts[2]; state.view = planView; }
  else state.view = clustersView;
  return refresh();
}
async function refresh() {
  if (state.dragging) { state.pendingRefresh = true; return; }
  try {
    await globalBanner();
    await state.view();
  } catch (error) {
    say(`Cannot read the API: ${error}`, true);
  }
}
let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 80);
}
async function globalBanner() {
  const result = await api("check-global-recoveries");
  const banner = document.getElementById("banner");
  const disabled = result.ok && result.json && result.json.Details === "disabled";
  banner.hidden = !disabled;
  banner.textContent = disabled ? "Automatic recoveries are globally disabled (enable-global-recoveries turns them back on)." : "";
}

// ---------- clusters ----------
async function clustersView() {
  const [infos, instances, analysis, recoveries, blocked] = await Promise.all([
    api("clusters-info"), api("all-instances"), api("replication-analysis"), api("audit-recovery"), api("blocked-recoveries"),
  ]);
  const byCluster = new Map();
  for (const instance of instances.json || []) {
    if (!byCluster.has(instance.ClusterName)) byCluster.set(instance.ClusterName, []);
    byCluster.get(instance.ClusterName).push(instance);
  }
  const problems = new Map();
  for (const entry of (analysis.json && analysis.json.Details) || []) {
    const cluster = entry.ClusterDetails.ClusterName;
    const codes = (entry.Analysis !== "NoProblem" ? [entry.Analysis] : []).concat(entry.StructureAnalysis || []);
    if (!problems.has(cluster)) problems.set(cluster, []);
    problems.get(cluster).push(...codes);
  }
  const lastRecovery = new Map();
  for (const recovery of recoveries.json || []) {
    const cluster = recovery.AnalysisEntry.ClusterDetails.ClusterName;
    if (!lastRecovery.has(cluster)) lastRecovery.set(cluster, recovery);
  }
  const blockedClusters = new Set((blocked.json || []).map(b => b.ClusterName));
  const rows = (infos.json || []).map(info => {
    const members = byCluster.get(info.ClusterName) || [];
    const dcs = [...new Set(members.map(m => m.DataCenter).filter(Boolean))];
    const codes = problems.get(info.ClusterName) || [];
    const worst = codes.find(c => severity(c) === "failure") || codes[0];
    const recovery = lastRecovery.get(info.ClusterName);
    const target = info.ClusterAlias && info.ClusterAlias !== info.ClusterName
      ? `${PREFIX}/web/cluster/alias/${encodeURIComponent(info.ClusterAlias)}` : `${PREFIX}/web/cluster/${seg(info.ClusterName)}`;
    return `<tr data-cluster="${esc(info.ClusterName)}">
      <td><a href="${target}" data-link>${esc(info.ClusterAlias || info.ClusterName)}</a></td>
      <td>${esc(info.ClusterName)}</td>
      <td>${members.length}</td>
      <td>${dcs.map(dc => `<span class="badge" style="border-left:6px solid ${dcColour(dc)}">${esc(dc)}</span>`).join(" ") || '<span class="muted">–</span>'}</td>
      <td>${codes.length ? `${codes.length} <span class="code-${severity(worst)}">${esc(worst)}</span>` : '<span class="ok">none</span>'}</td>
      <td>${recovery ? `<a href="${PREFIX}/web/recoveries#${esc(recovery.UID)}" data-link>${esc(recovery.AnalysisEntry.Analysis)}</a> ${recovery.IsSuccessful ? '<span class="ok">recovered</span>' : '<span class="code-failure">failed</span>'} <span class="muted">${esc(recovery.RecoveryStartTimestamp)}</span>` : '<span class="muted">–</span>'}</td>
      <td>${blockedClusters.has(info.ClusterName) ? '<span class="code-warning">blocked</span>' : '<span class="muted">no</span>'}</td>
      <td><a href="${PREFIX}/web/recovery-plan/${seg(info.ClusterName)}" data-link>plan</a></td>
    </tr>`;
  });
  main.innerHTML = `<h1>Clusters <small>${rows.length}</small></h1>
    <table class="list" id="clusters"><thead><tr><th>Alias</th><th>Master</th><th>Instances</th><th>Data centers</th><th>Problems</th><th>Last recovery</th><th>Recoveries blocked</th><th>If the master died</th></tr></thead>
    <tbody>${rows.join("") || '<tr><td colspan="8" class="muted">No cluster known yet: discover one (orchestrator-client -c discover -i host:port).</td></tr>'}</tbody></table>`;
}

// ---------- one cluster ----------
async function clusterView() {
  verdicts.clear(); // a verdict holds for the topology it was asked about, not the next one
  if (state.alias) {
    const info = await api(`cluster-info/alias/${encodeURIComponent(state.alias)}`);
    if (!info.ok) { main.innerHTML = `<h1>Cluster alias ${esc(state.alias)}</h1><p class="code-failure">${esc(envelopeMessage(info))}</p>`; return; }
    state.cluster = info.json.ClusterName;
  }
  const name = state.cluster;
  const [instances, analysis, maintenance] = await Promise.all([
    api(`cluster/${seg(name)}`), api(`replication-analysis/${seg(name)}`), api("maintenance"),
  ]);
  if (!instances.ok) { main.innerHTML = `<h1>Cluster ${esc(name)}</h1><p class="code-failure">${esc(envelopeMessage(instances))}</p>`; return; }
  const servers = instances.json || [];
  const codes = new Map();
  for (const entry of (analysis.json && analysis.json.Details) || []) {
    const key = keyText(entry.AnalyzedInstanceKey);
    const list = (entry.Analysis !== "NoProblem" ? [entry.Analysis] : []).concat(entry.StructureAnalysis || []);
    codes.set(key, (codes.get(key) || []).concat(list));
  }
  const inMaintenance = new Set((maintenance.json || []).map(m => keyText(m.Key)));
  const alias = servers.length && servers[0].SuggestedClusterAlias;
  const preserved = window.scrollY;
  main.innerHTML = `<h1>${esc(state.alias || alias || name)} <small>${esc(name)} · ${servers.length} servers</small></h1>
    <div class="toolbar">
      <span class="hint">Drag a server onto another to move it below (relocate); hold Shift to move its replicas instead (relocate-replicas). Click ⋯ for more.</span>
      <a href="${PREFIX}/web/recovery-plan/${seg(name)}" data-link>If the master died now…</a>
    </div>
    <div id="recovery-panels">${recoveryPanels(name)}</div>
    <ul class="tree" id="tree">${renderTree(servers, codes, inMaintenance)}</ul>`;
  window.scrollTo(0, preserved);
}

function renderTree(servers, codes, inMaintenance) {
  const keys = new Set(servers.map(s => keyText(s.Key)));
  const children = new Map();
  const roots = [];
  for (const server of servers) {
    const master = keyText(server.MasterKey);
    if (master && keys.has(master) && !(server.IsCoMaster && server.ReplicationDepth === 0)) {
      if (!children.has(master)) children.set(master, []);
      children.get(master).push(server);
    } else roots.push(server);
  }
  const large = servers.length > 60;
  const seen = new Set();
  const node = (server, depth) => {
    const key = keyText(server.Key);
    if (seen.has(key)) return ""; // a co-master ring: draw each server once
    seen.add(key);
    const below = (children.get(key) || []).sort((a, b) => keyText(a.Key).localeCompare(keyText(b.Key), undefined, { numeric: true }));
    const collapsed = below.length && (state.collapsed.has(key) || (large && depth >= 1 && !state.expanded.has(key)));
    return `<li>${serverBox(server, codes.get(key) || [], inMaintenance.has(key), below.length, collapsed)}${
      below.length ? (collapsed ? `<span class="collapsed-note">${below.length} replicas hidden</span>` : `<ul>${below.map(b => node(b, depth + 1)).join("")}</ul>`) : ""}</li>`;
  };
  return roots.sort((a, b) => a.ReplicationDepth - b.ReplicationDepth).map(r => node(r, 0)).join("");
}

function serverBox(server, codes, inMaintenance, replicaCount, collapsed) {
  const key = keyText(server.Key);
  const problems = (server.Problems || []);
  const hasFailure = codes.some(c => severity(c) === "failure") || problems.some(p => INSTANCE_FAILURES.has(p));
  const hasWarning = codes.length > 0 || problems.length > 0;
  const lag = server.ReplicationLagSeconds && server.ReplicationLagSeconds.Valid ? `lag ${server.ReplicationLagSeconds.Int64}s` : (server.MasterKey.Hostname ? "lag ?" : "");
  const gtid = server.UsingMariaDBGTID ? "MariaDB GTID" : server.UsingOracleGTID ? "GTID" : server.MasterKey.Hostname ? "file:pos" : (server.GTIDMode || "");
  const facts = [server.Version, lag, server.Binlog_format, gtid, server.DataCenter && `dc ${server.DataCenter}`].filter(Boolean).map(esc).join(" · ");
  const badges = [
    server.ReadOnly ? '<span class="badge">read-only</span>' : '<span class="badge writable">writable</span>',
    ...codes.map(c => `<span class="badge ${severity(c)}" data-code="${esc(c)}">${esc(c)}</span>`),
    ...problems.map(p => `<span class="badge ${INSTANCE_FAILURES.has(p) ? "failure" : "warning"}">${esc(p)}</span>`),
    server.IsDowntimed ? `<span class="badge downtime" title="${esc(server.DowntimeOwner)}: ${esc(server.DowntimeReason)}">downtimed</span>` : "",
    inMaintenance ? '<span class="badge maintenance">maintenance</span>' : "",
    server.PromotionRule && server.PromotionRule !== "neutral" ? `<span class="badge">${esc(server.PromotionRule)}</span>` : "",
    server.IsCoMaster ? '<span class="badge">co-master</span>' : "",
  ].join("");
  const classes = ["server", hasFailure ? "problem-failure" : hasWarning ? "problem-warning" : ""].join(" ");
  return `<div class="${classes}" data-key="${esc(key)}" data-master="${esc(keyText(server.MasterKey))}" style="--dc:${dcColour(server.DataCenter)}">
    <div class="key">${esc(key)}</div><div class="facts">${facts}</div><div class="badges">${badges}</div>
    ${replicaCount ? `<button class="toggle" data-toggle="${esc(key)}" title="Show or hide its replicas">${collapsed ? "+" : "−"}</button>` : ""}
    ${state.canOperate ? `<button class="menu-button" data-menu="${esc(key)}" title="Operations">⋯</button>` : ""}
  </div>`;
}

function recoveryPanels(cluster) {
  const panels = [];
  for (const [uid, log] of state.recoveryLog) {
    if (log.cluster !== cluster && log.successorCluster !== cluster) continue;
    panels.push(`<div class="panel recovery" data-recovery="${esc(uid)}"><strong>Recovery ${esc(uid.slice(0, 24))}…</strong>
      <a href="${PREFIX}/web/recoveries#${esc(uid)}" data-link>details</a><pre class="steps">${log.steps.map(esc).join("\n")}</pre></div>`);
  }
  return panels.join("");
}

// ---------- operations: menu and drag ----------
const OPERATIONS = [
  ["Move up", k => `move-up/${keyPath(k)}`],
  ["Take master", k => `take-master/${keyPath(k)}`],
  ["Stop replica", k => `stop-replica/${keyPath(k)}`],
  ["Start replica", k => `start-replica/${keyPath(k)}`],
  ["Set read-only", k => `set-read-only/${keyPath(k)}`],
  ["Set writable", k => `set-writeable/${keyPath(k)}`],
  ["Begin downtime (1h)…", k => { const reason = prompt(`Why is ${k} downtimed?`); return reason ? `begin-downtime/${keyPath(k)}/${encodeURIComponent(whoAmI())}/${encodeURIComponent(reason)}/1h` : null; }],
  ["End downtime", k => `end-downtime/${keyPath(k)}`],
  ["Recover", k => `recover/${keyPath(k)}`],
  ["Graceful takeover to this one", k => confirm(`Hand mastership of ${state.cluster} to ${k}?`) ? `graceful-master-takeover/${encodeURIComponent(state.cluster)}/${keyPath(k)}` : null],
];
function whoAmI() { return localStorage.getItem("orchestrator-owner") || "web"; }

async function operate(path, description) {
  if (!path) return;
  say(`${description}…`);
  const result = await api(path);
  say(`${description}: ${envelopeMessage(result)}`, !result.ok);
  refreshSoon();
}

function openMenu(button) {
  closeMenu();
  const key = button.dataset.menu;
  const menu = document.createElement("div");
  menu.className = "menu";
  menu.id = "menu";
  menu.innerHTML = OPERATIONS.map(([label], index) => `<button data-operation="${index}">${esc(label)}</button>`).join("");
  const box = button.getBoundingClientRect();
  menu.style.left = `${box.left + window.scrollX}px`;
  menu.style.top = `${box.bottom + window.scrollY}px`;
  menu.dataset.key = key;
  document.body.appendChild(menu);
}
function closeMenu() { const menu = document.getElementById("menu"); if (menu) menu.remove(); }

const verdicts = new Map(); // "a|b" → {ok, message}
async function canMove(source, target) {
  const pair = `${source}|${target}`;
  if (!verdicts.has(pair)) {
    verdicts.set(pair, api(`can-replicate-from/${keyPath(source)}/${keyPath(target)}`).then(r => ({ ok: r.ok, message: envelopeMessage(r) })));
  }
  return verdicts.get(pair);
}

function startDrag(event, box) {
  if (!state.canOperate || event.button !== 0) return;
  state.dragging = { source: box.dataset.key, box, x: event.clientX, y: event.clientY, started: false, target: null };
}
async function moveDrag(event) {
  const drag = state.dragging;
  if (!drag) return;
  if (!drag.started) {
    if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < 6) return;
    drag.started = true;
    drag.box.classList.add("dragging");
    drag.ghost = Object.assign(document.createElement("div"), { className: "ghost" });
    drag.info = Object.assign(document.createElement("div"), { className: "dropinfo", id: "dropinfo" });
    document.body.append(drag.ghost, drag.info);
  }
  drag.shift = event.shiftKey;
  drag.ghost.textContent = `${drag.shift ? "replicas of " : ""}${drag.source}`;
  drag.ghost.style.left = `${event.clientX + 12}px`;
  drag.ghost.style.top = `${event.clientY + 12}px`;
  const under = document.elementFromPoint(event.clientX, event.clientY);
  const target = under && under.closest(".server");
  document.querySelectorAll(".server.drop-ok, .server.drop-no").forEach(b => b.classList.remove("drop-ok", "drop-no"));
  drag.info.hidden = !target || target.dataset.key === drag.source;
  if (!target || target.dataset.key === drag.source) { drag.target = null; return; }
  drag.target = target.dataset.key;
  drag.info.style.left = `${event.clientX + 12}px`;
  drag.info.style.top = `${event.clientY + 36}px`;
  const asked = drag.target;
  const verdict = drag.shift ? { ok: true, message: `move the replicas of ${drag.source} below ${asked}` } : await canMove(drag.source, asked);
  if (state.dragging !== drag || drag.target !== asked) return;
  target.classList.add(verdict.ok ? "drop-ok" : "drop-no");
  drag.info.className = `dropinfo ${verdict.ok ? "ok" : "no"}`;
  drag.info.textContent = verdict.ok ? `allowed: ${verdict.message}` : verdict.message;
}
async function endDrag(event) {
  const drag = state.dragging;
  if (!drag) return;
  state.dragging = null;
  drag.box.classList.remove("dragging");
  if (drag.ghost) drag.ghost.remove();
  if (drag.info) drag.info.remove();
  document.querySelectorAll(".server.drop-ok, .server.drop-no").forEach(b => b.classList.remove("drop-ok", "drop-no"));
  if (drag.started && drag.target) {
    verdicts.clear();
    const path = event.shiftKey || drag.shift
      ? `relocate-replicas/${keyPath(drag.source)}/${keyPath(drag.target)}`
      : `relocate/${keyPath(drag.source)}/${keyPath(drag.target)}`;
    await operate(path, `${event.shiftKey || drag.shift ? "relocate-replicas" : "relocate"} ${drag.source} below ${drag.target}`);
  } else if (state.pendingRefresh) {
    state.pendingRefresh = false;
    refreshSoon();
  }
}

// ---------- problems, recoveries, audit, plan ----------
async function problemsView() {
  const analysis = await api("replication-analysis");
  const rows = ((analysis.json && analysis.json.Details) || []).map(entry => {
    const codes = (entry.Analysis !== "NoProblem" ? [entry.Analysis] : []).concat(entry.StructureAnalysis || []);
    const cluster = entry.ClusterDetails.ClusterName;
    return `<tr><td><a href="${PREFIX}/web/cluster/${seg(cluster)}" data-link>${esc(entry.ClusterDetails.ClusterAlias || cluster)}</a></td>
      <td>${esc(keyText(entry.AnalyzedInstanceKey))}</td>
      <td>${codes.map(c => `<span class="code-${severity(c)}">${esc(c)}</span>`).join(", ")}</td>
      <td>${esc(entry.Description || "")}</td>
      <td>${entry.IsDowntimed || entry.IsReplicasDowntimed ? "downtimed" : ""}</td></tr>`;
  });
  main.innerHTML = `<h1>Problems <small>${rows.length}</small></h1>
    <table class="list" id="problems"><thead><tr><th>Cluster</th><th>Instance</th><th>Analysis</th><th>Description</th><th>Downtime</th></tr></thead>
    <tbody>${rows.join("") || '<tr><td colspan="5" class="ok">No problems.</td></tr>'}</tbody></table>`;
}

async function recoveriesView() {
  const [recoveries, detections] = await Promise.all([api("audit-recovery"), api("audit-failure-detection")]);
  const list = recoveries.json || [];
  const rows = list.map(r => {
    const started = Date.parse(r.RecoveryStartTimestamp), ended = Date.parse(r.RecoveryEndTimestamp);
    const took = isFinite(started) && isFinite(ended) ? `${Math.max(0, ended - started)} ms` : "";
    return `<tr id="${esc(r.UID)}"><td>${esc(r.RecoveryStartTimestamp)}</td>
      <td><a href="${PREFIX}/web/cluster/${seg(r.AnalysisEntry.ClusterDetails.ClusterName)}" data-link>${esc(r.AnalysisEntry.ClusterDetails.ClusterAlias || r.AnalysisEntry.ClusterDetails.ClusterName)}</a></td>
      <td>${esc(keyText(r.AnalysisEntry.AnalyzedInstanceKey))}</td><td class="code-failure">${esc(r.AnalysisEntry.Analysis)}</td>
      <td>${r.IsSuccessful ? `<span class="ok">${esc(keyText(r.SuccessorKey))}</span>` : '<span class="code-failure">no successor</span>'}</td>
      <td>${esc(took)}</td><td>${(r.LostReplicas || []).map(keyText).map(esc).join(", ")}</td>
      <td>${r.Acknowledged ? `acknowledged by ${esc(r.AcknowledgedBy)}` : (state.canOperate ? `<button data-ack="${esc(r.UID)}">Acknowledge</button>` : "not acknowledged")}</td>
      <td><button data-steps="${esc(r.UID)}">Steps</button></td></tr>
      <tr class="steps-row" data-steps-of="${esc(r.UID)}" hidden><td colspan="9"><pre class="steps"></pre>
        <div>${r.LostTransactions ? `<span class="code-failure">Transactions the old master had that the new one lacks: ${esc(r.LostTransactions)}</span>` : (r.IsSuccessful ? '<span class="ok">No transaction lost.</span>' : "")}</div>
        ${(r.AllErrors || []).length ? `<div class="code-failure">${(r.AllErrors || []).map(esc).join("<br>")}</div>` : ""}</td></tr>`;
  });
  const detectionRows = (detections.json || []).slice(0, 20).map(d => `<tr><td>${esc(d.RecoveryStartTimestamp || d.StartActivePeriod || "")}</td>
      <td>${esc(keyText(d.AnalysisEntry.AnalyzedInstanceKey))}</td><td>${esc(d.AnalysisEntry.Analysis)}</td><td>${esc(d.AnalysisEntry.ClusterDetails.ClusterName)}</td></tr>`);
  main.innerHTML = `<h1>Recoveries <small>${list.length}</small></h1>
    <table class="list" id="recoveries"><thead><tr><th>Started</th><th>Cluster</th><th>Failed</th><th>Analysis</th><th>Promoted</th><th>Took</th><th>Lost replicas</th><th>Acknowledged</th><th></th></tr></thead>
    <tbody>${rows.join("") || '<tr><td colspan="9" class="muted">No recovery yet.</td></tr>'}</tbody></table>
    <h2>Failure detections</h2>
    <table class="list" id="detections"><thead><tr><th>Detected</th><th>Instance</th><th>Analysis</th><th>Cluster</th></tr></thead>
    <tbody>${detectionRows.join("") || '<tr><td colspan="4" class="muted">None.</td></tr>'}</tbody></table>`;
  if (location.hash) state.openSteps.add(decodeURIComponent(location.hash.slice(1)));
  // A redraw (every event, every 10 s) keeps open what the user opened.
  for (const uid of state.openSteps) showSteps(uid);
}
async function showSteps(uid) {
  const row = document.querySelector(`tr[data-steps-of="${CSS.escape(uid)}"]`);
  if (!row) return;
  state.openSteps.add(uid);
  row.hidden = false;
  const steps = await api(`audit-recovery-steps/${encodeURIComponent(uid)}`);
  row.querySelector(".steps").textContent = (steps.json || []).map(s => `${s.AuditAt}  ${s.Message}`).join("\n") || "no steps recorded";
}

async function auditView() {
  const page = state.auditPage || 0;
  const audit = await api(`audit/${page}`);
  const rows = (audit.json || []).map(a => `<tr><td>${esc(a.AuditTimestamp)}</td><td>${esc(a.AuditType)}</td><td>${esc(keyText(a.AuditInstanceKey))}</td><td>${esc(a.Message)}</td></tr>`);
  main.innerHTML = `<h1>Audit <small>page ${page + 1}</small></h1>
    <div class="toolbar">${page > 0 ? `<a href="${PREFIX}/web/audit/${page - 1}" data-link>← newer</a>` : ""}
    ${rows.length ? `<a href="${PREFIX}/web/audit/${page + 1}" data-link>older →</a>` : ""}</div>
    <table class="list" id="audit"><thead><tr><th>When</th><th>Type</th><th>Instance</th><th>Message</th></tr></thead>
    <tbody>${rows.join("") || '<tr><td colspan="4" class="muted">Nothing on this page.</td></tr>'}</tbody></table>`;
}

async function planView() {
  const plan = await api(`recovery-plan/${seg(state.cluster)}`);
  if (!plan.ok) { main.innerHTML = `<h1>Recovery plan</h1><p class="code-failure">${esc(envelopeMessage(plan))}</p>`; return; }
  const p = plan.json.Details;
  const list = items => items.length ? `<ul>${items.map(i => `<li>${i}</li>`).join("")}</ul>` : '<p class="muted">none</p>';
  main.innerHTML = `<h1>If ${esc(keyText(p.FailedMaster))} died now <small>${esc(state.cluster)}</small></h1>
    ${p.Error ? `<div class="panel code-failure">${esc(p.Error)}</div>` : `<div class="panel"><strong>Promote ${esc(keyText(p.Promoted))}</strong>
      ${p.Relay ? ` (catching up from ${esc(keyText(p.Relay))} first)` : ""} — decided by ${esc(p.DecidedBy)}, moving replicas by ${esc(p.Method)}.
      ${list((p.Reasons || []).map(esc))}</div>`}
    <h2>What happens to each replica</h2>${list((p.Steps || []).map(esc))}
    <h2>Lost</h2>${list((p.Lost || []).map(l => `${esc(keyText(l.Key))}: ${esc(l.Reason)}`))}
    <h2>Not promoted, and why</h2>${list((p.Excluded || []).map(e => esc(typeof e === "string" ? e : `${keyText(e.Key)}: ${(e.Reasons || []).join("; ")}`)))}
    <h2>What would block it</h2>${list((p.Blockers || []).map(esc))}`;
}

// ---------- live updates ----------
let stream = null, pollTimer = null;
function setLive(mode) {
  const live = document.getElementById("live");
  live.className = `live ${mode}`;
  live.textContent = mode === "streaming" ? "live" : mode === "polling" ? "polling every 2 s" : "connecting…";
}
function connect() {
  if (!window.EventSource) { startPolling(); return; }
  stream = new EventSource(`${PREFIX}/api/events`);
  stream.onopen = () => { setLive("streaming"); stopPolling(); refreshSoon(); };
  stream.onerror = () => { if (stream.readyState !== EventSource.OPEN) { setLive("polling"); startPolling(); } };
  stream.addEventListener("topology", event => onClusterEvent(JSON.parse(event.data).ClusterName));
  stream.addEventListener("analysis", event => onClusterEvent(JSON.parse(event.data).ClusterName));
  stream.addEventListener("recovery", event => onRecovery(JSON.parse(event.data)));
}
function onClusterEvent(cluster) {
  if (state.view !== clusterView || !state.cluster || cluster === state.cluster || state.alias) refreshSoon();
}
async function onRecovery(data) {
  const log = state.recoveryLog.get(data.UID) || { cluster: data.ClusterName, steps: [] };
  log.steps.push(data.Message);
  state.recoveryLog.set(data.UID, log);
  // A page left open for days keeps only the latest recoveries' steps (the Recoveries page has them all).
  while (state.recoveryLog.size > 10) state.recoveryLog.delete(state.recoveryLog.keys().next().value);
  const taken = /recovered: (\S+) took over/.exec(data.Message);
  if (taken && state.view === clusterView && state.cluster === data.ClusterName) {
    // Follow the cluster to its new master, keeping the recovery's steps in view.
    const promoted = await api(`instance/${keyPath(taken[1])}`);
    if (promoted.ok && promoted.json.ClusterName) {
      log.successorCluster = taken[1];
      if (!state.alias) {
        state.cluster = taken[1];
        history.replaceState(null, "", `${PREFIX}/web/cluster/${seg(taken[1])}`);
      }
    }
  }
  if (state.view === clusterView || state.view === recoveriesView) refreshSoon();
}
function startPolling() { if (!pollTimer) pollTimer = setInterval(refresh, 2000); }
function stopPolling() { clearInterval(pollTimer); pollTimer = null; }

// ---------- wiring ----------
document.addEventListener("click", event => {
  const link = event.target.closest("a[data-link]");
  if (link && !event.metaKey && !event.ctrlKey) {
    event.preventDefault();
    history.pushState(null, "", link.getAttribute("href"));
    route();
    return;
  }
  const toggle = event.target.closest("[data-toggle]");
  if (toggle) {
    const key = toggle.dataset.toggle;
    if (toggle.textContent === "+") { state.collapsed.delete(key); state.expanded.add(key); } else { state.collapsed.add(key); state.expanded.delete(key); }
    refresh();
    return;
  }
  const menuButton = event.target.closest("[data-menu]");
  if (menuButton) { openMenu(menuButton); return; }
  const operation = event.target.closest("[data-operation]");
  if (operation) {
    const key = document.getElementById("menu").dataset.key;
    const [label, path] = OPERATIONS[Number(operation.dataset.operation)];
    closeMenu();
    operate(path(key), `${label.replace(/…$/, "")} ${key}`);
    return;
  }
  closeMenu();
  const ack = event.target.closest("[data-ack]");
  if (ack) {
    const comment = prompt("Acknowledge with a comment:");
    if (comment) operate(`ack-recovery/uid/${encodeURIComponent(ack.dataset.ack)}?comment=${encodeURIComponent(comment)}`, "acknowledge");
    return;
  }
  const steps = event.target.closest("[data-steps]");
  if (steps) showSteps(steps.dataset.steps);
});
document.addEventListener("pointerdown", event => {
  const box = event.target.closest(".server");
  if (box && !event.target.closest("button")) startDrag(event, box);
});
document.addEventListener("pointermove", moveDrag);
document.addEventListener("pointerup", endDrag);
window.addEventListener("popstate", route);
// Fallback: even while streaming, a slow poll picks up what no event announces (lag values).
setInterval(() => { if (!pollTimer) refresh(); }, 10000);

window.orchestratorPage = { loadedAt: Date.now(), refresh, state, streamState: () => (stream ? stream.readyState : -1) };
// Operation controls only for those who may operate (the API refuses the others anyway).
api("access").then(access => {
  state.canOperate = access.ok && access.json && access.json.CanOperate === true;
}).catch(() => { state.canOperate = false; }).finally(() => { route(); connect(); });
