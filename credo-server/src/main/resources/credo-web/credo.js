/*
 * Credo web UI: what the three pages share. The pages call the JSON API of docs/api.md with the
 * bearer token the user signed in with, kept in this tab's sessionStorage (gone when the tab
 * closes). Every failure becomes a sentence on the page; the server's JSON errors never carry a
 * stack trace, and neither do these messages.
 */
'use strict';

const Credo = (() => {
  const storage = window.sessionStorage;

  function get(key) {
    return storage.getItem('credo.' + key);
  }

  function set(key, value) {
    if (value === null || value === undefined || value === '') {
      storage.removeItem('credo.' + key);
    } else {
      storage.setItem('credo.' + key, value);
    }
  }

  /** A link like portal.html#subject=…&token=… signs in once; the fragment never reaches a server. */
  function takeFragment() {
    if (!location.hash || location.hash.length < 2) {
      return {};
    }
    const params = new URLSearchParams(location.hash.substring(1));
    history.replaceState(null, '', location.pathname + location.search);
    const out = {};
    params.forEach((v, k) => { out[k] = v; });
    return out;
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(method, path, options = {}) {
    const headers = { Accept: 'application/json' };
    if (options.token) {
      headers.Authorization = 'Bearer ' + options.token;
    }
    let body;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'network', 'The Credo server could not be reached. Is it running?');
    }
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      throw new ApiError(
        response.status,
        (json && json.error) || 'http_' + response.status,
        (json && json.message) || 'The server answered ' + response.status + '.');
    }
    return json;
  }

  /** Whether an error means the endpoint does not exist on this server (yet). */
  function missing(error) {
    return error instanceof ApiError && error.status === 404 && error.code === 'not_found';
  }

  /** A sentence for the user; never a stack trace. */
  function explain(error) {
    if (!(error instanceof ApiError)) {
      return 'Something went wrong in the page: ' + (error && error.message ? error.message : error);
    }
    switch (error.status) {
      case 0:
        return error.message;
      case 401:
        return 'The token was not accepted (' + error.message + '). Sign in again with a valid token.';
      case 403:
        return error.code === 'forbidden_role'
          ? 'This token may not do that: ' + error.message + '.'
          : 'Not allowed: ' + error.message + '.';
      case 404:
        return error.code === 'not_found'
          ? 'Not available on this server yet.'
          : error.message;
      case 429:
        return 'Too many requests for now; wait a minute and try again.';
      default:
        return error.message;
    }
  }

  /** Puts a message in a live region: kind is error, ok, info or warn. */
  function say(region, kind, text) {
    region.className = 'message ' + kind;
    region.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    region.textContent = text;
  }

  function clear(region) {
    region.textContent = '';
    region.className = 'message';
  }

  /**
   * Runs an action once at a time for a button: a second click (or a double submit) while the
   * first is in flight does nothing, so a form is never sent twice.
   */
  async function once(button, action) {
    if (button.dataset.busy === 'true') {
      return;
    }
    button.dataset.busy = 'true';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await action();
    } finally {
      button.dataset.busy = 'false';
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  function el(tag, attributes, ...children) {
    const e = document.createElement(tag);
    if (attributes) {
      for (const [k, v] of Object.entries(attributes)) {
        if (v === undefined || v === null || v === false) {
          continue;
        }
        if (k === 'text') {
          e.textContent = v;
        } else if (k === 'className') {
          e.className = v;
        } else if (k.startsWith('on')) {
          e.addEventListener(k.substring(2), v);
        } else {
          e.setAttribute(k, v === true ? '' : v);
        }
      }
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) {
        e.append(c instanceof Node ? c : document.createTextNode(String(c)));
      }
    }
    return e;
  }

  /** A table: columns are {label, value(row), num?}; an empty list shows the empty text. */
  function table(caption, columns, rows, empty) {
    if (!rows || rows.length === 0) {
      return el('p', { className: 'muted', text: empty || 'Nothing to show.' });
    }
    const head = el('tr', null, columns.map((c) => el('th', { scope: 'col', className: c.num ? 'num' : null, text: c.label })));
    const body = rows.map((r) => {
      const tr = el('tr', { className: columns.rowClass ? columns.rowClass(r) : null });
      columns.forEach((c) => {
        const v = c.value(r);
        tr.append(el('td', { className: c.num ? 'num' : null }, v === undefined || v === null ? '' : v));
      });
      return tr;
    });
    return el('div', { className: 'table-wrap' },
      el('table', null, el('caption', { text: caption }), el('thead', null, head), el('tbody', null, body)));
  }

  function day(iso) {
    return iso ? String(iso).substring(0, 10) : '';
  }

  function when(iso) {
    return iso ? String(iso).replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:\d\dZ$/, 'Z') : '';
  }

  function number(n) {
    return typeof n === 'number' ? n.toLocaleString('en-GB', { maximumFractionDigits: 2 }) : '';
  }

  /**
   * Records when the page's data is first drawn (a performance mark, read by the browser tests
   * and the timing benchmark): milliseconds since the navigation started.
   */
  function drawn() {
    if (document.body.dataset.drawnMs) {
      return;
    }
    performance.mark('credo:drawn');
    const mark = performance.getEntriesByName('credo:drawn')[0];
    document.body.dataset.drawnMs = String(Math.round(mark.startTime));
  }

  function chartWidth(container) {
    return Math.max(260, Math.floor(container.getBoundingClientRect().width || 320));
  }

  /** Keeps a uPlot chart as wide as its container. */
  function fit(container, chart, height) {
    const resize = () => chart.setSize({ width: chartWidth(container), height });
    window.addEventListener('resize', resize);
  }

  const palette = ['#0b4f8a', '#a4161a', '#1b6b2f', '#7a4a00', '#5a2d82'];

  /** Bars with uPlot: xs numeric positions, ys values; labels optional for categorical axes. */
  function bars(container, options) {
    container.replaceChildren();
    const height = options.height || 220;
    const labels = options.labels;
    const xAxis = {
      label: options.xLabel,
      values: labels ? (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i] : '')) : undefined,
      splits: labels ? () => labels.map((_, i) => i) : undefined,
      rotate: labels && labels.length > 3 ? -30 : 0,
    };
    if (labels && labels.length > 3) {
      xAxis.size = 70; // room for the slanted labels; left out otherwise (undefined hides the axis)
    }
    Object.keys(xAxis).forEach((k) => xAxis[k] === undefined && delete xAxis[k]);
    const opts = {
      width: chartWidth(container),
      height,
      legend: { show: false },
      cursor: { show: true, points: { show: false } },
      scales: { x: { time: false, range: options.xRange }, y: { range: options.yRange } },
      axes: [xAxis, { label: options.yLabel, size: 70 }],
      series: [
        {},
        {
          label: options.yLabel || 'value',
          fill: options.fill || palette[0] + 'cc',
          stroke: options.stroke || palette[0],
          paths: uPlot.paths.bars({ size: [options.barSize || 0.8, 100], align: options.align || 0 }),
          points: { show: false },
        },
      ],
    };
    const chart = new uPlot(opts, [options.xs, options.ys], container);
    fit(container, chart, height);
    return chart;
  }

  /** A line chart with uPlot over time (xs in seconds since the epoch). */
  function lines(container, options) {
    container.replaceChildren();
    const height = options.height || 220;
    const opts = {
      width: chartWidth(container),
      height,
      scales: { x: { time: true }, y: { range: options.yRange } },
      axes: [{}, { label: options.yLabel, size: 60 }],
      series: [{}].concat(options.series.map((s, i) => ({
        label: s.label,
        stroke: palette[i % palette.length],
        width: 2,
        points: { show: true, size: 6 },
      }))),
    };
    const chart = new uPlot(opts, [options.xs].concat(options.series.map((s) => s.values)), container);
    fit(container, chart, height);
    return chart;
  }

  return {
    get, set, takeFragment, api, ApiError, missing, explain, say, clear, once, el, table, day, when,
    number, drawn, bars, lines,
  };
})();
