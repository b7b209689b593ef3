// Pulse dashboard: metrics and newest items, live over Server-Sent Events from the SSE function.
// Plain DOM APIs only; user text is always set with textContent, never parsed as HTML.
'use strict';

(() => {
  const MAX_ITEMS = 100;
  const RETRY_AFTER_CLOSE_MS = 5000;
  // The position before the first item: a stream resumed from it replays every item.
  const ZERO_ID = '0000000000000000';
  const $ = (id) => document.getElementById(id);
  const seen = new Set();
  let source = null;
  let shownTotal = -1;
  // The newest event id this page has taken in: where any reconnect of ours resumes.
  let lastEventId = ZERO_ID;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // connecting | live | reconnecting | error
  function setConnection(state, detail) {
    const badge = $('connection');
    badge.dataset.state = state;
    badge.className = 'state state-' + state;
    badge.textContent = detail ? state + ': ' + detail : state;
  }

  async function getJson(url, options) {
    const response = await fetch(url, Object.assign({ headers: { Accept: 'application/json' } }, options));
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((body && body.message) || ('HTTP ' + response.status));
      error.status = response.status;
      error.body = body;
      throw error;
    }
    return body;
  }

  function renderMetrics(m) {
    // Counters only grow: an answer older than what is shown (a slow first fetch) is dropped.
    if (!m || m.total < shownTotal) return;
    shownTotal = m.total;
    $('m-total').textContent = m.total;
    $('m-positive').textContent = m.positive;
    $('m-neutral').textContent = m.neutral;
    $('m-negative').textContent = m.negative;
    const entries = Object.entries(m.by_tag || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const max = entries.length ? entries[0][1] : 1;
    $('by-tag').replaceChildren(...entries.map(([tag, count]) => {
      const row = el('li');
      const meter = el('meter');
      meter.min = 0;
      meter.max = max;
      meter.value = count;
      row.append(el('span', 'tag', tag), meter, el('span', 'count', count));
      return row;
    }));
    $('updated').textContent = m.updated_at ? 'updated ' + new Date(m.updated_at).toLocaleString() : '';
  }

  function itemNode(item, fresh) {
    const row = el('li', fresh ? 'fresh' : '');
    row.dataset.id = item.id;
    const meta = el('div', 'meta');
    meta.append(
      el('span', 'tag', item.tag),
      el('span', 'label-' + item.label, item.label),
      el('span', '', Number(item.score).toFixed(2)),
      el('time', '', new Date(item.ts).toLocaleTimeString()));
    if (item.source) meta.append(el('span', '', item.source));
    row.append(meta, el('p', 'text', item.text));
    return row;
  }

  // Keeps the list newest first (ids sort in arrival order) and shows each id once, whether it came
  // from the initial page, the stream, or our own post.
  function addItem(item, fresh) {
    if (!item || !item.id || seen.has(item.id)) return;
    seen.add(item.id);
    const list = $('items');
    const node = itemNode(item, fresh);
    const before = Array.from(list.children).find((child) => child.dataset.id < item.id);
    list.insertBefore(node, before || null);
    while (list.children.length > MAX_ITEMS) {
      seen.delete(list.lastElementChild.dataset.id);
      list.lastElementChild.remove();
    }
    $('items-empty').hidden = list.children.length > 0;
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return null;
    }
  }

  function remember(event) {
    if (event.lastEventId && event.lastEventId > lastEventId) lastEventId = event.lastEventId;
  }

  // Opens the stream after lastEventId: the SSE function first replays what came after it, so nothing
  // committed between the list we showed and the stream is missed. The browser's own reconnects send
  // Last-Event-ID, which the function prefers to the query parameter.
  function connect(streamUrl) {
    if (source) source.close();
    setConnection('connecting');
    source = new EventSource(streamUrl + '?lastEventId=' + encodeURIComponent(lastEventId));
    source.onopen = () => setConnection('live');
    source.addEventListener('metrics', (event) => {
      remember(event);
      renderMetrics(parse(event));
      setConnection('live');
    });
    source.addEventListener('new_item', (event) => {
      remember(event);
      addItem(parse(event), true);
    });
    // The SSE function ends each stream before its time limit; the browser reconnects with Last-Event-ID.
    source.addEventListener('reconnect', () => setConnection('reconnecting', 'stream rotated'));
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        setConnection('reconnecting');
      } else {
        // CLOSED: the browser gave up (e.g. a non-event-stream answer); try again ourselves.
        setConnection('error', 'stream closed; retrying');
        setTimeout(() => connect(streamUrl), RETRY_AFTER_CLOSE_MS);
      }
    };
  }

  function setupForm(writesRequireKey) {
    $('write-mode').textContent = writesRequireKey
      ? 'Writes need the API key.'
      : 'Writes are open: no API key is configured on this deployment.';
    $('key-field').hidden = !writesRequireKey;
    const form = $('post-form');
    const result = $('post-result');
    // One Idempotency-Key per item: a resubmit of the same item after a failure reuses it, so a write
    // that did go through before the failure is not stored twice.
    let pending = null;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const item = {
        tag: String(data.get('tag')).trim(),
        label: data.get('label'),
        score: Number(data.get('score')),
        text: String(data.get('text')),
      };
      const src = String(data.get('source') || '').trim();
      if (src) item.source = src;
      const body = JSON.stringify(item);
      if (!pending || pending.body !== body) pending = { body, key: newKey() };
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': pending.key };
      const key = String(data.get('key') || '');
      if (writesRequireKey && key) headers.Authorization = 'Bearer ' + key;
      const button = form.querySelector('button');
      button.disabled = true;
      result.className = '';
      result.textContent = 'posting…';
      try {
        const stored = await getJson('/api/v2/items', { method: 'POST', headers, body });
        pending = null;
        result.className = 'ok';
        result.textContent = 'stored ' + stored.id;
        addItem(stored, true);
        form.elements.text.value = '';
      } catch (error) {
        result.className = 'bad';
        const fields = error.body && error.body.fields;
        result.textContent = fields
          ? Object.entries(fields).map(([name, reason]) => name + ' ' + reason).join('; ')
          : error.message;
      } finally {
        button.disabled = false;
      }
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  async function start() {
    let runtime;
    try {
      runtime = await getJson('/api/v2/runtime');
    } catch (error) {
      setConnection('error', 'runtime: ' + error.message);
      return;
    }
    $('version').textContent = 'version ' + runtime.version;
    setupForm(runtime.writes_require_key);
    getJson('/api/v2/metrics').then(renderMetrics).catch(() => {});
    // List first, then stream from the newest listed id: the stream starts exactly where the list ends.
    try {
      const page = await getJson('/api/v2/items?limit=50');
      page.items.forEach((item) => addItem(item, false));
      if (page.items.length) lastEventId = page.items[0].id;
    } catch (error) {
      $('items-empty').textContent = 'Items could not be loaded: ' + error.message;
      lastEventId = '';   // unknown: the stream starts from now
    }
    if (!runtime.sse_url) {
      setConnection('error', 'no SSE URL configured');
      return;
    }
    // sse_url is the SSE Function URL and ends with '/'; tolerate one that does not.
    connect(runtime.sse_url.replace(/\/+$/, '') + '/api/v2/stream');
  }

  start();
})();
