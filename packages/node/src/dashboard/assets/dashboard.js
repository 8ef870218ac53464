// The ethp2p dashboard page: reads the node's WebSocket (/dashboard/ws) and keeps the page in
// step with it. Every text from the node goes in through textContent, never as HTML: client
// names and errors come from remote peers.

const HISTORY = 300;
const ACTIVITY = 100;
const RECONNECT_MS = 2000;
/** Buckets of the discv4 table: log distances 240..256, and everything closer in the first. */
const FIRST_BUCKET = 240;

const $ = (id) => document.getElementById(id);

const state = {
  /** @type {Map<string, HTMLTableRowElement>} */
  rows: new Map(),
  /** @type {{t: number, inBps: number, outBps: number}[]} */
  samples: [],
  drawn: 0,
};

/** Byte counts in the platform's compact form: 170B, 7.7KB, 9.7MB. */
const bytesFormat = new Intl.NumberFormat('en', {
  notation: 'compact',
  maximumFractionDigits: 1,
  style: 'unit',
  unit: 'byte',
  unitDisplay: 'narrow',
});

function formatBytes(bytes) {
  return bytesFormat.format(bytes);
}

function formatRtt(rtt) {
  if (rtt === null) return '–';
  return `${Math.round(rtt.smoothedMs)} ms`;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className !== undefined) td.className = className;
  return td;
}

function addPeer(peer) {
  removePeer(peer.id);
  const tr = document.createElement('tr');
  tr.dataset.id = peer.id;
  const client = cell(peer.client);
  client.title = peer.name;
  const id = cell(`${peer.id.slice(0, 16)}…`, 'id');
  id.title = peer.id;
  tr.append(
    client,
    id,
    cell(peer.caps.join(' ')),
    cell(peer.direction),
    cell(peer.remoteAddress),
    cell(formatRtt(peer.rtt), 'num rtt'),
    cell(formatBytes(peer.bytesIn), 'num in'),
    cell(formatBytes(peer.bytesOut), 'num out'),
  );
  $('peers').tBodies[0].append(tr);
  state.rows.set(peer.id, tr);
  peersChanged();
}

function removePeer(id) {
  const tr = state.rows.get(id);
  if (tr === undefined) return;
  tr.remove();
  state.rows.delete(id);
  peersChanged();
}

function updatePeer(stats) {
  const tr = state.rows.get(stats.id);
  if (tr === undefined) return;
  const rtt = tr.querySelector('.rtt');
  rtt.textContent = formatRtt(stats.rtt);
  rtt.title = stats.rtt === null ? '' : `last ${Math.round(stats.rtt.lastMs)} ms`;
  tr.querySelector('.in').textContent = formatBytes(stats.bytesIn);
  tr.querySelector('.out').textContent = formatBytes(stats.bytesOut);
}

function peersChanged() {
  $('peer-count').textContent = String(state.rows.size);
  $('no-peers').hidden = state.rows.size > 0;
}

function showTable(table) {
  const box = $('buckets');
  box.replaceChildren();
  if (table === null) {
    $('table-size').textContent = 'off';
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'discovery is off';
    box.append(p);
    return;
  }
  $('table-size').textContent = String(table.size);
  const counts = new Map();
  for (const { distance, count } of table.buckets) {
    const d = Math.max(distance, FIRST_BUCKET);
    counts.set(d, (counts.get(d) ?? 0) + count);
  }
  for (let d = 256; d >= FIRST_BUCKET; d--) {
    const count = counts.get(d) ?? 0;
    const row = document.createElement('div');
    row.className = 'bucket';
    const label = document.createElement('span');
    label.textContent = d === FIRST_BUCKET ? `≤${d}` : String(d);
    const track = document.createElement('span');
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = `${Math.min(100, (count / 16) * 100)}%`;
    track.append(bar);
    const n = document.createElement('span');
    n.className = 'num';
    n.textContent = String(count);
    row.append(label, track, n);
    box.append(row);
  }
}

function showHead(head) {
  const dd = $('head-number');
  dd.textContent = head === null ? '–' : `#${head.number}`;
  dd.title = head === null ? '' : head.hash;
}

function showTotals(totals) {
  $('total-in').textContent = formatBytes(totals.bytesIn);
  $('total-out').textContent = formatBytes(totals.bytesOut);
}

function addActivity(entry) {
  const li = document.createElement('li');
  li.className = `kind-${entry.kind.replace(':', '-')}`;
  const time = document.createElement('time');
  time.textContent = new Date(entry.t).toLocaleTimeString();
  const kind = document.createElement('span');
  kind.className = 'kind';
  kind.textContent = entry.kind.replace(':', ' ');
  const text = document.createElement('span');
  text.textContent = ` ${entry.id.slice(0, 12)}… ${entry.detail}`;
  li.append(time, kind, text);
  const list = $('activity');
  list.prepend(li);
  while (list.children.length > ACTIVITY) list.lastElementChild.remove();
}

function addSample(sample) {
  state.samples.push(sample);
  if (state.samples.length > HISTORY) state.samples.shift();
  $('rate-in').textContent = `${formatBytes(sample.inBps)}/s`;
  $('rate-out').textContent = `${formatBytes(sample.outBps)}/s`;
}

function drawChart() {
  const canvas = $('traffic-chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== width * ratio || canvas.height !== height * ratio) {
    canvas.width = width * ratio;
    canvas.height = height * ratio;
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const styles = getComputedStyle(document.documentElement);
  const samples = state.samples;
  const max = Math.max(1024, ...samples.map((s) => Math.max(s.inBps, s.outBps))) * 1.15;
  const left = 64;
  const plotWidth = width - left - 8;
  const plotHeight = height - 20;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = styles.getPropertyValue('--muted');
  g.strokeStyle = styles.getPropertyValue('--line');
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = 6 + (plotHeight * i) / 4;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(width - 8, y);
    g.stroke();
    g.fillText(`${formatBytes((max * (4 - i)) / 4)}/s`, 4, y + 4);
  }
  const step = plotWidth / (HISTORY - 1);
  const x0 = left + plotWidth - (samples.length - 1) * step;
  for (const [key, color] of [
    ['outBps', '--out'],
    ['inBps', '--in'],
  ]) {
    g.strokeStyle = styles.getPropertyValue(color);
    g.lineWidth = 2;
    g.beginPath();
    samples.forEach((s, i) => {
      const x = x0 + i * step;
      const y = 6 + plotHeight - (s[key] / max) * plotHeight;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  }
  state.drawn++;
  canvas.dataset.samples = String(samples.length);
  canvas.dataset.draws = String(state.drawn);
}

function onSnapshot(msg) {
  $('node-name').textContent = msg.node.name;
  $('node-enode').textContent = msg.node.enode;
  for (const id of [...state.rows.keys()]) removePeer(id);
  for (const peer of msg.peers) addPeer(peer);
  peersChanged();
  showTable(msg.table);
  showHead(msg.head);
  showTotals(msg.totals);
  $('activity').replaceChildren();
  for (const entry of msg.activity) addActivity(entry);
  state.samples = [];
  for (const sample of msg.traffic) addSample(sample);
  drawChart();
}

function onMessage(msg) {
  switch (msg.type) {
    case 'snapshot':
      onSnapshot(msg);
      break;
    case 'peer:added':
      addPeer(msg.peer);
      addActivity(msg.activity);
      break;
    case 'peer:removed':
      removePeer(msg.id);
      addActivity(msg.activity);
      break;
    case 'dial:failed':
      addActivity(msg.activity);
      break;
    case 'tick':
      addSample(msg.sample);
      for (const stats of msg.peers) updatePeer(stats);
      showTable(msg.table);
      showHead(msg.head);
      showTotals(msg.totals);
      drawChart();
      break;
  }
}

function setState(name) {
  const el = $('conn-state');
  el.dataset.state = name;
  el.textContent = name;
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}/dashboard/ws`);
  ws.addEventListener('open', () => setState('live'));
  ws.addEventListener('message', (event) => onMessage(JSON.parse(event.data)));
  ws.addEventListener('close', () => {
    setState('reconnecting');
    setTimeout(connect, RECONNECT_MS);
  });
}

peersChanged();
connect();
