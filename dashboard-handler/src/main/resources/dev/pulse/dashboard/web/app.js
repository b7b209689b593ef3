// Pulse dashboard: metrics, a live chart, per-tag bars and the newest items, kept live over Server-Sent
// Events from the SSE function. Plain DOM APIs and uPlot (the chart); user text is always set with
// textContent, never parsed as HTML.
'use strict';

(() => {
  const MAX_ITEMS = 100;
  const RETRY_AFTER_CLOSE_MS = 5000;
  const BUCKET_S = 30;            // one chart point per 30 s
  const WINDOW_S = 15 * 60;       // the chart's rolling window
  const MAX_HISTORY_PAGES = 10;   // pages of 100 items read to fill the chart on load
  const ZERO_ID = '0000000000000000';   // the position before the first item
  const LABELS = ['positive', 'neutral', 'negative'];
  const TAG_RULE = /^[A-Z0-9._-]{1,16}$/;
  const MAX_FILTER_TAGS = 20;
  const $ = (id) => document.getElementById(id);

  const state = {
    runtime: null,
    streamUrl: null,
    tags: [],                 // the filter; empty = all tags
    source: null,
    lastEventId: ZERO_ID,     // where any reconnect of ours resumes
    seen: new Set(),          // item ids on the list
    counted: new Map(),       // item id -> chart bucket, for items inside the window
    buckets: new Map(),       // bucket start (s) -> [positive, neutral, negative]
    shownTotal: -1,
    opens: 0,
    rotations: 0,
    lastRotationAt: 0,
    lastEventAt: 0,
    plot: null,
  };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
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

  // ---- connection panel: connecting | live | reconnecting | offline -------------------------------------

  function setConnection(name, detail) {
    const badge = $('connection');
    badge.dataset.state = name;
    badge.className = 'state state-' + name;
    badge.textContent = detail ? name + ': ' + detail : name;
  }

  function renderPanel() {
    $('c-reconnects').textContent = Math.max(0, state.opens - 1);
    $('c-rotations').textContent = state.rotations
      + (state.lastRotationAt ? ' (last at ' + new Date(state.lastRotationAt).toLocaleTimeString() + ')' : '');
    $('c-last-id').textContent = state.lastEventId || '–';
    $('c-since').textContent = state.lastEventAt
      ? Math.round((Date.now() - state.lastEventAt) / 1000) + ' s' : '–';
  }

  function tookEvent(event) {
    state.lastEventAt = Date.now();
    if (event.lastEventId && event.lastEventId > state.lastEventId) state.lastEventId = event.lastEventId;
    renderPanel();
  }

  // ---- metrics and per-tag bars --------------------------------------------------------------------------

  function renderMetrics(m) {
    // Counters only grow: an answer older than what is shown (a slow first fetch) is dropped.
    if (!m || m.total < state.shownTotal) return;
    state.shownTotal = m.total;
    $('m-total').textContent = m.total;
    $('m-positive').textContent = m.positive;
    $('m-neutral').textContent = m.neutral;
    $('m-negative').textContent = m.negative;
    $('updated').textContent = m.updated_at ? 'updated ' + new Date(m.updated_at).toLocaleString() : '';
    renderTags(m);
  }

  function renderTags(m) {
    const split = m.by_tag_labels || {};
    const entries = Object.entries(m.by_tag || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const max = entries.length ? entries[0][1] : 1;
    $('by-tag').replaceChildren(...entries.map(([tag, count]) => {
      const labels = split[tag] || { positive: 0, neutral: 0, negative: 0 };
      const row = el('li');
      row.dataset.tag = tag;
      const name = el('span', 'tag', tag);
      name.title = tag;
      const bar = el('span', 'bar');
      bar.setAttribute('role', 'img');
      bar.setAttribute('aria-label', tag + ': ' + LABELS.map((l) => (labels[l] || 0) + ' ' + l).join(', '));
      for (const label of LABELS) {
        const seg = el('span', 'seg ' + label);
        seg.dataset.label = label;
        seg.dataset.count = labels[label] || 0;
        seg.style.width = (100 * (labels[label] || 0) / max) + '%';
        bar.append(seg);
      }
      row.append(name, bar, el('span', 'count', LABELS.map((l) => labels[l] || 0).join(' · ') + ' = ' + count));
      return row;
    }));
    $('known-tags').replaceChildren(...entries.map(([tag]) => {
      const option = el('option');
      option.value = tag;
      return option;
    }));
  }

  // ---- the chart: items per bucket and label over a rolling window ---------------------------------------

  function bucketOf(ts) {
    return Math.floor(Date.parse(ts) / 1000 / BUCKET_S) * BUCKET_S;
  }

  function windowStart() {
    return Math.floor(Date.now() / 1000 / BUCKET_S) * BUCKET_S - WINDOW_S + BUCKET_S;
  }

  function countOnChart(item) {
    if (!item || state.counted.has(item.id)) return;
    const bucket = bucketOf(item.ts);
    if (!(bucket >= windowStart())) return;
    state.counted.set(item.id, bucket);
    const counts = state.buckets.get(bucket) || [0, 0, 0];
    counts[LABELS.indexOf(item.label)] += 1;
    state.buckets.set(bucket, counts);
  }

  function chartData() {
    const first = windowStart();
    const xs = [];
    const series = LABELS.map(() => []);
    for (let t = first; t < first + WINDOW_S; t += BUCKET_S) {
      xs.push(t);
      const counts = state.buckets.get(t) || [0, 0, 0];
      series.forEach((values, i) => values.push(counts[i]));
    }
    return [xs, ...series];
  }

  function renderChart() {
    const first = windowStart();
    for (const [id, bucket] of state.counted) {   // forget what left the window
      if (bucket < first) {
        state.counted.delete(id);
        state.buckets.delete(bucket);
      }
    }
    const data = chartData();
    const totals = LABELS.map((_, i) => data[i + 1].reduce((a, b) => a + b, 0));
    $('chart-summary').textContent = 'In the last 15 minutes: '
      + LABELS.map((l, i) => totals[i] + ' ' + l).join(', ') + '.';
    $('chart-summary').dataset.totals = JSON.stringify(Object.fromEntries(LABELS.map((l, i) => [l, totals[i]])));
    if (!window.uPlot) return;   // the chart library did not load: the summary still says it all
    if (!state.plot) {
      const colour = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
      const box = $('chart');
      state.plot = new uPlot({
        width: Math.max(280, box.clientWidth),
        height: 240,
        scales: { x: { time: true } },
        axes: [{}, { label: 'items', size: 50 }],
        series: [{}, ...LABELS.map((label, i) => ({
          label,
          stroke: colour(['--pos', '--neu', '--neg'][i]),
          width: 2,
          points: { size: 4 },
        }))],
      }, data, box);
      Object.defineProperty(box, 'plot', { value: state.plot });   // for devtools and the page test
      window.addEventListener('resize', () => state.plot.setSize({ width: Math.max(280, box.clientWidth), height: 240 }));
    } else {
      state.plot.setData(data);
    }
  }

  // ---- the items list --------------------------------------------------------------------------------------

  function itemNode(item, fresh) {
    const row = el('li', fresh ? 'fresh' : '');
    row.dataset.id = item.id;
    row.dataset.tag = item.tag;
    const meta = el('div', 'meta');
    const tag = el('span', 'tag', item.tag);
    tag.title = item.tag;
    meta.append(tag, el('span', 'label-' + item.label, item.label), el('span', '', Number(item.score).toFixed(2)),
      el('time', '', new Date(item.ts).toLocaleTimeString()));
    if (item.source) {
      const source = el('span', 'source', item.source);
      source.title = item.source;
      meta.append(source);
    }
    row.append(meta, el('p', 'text', item.text));
    return row;
  }

  function matchesFilter(item) {
    return state.tags.length === 0 || state.tags.includes(item.tag);
  }

  // Keeps the list newest first (ids sort in commit order) and shows each id once, whether it came from
  // the first page, the stream, or our own post.
  function addItem(item, fresh) {
    if (!item || !item.id || state.seen.has(item.id) || !matchesFilter(item)) return;
    state.seen.add(item.id);
    countOnChart(item);
    const list = $('items');
    const before = Array.from(list.children).find((child) => child.dataset.id < item.id);
    list.insertBefore(itemNode(item, fresh), before || null);
    while (list.children.length > MAX_ITEMS) {
      state.seen.delete(list.lastElementChild.dataset.id);
      list.lastElementChild.remove();
    }
    $('items-empty').hidden = list.children.length > 0;
  }

  // The newest items of the filter, newest first, going back far enough to fill the chart's window.
  async function loadRecent() {
    const start = windowStart();
    const queries = state.tags.length ? state.tags.map((t) => '&tag=' + encodeURIComponent(t)) : [''];
    const pages = await Promise.all(queries.map(async (query) => {
      const items = [];
      let next = null;
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const body = await getJson('/api/v2/items?limit=100' + query + (next ? '&after=' + next : ''));
        items.push(...body.items);
        next = body.next;
        const oldest = body.items[body.items.length - 1];
        if (!next || !oldest || bucketOf(oldest.ts) < start) break;
      }
      return items;
    }));
    return pages.flat().sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  // ---- the stream ------------------------------------------------------------------------------------------

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return null;
    }
  }

  // Opens the stream after state.lastEventId: the SSE function first replays what came after it, so nothing
  // committed between the list we showed and the stream is missed. The browser's own reconnects send
  // Last-Event-ID, which the function prefers to the query parameter.
  function connect(fresh) {
    if (state.source) state.source.close();
    setConnection(fresh || state.opens === 0 ? 'connecting' : 'reconnecting');
    const query = new URLSearchParams();
    if (state.tags.length) query.set('tags', state.tags.join(','));
    query.set('lastEventId', state.lastEventId);
    const source = new EventSource(state.streamUrl + '?' + query);
    state.source = source;
    source.onopen = () => {
      state.opens += 1;
      setConnection('live');
      renderPanel();
    };
    source.addEventListener('metrics', (event) => {
      tookEvent(event);
      renderMetrics(parse(event));
    });
    source.addEventListener('new_item', (event) => {
      tookEvent(event);
      const item = parse(event);
      if (item && item.ts) {
        $('c-lag').textContent = Math.max(0, Date.now() - Date.parse(item.ts)) + ' ms (server clock to this one)';
      }
      addItem(item, true);
      renderChart();
    });
    // The SSE function ends each stream on purpose before its limit; the browser comes back with Last-Event-ID.
    source.addEventListener('reconnect', (event) => {
      tookEvent(event);
      state.rotations += 1;
      state.lastRotationAt = Date.now();
      setConnection('reconnecting', 'stream rotated');
      renderPanel();
    });
    source.onerror = () => {
      if (source !== state.source) return;
      if (source.readyState === EventSource.CONNECTING) {
        setConnection('reconnecting', Date.now() - state.lastRotationAt < 5000 ? 'stream rotated' : 'connection lost');
      } else {
        // CLOSED: the browser gave up (e.g. an error status); try again ourselves, from the newest id taken in.
        setConnection('offline', 'retrying in ' + RETRY_AFTER_CLOSE_MS / 1000 + ' s');
        setTimeout(() => { if (source === state.source) connect(); }, RETRY_AFTER_CLOSE_MS);
      }
    };
  }

  // ---- the filter ------------------------------------------------------------------------------------------

  function parseTags(text) {
    return Array.from(new Set(String(text || '').split(',').map((t) => t.trim().toUpperCase()).filter(Boolean)));
  }

  async function applyFilter(tags) {
    state.tags = tags;
    $('filter-tags').value = tags.join(',');
    $('chart-filter').textContent = tags.length ? '(' + tags.join(', ') + ')' : '';
    $('filter-note').textContent = tags.length ? 'showing ' + tags.join(', ') : '';
    const url = new URL(window.location.href);
    if (tags.length) url.searchParams.set('tags', tags.join(',')); else url.searchParams.delete('tags');
    window.history.replaceState(null, '', url);
    await reload();
  }

  // List first, then stream from the newest listed id: the stream starts exactly where the list ends.
  async function reload() {
    if (state.source) state.source.close();
    state.seen.clear();
    state.counted.clear();
    state.buckets.clear();
    $('items').replaceChildren();
    $('items-empty').hidden = false;
    $('items-empty').textContent = 'No items yet.';
    state.lastEventId = ZERO_ID;
    try {
      const items = await loadRecent();
      items.forEach(countOnChart);
      items.slice(0, MAX_ITEMS).forEach((item) => addItem(item, false));
      if (items.length) state.lastEventId = items[0].id;
    } catch (error) {
      $('items-empty').textContent = 'Items could not be loaded: ' + error.message;
      state.lastEventId = '';   // unknown: the stream starts from now
    }
    renderChart();
    renderPanel();
    if (state.streamUrl) connect(true);
  }

  function setupFilter() {
    $('filter-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const tags = parseTags($('filter-tags').value);
      const bad = tags.filter((t) => !TAG_RULE.test(t));
      if (bad.length || tags.length > MAX_FILTER_TAGS) {
        $('filter-tags').setAttribute('aria-invalid', 'true');
        $('filter-note').textContent = bad.length
          ? 'not a tag: ' + bad.join(', ') + ' (1-16 of A-Z 0-9 . _ -)'
          : 'at most ' + MAX_FILTER_TAGS + ' tags';
        return;
      }
      $('filter-tags').removeAttribute('aria-invalid');
      applyFilter(tags);
    });
    $('filter-clear').addEventListener('click', () => applyFilter([]));
  }

  // ---- posting ---------------------------------------------------------------------------------------------

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  function setupForm(writesRequireKey) {
    $('write-mode').textContent = writesRequireKey
      ? 'Writes need the API key.'
      : 'Writes are open: no API key is configured on this deployment.';
    $('key-field').hidden = !writesRequireKey;
    const form = $('post-form');
    const result = $('post-result');
    form.addEventListener('input', (event) => event.target.removeAttribute('aria-invalid'));
    // One Idempotency-Key per item: a resubmit of the same item after a failure reuses it, so a write
    // that did go through before the failure is not stored twice.
    let pending = null;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const tag = String(data.get('tag')).trim().toUpperCase();   // tags are upper case; help the writer
      form.elements.tag.value = tag;
      const item = { tag, label: data.get('label'), score: Number(data.get('score')), text: String(data.get('text')) };
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
      Array.from(form.elements).forEach((field) => field.removeAttribute && field.removeAttribute('aria-invalid'));
      try {
        const stored = await getJson('/api/v2/items', { method: 'POST', headers, body });
        pending = null;
        result.className = 'ok';
        result.textContent = 'stored ' + stored.id;
        addItem(stored, true);
        renderChart();
        form.elements.text.value = '';
      } catch (error) {
        result.className = 'bad';
        const fields = error.body && error.body.fields;
        if (fields) {
          Object.keys(fields).forEach((name) => {
            if (form.elements[name]) form.elements[name].setAttribute('aria-invalid', 'true');
          });
          const firstBad = Object.keys(fields).map((name) => form.elements[name]).find(Boolean);
          if (firstBad) firstBad.focus();
        }
        if (error.status === 401 && form.elements.key) form.elements.key.setAttribute('aria-invalid', 'true');
        result.textContent = fields
          ? Object.entries(fields).map(([name, reason]) => name + ' ' + reason).join('; ')
          : error.message;
      } finally {
        button.disabled = false;
      }
    });
  }

  async function start() {
    setupFilter();
    try {
      state.runtime = await getJson('/api/v2/runtime');
    } catch (error) {
      setConnection('offline', 'runtime: ' + error.message);
      return;
    }
    $('version').textContent = 'version ' + state.runtime.version;
    setupForm(state.runtime.writes_require_key);
    getJson('/api/v2/metrics').then(renderMetrics).catch(() => {});
    // sse_url is the SSE Function URL and ends with '/'; tolerate one that does not.
    state.streamUrl = state.runtime.sse_url ? state.runtime.sse_url.replace(/\/+$/, '') + '/api/v2/stream' : null;
    if (!state.streamUrl) setConnection('offline', 'no SSE URL configured');
    window.addEventListener('offline', () => setConnection('offline', 'this device is offline'));
    setInterval(() => { renderPanel(); renderChart(); }, 1000);   // the window moves; "since" counts up
    const fromUrl = parseTags(new URL(window.location.href).searchParams.get('tags'));
    await applyFilter(fromUrl.filter((t) => TAG_RULE.test(t)).slice(0, MAX_FILTER_TAGS));
  }

  start();
})();
